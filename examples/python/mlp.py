"""An MNIST MLP in PyTorch whose author initialized the hidden layers with Xavier/Glorot.

What InitLens should report: relu-needs-he (warning) on fc1, fc2 and fc3.

Why: xavier_uniform_ draws Var(W) = 2/(fan_in + fan_out), which keeps the signal's second moment only for linear
(or tanh) units. A ReLU keeps half of it (E[relu(z)^2] = E[z^2]/2), so each hidden layer multiplies the signal by
about fan_in * 2/(fan_in + fan_out) * 1/2: x0.76 for 784 -> 256 and x0.5 for 256 -> 256, x0.19 after three
layers. He (Kaiming) initialization, kaiming_uniform_(w, nonlinearity="relu"), makes each factor 1; the quick fix
writes exactly that in place of each xavier_uniform_ call. The read-out fc4 is followed by no ReLU and is not
reported. (PyTorch's own default, kept for the biases here, is U(+-1/sqrt(fan_in)): x0.17 per ReLU layer, worse
still.)
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class MLP(nn.Module):
    def __init__(self, n_in=784, hidden=256, n_out=10):
        super().__init__()
        self.fc1 = nn.Linear(n_in, hidden)
        self.fc2 = nn.Linear(hidden, hidden)
        self.fc3 = nn.Linear(hidden, hidden)
        self.fc4 = nn.Linear(hidden, n_out)
        nn.init.xavier_uniform_(self.fc1.weight)
        nn.init.xavier_uniform_(self.fc2.weight)
        nn.init.xavier_uniform_(self.fc3.weight)
        nn.init.xavier_uniform_(self.fc4.weight)

    def forward(self, x):
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = F.relu(self.fc3(x))
        return self.fc4(x)


if __name__ == "__main__":
    model = MLP()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    x = torch.randn(64, 1, 28, 28)
    loss = F.cross_entropy(model(x), torch.randint(0, 10, (64,)))
    loss.backward()
    optimizer.step()
