/**
 * LSUV (Mishkin & Matas 2015) on rebuilt models in real TensorFlow.js (WASM): after it, every rescaled layer's
 * output variance on the synthetic batch is within the tolerance of 1, checked independently with
 * src/rebuild/measure; the standard deviations it offers, written as N(0, std²) initializers and rebuilt from
 * scratch with other seeds, give unit variance again within sampling tolerance.
 *
 * Sampling tolerance of the rebuilt check: a layer of width n with fresh weights has an output variance that
 * fluctuates by √(2/n) relative (the weights are shared by the batch), compounding along the depth as a random
 * walk of the log: sd ≈ √(2(l + 1)/n) at the l-th rescaled layer; averaged over S seeds, /√S; we allow 4 sd.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Model } from '../../src/core/model';
import { normalInitializer } from '../../src/preview/logic/fixes';
import { buildModel } from '../../src/rebuild/build';
import { measure } from '../../src/rebuild/measure';
import { alternativeModel } from '../../src/preview/logic/alternatives';
import { lsuv, lsuvFactor, LSUV_TOLERANCE, withinTolerance } from '../../src/preview/logic/lsuv';
import { act, getTf, mlp, model, ref, type NodeSpec } from '../rebuild/helpers';

let tf: Awaited<ReturnType<typeof getTf>>;
before(async () => {
  tf = await getTf();
});

const input = { kind: 'gaussian' as const, mean: 0, std: 1 };

describe('LSUV scale computation', () => {
  it('divides by the output std; refuses a constant or non-finite output', () => {
    assert.equal(lsuvFactor(4), 0.5);
    assert.equal(lsuvFactor(0), undefined);
    assert.equal(lsuvFactor(NaN), undefined);
    assert.equal(lsuvFactor(Infinity), undefined);
    assert.ok(withinTolerance(1.09, 0.1));
    assert.ok(!withinTolerance(1.1, 0.1));
    assert.ok(!withinTolerance(NaN, 0.1));
  });
});

/** Variance of each layer's linear output (the pre-activation for a fused activation) measured independently. */
async function linearOutputVariances(m: Model, seed: number, batch: number, rescale?: (b: Extract<ReturnType<typeof buildModel>, { ok: true }>) => Promise<void>) {
  const built = buildModel(tf, m, { seed, spatialSize: 12 });
  assert.ok(built.ok, built.ok ? '' : built.reason);
  if (!built.ok) throw new Error('unreachable');
  try {
    if (rescale) await rescale(built);
    const r = await measure(tf, built, { batch, seed, input, histogramBins: 0, skipWeights: true });
    return r.layers.map((l) => (l.preActivation ?? l.output).variance);
  } finally {
    built.dispose();
  }
}

const models: [string, Model, number][] = [
  ['tfjs MLP, default glorotNormal before relu (vanishing)', mlp('tfjs', { depth: 6, width: 128, activation: 'relu' }), 128],
  ['PyTorch MLP, default U(±1/√fan_in) before tanh', mlp('pytorch', { depth: 5, width: 128, activation: 'tanh' }), 128],
  ['tfjs MLP, N(0, 1) kernels (exploding)', mlp('tfjs', { depth: 5, width: 128, activation: 'relu', kernel: ref('tfjs', 'randomNormal', { stddev: 1 }) }), 128],
  [
    'conv net with pooling',
    model('tfjs', [
      { kind: 'conv', inFeatures: 3, outFeatures: 32, kernelSize: [3, 3], inputShape: [12, 12, 3], activation: act('relu') },
      { kind: 'conv', inFeatures: 32, outFeatures: 32, kernelSize: [3, 3], activation: act('relu') },
      { kind: 'pooling', pooling: 'max', poolSize: [2, 2] },
      { kind: 'conv', inFeatures: 32, outFeatures: 64, kernelSize: [3, 3], activation: act('relu') },
      { kind: 'globalPooling', pooling: 'average' },
      { kind: 'dense', inFeatures: 64, outFeatures: 10 },
    ] as NodeSpec[]),
    32,
  ],
];

