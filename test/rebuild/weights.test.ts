/**
 * Realized weight statistics of the rebuild, per framework, layer kind and initializer, against
 *  (1) core/realize.ts (the analytic realized distribution the linter reasons with), and
 *  (2) the closed forms of ../shared/reference/init-semantics.md (§1.2 tfjs, §2.2 Keras, §3.2-3.5 PyTorch),
 * so that a disagreement says which side is wrong.
 *
 * Tolerance: the sample variance s² of N i.i.d. draws has standard deviation √((μ₄ − σ⁴)/N); we estimate μ₄ and σ²
 * from the sample itself (central moments) and allow 5 standard deviations (two-sided p ≈ 6e-7 per check, so
 * with ~100 checks a false failure has probability ~1e-4). The mean gets 5·σ/√N. Orthogonal matrices are not
 * i.i.d. but their Σw² = gain²·min(rows, cols) is exact, so the same bound is (very) conservative there.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { TRUNC_NORMAL_2SIGMA_VARIANCE as T, truncatedNormalMean, truncatedNormalVariance } from '../../src/core/moments';
import type { Framework } from '../../src/core/model';
import { buildModel } from '../../src/rebuild/build';
import { intendedWeight } from '../../src/rebuild/intended';
import { getTf, model, ref, type NodeSpec } from './helpers';

let tf: Awaited<ReturnType<typeof getTf>>;
before(async () => {
  tf = await getTf();
});

type Slot = 'kernel' | 'recurrent' | 'bias' | 'pointwise' | 'embeddings' | 'gamma' | 'beta';

interface Case {
  name: string;
  framework: Framework;
  nodes: NodeSpec[];
  /** Which layer and weight slot to check (layer defaults to 0). */
  slot: Slot;
  layer?: number;
  /** The reference's closed form: mean and variance of one element. */
  mean?: number;
  variance: number;
}

const D = (inF: number, outF: number, extra: Partial<NodeSpec> = {}): NodeSpec => ({
  kind: 'dense',
  inFeatures: inF,
  outFeatures: outF,
  inputShape: [inF],
  ...extra,
});
const tj = (id: string, args = {}) => ref('tfjs', id, args);
const ke = (id: string, args = {}) => ref('keras', id, args);
const pt = (id: string, args = {}) => ref('pytorch', id, args);
const conv2 = (inC: number, outC: number, k: number, extra: Partial<NodeSpec> = {}): NodeSpec => ({
  kind: 'conv',
  inFeatures: inC,
  outFeatures: outC,
  kernelSize: [k, k],
  inputShape: [8, 8, inC],
  ...extra,
});

