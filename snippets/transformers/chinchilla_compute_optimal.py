import math
def chinchilla(C, tokens_per_param=20):   # C = 6 N D and D = 20 N
    N = math.sqrt(C / (6 * tokens_per_param))
    return N, tokens_per_param * N
# Chinchilla: 70B parameters trained on 1.4T tokens
C = 6 * 70e9 * 1.4e12
N, D = chinchilla(C)
assert math.isclose(N, 70e9) and math.isclose(D, 1.4e12)
# Gopher: 280B parameters, 300B tokens -> a similar budget
gopher = 6 * 280e9 * 300e9
assert 0.8 < gopher / C < 1.0
assert 300e9 / 280e9 < 2                 # ~1 token per parameter
# 10x compute: N and D each grow by sqrt(10) (both ~ C^0.5);
# Kaplan et al.'s fit put most of it into N (~ C^0.73)
N10, D10 = chinchilla(10 * C)
assert math.isclose(N10 / N, 10 ** 0.5)
assert math.isclose(D10 / D, 10 ** 0.5)
# deployed models go far past 20: LLaMA-7B saw 1T tokens
llama = 1e12 / 7e9
assert llama > 7 * 20
print(f"C = {C:.2e} FLOPs -> N = {N / 1e9:.0f}B, D = {D / 1e12:.1f}T")
print(f"10x compute -> N x{N10 / N:.2f}, D x{D10 / D:.2f}; "
      f"LLaMA-7B: {llama:.0f} tokens/param")
