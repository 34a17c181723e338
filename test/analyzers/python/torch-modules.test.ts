/** PyTorch: nn.Module subclasses, containers, forward() data flow. Each case parses real source. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TORCH, analyze, at, byName, chain, check, kinds, one, sizes, weighted } from './helpers';

test('MLP subclass: layers from __init__, flow from forward, defaults as PyTorch defines them', () => {
  const text = `${TORCH}
class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 256)
        self.fc2 = nn.Linear(256, 10, bias=False)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))
`;
  const m = one(text);
  assert.equal(m.name, 'MLP');
  assert.equal(m.framework, 'pytorch');
  assert.equal(at(text, m.span), 'class MLP(nn.Module)');
  assert.deepEqual(chain(m), ['dense', 'relu', 'dense']);
  assert.deepEqual(sizes(m), [[784, 256], [256, 256], [256, 10]]);
  const fc1 = byName(m, 'fc1');
  assert.equal(fc1.op, 'nn.Linear');
  assert.equal(at(text, fc1.span), 'nn.Linear(784, 256)');
  assert.deepEqual([fc1.kernel?.id, fc1.kernel?.form, fc1.kernel?.explicit], ['default_linear', 'default', false]);
  assert.equal(fc1.bias?.id, 'default_linear');
  assert.equal(byName(m, 'fc2').useBias, false);
  assert.equal(byName(m, 'fc2').bias, undefined);
  // The first layer reads the model's input node.
  assert.equal(m.layers[0].kind, 'input');
  assert.deepEqual(fc1.inputs, [0]);
});

test('end to end: a default-initialized ReLU MLP gives relu-needs-he, a He-initialized one does not', () => {
  const bad = `${TORCH}
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 256)
        self.fc2 = nn.Linear(256, 256)
        self.out = nn.Linear(256, 10)

    def forward(self, x):
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.out(x)
`;
  const r = check(bad);
  const he = r.findings.filter((f) => f.ruleId === 'relu-needs-he');
  assert.equal(he.length, 2);
  assert.match(he[0].message, /PyTorch's default U\(±1\/√fan_in\) before relu: per-layer signal gain 0\.17/);
  assert.equal(at(bad, he[0].span), 'nn.Linear(784, 256)');
  const good = bad.replace('        self.out = nn.Linear(256, 10)\n', '        self.out = nn.Linear(256, 10)\n        for m in [self.fc1, self.fc2]:\n            nn.init.kaiming_normal_(m.weight, nonlinearity="relu")\n');
  assert.deepEqual(check(good).findings.filter((f) => f.ruleId === 'relu-needs-he'), []);
});

test('nn.Sequential: standalone model and as a submodule; OrderedDict names', () => {
  const text = `${TORCH}
from collections import OrderedDict
model = nn.Sequential(
    nn.Linear(20, 64),
    nn.ReLU(),
    nn.Dropout(p=0.2),
    nn.Linear(64, 1),
)
named = nn.Sequential(OrderedDict([("hidden", nn.Linear(8, 8)), ("act", nn.Tanh()), ("head", nn.Linear(8, 2))]))
`;
  const r = analyze(text);
  assert.deepEqual(r.models.map((m) => m.name), ['model', 'named']);
  const m = r.models[0];
  assert.deepEqual(kinds(m), ['dense', 'activation', 'dropout', 'dense']); // no input node for a Sequential
  assert.deepEqual(m.layers.map((l) => l.name), ['0', '1', '2', '3']);
  assert.equal(m.layers[2].rate, 0.2);
  assert.deepEqual(m.layers[3].inputs, [2]);
  assert.deepEqual(r.models[1].layers.map((l) => l.name), ['hidden', 'act', 'head']);
  assert.equal(r.models[1].layers[1].activation?.id, 'tanh');
});

test('ModuleList from a comprehension and a loop with constant bounds; loops over it in forward', () => {
  const text = `${TORCH}
class Deep(nn.Module):
    def __init__(self, width=128, depth=4):
        super().__init__()
        self.inp = nn.Linear(32, width)
        self.hidden = nn.ModuleList([nn.Linear(width, width) for _ in range(depth)])
        self.extra = nn.ModuleList()
        for i in range(2):
            self.extra.append(nn.Linear(width, width))
        self.head = nn.Linear(width, 1)

    def forward(self, x):
        x = torch.relu(self.inp(x))
        for layer in self.hidden:
            x = torch.relu(layer(x))
        for i in range(len(self.extra)):
            x = self.extra[i](x).tanh()
        return self.head(x)
`;
  const m = one(text);
  assert.equal(weighted(m).length, 8);
  assert.deepEqual(
    weighted(m).map((l) => l.name),
    ['inp', 'hidden.0', 'hidden.1', 'hidden.2', 'hidden.3', 'extra.0', 'extra.1', 'head'],
  );
  assert.deepEqual(chain(m).slice(-5), ['dense', 'tanh', 'dense', 'tanh', 'dense']);
  assert.deepEqual(byName(m, 'hidden.3').outFeatures, 128);
});

test('ModuleDict and nn.Sequential built from a list with *', () => {
  const text = `${TORCH}
class Heads(nn.Module):
    def __init__(self):
        super().__init__()
        layers = []
        for i in range(3):
            layers += [nn.Linear(16, 16), nn.GELU()]
        self.body = nn.Sequential(*layers)
        self.heads = nn.ModuleDict({"a": nn.Linear(16, 4), "b": nn.Linear(16, 2)})

    def forward(self, x):
        h = self.body(x)
        return self.heads["a"](h), self.heads["b"](h)
`;
  const m = one(text);
  assert.deepEqual(chain(m), ['dense', 'gelu', 'dense', 'gelu', 'dense', 'gelu', 'dense', 'dense']);
  assert.deepEqual(m.outputs?.map((i) => m.layers[i].name), ['heads.a', 'heads.b']);
  assert.equal(byName(m, 'body.2').kind, 'dense');
});

test('residual x + f(x), torch.cat, nested user modules, helper methods and functions', () => {
  const text = `${TORCH}
def block(c):
    return nn.Sequential(nn.Linear(c, c), nn.ReLU(), nn.Linear(c, c))

class Residual(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.f = block(c)

    def forward(self, x):
        return x + self.f(x)

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Linear(10, 32)
        self.blocks = nn.Sequential(Residual(32), Residual(32))
        self.side = nn.Linear(10, 8)
        self.head = nn.Linear(40, 1)

    def _trunk(self, x):
        return self.blocks(F.relu(self.stem(x)))

    def forward(self, x):
        y = torch.cat([self._trunk(x), self.side(x)], dim=1)
        return self.head(y)
`;
  const r = analyze(text);
  assert.deepEqual(r.models.map((m) => m.name), ['Net']); // Residual is a part, not a model of its own
  const m = r.models[0];
  const adds = m.layers.filter((l) => l.kind === 'add');
  assert.equal(adds.length, 2);
  assert.equal(adds[0].inputs.length, 2);
  const cat = m.layers.find((l) => l.kind === 'concatenate')!;
  assert.equal(cat.outFeatures, 40);
  assert.equal(byName(m, 'blocks.0.f.0').kind, 'dense');
  assert.equal(byName(m, 'head').inFeatures, 40);
});

test('activation modules and functions with their parameters', () => {
  const text = `${TORCH}
class Acts(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 8)
        self.acts = nn.ModuleList([nn.LeakyReLU(0.2), nn.GELU(approximate="tanh"), nn.SiLU(), nn.ELU(alpha=0.5), nn.SELU(), nn.PReLU(), nn.PReLU(init=0.1), nn.Sigmoid(), nn.Softmax(dim=-1), nn.LeakyReLU()])

    def forward(self, x):
        for a in self.acts:
            x = a(self.fc(x))
        x = F.leaky_relu(x, 0.1)
        x = F.gelu(x)
        x = F.elu(x, alpha=2.0)
        x = x.relu()
        return F.softmax(x, dim=-1)
`;
  const m = one(text);
  const acts = m.layers.filter((l) => l.kind === 'activation').map((l) => [l.activation?.id, l.activation?.alpha]);
  assert.deepEqual(acts, [
    ['leakyRelu', 0.2],
    ['geluTanh', undefined],
    ['silu', undefined],
    ['elu', 0.5],
    ['selu', undefined],
    ['prelu', 0.25],
    ['prelu', 0.1],
    ['sigmoid', undefined],
    ['softmax', undefined],
    ['leakyRelu', 0.01],
    ['leakyRelu', 0.1],
    ['gelu', undefined],
    ['elu', 2],
    ['relu', undefined],
    ['softmax', undefined],
  ]);
});

test('conv, batch norm, pooling, flatten; group norm as a layer normalization with a note', () => {
  const text = `${TORCH}
class CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, kernel_size=3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(32)
        self.conv2 = nn.Conv2d(32, 64, 3, stride=2, groups=2)
        self.gn = nn.GroupNorm(8, 64)
        self.pool = nn.MaxPool2d(2)
        self.gap = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(64, 10)
        self.up = nn.ConvTranspose2d(64, 16, 4, stride=2)
        self.c1 = nn.Conv1d(4, 8, 5)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = self.pool(F.relu(self.gn(self.conv2(x))))
        x = torch.flatten(self.gap(x), 1)
        return self.fc(x)
`;
  const m = one(text);
  // torch.flatten after global pooling changes no value ((B, C, 1, 1) → (B, C)): no node.
  assert.deepEqual(chain(m), ['conv', 'batchNorm', 'relu', 'conv', 'layerNorm', 'relu', 'pooling', 'globalPooling', 'dense']);
  const c1 = byName(m, 'conv1');
  assert.deepEqual([c1.inFeatures, c1.outFeatures, c1.kernelSize, c1.strides, c1.useBias], [3, 32, [3, 3], [1, 1], false]);
  const c2 = byName(m, 'conv2');
  assert.deepEqual([c2.kernelSize, c2.strides, c2.groups], [[3, 3], [2, 2], 2]);
  const bn = byName(m, 'bn1');
  assert.deepEqual([bn.gamma?.id, bn.beta?.id, bn.epsilon, bn.outFeatures], ['ones_', 'zeros_', 1e-5, 32]);
  assert.equal(byName(m, 'pool').poolSize?.join(), '2,2');
  assert.ok(m.notes.some((n) => /GroupNorm described as a layer normalization/.test(n)));
  assert.equal(byName(m, 'fc').inFeatures, 64);
  // A flatten of a spatial map is a node (the next layer's fan-in is its own).
  const spatial = one(text.replace('torch.flatten(self.gap(x), 1)', 'x.view(x.size(0), -1).flatten(1)'));
  assert.ok(spatial.layers.some((l) => l.kind === 'flatten'));
  // Unused layers are not in the forward graph.
  assert.equal(m.layers.some((l) => l.name === 'up' || l.name === 'c1'), false);
});

test('recurrent layers: LSTM/GRU/RNN sizes, stacking, bidirectional, defaults; Embedding', () => {
  const text = `${TORCH}
class Tagger(nn.Module):
    def __init__(self, vocab=5000, dim=100, hidden=128, tags=17):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=0)
        self.lstm = nn.LSTM(dim, hidden, num_layers=2, batch_first=True, bidirectional=True)
        self.gru = nn.GRU(2 * hidden, 64, batch_first=True)
        self.out = nn.Linear(64, tags)

    def forward(self, tokens):
        x = self.emb(tokens)
        x, (h, c) = self.lstm(x)
        x, _ = self.gru(x)
        return self.out(x)
`;
  const m = one(text);
  assert.deepEqual(chain(m), ['embedding', 'lstm', 'lstm', 'gru', 'dense']);
  const [l0, l1] = m.layers.filter((l) => l.kind === 'lstm');
  assert.deepEqual([l0.name, l0.inFeatures, l0.outFeatures, l0.wrapper], ['lstm_l0', 100, 128, 'bidirectional']);
  assert.deepEqual([l1.name, l1.inFeatures, l1.outFeatures], ['lstm_l1', 256, 128]);
  assert.deepEqual([l0.kernel?.id, l0.recurrent?.id, l0.bias?.id, l0.unitForgetBias, l0.unitForgetBiasExplicit], ['default_rnn', 'default_rnn', 'default_rnn', false, false]);
  const emb = byName(m, 'emb');
  assert.deepEqual([emb.inFeatures, emb.outFeatures, emb.kernel?.id], [5000, 100, 'default_embedding']);
  assert.equal(byName(m, 'gru').inFeatures, 256);
});

test('a class never instantiated is analyzed with its defaults; unknown sizes stay unknown', () => {
  const text = `${TORCH}
class MLP(nn.Module):
    def __init__(self, in_dim, hidden=64):
        super().__init__()
        self.a = nn.Linear(in_dim, hidden)
        self.b = nn.Linear(hidden, 1)

    def forward(self, x):
        return self.b(F.relu(self.a(x)))
`;
  const m = one(text);
  assert.deepEqual(sizes(m), [[undefined, 64], [64, 64], [64, 1]]);
  const f = check(text).findings.filter((x) => x.ruleId === 'relu-needs-he');
  assert.equal(f.length, 1); // the family is known whatever in_dim is
});

test('module-level instantiation with arguments names the model after its variable', () => {
  const text = `${TORCH}
class MLP(nn.Module):
    def __init__(self, n_in, n_out, width=32):
        super().__init__()
        self.l1 = nn.Linear(n_in, width)
        self.l2 = nn.Linear(width, n_out)

    def forward(self, x):
        return self.l2(torch.tanh(self.l1(x)))

small = MLP(4, 2)
big = MLP(4, 2, width=512)
`;
  const r = analyze(text);
  assert.deepEqual(r.models.map((m) => m.name), ['small', 'big']);
  assert.equal(r.models[1].layers[1].outFeatures, 512);
});

test('unknown modules and operations become unknown nodes, never guesses', () => {
  const text = `${TORCH}
import timm
class Odd(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 8)
        self.att = nn.MultiheadAttention(8, 2)
        self.mystery = timm.layers.DropPath(0.1)

    def forward(self, x):
        x = self.fc(x) * 0.5
        y, _ = self.att(x, x, x)
        return self.mystery(y)
`;
  const m = one(text);
  const unknown = m.layers.filter((l) => l.kind === 'unknown');
  assert.equal(unknown.length, 3);
  assert.match(unknown[0].unknownReason ?? '', /multiply by a constant is not modelled/);
  assert.match(unknown[1].unknownReason ?? '', /attention is not modelled/);
  assert.match(unknown[2].unknownReason ?? '', /timm\.layers\.DropPath is not modelled/);
});

test('a condition that cannot be decided follows both branches and joins them', () => {
  const text = `${TORCH}
import random
class Maybe(nn.Module):
    def __init__(self, use_tanh=random.random() > 0.5):
        super().__init__()
        self.fc = nn.Linear(8, 8)
        self.act = nn.Tanh() if use_tanh else nn.ReLU()
        self.head = nn.Linear(8, 1)

    def forward(self, x):
        if self.training:
            x = F.dropout(x, 0.1)
        return self.head(self.act(self.fc(x)))
`;
  const m = one(text);
  // self.act is one of two modules: unknown, so its node is unknown; dropout runs (training mode).
  assert.deepEqual(chain(m), ['dropout', 'dense', 'unknown', 'dense']);
  assert.match(m.layers[3].unknownReason ?? '', /'self\.act' could not be resolved/);
  assert.ok(m.notes.some((n) => /depend on conditions or loops that could not be decided \(line 10\)/.test(n)), m.notes.join('\n'));
  // No rule guesses the activation after fc.
  assert.deepEqual(check(text).findings.filter((f) => f.ruleId === 'relu-needs-he' || f.ruleId === 'saturating-needs-glorot'), []);
});

test('generators: a function with yield in its own body is not run; yield in a nested function or lambda does not count', () => {
  const plain = analyze(`${TORCH}
def build():
    def helper():
        yield 1
    scale = lambda: (yield)
    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))

model = build()
`);
  assert.deepEqual(plain.models.map((m) => [m.name, kinds(m)]), [['model', ['dense', 'activation', 'dense']]]);
  // A generator's values are unknown: the Sequential it would yield is not built.
  const generator = analyze(`${TORCH}
def build():
    for depth in (1, 2):
        yield nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))

model = next(build())
`);
  assert.deepEqual(generator.models, []);
});
