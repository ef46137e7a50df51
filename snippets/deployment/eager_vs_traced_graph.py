import torch

class Gate(torch.nn.Module):
    def forward(self, x):
        if x.mean() > 0:  # Python branching on a tensor's value
            return x * 2
        return x - 1

pos, neg = torch.ones(3), -torch.ones(3)
# eager (define-by-run): each op runs as Python reaches it
assert torch.equal(Gate()(pos), pos * 2)
assert torch.equal(Gate()(neg), neg - 1)
# symbolic capture sees placeholders, not values: no branch to pick
try:
    torch.fx.symbolic_trace(Gate()); raise AssertionError
except torch.fx.proxy.TraceError:
    pass
net = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.ReLU())
captured = torch.fx.symbolic_trace(net)     # branch-free: captured
ops = [node.op for node in captured.graph.nodes]
assert ops == ["placeholder", "call_module", "call_module",
               "output"]
x = torch.randn(4, 3)        # the graph computes what eager computes
assert torch.equal(captured(x), net(x))
print("captured graph:", " -> ".join(ops))
