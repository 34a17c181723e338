/**
 * Monte Carlo check of the analytic prediction (core/propagate.ts) against real TensorFlow.js runs of the
 * rebuilt models (src/rebuild): per-layer output second moments E[x²] forward, and second moments of the gradient
 * w.r.t. each layer's input for a unit-variance random gradient at the output.
 *
 * Tolerance (derived, not tuned). For layer l let M_s be the measured second moment for seed s (one weight draw,
 * one batch of B inputs, averaged over the batch and the layer's units), s = 1..S, and P the prediction. We test
 *
 *     |log(M̄ / P)| ≤ Z · se_l + bias_l + 0.01,        M̄ = mean_s M_s,  se_l = sd_s(M_s) / (M̄ √S).
 *
 * - Z · se_l: the seeds are independent, so M̄ has relative standard error se_l (delta method for the log).
 *   The finite-width fluctuation of a deep layer is large and grows with depth: for ReLU nets log M performs a
 *   random walk with variance ≈ 5/n per layer for one input (Hanin & Rolnick 2018, arXiv:1801.03744); averaging
 *   over a batch does not remove it because the weights are shared (we measure sd(log M) ≈ 0.36 at layer 10 of a
 *   256-wide He ReLU MLP, i.e. ≈ 3.3/n per layer). We therefore estimate it from the seeds rather than assume it.
 *   With S = 8 the ratio (log M̄ − log E M)/se is t-distributed with 7 d.o.f.; Z = 6 gives P(|t₇| > 6) ≈ 5e-4 per
 *   check. The seeds are fixed, so the test is deterministic.
 * - bias_l = Σ_{weighted layers k on the path} 1/n_k: the mean-field recursion is the n → ∞ limit; at width n
 *   E[M] differs by O(1/n) per layer (zero for positively homogeneous activations such as ReLU, where E_W[M] is
 *   exact at any width; non-zero for tanh/SELU, where the map q ↦ E f(√q z)² is curved and q fluctuates by
 *   O(1/√n)). For the backward pass the sum runs over the layers between l and the output.
 * - 0.01: float32 accumulation and quadrature error of the moments.
 * Convolutions with 'valid' padding: input pixels near the border feed fewer outputs, so their gradient is
 * smaller than the mean-field value, which assumes every input feeds k²·C_out outputs (true far from the border).
 * For the conv net the test multiplies the predicted gradients by the exact geometric coverage factor (the
 * spatial average of the number of windows covering a pixel / k², propagated through the layers); it is a
 * property of the small test images, not of the prediction.
 */
import assert from 'node:assert/strict';
import { before, describe, it, type TestContext } from 'node:test';
import type { Model } from '../../src/core/model';
import { WEIGHTED_KINDS } from '../../src/core/model';
import { propagate } from '../../src/core/propagate';
import { buildModel } from '../../src/rebuild/build';
import { measure } from '../../src/rebuild/measure';
import { act, getTf, meanSe, mlp, model, ref, type NodeSpec } from './helpers';

let tf: Awaited<ReturnType<typeof getTf>>;
before(async () => {
  tf = await getTf();
});

const Z = 6;
const WIDTH = 256;
const DEPTH = 10;

interface Series {
  forward: number[][]; // [layer][seed]
  backward: number[][];
}

async function monteCarlo(m: Model, seeds: number, batch: number): Promise<Series> {
  const series: Series = { forward: m.layers.map(() => []), backward: m.layers.map(() => []) };
  for (let s = 1; s <= seeds; s++) {
    const b = buildModel(tf, m, { seed: 1000 + 37 * s });
    assert.ok(b.ok, !b.ok ? b.reason : '');
    if (!b.ok) throw new Error('build failed');
    const r = await measure(tf, b, {
      batch,
      seed: s,
      input: { kind: 'gaussian', mean: 0, std: 1 },
      backward: true,
      histogramBins: 0,
      skipWeights: true,
    });
    r.layers.forEach((l, i) => {
      series.forward[i].push(l.output.secondMoment);
      if (l.gradient) series.backward[i].push(l.gradient.secondMoment);
    });
    b.dispose();
  }
  return series;
}


/** Units (or channels) of each weighted layer, for the O(1/n) bias allowance. */
function widths(m: Model): (number | undefined)[] {
  return m.layers.map((l) => (WEIGHTED_KINDS.has(l.kind) ? l.outFeatures : undefined));
}

interface Row {
  layer: number;
  kind: string;
  measured: number;
  predicted: number;
  logRatio: number;
  tol: number;
}