const CASES: Case[] = [
  // ---- tfjs: tfjs's own initializers, quirks included (reference §1.2, §0.1) ----
  { name: 'dense default glorotNormal (×T)', framework: 'tfjs', nodes: [D(64, 32)], slot: 'kernel', variance: (T * 2) / 96 },
  { name: 'dense glorotUniform', framework: 'tfjs', nodes: [D(64, 32, { kernel: tj('glorotUniform') })], slot: 'kernel', variance: 2 / 96 },
  { name: 'heNormal (×T)', framework: 'tfjs', nodes: [D(64, 32, { kernel: tj('heNormal') })], slot: 'kernel', variance: (T * 2) / 64 },
  { name: 'heUniform', framework: 'tfjs', nodes: [D(64, 32, { kernel: tj('heUniform') })], slot: 'kernel', variance: 2 / 64 },
  { name: 'leCunNormal (×T)', framework: 'tfjs', nodes: [D(64, 32, { kernel: tj('leCunNormal') })], slot: 'kernel', variance: T / 64 },
  { name: 'leCunUniform', framework: 'tfjs', nodes: [D(64, 32, { kernel: tj('leCunUniform') })], slot: 'kernel', variance: 1 / 64 },
  {
    name: 'varianceScaling scale 3 fanOut normal (×T)',
    framework: 'tfjs',
    nodes: [D(64, 32, { kernel: tj('varianceScaling', { scale: 3, mode: 'fanOut', distribution: 'normal' }) })],
    slot: 'kernel',
    variance: (T * 3) / 32,
  },
  {
    name: "varianceScaling 'truncatedNormal' samples uniform (quirk)",
    framework: 'tfjs',
    nodes: [D(64, 32, { kernel: tj('varianceScaling', { scale: 2, mode: 'fanAvg', distribution: 'truncatedNormal' }) })],
    slot: 'kernel',
    variance: 2 / 48,
  },
  { name: 'randomUniform default', framework: 'tfjs', nodes: [D(64, 32, { kernel: tj('randomUniform') })], slot: 'kernel', variance: 0.1 ** 2 / 12 },
  {
    name: 'randomUniform({minval: 0, maxval: 1}) is U(-0.05, 1) (|| quirk)',
    framework: 'tfjs',
    nodes: [D(64, 32, { kernel: { ...tj('randomUniform', { minval: 0, maxval: 1 }), falsyArgs: [{ name: 'minval', span: { start: 0, end: 0 } }] } })],
    slot: 'kernel',
    mean: 0.475,
    variance: 1.05 ** 2 / 12,
  },
  { name: 'randomNormal stddev 0.1', framework: 'tfjs', nodes: [D(64, 32, { kernel: tj('randomNormal', { stddev: 0.1 }) })], slot: 'kernel', variance: 0.01 },
  { name: 'randomNormal stddev 0 → 0.05 (|| quirk)', framework: 'tfjs', nodes: [D(64, 32, { kernel: tj('randomNormal', { stddev: 0 }) })], slot: 'kernel', variance: 0.0025 },
  { name: 'truncatedNormal stddev 0.1 (×T)', framework: 'tfjs', nodes: [D(64, 32, { kernel: tj('truncatedNormal', { stddev: 0.1 }) })], slot: 'kernel', variance: T * 0.01 },
  { name: 'orthogonal gain 2 (square)', framework: 'tfjs', nodes: [D(32, 32, { kernel: tj('orthogonal', { gain: 2 }) })], slot: 'kernel', variance: 4 / 32 },
  { name: 'identity (square)', framework: 'tfjs', nodes: [D(16, 16, { kernel: tj('identity') })], slot: 'kernel', mean: 1 / 16, variance: (1 / 16) * (1 - 1 / 16) },
  { name: 'bias constant 0.1', framework: 'tfjs', nodes: [D(16, 64, { bias: tj('constant', { value: 0.1 }) })], slot: 'bias', mean: 0.1, variance: 0 },
  { name: 'conv2d 3×3 8→16 glorotNormal', framework: 'tfjs', nodes: [conv2(8, 16, 3)], slot: 'kernel', variance: (T * 2) / (72 + 144) },
  {
    name: 'conv2dTranspose fan-in counts filters',
    framework: 'tfjs',
    nodes: [{ kind: 'convTranspose', inFeatures: 8, outFeatures: 16, kernelSize: [3, 3], inputShape: [6, 6, 8], kernel: tj('heUniform') }],
    slot: 'kernel',
    variance: 2 / (16 * 9),
  },
  {
    name: 'depthwise fan-in over-count C_in·k²',
    framework: 'tfjs',
    nodes: [{ kind: 'depthwiseConv', inFeatures: 8, outFeatures: 16, depthMultiplier: 2, kernelSize: [3, 3], inputShape: [8, 8, 8] }],
    slot: 'kernel',
    variance: (T * 2) / (72 + 18),
  },
  {
    name: 'separable pointwise uses the depthwise initializer (quirk)',
    framework: 'tfjs',
    nodes: [{ kind: 'separableConv', inFeatures: 8, outFeatures: 16, kernelSize: [3, 3], inputShape: [8, 8, 8], pointwise: tj('zeros') }],
    slot: 'pointwise',
    variance: 2 / (8 + 16),
  },
  { name: 'embedding default U(±0.05)', framework: 'tfjs', nodes: [{ kind: 'embedding', inFeatures: 200, outFeatures: 32, timeSteps: 4 }], slot: 'embeddings', variance: 0.1 ** 2 / 12 },
  { name: 'lstm kernel glorotNormal [in, 4u]', framework: 'tfjs', nodes: [{ kind: 'lstm', inFeatures: 24, outFeatures: 16, timeSteps: 3 }], slot: 'kernel', variance: (T * 2) / (24 + 64) },
  { name: 'lstm recurrent orthogonal [u, 4u]', framework: 'tfjs', nodes: [{ kind: 'lstm', inFeatures: 24, outFeatures: 16, timeSteps: 3 }], slot: 'recurrent', variance: 1 / 64 },
  { name: 'gru kernel heUniform', framework: 'tfjs', nodes: [{ kind: 'gru', inFeatures: 24, outFeatures: 16, timeSteps: 3, kernel: tj('heUniform') }], slot: 'kernel', variance: 2 / 24 },
  { name: 'batchNorm gamma ones', framework: 'tfjs', nodes: [D(8, 8), { kind: 'batchNorm' }], layer: 1, slot: 'gamma', mean: 1, variance: 0 },

  // ---- Keras (reference §2.2: corrected truncated normal, compute_fans) ----
  { name: 'dense default glorot_uniform', framework: 'keras', nodes: [D(64, 32)], slot: 'kernel', variance: 2 / 96 },
  { name: 'glorot_normal (corrected)', framework: 'keras', nodes: [D(64, 32, { kernel: ke('glorot_normal') })], slot: 'kernel', variance: 2 / 96 },
  { name: 'he_normal (corrected)', framework: 'keras', nodes: [D(64, 32, { kernel: ke('he_normal') })], slot: 'kernel', variance: 2 / 64 },
  { name: 'lecun_normal (corrected)', framework: 'keras', nodes: [D(64, 32, { kernel: ke('lecun_normal') })], slot: 'kernel', variance: 1 / 64 },
  { name: 'lecun_uniform', framework: 'keras', nodes: [D(64, 32, { kernel: ke('lecun_uniform') })], slot: 'kernel', variance: 1 / 64 },
  {
    name: 'variance_scaling untruncated fan_out scale 2',
    framework: 'keras',
    nodes: [D(64, 32, { kernel: ke('variance_scaling', { scale: 2, mode: 'fanOut', distribution: 'untruncatedNormal' }) })],
    slot: 'kernel',
    variance: 2 / 32,
  },
  { name: 'truncated_normal default (uncorrected)', framework: 'keras', nodes: [D(64, 32, { kernel: ke('truncated_normal') })], slot: 'kernel', variance: T * 0.0025 },
  { name: 'random_normal default', framework: 'keras', nodes: [D(64, 32, { kernel: ke('random_normal') })], slot: 'kernel', variance: 0.0025 },
  { name: 'random_uniform minval -0.2 maxval 0.4', framework: 'keras', nodes: [D(64, 32, { kernel: ke('random_uniform', { minval: -0.2, maxval: 0.4 }) })], slot: 'kernel', mean: 0.1, variance: 0.36 / 12 },
  { name: 'orthogonal (tall)', framework: 'keras', nodes: [D(64, 32, { kernel: ke('orthogonal') })], slot: 'kernel', variance: 32 / (64 * 32) },
  { name: 'identity gain 0.5 (rectangular)', framework: 'keras', nodes: [D(16, 24, { kernel: ke('identity', { gain: 0.5 }) })], slot: 'kernel', mean: (0.5 * 16) / 384, variance: (0.25 * 16) / 384 - ((0.5 * 16) / 384) ** 2 },
  { name: 'constant default 0', framework: 'keras', nodes: [D(16, 16, { bias: ke('constant') })], slot: 'bias', mean: 0, variance: 0 },
  { name: 'conv2d glorot_uniform', framework: 'keras', nodes: [conv2(8, 16, 3)], slot: 'kernel', variance: 2 / 216 },
  {
    name: 'depthwise fan over-count (he_uniform)',
    framework: 'keras',
    nodes: [{ kind: 'depthwiseConv', inFeatures: 8, outFeatures: 8, kernelSize: [3, 3], inputShape: [8, 8, 8], kernel: ke('he_uniform') }],
    slot: 'kernel',
    variance: 2 / 72,
  },
  {
    name: 'separable pointwise glorot_uniform (fans in·mult, filters)',
    framework: 'keras',
    nodes: [{ kind: 'separableConv', inFeatures: 8, outFeatures: 16, depthMultiplier: 2, kernelSize: [3, 3], inputShape: [8, 8, 8] }],
    slot: 'pointwise',
    variance: 2 / (16 + 16),
  },
  { name: 'lstm recurrent orthogonal', framework: 'keras', nodes: [{ kind: 'lstm', inFeatures: 24, outFeatures: 16, timeSteps: 3 }], slot: 'recurrent', variance: 1 / 64 },
  {
    name: 'lstm bias with unit_forget_bias (default on)',
    framework: 'keras',
    nodes: [{ kind: 'lstm', inFeatures: 24, outFeatures: 16, timeSteps: 3 }],
    slot: 'bias',
    mean: 0.25,
    variance: 0.25 * 0.75,
  },
  { name: 'embedding default uniform ±0.05', framework: 'keras', nodes: [{ kind: 'embedding', inFeatures: 200, outFeatures: 32, timeSteps: 4 }], slot: 'embeddings', variance: 0.01 / 12 },

  // ---- PyTorch (reference §3.2-3.5; weights in PyTorch layout for fans) ----
  { name: 'Linear default weight U(±1/√in)', framework: 'pytorch', nodes: [D(64, 32)], slot: 'kernel', variance: 1 / (3 * 64) },
  { name: 'Linear default bias U(±1/√in)', framework: 'pytorch', nodes: [D(64, 128)], slot: 'bias', variance: 1 / (3 * 64) },
  { name: 'Conv2d default fan_in = in·k²', framework: 'pytorch', nodes: [conv2(8, 16, 3)], slot: 'kernel', variance: 1 / (3 * 72) },
  { name: 'Conv2d default bias', framework: 'pytorch', nodes: [conv2(8, 64, 3)], slot: 'bias', variance: 1 / (3 * 72) },
  {
    name: 'ConvTranspose2d default fan_in = out·k²',
    framework: 'pytorch',
    nodes: [{ kind: 'convTranspose', inFeatures: 8, outFeatures: 16, kernelSize: [3, 3], inputShape: [6, 6, 8] }],
    slot: 'kernel',
    variance: 1 / (3 * 16 * 9),
  },
  {
    name: 'depthwise Conv2d(groups=C) fan_in = k²',
    framework: 'pytorch',
    nodes: [{ kind: 'conv', inFeatures: 8, outFeatures: 16, groups: 8, kernelSize: [3, 3], inputShape: [8, 8, 8] }],
    slot: 'kernel',
    variance: 1 / (3 * 9),
  },
  { name: 'kaiming_normal_ default (untruncated)', framework: 'pytorch', nodes: [D(64, 32, { kernel: pt('kaiming_normal_') })], slot: 'kernel', variance: 2 / 64 },
  {
    name: 'kaiming_uniform_ fan_out relu',
    framework: 'pytorch',
    nodes: [D(64, 32, { kernel: pt('kaiming_uniform_', { mode: 'fanOut', nonlinearity: 'relu' }) })],
    slot: 'kernel',
    variance: 2 / 32,
  },
  {
    name: 'kaiming_uniform_ a=√5 (the Linear default)',
    framework: 'pytorch',
    nodes: [D(64, 32, { kernel: pt('kaiming_uniform_', { negativeSlope: Math.sqrt(5) }) })],
    slot: 'kernel',
    variance: 1 / (3 * 64),
  },
  {
    name: 'kaiming_normal_ tanh gain 5/3',
    framework: 'pytorch',
    nodes: [D(64, 32, { kernel: pt('kaiming_normal_', { nonlinearity: 'tanh' }) })],
    slot: 'kernel',
    variance: 25 / 9 / 64,
  },
  { name: 'xavier_uniform_ gain √2', framework: 'pytorch', nodes: [D(64, 32, { kernel: pt('xavier_uniform_', { gain: Math.SQRT2 }) })], slot: 'kernel', variance: 4 / 96 },
  { name: 'xavier_normal_ conv', framework: 'pytorch', nodes: [conv2(8, 16, 3, { kernel: pt('xavier_normal_') })], slot: 'kernel', variance: 2 / 216 },
  { name: 'trunc_normal_ std 0.02 (cut-offs ±100σ)', framework: 'pytorch', nodes: [D(64, 32, { kernel: pt('trunc_normal_', { stddev: 0.02 }) })], slot: 'kernel', variance: 0.0004 },
  { name: 'trunc_normal_ default (±2σ, ×T)', framework: 'pytorch', nodes: [D(64, 32, { kernel: pt('trunc_normal_') })], slot: 'kernel', variance: T },
  {
    name: 'trunc_normal_ one-sided [0, 2]',
    framework: 'pytorch',
    nodes: [D(64, 32, { kernel: pt('trunc_normal_', { lower: 0, upper: 2 }) })],
    slot: 'kernel',
    mean: truncatedNormalMean(0, 2),
    variance: truncatedNormalVariance(0, 2),
  },
  {
    name: 'trunc_normal_ far tail [3, 5] (inverse CDF)',
    framework: 'pytorch',
    nodes: [D(64, 32, { kernel: pt('trunc_normal_', { lower: 3, upper: 5 }) })],
    slot: 'kernel',
    mean: truncatedNormalMean(3, 5),
    variance: truncatedNormalVariance(3, 5),
  },
  { name: 'normal_ std 0.1', framework: 'pytorch', nodes: [D(64, 32, { kernel: pt('normal_', { stddev: 0.1 }) })], slot: 'kernel', variance: 0.01 },
  { name: 'uniform_(-0.1, 0.3)', framework: 'pytorch', nodes: [D(64, 32, { kernel: pt('uniform_', { minval: -0.1, maxval: 0.3 }) })], slot: 'kernel', mean: 0.1, variance: 0.16 / 12 },
  { name: 'orthogonal_ (wide, gain 1.5)', framework: 'pytorch', nodes: [D(64, 32, { kernel: pt('orthogonal_', { gain: 1.5 }) })], slot: 'kernel', variance: (2.25 * 32) / (64 * 32) },
  { name: 'eye_ (rectangular)', framework: 'pytorch', nodes: [D(16, 24, { kernel: pt('eye_') })], slot: 'kernel', mean: 16 / 384, variance: 16 / 384 - (16 / 384) ** 2 },
  { name: 'LSTM default weight_ih U(±1/√H)', framework: 'pytorch', nodes: [{ kind: 'lstm', inFeatures: 24, outFeatures: 16, timeSteps: 3 }], slot: 'kernel', variance: 1 / (3 * 16) },
  { name: 'LSTM default weight_hh U(±1/√H)', framework: 'pytorch', nodes: [{ kind: 'lstm', inFeatures: 24, outFeatures: 16, timeSteps: 3 }], slot: 'recurrent', variance: 1 / (3 * 16) },
  {
    name: 'GRU default bias: b_ih + b_hh (two draws)',
    framework: 'pytorch',
    nodes: [{ kind: 'gru', inFeatures: 24, outFeatures: 16, timeSteps: 3 }],
    slot: 'bias',
    variance: 2 / (3 * 16),
  },
  { name: 'Embedding default N(0,1)', framework: 'pytorch', nodes: [{ kind: 'embedding', inFeatures: 200, outFeatures: 32, timeSteps: 4 }], slot: 'embeddings', variance: 1 },
  { name: 'LayerNorm weight ones', framework: 'pytorch', nodes: [D(8, 8), { kind: 'layerNorm' }], layer: 1, slot: 'gamma', mean: 1, variance: 0 },
];

