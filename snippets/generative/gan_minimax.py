import numpy as np
rng = np.random.default_rng(0)
p_data = rng.dirichlet(np.ones(6))  # distributions on 6 points
p_g = rng.dirichlet(np.ones(6))

def V(D):  # GAN value: E_data log D + E_g log(1 - D)
    return (p_data * np.log(D)).sum() + (p_g * np.log(1 - D)).sum()
def kl(a, b):
    return (a * np.log(a / b)).sum()

D_star = p_data / (p_data + p_g)  # optimal discriminator
for _ in range(100):  # any other discriminator scores lower
    D = np.clip(D_star + rng.normal(0, 0.05, 6), 1e-3, 1 - 1e-3)
    assert V(D) <= V(D_star)
m = (p_data + p_g) / 2
jsd = 0.5 * kl(p_data, m) + 0.5 * kl(p_g, m)
assert np.isclose(V(D_star), -np.log(4) + 2 * jsd)
# at p_g = p_data: D* = 1/2 everywhere and V = -log 4, the minimum
V_eq = 2 * (p_data * np.log(0.5)).sum()  # p_g = p_data, D* = 1/2
assert np.isclose(V_eq, -np.log(4)) and V(D_star) > V_eq
print(f"V(D*, G) = {V(D_star):.3f} = -log 4 + 2 JSD = "
      f"{-np.log(4):.3f} + 2 x {jsd:.3f}")