function compare(m: Model, data: number[][], predicted: (number | undefined)[], dir: 'forward' | 'backward', correction?: number[]): Row[] {
  const w = widths(m);
  const rows: Row[] = [];
  for (let i = 0; i < m.layers.length; i++) {
    const p = predicted[i];
    if (p === undefined || data[i].length === 0) continue;
    const { mean, se } = meanSe(data[i]);
    // Weighted layers on the path: forward, those up to and including i; backward, those from i to the end.
    const path = dir === 'forward' ? w.slice(0, i + 1) : w.slice(i);
    const bias = path.reduce<number>((a, n) => a + (n ? 1 / n : 0), 0);
    const pred = p * (correction?.[i] ?? 1);
    rows.push({
      layer: i,
      kind: m.layers[i].kind,
      measured: mean,
      predicted: pred,
      logRatio: Math.log(mean / pred),
      tol: Z * se + bias + 0.01,
    });
  }
  return rows;
}

function table(title: string, rows: Row[]): string {
  const f = (x: number) => x.toExponential(3);
  return [
    title,
    ...rows.map(
      (r) =>
        `  ${String(r.layer).padStart(2)} ${r.kind.padEnd(10)} measured ${f(r.measured)}  predicted ${f(r.predicted)}  ratio ${Math.exp(r.logRatio).toFixed(3)}  (tolerance ×/÷ ${Math.exp(r.tol).toFixed(3)})`,
    ),
  ].join('\n');
}

function check(t: TestContext, title: string, rows: Row[]): void {
  t.diagnostic(table(title, rows));
  assert.ok(rows.length > 0, `${title}: nothing predicted`);
  for (const r of rows) {
    assert.ok(
      Math.abs(r.logRatio) <= r.tol,
      `${title}, layer ${r.layer} (${r.kind}): measured ${r.measured.toExponential(4)}, predicted ${r.predicted.toExponential(4)}, ratio ${Math.exp(r.logRatio).toFixed(3)} outside ×/÷ ${Math.exp(r.tol).toFixed(3)}`,
    );
  }
}

/**
 * Exact spatial coverage of 'valid', stride-1 convolutions for the gradient: mean-field per pixel, each input
 * pixel receives (1/k²)·Σ_{windows covering it} of the output gradient map. Returns the spatial average of the
 * resulting map at each conv layer's input, relative to a uniform map (1 far from borders).
 */
function validConvBackwardCoverage(spatial: number[], k: number, layers: number): number[] {
  // maps[j] = gradient map at the input of conv j (size spatial[j]); start from a uniform map at the last output.
  let size = spatial[layers] ?? spatial[spatial.length - 1];
  let map: number[][] = Array.from({ length: size }, () => new Array<number>(size).fill(1));
  const factors = new Array<number>(layers).fill(1);
  for (let j = layers - 1; j >= 0; j--) {
    const inSize = size + k - 1;
    const next: number[][] = Array.from({ length: inSize }, () => new Array<number>(inSize).fill(0));
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) next[y + a][x + b] += map[y][x] / (k * k);
      }
    }
    map = next;
    size = inSize;
    let s = 0;
    for (const row of map) for (const v of row) s += v;
    factors[j] = s / (size * size);
  }
  return factors;
}

interface McCase {
  name: string;
  model: () => Model;
  seeds: number;
  batch: number;
  /** Why a direction's disagreement is a known prediction bug (reported), run as a TODO test. */
  todo?: { forward?: string; backward?: string };
  backwardCorrection?: (m: Model) => number[];
}

