/**
 * Bad input never throws or hangs, and unknown stays unknown: half-typed code (every prefix), syntax errors,
 * deep nesting, recursion, endless loops, huge literals, unknown names. "Hang" budgets here are generous
 * detectors of runaway work, not speed tests.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FileReport } from '../../../src/core/report';
import { TORCH, analyze, check, one } from './helpers';

const HANG_MS = 3000;

function sane(r: FileReport, text: string): void {
  for (const f of r.findings) {
    assert.ok(f.span.start >= 0 && f.span.end <= text.length && f.span.start <= f.span.end, `span outside the text: ${f.ruleId}`);
    assert.doesNotMatch(f.message, /\bNaN\b|Infinity|undefined/, f.message);
    for (const fix of f.fixes) for (const e of fix.edits ?? []) assert.ok(e.span.start >= 0 && e.span.end <= text.length);
  }
  for (const p of r.problems) assert.doesNotMatch(p.message, /internal error/, p.message);
}

function timed(text: string, name = 'r.py'): FileReport {
  const t0 = performance.now();
  const r = check(text, name);
  const ms = performance.now() - t0;
  assert.ok(ms < HANG_MS, `check took ${ms.toFixed(0)} ms`);
  sane(r, text);
  return r;
}

const SAMPLE = `${TORCH}
from tensorflow import keras
from tensorflow.keras import layers

class Net(nn.Module):
    def __init__(self, d=64, n=3):
        super().__init__()
        self.blocks = nn.ModuleList([nn.Linear(d, d) for _ in range(n)])
        self.lstm = nn.LSTM(d, d, num_layers=2)
        self.head = nn.Linear(d, 2)
        self.apply(self._init)

    def _init(self, m):
        if isinstance(m, nn.Linear):
            nn.init.xavier_uniform_(m.weight, gain=nn.init.calculate_gain("relu"))
            with torch.no_grad():
                m.bias.fill_(0.01)

    def forward(self, x):
        for b in self.blocks:
            x = x + F.gelu(b(x))
        x, (h, c) = self.lstm(x)
        return self.head(torch.cat([x, h], dim=-1))

k = keras.Sequential([layers.Dense(32, activation="relu", kernel_initializer="glorot_uniform", input_shape=(8,)), layers.Dense(1)])
`;

test('every prefix of a mixed PyTorch/Keras file, as if typed: no exception, no hang, sane reports', () => {
  for (let cut = 0; cut <= SAMPLE.length; cut += 2) timed(SAMPLE.slice(0, cut), 'typing.py');
});

test('seeded mutations (deleted, duplicated, swapped characters and lines) never break the analysis', () => {
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let k = 0; k < 150; k++) {
    let t = SAMPLE;
    for (let j = 0; j < 1 + (k % 4); j++) {
      const i = Math.floor(rnd() * t.length);
      const n = 1 + Math.floor(rnd() * 12);
      const op = k % 3;
      if (op === 0) t = t.slice(0, i) + t.slice(i + n);
      else if (op === 1) t = t.slice(0, i) + t.slice(i, i + n) + t.slice(i);
      else {
        const lines = t.split('\n');
        const a = Math.floor(rnd() * lines.length);
        const b = Math.floor(rnd() * lines.length);
        [lines[a], lines[b]] = [lines[b], lines[a]];
        t = lines.join('\n');
      }
    }
    timed(t, `mutant${k}.py`);
  }
});

test('syntax errors are problems, not exceptions; the rest of the file is still analyzed', () => {
  const text = `${TORCH}
class Broken(nn.Module:
    def __init__(self)
        self.fc = nn.Linear(4, 4

def ok():
    return nn.Sequential(nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 1))
`;
  const r = analyze(text);
  assert.ok(r.problems.some((p) => /^Syntax error/.test(p.message)));
  assert.ok(r.models.some((m) => m.name === 'ok'));
  timed(text);
  for (const junk of ['def (:', ')))(((', 'class', '@', 'import torch\n\tx =\n  y = ]', 'import torch\nlambda: lambda: (', '\u0000\uFFFF\uD800']) timed(`import torch\n${junk}`);
});

test('deep nesting: parentheses, calls, blocks, attribute chains', () => {
  const depth = 3000;
  timed(`import torch\nx = ${'('.repeat(depth)}1${')'.repeat(depth)}\n`);
  timed(`import torch\nx = ${'f('.repeat(depth)}1${')'.repeat(depth)}\n`);
  timed(`import torch\nx = [${'['.repeat(depth)}${']'.repeat(depth)}]\n`);
  timed(`import torch\nx = a${'.b'.repeat(20000)}\n`);
  let blocks = 'import torch\n';
  for (let i = 0; i < 400; i++) blocks += `${' '.repeat(i)}if x:\n`;
  blocks += `${' '.repeat(400)}y = torch.nn.Linear(1, 1)\n`;
  timed(blocks);
  timed(`import torch\nx = 1${' + 1'.repeat(20000)}\n`);
});

test('recursion, endless loops, huge ranges and literals are capped', () => {
  timed(`import torch\ndef f(n):\n    return f(n) + f(n - 1)\nf(3)\n`);
  timed(`import torch\ndef a():\n    return b()\ndef b():\n    return a()\na()\n`);
  timed(`import torch.nn as nn\nclass R(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.r = R()\nR()\n`);
  timed(`import torch\nwhile True:\n    pass\n`);
  timed(`import torch\nx = 0\nwhile x >= 0:\n    x += 1\n`);
  timed(`import torch\nfor i in range(10 ** 12):\n    pass\nfor i in range(10 ** 6):\n    for j in range(10 ** 6):\n        pass\n`);
  timed(`import torch\nx = [${'1, '.repeat(100000)}]\ny = "${'a'.repeat(200000)}"\n`);
  const many = timed(`${TORCH}
class Wide(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList()
        for i in range(100000):
            self.layers.append(nn.Linear(4, 4))

    def forward(self, x):
        for l in self.layers:
            x = F.relu(l(x))
        return x
`);
  assert.ok(many.problems.some((p) => /only the first 1000 iterations|more than/.test(p.message)), many.problems.map((p) => p.message).join('\n'));
});

test('unknown names and external objects stay unknown: sizes, activations and initializers are never guessed', () => {
  const text = `${TORCH}
from mylib import Block, make_init, ACT
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(SIZE, 32)
        self.block = Block(32)
        self.out = nn.Linear(32, 1)
        make_init(self.fc.weight)
        nn.init.normal_(self.out.weight, std=STD)

    def forward(self, x):
        return self.out(ACT(self.block(self.fc(x))))
`;
  const m = one(text);
  const fc = m.layers.find((l) => l.name === 'fc')!;
  assert.equal(fc.inFeatures, undefined);
  assert.equal(fc.kernel?.id, 'default_linear'); // make_init is unknown, and the weight passed to it is not changed by us
  const out = m.layers.find((l) => l.name === 'out')!;
  assert.deepEqual(out.kernel?.unknownArgs, ['std']);
  assert.ok(m.layers.filter((l) => l.kind === 'unknown').length >= 2);
  timed(text);
});

test('a file without any model, or not importing a framework, gives nothing and no problems', () => {
  const none = check('print("hello")\n', 'hello.py');
  assert.deepEqual(none, { file: 'hello.py', language: 'python', models: [], findings: [], problems: [] });
  const r = check('import numpy as np\nclass A:\n    pass\n');
  assert.deepEqual([r.models.length, r.findings.length, r.problems.length], [0, 0, 0]);
  const t = check('import torch\nx = torch.randn(3)\n');
  assert.deepEqual([t.models.length, t.problems.length], [0, 0]);
});

test('suppression comments: # initlens: disable=<rule> (line and the next line) and disable-file', () => {
  const base = `${TORCH}
class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 256)MARK
        self.fc2 = nn.Linear(256, 10)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))
`;
  assert.equal(check(base.replace('MARK', '')).findings.filter((f) => f.ruleId === 'relu-needs-he').length, 1);
  assert.equal(check(base.replace('MARK', '  # initlens: disable=relu-needs-he')).findings.filter((f) => f.ruleId === 'relu-needs-he').length, 0);
  assert.equal(check(base.replace('        self.fc1', '        # initlens: disable=relu-needs-he\n        self.fc1').replace('MARK', '')).findings.filter((f) => f.ruleId === 'relu-needs-he').length, 0);
  assert.equal(check(`# initlens: disable-file=relu-needs-he\n${base.replace('MARK', '')}`).findings.filter((f) => f.ruleId === 'relu-needs-he').length, 0);
});

test('a module-level computation that uses up the budget: a problem, and the definitions after it are still analyzed', () => {
  const text = `${TORCH}
total = 0
for i in range(1000):
    for j in range(1000):
        total += i * j

class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(8, 8)
        self.fc2 = nn.Linear(8, 1)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))
`;
  const r = timed(text);
  assert.ok(r.problems.some((p) => /The analysis stopped after 400,000 evaluation steps at line 6/.test(p.message)), r.problems.map((p) => p.message).join('\n'));
  assert.deepEqual(r.models.map((m) => m.model.name), ['MLP']);
  assert.ok(r.findings.some((f) => f.ruleId === 'relu-needs-he'));
});
