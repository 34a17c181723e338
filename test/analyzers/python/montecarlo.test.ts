/**
 * Monte Carlo check of the prediction for PyTorch models as the Python analyzer describes them: each model is
 * written as PyTorch source, analyzed, rebuilt in TensorFlow.js with PyTorch's semantics (src/rebuild: weights
 * and biases drawn as PyTorch draws them, U(±1/√fan_in) for the Linear/Conv defaults) and measured on the WASM
 * backend, then compared layer by layer with core/propagate.ts.
 *
 * Tolerance, as in test/rebuild/montecarlo.test.ts (derived there): |log(M̄/P)| ≤ Z·se + Σ_path 1/n_k + 0.01,
 * with se the relative standard error over S independent seeds (weights and batch), Z = 6 (t₇ tail ≈ 5e-4 per
 * check), Σ 1/n_k the O(1/n) finite-width bias per weighted layer on the path, 0.01 for float32 and quadrature.
 */
import assert from 'node:assert/strict';
import { before, describe, it, type TestContext } from 'node:test';
import type { Model } from '../../../src/core/model';
import { WEIGHTED_KINDS } from '../../../src/core/model';
import { propagate } from '../../../src/core/propagate';
import { buildModel } from '../../../src/rebuild/build';
import { measure } from '../../../src/rebuild/measure';
import { getTf, meanSe } from '../../rebuild/helpers';
import { TORCH, one } from './helpers';

let tf: Awaited<ReturnType<typeof getTf>>;
before(async () => {
  tf = await getTf();
});

const Z = 6;

interface Series {
  forward: number[][];
  backward: number[][];
}

async function monteCarlo(m: Model, seeds: number, batch: number, inputShape: number[]): Promise<Series> {
  const series: Series = { forward: m.layers.map(() => []), backward: m.layers.map(() => []) };
  for (let s = 1; s <= seeds; s++) {
    const b = buildModel(tf, m, { seed: 2000 + 41 * s, inputShape });
    assert.ok(b.ok, !b.ok ? b.reason : '');
    if (!b.ok) throw new Error('build failed');
    const r = await measure(tf, b, { batch, seed: s, input: { kind: 'gaussian', mean: 0, std: 1 }, backward: true, histogramBins: 0, skipWeights: true });
    r.layers.forEach((l, i) => {
      series.forward[i].push(l.output.secondMoment);
      if (l.gradient) series.backward[i].push(l.gradient.secondMoment);
    });
    b.dispose();
  }
  return series;
}


interface Row {
  layer: number;
  label: string;
  measured: number;
  predicted: number;
  logRatio: number;
  tol: number;
}

function compare(m: Model, data: number[][], predicted: (number | undefined)[], dir: 'forward' | 'backward'): Row[] {
  const w = m.layers.map((l) => (WEIGHTED_KINDS.has(l.kind) ? l.outFeatures : undefined));
  const rows: Row[] = [];
  for (let i = 0; i < m.layers.length; i++) {
    const p = predicted[i];
    if (p === undefined || !data[i].length || m.layers[i].kind === 'input') continue;
    const { mean, se } = meanSe(data[i]);
    const path = dir === 'forward' ? w.slice(0, i + 1) : w.slice(i);
    const bias = path.reduce<number>((a, n) => a + (n ? 1 / n : 0), 0);
    const l = m.layers[i];
    rows.push({ layer: i, label: `${l.name ?? l.op}`, measured: mean, predicted: p, logRatio: Math.log(mean / p), tol: Z * se + bias + 0.01 });
  }
  return rows;
}