const W = WIDTH;
const CASES: McCase[] = [
  {
    name: 'tfjs ReLU MLP 10×256, default glorotNormal (×0.387 per layer)',
    model: () => mlp('tfjs', { depth: DEPTH, width: W, activation: 'relu' }),
    seeds: 8,
    batch: 256,
  },
  {
    name: 'tfjs ReLU MLP 10×256, heUniform',
    model: () => mlp('tfjs', { depth: DEPTH, width: W, activation: 'relu', kernel: ref('tfjs', 'heUniform') }),
    seeds: 8,
    batch: 256,
  },
  {
    name: 'tfjs tanh MLP 10×256, glorotUniform',
    model: () => mlp('tfjs', { depth: DEPTH, width: W, activation: 'tanh', kernel: ref('tfjs', 'glorotUniform') }),
    seeds: 8,
    batch: 256,
  },
  {
    name: 'tfjs SELU MLP 10×256, leCunUniform',
    model: () => mlp('tfjs', { depth: DEPTH, width: W, activation: 'selu', kernel: ref('tfjs', 'leCunUniform') }),
    seeds: 8,
    batch: 256,
  },
  {
    name: 'tfjs MLP with batchNorm (dense → BN → relu) ×4, dropout 0.2, dense',
    model: () => {
      const nodes: NodeSpec[] = [];
      for (let i = 0; i < 4; i++) {
        nodes.push({ kind: 'dense', inFeatures: W, outFeatures: W, inputShape: i === 0 ? [W] : undefined });
        nodes.push({ kind: 'batchNorm', inFeatures: W });
        nodes.push({ kind: 'activation', activation: act('relu') });
      }
      nodes.push({ kind: 'dropout', rate: 0.2 });
      nodes.push({ kind: 'dense', inFeatures: W, outFeatures: W });
      return model('tfjs', nodes, 'bn-mlp');
    },
    seeds: 8,
    batch: 256,
  },
  {
    name: 'tfjs residual blocks x + dense(glorotNormal)(dense(relu, heUniform)(x)) ×3',
    model: () => {
      const nodes: NodeSpec[] = [{ kind: 'input', inputShape: [W] }];
      for (let b = 0; b < 3; b++) {
        const x = nodes.length - 1;
        nodes.push({ kind: 'dense', inFeatures: W, outFeatures: W, activation: act('relu'), kernel: ref('tfjs', 'heUniform'), inputs: [x] });
        nodes.push({ kind: 'dense', inFeatures: W, outFeatures: W });
        nodes.push({ kind: 'add', inputs: [x, nodes.length - 1] });
      }
      return model('tfjs', nodes, 'residual');
    },
    seeds: 8,
    batch: 256,
  },
  {
    name: 'tfjs conv net: 3 × conv 3×3 (32 ch, relu, heNormal, valid) on 16×16×3, flatten, dense 64',
    model: () =>
      model(
        'tfjs',
        [
          { kind: 'conv', inFeatures: 3, outFeatures: 32, kernelSize: [3, 3], inputShape: [16, 16, 3], activation: act('relu'), kernel: ref('tfjs', 'heNormal') },
          { kind: 'conv', inFeatures: 32, outFeatures: 32, kernelSize: [3, 3], activation: act('relu'), kernel: ref('tfjs', 'heNormal') },
          { kind: 'conv', inFeatures: 32, outFeatures: 32, kernelSize: [3, 3], activation: act('relu'), kernel: ref('tfjs', 'heNormal') },
          { kind: 'flatten' },
          { kind: 'dense', inFeatures: 3200, outFeatures: 64 },
        ],
        'convnet',
      ),
    seeds: 6,
    batch: 64,
    backwardCorrection: () => [...validConvBackwardCoverage([16, 14, 12, 10], 3, 3), 1, 1],
  },
  {
    name: 'PyTorch default MLP 10×256 (Linear U(±1/√n) weight and bias, ReLU: ×1/6 to the bias fixed point)',
    model: () => mlp('pytorch', { depth: DEPTH, width: W, activation: 'relu' }),
    seeds: 8,
    batch: 256,
  },
  {
    name: 'Keras default MLP 10×256 (glorot_uniform, ReLU: ×1/2 per layer)',
    model: () => mlp('keras', { depth: DEPTH, width: W, activation: 'relu' }),
    seeds: 8,
    batch: 256,
  },
];

describe('Monte Carlo: measured vs predicted second moments', () => {
  for (const c of CASES) {
    describe(c.name, () => {
      let series: Series;
      let m: Model;
      before(async () => {
        m = c.model();
        const start = tf.memory().numTensors;
        series = await monteCarlo(m, c.seeds, c.batch);
        assert.equal(tf.memory().numTensors, start, 'Monte Carlo runs leaked tensors');
      });
      it('forward', { todo: c.todo?.forward }, (t) => {
        const p = propagate(m);
        check(t, `${c.name}: forward E[x²]`, compare(m, series.forward, p.layers.map((l) => l.output.estimate), 'forward'));
      });
      it('backward', { todo: c.todo?.backward }, (t) => {
        const p = propagate(m);
        check(
          t,
          `${c.name}: backward E[δ²] at each layer's input`,
          compare(m, series.backward, p.layers.map((l) => l.gradient?.estimate), 'backward', c.backwardCorrection?.(m)),
        );
      });
    });
  }
});
