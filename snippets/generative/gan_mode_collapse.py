import numpy as np
x = np.linspace(-10, 10, 2001)
dx = x[1] - x[0]
def normal(mu, sd):
    return np.exp(-0.5 * ((x - mu) / sd) ** 2) / (sd * 2.5066283)
p = 0.5 * normal(-3, 1) + 0.5 * normal(3, 1)  # data: two modes
def kl(a, b):
    return float(np.sum(a * np.log((a + 1e-300) / (b + 1e-300))) * dx)
fits = [(mu, sd) for mu in np.arange(-4, 4.01, 0.25)
        for sd in np.arange(0.5, 4.01, 0.25)]
fwd = min(fits, key=lambda f: kl(p, normal(*f)))   # KL(data || model)
rev = min(fits, key=lambda f: kl(normal(*f), p))   # KL(model || data)
assert abs(fwd[0]) < 0.01 and abs(fwd[1] - 10 ** 0.5) < 0.2  # covers
assert abs(abs(rev[0]) - 3) < 0.3 and rev[1] < 1.3  # picks one mode
print(f"KL(data||model) best N({fwd[0]:.1f}, {fwd[1]:.2f}^2): "
      "covers both modes")
print(f"KL(model||data) best N({abs(rev[0]):.1f}, {rev[1]:.2f}^2): "
      "one mode")
