/**
 * Deliberate patterns are not findings, end to end from Python source: GPT-2's small std inside pre-norm residual
 * branches, a zero read-out, a zero BatchNorm γ at the end of a residual branch. Each with a triggering twin.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KERAS, TORCH, check, fixed } from './helpers';

const BLOCK = (forward: string) => `${TORCH}
class Block(nn.Module):
    def __init__(self, d=256):
        super().__init__()
        self.ln = nn.LayerNorm(d)
        self.fc = nn.Linear(d, 4 * d)
        self.proj = nn.Linear(4 * d, d)
        for m in (self.fc, self.proj):
            nn.init.normal_(m.weight, std=0.02)
            nn.init.zeros_(m.bias)

    def forward(self, x):
${forward}

class Net(nn.Module):
    def __init__(self, d=256):
        super().__init__()
        self.emb = nn.Embedding(1000, d)
        self.blocks = nn.ModuleList([Block(d) for _ in range(6)])
        self.ln_f = nn.LayerNorm(d)
        self.head = nn.Linear(d, 1000, bias=False)
        nn.init.normal_(self.emb.weight, std=0.02)
        nn.init.normal_(self.head.weight, std=0.02)

    def forward(self, idx):
        x = self.emb(idx)
        for b in self.blocks:
            x = b(x)
        return self.head(self.ln_f(x))
`;

test('GPT-2 pre-norm blocks: normal_(std=0.02) inside x + f(LayerNorm(x)) is not reported', () => {
  const pre = BLOCK('        return x + self.proj(F.gelu(self.fc(self.ln(x))))');
  assert.deepEqual(check(pre).findings.map((f) => f.ruleId), []);
});

test('the same layers without the pre-norm structure are reported', () => {
  // Post-norm: the branch reads the stream directly.
  const post = BLOCK('        return self.ln(x + self.proj(F.gelu(self.fc(x))))');
  assert.ok(check(post).findings.some((f) => f.ruleId === 'fixed-scale'));
  // No residual at all: a plain stack of small layers.
  const plain = BLOCK('        return self.proj(F.gelu(self.fc(self.ln(x))))');
  const r = check(plain);
  assert.ok(r.findings.some((f) => f.ruleId === 'fixed-scale'));
});

test('a zero read-out is not symmetric-init; a zero hidden kernel is, with a fix', () => {
  const text = (target: string) => `${TORCH}
class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(32, 64)
        self.fc2 = nn.Linear(64, 64)
        self.head = nn.Linear(64, 10)
        nn.init.kaiming_uniform_(self.fc1.weight, nonlinearity="relu")
        nn.init.kaiming_uniform_(self.fc2.weight, nonlinearity="relu")
        nn.init.zeros_(self.${target}.weight)

    def forward(self, x):
        return self.head(F.relu(self.fc2(F.relu(self.fc1(x)))))
`;
  assert.deepEqual(check(text('head')).findings.map((f) => f.ruleId), []);
  const hidden = check(text('fc2')).findings.filter((f) => f.ruleId === 'symmetric-init');
  assert.equal(hidden.length, 1);
  assert.equal(hidden[0].severity, 'error');
  const out = fixed(text('fc2'), hidden[0].fixes[0].intent);
  assert.ok(out.includes('nn.init.kaiming_uniform_(self.fc2.weight, nonlinearity="relu")\n\n    def forward'), out);
  // Keras: kernel_initializer="zeros" on the read-out.
  const k = `${KERAS}
m = keras.Sequential([layers.Dense(64, activation="relu", kernel_initializer="he_uniform", input_shape=(8,)), layers.Dense(1, kernel_initializer="zeros")])
`;
  assert.deepEqual(check(k).findings.map((f) => f.ruleId), []);
});

test('zero γ of the last BatchNorm of a residual branch (zero_init_residual) is not reported; zero conv kernels are', () => {
  const text = (zeroed: string) => `${TORCH}
class Basic(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv1 = nn.Conv2d(c, c, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(c)
        self.conv2 = nn.Conv2d(c, c, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(c)
        for conv in (self.conv1, self.conv2):
            nn.init.kaiming_normal_(conv.weight, mode="fan_out", nonlinearity="relu")
        nn.init.zeros_(${zeroed})

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        return F.relu(x + self.bn2(self.conv2(out)))

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 16, 3, padding=1)
        self.blocks = nn.Sequential(Basic(16), Basic(16))
        self.fc = nn.Linear(16, 10)
        nn.init.kaiming_normal_(self.stem.weight, nonlinearity="relu")

    def forward(self, x):
        x = self.blocks(F.relu(self.stem(x)))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))
`;
  assert.deepEqual(check(text('self.bn2.weight')).findings.map((f) => f.ruleId), []);
  assert.ok(check(text('self.conv1.weight')).findings.some((f) => f.ruleId === 'symmetric-init'));
});
