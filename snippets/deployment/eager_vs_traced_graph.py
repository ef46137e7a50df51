import torch

class Gate(torch.nn.Module):
    def forward(self, x):
        if x.mean() > 0:      # ordinary Python branching on a tensor's value
            return x * 2
        return x - 1

gate = Gate()
pos, neg = torch.ones(3), -torch.ones(3)
# Define-by-run (eager): each operation runs when Python reaches it, so the branch just works
# and you can print or break into a debugger anywhere.
assert torch.equal(gate(pos), pos * 2) and torch.equal(gate(neg), neg - 1)

# A symbolic graph capture sees placeholders, not values, so it cannot choose the branch.
try:
    torch.fx.symbolic_trace(gate); raise AssertionError("expected a TraceError")
except torch.fx.proxy.TraceError:
    pass

# Branch-free code captures into an inspectable graph of operations.
graph = torch.fx.symbolic_trace(torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.ReLU()))
ops = [node.op for node in graph.graph.nodes]
assert ops == ["placeholder", "call_module", "call_module", "output"]
print(graph.code)
