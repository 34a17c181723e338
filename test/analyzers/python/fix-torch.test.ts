/** PyTorch fixes: swaps of nn.init calls and tensor methods, inserted init lines, re-parameterizations, refusals. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FixIntent } from '../../../src/core/findings';
import { TORCH, analyze, check, fixed, noFix } from './helpers';

const HE: FixIntent = { kind: 'setInitializer', layer: 1, slot: 'kernel', to: 'kaiming_uniform_', args: { nonlinearity: 'relu' } };

const MLP = (init: string, quote = '"') => `${TORCH}
class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 256)  # hidden
        self.fc2 = nn.Linear(256, 10)
${init}
    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))
`.replace(/"/g, quote);

test('xavier_uniform_ before ReLU → kaiming_uniform_(…, nonlinearity="relu"), the finding goes away', () => {
  const text = MLP('        nn.init.xavier_uniform_(self.fc1.weight)\n');
  const out = fixed(text, HE);
  assert.ok(out.includes('        nn.init.kaiming_uniform_(self.fc1.weight, nonlinearity="relu")\n'), out);
  assert.equal(check(out).findings.filter((f) => f.ruleId === 'relu-needs-he' && f.layer === 1).length, 0);
  // The engine attaches the same edit to the finding.
  const f = check(text).findings.find((x) => x.ruleId === 'relu-needs-he' && x.layer === 1)!;
  assert.equal(f.fixes.length, 1);
  assert.match(f.fixes[0].title, /Use kaiming_uniform_ for the kernel of nn\.Linear 'fc1'/);
});

test('the file\'s quote style is kept; other arguments of the old initializer are dropped', () => {
  const text = MLP("        nn.init.xavier_uniform_(self.fc1.weight, gain=1.0)\n        x = 'a'\n", "'");
  const out = fixed(text, HE);
  assert.ok(out.includes("nn.init.kaiming_uniform_(self.fc1.weight, nonlinearity='relu')"), out);
});

test('a default-initialized Linear gets an init line right after its assignment (after a trailing comment)', () => {
  const text = MLP('');
  const out = fixed(text, HE);
  assert.ok(
    out.includes('        self.fc1 = nn.Linear(784, 256)  # hidden\n        nn.init.kaiming_uniform_(self.fc1.weight, nonlinearity="relu")\n        self.fc2'),
    out,
  );
  assert.equal(check(out).findings.filter((f) => f.ruleId === 'relu-needs-he').length, 0);
});

test('the spelling of nn.init follows the imports (init., torch.nn.init.); no import → no fix', () => {
  const viaInit = MLP('').replace(TORCH, 'import torch\nfrom torch import nn\nfrom torch.nn import init\nimport torch.nn.functional as F\n');
  assert.ok(fixed(viaInit, HE).includes('init.kaiming_uniform_(self.fc1.weight, nonlinearity="relu")'));
  const viaTorch = MLP('').replace(TORCH, 'import torch\nfrom torch.nn import Module, Linear\nimport torch.nn.functional as F\nnn = None\n')
    .replace(/nn\.Module/, 'Module').replace(/nn\.Linear/g, 'Linear');
  assert.ok(fixed(viaTorch, HE).includes('torch.nn.init.kaiming_uniform_(self.fc1.weight'));
  const none = MLP('').replace(TORCH, 'from torch.nn import Module, Linear, functional as F\n').replace(/nn\.Module/, 'Module').replace(/nn\.Linear/g, 'Linear');
  noFix(none, HE);
});

test('leaky ReLU: a and nonlinearity written; LeCun for SELU is kaiming_normal_(nonlinearity="linear")', () => {
  const text = MLP('');
  const leaky: FixIntent = { kind: 'setInitializer', layer: 1, slot: 'kernel', to: 'kaiming_normal_', args: { nonlinearity: 'leaky_relu', negativeSlope: 0.2 } };
  assert.ok(fixed(text, leaky).includes('nn.init.kaiming_normal_(self.fc1.weight, a=0.2, nonlinearity="leaky_relu")'));
  const lecun: FixIntent = { kind: 'setInitializer', layer: 1, slot: 'kernel', to: 'kaiming_normal_', args: { nonlinearity: 'linear' } };
  assert.ok(fixed(text, lecun).includes('nn.init.kaiming_normal_(self.fc1.weight, nonlinearity="linear")'));
});

test('a tensor-method initializer is rewritten as an nn.init call on the same tensor', () => {
  const text = MLP('        with torch.no_grad():\n            self.fc1.weight.data.normal_(0, 0.01)\n');
  const out = fixed(text, HE);
  assert.ok(out.includes('            nn.init.kaiming_uniform_(self.fc1.weight.data, nonlinearity="relu")\n'), out);
});

test('fixed-scale: the std is re-parameterized in place (keyword or positional), other arguments kept', () => {
  const kw = MLP('        nn.init.normal_(self.fc1.weight, mean=0.0, std=0.01)\n');
  const intent: FixIntent = { kind: 'setInitializer', layer: 1, slot: 'kernel', to: 'normal_', args: { stddev: 0.0505 } };
  assert.ok(fixed(kw, intent).includes('nn.init.normal_(self.fc1.weight, mean=0.0, std=0.0505)'));
  const pos = MLP('        self.fc1.weight.data.normal_(0.0, 0.01)\n');
  assert.ok(fixed(pos, intent).includes('self.fc1.weight.data.normal_(0.0, 0.0505)'));
  const appended = MLP('        nn.init.normal_(self.fc1.weight)\n');
  assert.ok(fixed(appended, intent).includes('nn.init.normal_(self.fc1.weight, std=0.0505)'));
  const uni = MLP('        nn.init.uniform_(self.fc1.weight, -0.01, 0.01)\n');
  assert.ok(fixed(uni, { kind: 'setInitializer', layer: 1, slot: 'kernel', to: 'uniform_', args: { minval: -0.0875, maxval: 0.0875 } }).includes('nn.init.uniform_(self.fc1.weight, -0.0875, 0.0875)'));
  // trunc_normal_ cuts at absolute bounds: a std they would cut into is refused.
  noFix(MLP('        nn.init.trunc_normal_(self.fc1.weight, std=0.01, a=-0.02, b=0.02)\n'), { kind: 'setInitializer', layer: 1, slot: 'kernel', to: 'trunc_normal_', args: { stddev: 0.0505 } });
});

test('layers without an attribute name (inside nn.Sequential) get no inserted line', () => {
  const text = `${TORCH}
model = nn.Sequential(nn.Linear(10, 10), nn.ReLU(), nn.Linear(10, 1))
`;
  noFix(text, { kind: 'setInitializer', layer: 0, slot: 'kernel', to: 'kaiming_uniform_', args: { nonlinearity: 'relu' } });
  const f = check(text).findings.filter((x) => x.ruleId === 'relu-needs-he');
  assert.equal(f.length, 1);
  assert.deepEqual(f[0].fixes, []); // offered only with edits
});

test('one init call shared by layers that want different changes is refused; the same change is allowed', () => {
  const text = `${TORCH}
class Mixed(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(8, 8)
        self.b = nn.Linear(8, 8)
        self.c = nn.Linear(8, 1)
        for m in [self.a, self.b]:
            nn.init.xavier_uniform_(m.weight)

    def forward(self, x):
        return self.c(torch.tanh(self.b(F.relu(self.a(x)))))
`;
  noFix(text, { kind: 'setInitializer', layer: 1, slot: 'kernel', to: 'kaiming_uniform_', args: { nonlinearity: 'relu' } });
  const same = text.replace('torch.tanh', 'F.relu');
  const out = fixed(same, { kind: 'setInitializer', layer: 1, slot: 'kernel', to: 'kaiming_uniform_', args: { nonlinearity: 'relu' } });
  assert.ok(out.includes('            nn.init.kaiming_uniform_(m.weight, nonlinearity="relu")'));
});

test('recurrent kernel and LSTM forget gate: inserted lines per parameter, under torch.no_grad()', () => {
  const text = `${TORCH}
class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(32, 64, bidirectional=True)
        self.fc = nn.Linear(128, 5)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.fc(out)
`;
  const orth = fixed(text, { kind: 'setInitializer', layer: 1, slot: 'recurrent', to: 'orthogonal_' });
  assert.ok(orth.includes('        self.lstm = nn.LSTM(32, 64, bidirectional=True)\n        nn.init.orthogonal_(self.lstm.weight_hh_l0)\n        nn.init.orthogonal_(self.lstm.weight_hh_l0_reverse)\n'), orth);
  const fb = fixed(text, { kind: 'setLayerOption', layer: 1, option: 'unitForgetBias', value: true });
  assert.ok(
    fb.includes(
      '        with torch.no_grad():\n            self.lstm.bias_ih_l0[self.lstm.hidden_size:2 * self.lstm.hidden_size].fill_(1.0)\n            self.lstm.bias_ih_l0_reverse[self.lstm.hidden_size:2 * self.lstm.hidden_size].fill_(1.0)\n',
    ),
    fb,
  );
  assert.deepEqual(check(fb).findings.filter((f) => f.ruleId === 'lstm-forget-bias'), []);
  // Without `import torch` there is no clean way to write it.
  noFix(text.replace('import torch\n', ''), { kind: 'setLayerOption', layer: 1, option: 'unitForgetBias', value: true });
});

test('tied weights and one-line compound statements are not edited', () => {
  const tied = `${TORCH}
class LM(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(50, 16)
        self.fc = nn.Linear(16, 16)
        self.head = nn.Linear(16, 50, bias=False)
        self.emb.weight = self.head.weight

    def forward(self, x):
        return self.head(F.relu(self.fc(self.emb(x))))
`;
  const m = analyze(tied).models[0];
  const head = m.layers.findIndex((l) => l.name === 'head');
  const fc = m.layers.findIndex((l) => l.name === 'fc');
  noFix(tied, { kind: 'setInitializer', layer: head, slot: 'kernel', to: 'xavier_uniform_' });
  fixed(tied, { kind: 'setInitializer', layer: fc, slot: 'kernel', to: 'kaiming_uniform_', args: { nonlinearity: 'relu' } });
  const compound = MLP('').replace('        self.fc1 = nn.Linear(784, 256)  # hidden\n', '        if True: self.fc1 = nn.Linear(784, 256)\n');
  noFix(compound, HE);
  fixed(compound, { kind: 'setInitializer', layer: 3, slot: 'kernel', to: 'xavier_uniform_' });
});

test('CRLF line endings and tab indentation are kept by inserted lines', () => {
  const tabs = `${TORCH}
class MLP(nn.Module):
\tdef __init__(self):
\t\tsuper().__init__()
\t\tself.lstm = nn.LSTM(8, 8)
\t\tself.fc1 = nn.Linear(8, 8)
\t\tself.fc2 = nn.Linear(8, 1)

\tdef forward(self, x):
\t\tx, _ = self.lstm(x)
\t\treturn self.fc2(F.relu(self.fc1(x)))
`;
  const crlf = tabs.replace(/\n/g, '\r\n');
  for (const text of [tabs, crlf]) {
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const he = fixed(text, { kind: 'setInitializer', layer: 2, slot: 'kernel', to: 'kaiming_uniform_', args: { nonlinearity: 'relu' } });
    assert.ok(he.includes(`\t\tself.fc1 = nn.Linear(8, 8)${eol}\t\tnn.init.kaiming_uniform_(self.fc1.weight, nonlinearity="relu")${eol}\t\tself.fc2`), JSON.stringify(he));
    const fb = fixed(text, { kind: 'setLayerOption', layer: 1, option: 'unitForgetBias', value: true });
    assert.ok(fb.includes(`${eol}\t\twith torch.no_grad():${eol}\t\t\tself.lstm.bias_ih_l0[`), JSON.stringify(fb));
  }
});
