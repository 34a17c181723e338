/**
 * Monte Carlo check of the prediction for PyTorch models as the Python analyzer describes them: each model is
 * written as PyTorch source, analyzed, rebuilt in TensorFlow.js with PyTorch's semantics (src/rebuild: weights
 * and biases drawn as PyTorch draws them, U(±1/√fan_in) for the Linear/Conv defaults) and measured on the WASM
 * backend, then compared layer by layer with core/propagate.ts.
 *
 * Tolerance: derived per layer from the sample (test/helpers/monte-carlo.ts, where the derivation is), with
 * S = 8 seeds (6 for the conv net) and Z = 6.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Model } from '../../../src/core/model';
import { propagate } from '../../../src/core/propagate';
import { check, compare, monteCarlo, type Series } from '../../helpers/monte-carlo';
import { getTf } from '../../rebuild/helpers';
import { TORCH, one } from './helpers';

let tf: Awaited<ReturnType<typeof getTf>>;
before(async () => {
  tf = await getTf();
});

const Z = 6;

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
        series = await monteCarlo(tf, m, { seeds: c.seeds, batch: c.batch, weightSeed: (s) => 2000 + 41 * s, inputShape: c.inputShape });
        assert.equal(tf.memory().numTensors, start, 'Monte Carlo runs leaked tensors');
      });
      it('forward', (t) => {
        const p = propagate(m);
        check(t, `${c.name}: forward E[x²]`, compare(m, series.forward, p.layers.map((l) => l.output.estimate), 'forward', { z: Z }));
      });
      if (c.backward) {
        it('backward', (t) => {
          const p = propagate(m);
          check(t, `${c.name}: backward E[δ²]`, compare(m, series.backward, p.layers.map((l) => l.gradient?.estimate), 'backward', { z: Z }));
        });
      }
    });
  }
});