function check(t: TestContext, title: string, rows: Row[]): void {
  const f = (x: number) => x.toExponential(3);
  t.diagnostic(
    [title, ...rows.map((r) => `  ${String(r.layer).padStart(2)} ${r.label.padEnd(16)} measured ${f(r.measured)}  predicted ${f(r.predicted)}  ratio ${Math.exp(r.logRatio).toFixed(3)}  (tolerance ×/÷ ${Math.exp(r.tol).toFixed(3)})`)].join('\n'),
  );
  assert.ok(rows.length > 0, `${title}: nothing predicted`);
  for (const r of rows) {
    assert.ok(Math.abs(r.logRatio) <= r.tol, `${title}, layer ${r.layer} (${r.label}): measured ${f(r.measured)}, predicted ${f(r.predicted)}, ratio ${Math.exp(r.logRatio).toFixed(3)} outside ×/÷ ${Math.exp(r.tol).toFixed(3)}`);
  }
}

interface Case {
  name: string;
  source: string;
  inputShape: number[];
  seeds: number;
  batch: number;
  backward: boolean;
}

const CASES: Case[] = [
  {
    name: 'nn.Module MLP 8×256, PyTorch default Linear, F.relu (×1/6 per layer down to the bias fixed point)',
    source: `${TORCH}
class MLP(nn.Module):
    def __init__(self, width=256, depth=8):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(width, width) for _ in range(depth)])

    def forward(self, x):
        for layer in self.layers[:-1]:
            x = F.relu(layer(x))
        return self.layers[-1](x)
`,
    inputShape: [256],
    seeds: 8,
    batch: 256,
    backward: true,
  },
  {
    name: 'nn.Sequential tanh MLP 6×256, PyTorch default (×1/3 near zero)',
    source: `${TORCH}
model = nn.Sequential(*[m for _ in range(5) for m in (nn.Linear(256, 256), nn.Tanh())], nn.Linear(256, 256))
`,
    inputShape: [256],
    seeds: 8,
    batch: 256,
    backward: true,
  },
  {
    name: 'residual MLP: 3 × (x + fc2(relu(fc1(x)))), PyTorch default',
    source: `${TORCH}
class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.fc1 = nn.Linear(d, d)
        self.fc2 = nn.Linear(d, d)

    def forward(self, x):
        return x + self.fc2(F.relu(self.fc1(x)))

class ResMLP(nn.Module):
    def __init__(self, d=256):
        super().__init__()
        self.blocks = nn.Sequential(Block(d), Block(d), Block(d))
        self.head = nn.Linear(d, 10)

    def forward(self, x):
        return self.head(self.blocks(x))
`,
    inputShape: [256],
    seeds: 8,
    batch: 256,
    backward: true,
  },
  {
    name: 'conv net 16×16×3: conv 3×3 (32) → relu → conv 3×3 (32) → BatchNorm2d → relu → flatten → Linear, PyTorch default',
    source: `${TORCH}
class ConvNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(3, 32, 3)
        self.c2 = nn.Conv2d(32, 32, 3)
        self.bn = nn.BatchNorm2d(32)
        self.fc = nn.Linear(32 * 12 * 12, 64)

    def forward(self, x):
        x = F.relu(self.c1(x))
        x = F.relu(self.bn(self.c2(x)))
        return self.fc(torch.flatten(x, 1))
`,
    inputShape: [16, 16, 3],
    seeds: 6,
    batch: 64,
    backward: false,
  },
];

describe('Monte Carlo: PyTorch models parsed from Python, measured in tfjs vs predicted', () => {
  for (const c of CASES) {
    describe(c.name, () => {
      let series: Series;
      let m: Model;
      before(async () => {
        m = one(c.source);
        const start = tf.memory().numTensors;
        series = await monteCarlo(m, c.seeds, c.batch, c.inputShape);
        assert.equal(tf.memory().numTensors, start, 'Monte Carlo runs leaked tensors');
      });
      it('forward', (t) => {
        const p = propagate(m);
        check(t, `${c.name}: forward E[x²]`, compare(m, series.forward, p.layers.map((l) => l.output.estimate), 'forward'));
      });
      if (c.backward) {
        it('backward', (t) => {
          const p = propagate(m);
          check(t, `${c.name}: backward E[δ²]`, compare(m, series.backward, p.layers.map((l) => l.gradient?.estimate), 'backward'));
        });
      }
    });
  }
});
