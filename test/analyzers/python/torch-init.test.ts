/** PyTorch initialization code: nn.init calls, apply(fn), loops over modules/parameters, in-place methods. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TORCH, at, byName, check, one } from './helpers';

const NET = (init: string, extraLayers = '', methods = '') => `${TORCH}
import math
from torch.nn import init

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(100, 64)
        self.fc2 = nn.Linear(64, 64)
        self.bn = nn.BatchNorm1d(64)
        self.head = nn.Linear(64, 10)${extraLayers}
${init
  .split('\n')
  .map((l) => (l ? `        ${l}` : l))
  .join('\n')}
${methods
  .split('\n')
  .map((l) => (l ? `    ${l}` : l))
  .join('\n')}
    def forward(self, x):
        x = F.relu(self.fc1(x))
        x = F.relu(self.bn(self.fc2(x)))
        return self.head(x)
`;

test('nn.init calls on self.x.weight in __init__: ids, forms, spans, written arguments', () => {
  const text = NET(`nn.init.kaiming_uniform_(self.fc1.weight, a=0.1, mode="fan_out", nonlinearity="leaky_relu")
nn.init.xavier_normal_(self.fc2.weight, gain=nn.init.calculate_gain('tanh'))
torch.nn.init.trunc_normal_(self.head.weight, std=0.02, a=-0.04, b=0.04)
init.zeros_(self.head.bias)`);
  const m = one(text);
  const fc1 = byName(m, 'fc1').kernel!;
  assert.deepEqual([fc1.id, fc1.form, fc1.explicit], ['kaiming_uniform_', 'call', true]);
  assert.deepEqual(fc1.args, { negativeSlope: 0.1, mode: 'fanOut', nonlinearity: 'leaky_relu' });
  assert.equal(at(text, fc1.nameSpan), 'kaiming_uniform_');
  assert.equal(at(text, fc1.span), 'nn.init.kaiming_uniform_(self.fc1.weight, a=0.1, mode="fan_out", nonlinearity="leaky_relu")');
  assert.deepEqual(byName(m, 'fc2').kernel!.args, { gain: 5 / 3 });
  assert.deepEqual(byName(m, 'head').kernel!.args, { stddev: 0.02, lower: -0.04, upper: 0.04 });
  assert.deepEqual([byName(m, 'head').bias!.id, byName(m, 'head').bias!.form], ['zeros_', 'call']);
  // Untouched slots keep the module defaults.
  assert.equal(byName(m, 'fc1').bias!.id, 'default_linear');
});

test('positional arguments, deprecated spellings, calculate_gain with a parameter, math in arguments', () => {
  const text = NET(`nn.init.normal_(self.fc1.weight, 0.0, 1 / math.sqrt(100))
nn.init.uniform_(self.fc2.weight, -0.05, 0.05)
nn.init.kaiming_normal(self.head.weight, math.sqrt(5))
nn.init.xavier_uniform_(self.head.weight, nn.init.calculate_gain("leaky_relu", 0.2))`);
  const m = one(text);
  assert.deepEqual(byName(m, 'fc1').kernel!.args, { mean: 0, stddev: 0.1 });
  assert.deepEqual(byName(m, 'fc2').kernel!.args, { minval: -0.05, maxval: 0.05 });
  const head = byName(m, 'head').kernel!;
  assert.equal(head.id, 'xavier_uniform_'); // the last call wins
  assert.ok(Math.abs(head.args.gain! - Math.sqrt(2 / (1 + 0.04))) < 1e-12);
});

test('an unknown argument is listed as unknown, never guessed', () => {
  const text = NET(`nn.init.normal_(self.fc1.weight, std=get_std())`);
  const k = byName(one(text), 'fc1').kernel!;
  assert.equal(k.id, 'normal_');
  assert.deepEqual(k.unknownArgs, ['std']);
  assert.equal(k.args.stddev, undefined);
});

test('self.apply(self._init_weights) with isinstance branches (tuple of classes, bias is not None)', () => {
  const text = NET(
    `self.apply(self._init_weights)`,
    '\n        self.nobias = nn.Linear(64, 64, bias=False)',
    `
def _init_weights(self, m):
    if isinstance(m, nn.Linear):
        nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
        if m.bias is not None:
            nn.init.zeros_(m.bias)
    elif isinstance(m, (nn.BatchNorm1d, nn.GroupNorm)):
        nn.init.constant_(m.weight, 1.0)
        nn.init.constant_(m.bias, 0.0)
`,
  );
  const m = one(text);
  for (const n of ['fc1', 'fc2', 'head']) {
    assert.equal(byName(m, n).kernel!.id, 'kaiming_normal_', n);
    assert.equal(byName(m, n).bias!.id, 'zeros_', n);
  }
  assert.deepEqual([byName(m, 'bn').gamma!.id, byName(m, 'bn').gamma!.args.value], ['constant_', 1]);
  assert.deepEqual(check(text).findings.filter((f) => f.ruleId === 'relu-needs-he'), []);
});

test('a module-level init function applied with model.apply(fn) after construction', () => {
  const text = `${TORCH}
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU())
        self.out = nn.Linear(32, 1)

    def forward(self, x):
        return self.out(self.body(x))

def init_weights(m):
    if type(m) == nn.Linear:
        torch.nn.init.xavier_uniform_(m.weight)
        m.bias.data.fill_(0.01)

model = Net()
model.apply(init_weights)
`;
  const m = one(text);
  assert.equal(m.name, 'model');
  assert.deepEqual(byName(m, 'body.0').kernel!.id, 'xavier_uniform_');
  assert.deepEqual(byName(m, 'body.0').bias!.args, { value: 0.01 });
  assert.equal(byName(m, 'out').kernel!.id, 'xavier_uniform_');
  const he = check(text).findings.filter((f) => f.ruleId === 'relu-needs-he');
  assert.equal(he.length, 2);
  assert.equal(he[0].severity, 'warning'); // explicit Glorot before ReLU
});

test('loops over self.modules() and named_parameters(); LSTM forget-gate slice → unitForgetBias', () => {
  const text = `${TORCH}
class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(1000, 64)
        self.lstm = nn.LSTM(64, 128, num_layers=2)
        self.fc = nn.Linear(128, 10)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.xavier_uniform_(m.weight)
        for name, param in self.lstm.named_parameters():
            if "weight_ih" in name:
                nn.init.xavier_uniform_(param.data)
            elif "weight_hh" in name:
                nn.init.orthogonal_(param.data)
            elif "bias" in name:
                param.data.fill_(0)
                n = param.size(0)
                param.data[n // 4:n // 2].fill_(1.0)

    def forward(self, x):
        out, _ = self.lstm(self.emb(x))
        return self.fc(out)
`;
  const m = one(text);
  const lstms = m.layers.filter((l) => l.kind === 'lstm');
  assert.equal(lstms.length, 2);
  for (const l of lstms) {
    assert.deepEqual([l.kernel!.id, l.recurrent!.id, l.bias!.id, l.bias!.args.value], ['xavier_uniform_', 'orthogonal_', 'constant_', 0]);
    assert.deepEqual([l.unitForgetBias, l.unitForgetBiasExplicit], [true, true]);
  }
  assert.equal(byName(m, 'fc').kernel!.id, 'xavier_uniform_');
  const r = check(text);
  assert.deepEqual(r.findings.filter((f) => f.ruleId === 'lstm-forget-bias' || f.ruleId === 'recurrent-not-orthogonal'), []);
});

test('without the forget-gate slice the LSTM is reported (PyTorch has no forget bias of 1)', () => {
  const text = `${TORCH}
class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(64, 128)
        self.fc = nn.Linear(128, 10)

    def forward(self, x):
        out, (h, c) = self.lstm(x)
        return self.fc(h)
`;
  const f = check(text).findings;
  assert.deepEqual(f.map((x) => x.ruleId).sort(), ['lstm-forget-bias', 'recurrent-not-orthogonal']);
  assert.ok(f.every((x) => x.severity === 'info'));
  assert.match(f.find((x) => x.ruleId === 'lstm-forget-bias')!.message, /the PyTorch default/);
});

test('with torch.no_grad(): in-place tensor methods normal_, uniform_, fill_, zero_', () => {
  const text = NET(`with torch.no_grad():
    self.fc1.weight.normal_(mean=0.0, std=0.1)
    self.fc2.weight.data.uniform_(-0.2, 0.2)
    self.head.weight.fill_(0.0)
    self.head.bias.zero_()`);
  const m = one(text);
  assert.deepEqual([byName(m, 'fc1').kernel!.id, byName(m, 'fc1').kernel!.args], ['normal_', { mean: 0, stddev: 0.1 }]);
  assert.deepEqual([byName(m, 'fc2').kernel!.id, byName(m, 'fc2').kernel!.args], ['uniform_', { minval: -0.2, maxval: 0.2 }]);
  assert.deepEqual([byName(m, 'head').kernel!.id, byName(m, 'head').kernel!.args], ['constant_', { value: 0 }]);
  assert.equal(at(text, byName(m, 'fc1').kernel!.nameSpan), 'normal_');
  assert.equal(byName(m, 'head').bias!.id, 'zeros_');
});

test('methods that change a weight in a way the description cannot hold make it unknown, with a note', () => {
  const text = NET(`nn.init.kaiming_normal_(self.fc1.weight)
self.fc1.weight.data.mul_(0.1)
self.fc2.weight = nn.Parameter(torch.randn(64, 64) * 0.01)`);
  const m = one(text);
  assert.equal(byName(m, 'fc1').kernel!.id, undefined);
  assert.equal(byName(m, 'fc2').kernel!.id, undefined);
  assert.ok(m.notes.some((n) => /nn\.Linear\.weight is not modelled \(mul_\)/.test(n)), m.notes.join('\n'));
});

test('an init inside a branch the analyzer cannot decide makes the initializer unknown', () => {
  const text = NET(`if some_flag():
    nn.init.kaiming_normal_(self.fc1.weight)`);
  const k = byName(one(text), 'fc1').kernel!;
  assert.equal(k.id, undefined);
});

test('weight tying: initializing one tensor initializes both modules', () => {
  const text = `${TORCH}
class LM(nn.Module):
    def __init__(self, vocab=100, d=32):
        super().__init__()
        self.wte = nn.Embedding(vocab, d)
        self.proj = nn.Linear(d, d)
        self.lm_head = nn.Linear(d, vocab, bias=False)
        self.wte.weight = self.lm_head.weight
        nn.init.normal_(self.lm_head.weight, std=0.02)

    def forward(self, idx):
        return self.lm_head(F.gelu(self.proj(self.wte(idx))))
`;
  const m = one(text);
  assert.deepEqual(byName(m, 'wte').kernel!.args, { stddev: 0.02 });
  assert.deepEqual(byName(m, 'lm_head').kernel!.args, { stddev: 0.02 });
});

test('DCGAN style: m.__class__.__name__ with str.find', () => {
  const text = `${TORCH}
class D(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(nn.Conv2d(3, 64, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True), nn.Conv2d(64, 128, 4, 2, 1), nn.BatchNorm2d(128))

    def forward(self, x):
        return self.main(x)

def weights_init(m):
    classname = m.__class__.__name__
    if classname.find('Conv') != -1:
        nn.init.normal_(m.weight.data, 0.0, 0.02)
    elif classname.find('BatchNorm') != -1:
        nn.init.normal_(m.weight.data, 1.0, 0.02)
        nn.init.constant_(m.bias.data, 0)

netD = D()
netD.apply(weights_init)
`;
  const m = one(text);
  assert.deepEqual(byName(m, 'main.0').kernel!.args, { mean: 0, stddev: 0.02 });
  assert.deepEqual(byName(m, 'main.3').gamma!.args, { mean: 1, stddev: 0.02 });
});
