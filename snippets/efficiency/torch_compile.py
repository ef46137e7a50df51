import torch
import torch.fx
import torch.nn.functional as F
torch.manual_seed(0)
class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = torch.nn.Linear(8, 8)
    def forward(self, x):
        return F.gelu(self.lin(x)) * 2 + x
class Branchy(torch.nn.Module):
    def forward(self, x):  # control flow that depends on the data
        return x if x.sum() > 0 else -x
net, x = Net(), torch.randn(4, 8)
gm = torch.fx.symbolic_trace(net)  # Python code -> graph of ops
ops = [n.name for n in gm.graph.nodes if n.op.startswith("call")]
assert len(ops) == 4 and torch.equal(gm(x), net(x))
try:
    torch.fx.symbolic_trace(Branchy())
    raise AssertionError("a data-dependent branch was traced")
except torch.fx.proxy.TraceError:
    pass  # one static graph cannot hold it: Dynamo would graph-break
print("captured graph:", " -> ".join(ops))