interface Sample {
  n: number;
  mean: number;
  m2: number;
  m4: number;
}

function centralMoments(xs: ArrayLike<number>): Sample {
  const n = xs.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += xs[i];
  const mean = s / n;
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = xs[i] - mean;
    m2 += d * d;
    m4 += d * d * d * d;
  }
  return { n, mean, m2: m2 / n, m4: m4 / n };
}

/** |measured − expected| within 5 sd of the sample variance / sample mean (relative 2e-6 float floor). */
function checkAgainst(what: string, s: Sample, mean: number | undefined, variance: number): void {
  const sdVar = Math.sqrt(Math.max(s.m4 - s.m2 * s.m2, 0) / s.n);
  const tolVar = 5 * sdVar + 2e-6 * Math.max(variance, s.m2) + 1e-12;
  assert.ok(Math.abs(s.m2 - variance) <= tolVar, `${what}: variance ${s.m2.toExponential(5)}, expected ${variance.toExponential(5)} (±${tolVar.toExponential(2)})`);
  if (mean !== undefined) {
    const tolMean = 5 * Math.sqrt(s.m2 / s.n) + 2e-6 * Math.abs(mean) + 1e-9;
    assert.ok(Math.abs(s.mean - mean) <= tolMean, `${what}: mean ${s.mean}, expected ${mean} (±${tolMean.toExponential(2)})`);
  }
}

describe('realized weights: framework semantics', () => {
  for (const c of CASES) {
    it(`${c.framework}: ${c.name}`, async () => {
      const start = tf.memory().numTensors;
      const m = model(c.framework, c.nodes, c.name);
      const b = buildModel(tf, m, { seed: 17 });
      assert.ok(b.ok, !b.ok ? b.reason : '');
      if (!b.ok) return;
      const layer = b.layers[c.layer ?? 0];
      const ws = layer.weights.filter((w) => w.slot === (c.slot === 'embeddings' ? 'embeddings' : c.slot));
      assert.ok(ws.length > 0, `no ${c.slot} weight`);
      for (const w of ws) {
        const s = centralMoments(await w.variable.read().data());
        // (2) the reference's closed form
        checkAgainst(`${c.name} vs reference`, s, c.mean, c.variance);
        // (1) core/realize.ts
        const intended = intendedWeight(m.framework, layer, w);
        assert.ok(intended, `${c.name}: realize() gives no distribution`);
        checkAgainst(`${c.name} vs realize()`, s, intended.mean, intended.variance);
      }
      b.dispose();
      assert.equal(tf.memory().numTensors, start);
    });
  }
});
