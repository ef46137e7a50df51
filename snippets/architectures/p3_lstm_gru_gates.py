import torch
torch.manual_seed(0)
I, H = 3, 4
cell = torch.nn.LSTMCell(I, H)
x, h = torch.randn(2, I), torch.randn(2, H)
c = torch.randn(2, H, requires_grad=True)
z = (x @ cell.weight_ih.T + cell.bias_ih
     + h @ cell.weight_hh.T + cell.bias_hh)
i, f, g, o = z.chunk(4, dim=1)  # order: input, forget, cell, output
i, f, o, g = i.sigmoid(), f.sigmoid(), o.sigmoid(), g.tanh()
c_new = f * c + i * g           # additive update of the cell state
h_new = o * torch.tanh(c_new)
h_ref, c_ref = cell(x, (h, c))
assert torch.allclose(h_new, h_ref, atol=1e-6)
assert torch.allclose(c_new, c_ref, atol=1e-6)
c_new.sum().backward()          # cell path: dc_t / dc_{t-1} = f
assert torch.allclose(c.grad, f.detach())
block = H * (I + H) + 2 * H     # one gate: W_i, W_h and two biases
models = torch.nn.RNN(I, H), torch.nn.GRU(I, H), torch.nn.LSTM(I, H)
counts = [sum(p.numel() for p in m.parameters()) for m in models]
assert counts == [block, 3 * block, 4 * block]  # RNN, GRU, LSTM
