/**
 * Monte Carlo check of the analytic prediction (core/propagate.ts) against real TensorFlow.js runs of the
 * rebuilt models (src/rebuild): per-layer output second moments E[x²] forward, and second moments of the gradient
 * w.r.t. each layer's input for a unit-variance random gradient at the output.
 *
 * Tolerance: derived per layer from the sample (test/helpers/monte-carlo.ts, where the derivation is).
 * Convolutions with 'valid' padding: input pixels near the border feed fewer outputs, so their gradient is
 * smaller than the mean-field value, which assumes every input feeds k²·C_out outputs (true far from the border).
 * For the conv net the test multiplies the predicted gradients by the exact geometric coverage factor (the
 * spatial average of the number of windows covering a pixel / k², propagated through the layers); it is a
 * property of the small test images, not of the prediction.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Model } from '../../src/core/model';
import { propagate } from '../../src/core/propagate';
import { check, compare, monteCarlo, type Series } from '../helpers/monte-carlo';
import { act, getTf, mlp, model, ref, type NodeSpec } from './helpers';

let tf: Awaited<ReturnType<typeof getTf>>;
before(async () => {
  tf = await getTf();
});

const WIDTH = 256;
const DEPTH = 10;

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
  /** Z of the tolerance Z·se (6 for S = 8, t₇; 4.5 for S = 128). */
  z: number;
  /** Why a direction's disagreement is a known prediction bug (reported), run as a TODO test. */
  todo?: { forward?: string; backward?: string };
  backwardCorrection?: (m: Model) => number[];
}

const W = WIDTH;
const CASES: McCase[] = [
  {
    // Many small samples rather than a few large ones: sd(log M) at layer 10 is 0.29 with a batch of 32 or of
    // 256 (the weights, shared by the batch, dominate it), and 128 seeds make a 2% error in E[relu²] fail
    // (test/helpers/monte-carlo.ts).
    name: 'tfjs ReLU MLP 10×256, default glorotNormal (×0.387 per layer)',
    model: () => mlp('tfjs', { depth: DEPTH, width: W, activation: 'relu' }),
    seeds: 128,
    batch: 32,
    z: 4.5,
  },
  {
    name: 'tfjs ReLU MLP 10×256, heUniform',
    model: () => mlp('tfjs', { depth: DEPTH, width: W, activation: 'relu', kernel: ref('tfjs', 'heUniform') }),
    seeds: 8,
    batch: 256,
    z: 6,
  },
  {
    name: 'tfjs tanh MLP 10×256, glorotUniform',
    model: () => mlp('tfjs', { depth: DEPTH, width: W, activation: 'tanh', kernel: ref('tfjs', 'glorotUniform') }),
    seeds: 8,
    batch: 256,
    z: 6,
  },
  {
    name: 'tfjs SELU MLP 10×256, leCunUniform',
    model: () => mlp('tfjs', { depth: DEPTH, width: W, activation: 'selu', kernel: ref('tfjs', 'leCunUniform') }),
    seeds: 8,
    batch: 256,
    z: 6,
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
    z: 6,
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
    z: 6,
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
    z: 6,
    backwardCorrection: () => [...validConvBackwardCoverage([16, 14, 12, 10], 3, 3), 1, 1],
  },
  {
    name: 'PyTorch default MLP 10×256 (Linear U(±1/√n) weight and bias, ReLU: ×1/6 to the bias fixed point)',
    model: () => mlp('pytorch', { depth: DEPTH, width: W, activation: 'relu' }),
    seeds: 8,
    batch: 256,
    z: 6,
  },
  {
    name: 'Keras default MLP 10×256 (glorot_uniform, ReLU: ×1/2 per layer)',
    model: () => mlp('keras', { depth: DEPTH, width: W, activation: 'relu' }),
    seeds: 8,
    batch: 256,
    z: 6,
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
        series = await monteCarlo(tf, m, { seeds: c.seeds, batch: c.batch, weightSeed: (s) => 1000 + 37 * s });
        assert.equal(tf.memory().numTensors, start, 'Monte Carlo runs leaked tensors');
      });
      it('forward', { todo: c.todo?.forward }, (t) => {
        const p = propagate(m);
        check(t, `${c.name}: forward E[x²]`, compare(m, series.forward, p.layers.map((l) => l.output.estimate), 'forward', { z: c.z }));
      });
      it('backward', { todo: c.todo?.backward }, (t) => {
        const p = propagate(m);
        check(
          t,
          `${c.name}: backward E[δ²] at each layer's input`,
          compare(m, series.backward, p.layers.map((l) => l.gradient?.estimate), 'backward', { z: c.z, correction: c.backwardCorrection?.(m) }),
        );
      });
    });
  }
});