describe('LSUV on rebuilt models', () => {
  for (const [name, m, width] of models) {
    it(`${name}: every rescaled layer has output variance 1 ± tolerance`, async () => {
      const batch = 256;
      const seed = 5;
      const tensorsBefore = tf.memory().numTensors;
      let summary!: Awaited<ReturnType<typeof lsuv>>;
      const after = await linearOutputVariances(m, seed, batch, async (b) => {
        summary = await lsuv(tf, b, { batch, seed, input });
      });
      assert.equal(tf.memory().numTensors, tensorsBefore, 'no tensor leaks');
      const weighted = m.layers.filter((l) => ['dense', 'conv'].includes(l.kind)).map((l) => l.index);
      assert.deepEqual(summary.layers.map((l) => l.layer), weighted);
      for (const l of summary.layers) {
        assert.ok(l.converged, `${name}: ${l.label} converged (Var ${l.variance})`);
        assert.ok(Math.abs(l.variance - 1) < LSUV_TOLERANCE, `${name}: ${l.label} LSUV's own variance ${l.variance}`);
        // Measured independently, with the same batch (measure draws it from the same seed).
        assert.ok(Math.abs(after[l.layer] - 1) < LSUV_TOLERANCE, `${name}: ${l.label} measured variance ${after[l.layer]}`);
        assert.ok(l.std > 0 && Number.isFinite(l.std));
      }

      // The offered initializers, rebuilt from scratch with other seeds.
      const stds = summary.layers.map((l) => ({ layer: l.layer, slot: l.slot, std: l.std }));
      const lsuvModel = alternativeModel(m, 'lsuv', { lsuv: stds })!;
      assert.equal(lsuvModel.layers[weighted[0]].kernel?.id, normalInitializer(m.framework, 1).to);
      const S = 4;
      const sums = new Array<number>(m.layers.length).fill(0);
      for (let s = 0; s < S; s++) {
        const v = await linearOutputVariances(lsuvModel, 100 + s, batch);
        v.forEach((x, i) => (sums[i] += Math.log(x)));
      }
      weighted.forEach((li, k) => {
        const meanLog = sums[li] / S;
        const tol = 4 * Math.sqrt((2 * (k + 1)) / width / S) + 0.05;
        assert.ok(Math.abs(meanLog) <= tol, `${name}: layer ${li} rebuilt with N(0, ${stds[k].std.toPrecision(4)}²): mean log variance ${meanLog.toFixed(3)} (tolerance ${tol.toFixed(3)})`);
      });
    });
  }

  it('says why a layer is not rescaled: a zero kernel, a recurrent or separable layer', async () => {
    const m = model('tfjs', [
      { kind: 'dense', inFeatures: 16, outFeatures: 16, inputShape: [16], kernel: ref('tfjs', 'zeros'), useBias: false },
      { kind: 'dense', inFeatures: 16, outFeatures: 16 },
    ]);
    const b = buildModel(tf, m, { seed: 1 });
    assert.ok(b.ok);
    if (!b.ok) return;
    const s = await lsuv(tf, b, { batch: 32, seed: 1, input });
    b.dispose();
    assert.match(s.layers[0].note ?? '', /constant/);
    assert.equal(s.layers[0].converged, false);
    const r = model('tfjs', [
      { kind: 'lstm', inFeatures: 8, outFeatures: 8, inputShape: [4, 8] },
      { kind: 'dense', inFeatures: 8, outFeatures: 8 },
    ]);
    const br = buildModel(tf, r, { seed: 1 });
    assert.ok(br.ok);
    if (!br.ok) return;
    const sr = await lsuv(tf, br, { batch: 16, seed: 1, input });
    br.dispose();
    assert.deepEqual(sr.layers.map((l) => l.layer), [1]);
    assert.match(sr.skipped[0].reason, /feed-forward kernels only/);
  });
});
