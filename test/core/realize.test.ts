/**
 * Realized weight distributions (src/core/realize.ts): fan rules, effective arguments, exact variances against
 * closed forms for tfjs / Keras / PyTorch, and — for tfjs — against samples drawn by the real
 * @tensorflow/tfjs initializers and layers (cpu backend), with tolerances derived from the sample size.
 */
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { Framework, InitializerArgs, InitializerRef, LayerKind, LayerNode } from '../../src/core/model';
import { defaultInitializerRef } from '../../src/core/initializers';
import {
  computeFans,
  effectiveArgs,
  kerasFansOfShape,
  realize,
  scaleFamily,
  tfjsFansOfShape,
  torchFansOfShape,
  weightGain,
  type Fans,
  type Realized,
} from '../../src/core/realize';
import { TRUNC_NORMAL_2SIGMA_VARIANCE as T, truncatedNormalMean, truncatedNormalVariance } from '../../src/core/moments';

// ---------------------------------------------------------------------------------------------------------------
// helpers

function layer(kind: LayerKind, p: Partial<LayerNode> = {}): LayerNode {
  return { index: 0, kind, op: kind, inputs: [], span: { start: 0, end: 0 }, ...p };
}

function ref(framework: Framework, id: string | undefined, args: InitializerArgs = {}, unknownArgs: string[] = []): InitializerRef {
  return { framework, id, args, unknownArgs, falsyArgs: [], explicit: true, form: 'factory' };
}

function close(actual: number | undefined, expected: number, rel = 1e-12, msg = ''): void {
  assert.ok(actual !== undefined && Number.isFinite(actual), `${msg}: got ${actual}`);
  assert.ok(Math.abs(actual - expected) <= rel * Math.abs(expected) + 1e-300, `${msg}: ${actual} vs ${expected}`);
}

function real(r: InitializerRef, fans: Fans, ctx?: { hiddenSize?: number }): Realized {
  const x = realize(r, fans, ctx);
  assert.ok(x, `realize(${r.framework} ${r.id}) is undefined`);
  return x;
}

interface Stats {
  n: number;
  mean: number;
  variance: number;
  m4: number;
  m6: number;
  m8: number;
  min: number;
  max: number;
  maxAbs: number;
}

function stats(data: ArrayLike<number>): Stats {
  const n = data.length;
  let s = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    s += data[i];
    if (data[i] < min) min = data[i];
    if (data[i] > max) max = data[i];
  }
  const mean = s / n;
  let m2 = 0;
  let m4 = 0;
  let m6 = 0;
  let m8 = 0;
  for (let i = 0; i < n; i++) {
    const d2 = (data[i] - mean) ** 2;
    m2 += d2;
    m4 += d2 * d2;
    m6 += d2 * d2 * d2;
    m8 += d2 * d2 * d2 * d2;
  }
  return { n, mean, variance: m2 / n, m4: m4 / n, m6: m6 / n, m8: m8 / n, min, max, maxAbs: Math.max(-min, max) };
}

/** Sample variance within 5 standard errors, SE² = (μ4 − σ⁴)/N estimated from the sample. */
function assertVariance(st: Stats, expected: number, msg: string): void {
  const se = Math.sqrt(Math.max(0, st.m4 - st.variance ** 2) / st.n);
  assert.ok(
    Math.abs(st.variance - expected) <= 5 * se,
    `${msg}: sample variance ${st.variance.toExponential(5)} vs ${expected.toExponential(5)} (5 SE = ${(5 * se).toExponential(2)}, N = ${st.n})`,
  );
}

/** Sample mean within 5 standard errors. */
function assertMean(st: Stats, expected: number, msg: string): void {
  const se = Math.sqrt(st.variance / st.n);
  assert.ok(Math.abs(st.mean - expected) <= 5 * se + 1e-7, `${msg}: sample mean ${st.mean} vs ${expected} (5 SE = ${5 * se})`);
}

/** Sample kurtosis m4/m2² and its delta-method standard error from the sample's own moments. */
function kurtosis(st: Stats): { k: number; se: number } {
  const m2 = st.variance;
  const k = st.m4 / (m2 * m2);
  const v =
    (st.m8 - st.m4 ** 2) / m2 ** 4 - (4 * st.m4 * (st.m6 - st.m4 * m2)) / m2 ** 5 + (4 * st.m4 ** 2 * (st.m4 - m2 * m2)) / m2 ** 6;
  return { k, se: Math.sqrt(Math.max(0, v) / st.n) };
}

/** Sample the real tfjs initializer on a shape. */
/** Any tfjs initializer object (the Initializer class is not re-exported under tf.initializers). */
type TfInit = ReturnType<typeof tf.initializers.zeros>;

function sample(init: TfInit, shape: number[]): Float32Array {
  return tf.tidy(() => init.apply(shape).dataSync() as Float32Array);
}

/** Run with console.warn silenced (tfjs Orthogonal warns above 2000 elements). */
function quiet<R>(f: () => R): R {
  const w = console.warn;
  console.warn = () => {};
  try {
    return f();
  } finally {
    console.warn = w;
  }
}

/** Build a real tfjs layer on a zero input and return its weights' values and shapes. */
function buildLayer(l: tf.layers.Layer, inputShape: number[]): { shape: number[]; data: Float32Array }[] {
  return quiet(() => {
    const out = l.apply(tf.zeros(inputShape)) as tf.Tensor;
    out.dispose();
    return l.getWeights().map((w) => ({ shape: w.shape, data: w.dataSync() as Float32Array }));
  });
}

// ---------------------------------------------------------------------------------------------------------------
// fans

describe('fan rules of shapes', () => {
  test('tfjs computeFans (initializers.ts:264-289)', () => {
    assert.deepEqual(tfjsFansOfShape([256, 512]), { fanIn: 256, fanOut: 512 });
    assert.deepEqual(tfjsFansOfShape([5, 24, 32]), { fanIn: 120, fanOut: 160 });
    assert.deepEqual(tfjsFansOfShape([3, 3, 48, 64]), { fanIn: 432, fanOut: 576 });
    assert.deepEqual(tfjsFansOfShape([3, 3, 3, 8, 16]), { fanIn: 216, fanOut: 432 });
    assert.deepEqual(tfjsFansOfShape([64]), { fanIn: 8, fanOut: 8 }); // √∏shape (Keras: shape[0])
    assert.deepEqual(tfjsFansOfShape([1, 1, 1, 1, 2, 8]), { fanIn: 4, fanOut: 4 });
    assert.deepEqual(tfjsFansOfShape([3, undefined]), { fanIn: 3, fanOut: undefined });
  });
  test('Keras compute_fans (random_initializers.py:663-699)', () => {
    assert.deepEqual(kerasFansOfShape([]), { fanIn: 1, fanOut: 1 });
    assert.deepEqual(kerasFansOfShape([64]), { fanIn: 64, fanOut: 64 });
    assert.deepEqual(kerasFansOfShape([256, 512]), { fanIn: 256, fanOut: 512 });
    assert.deepEqual(kerasFansOfShape([1, 1, 1, 1, 2, 8]), { fanIn: 2, fanOut: 8 });
  });
  test('PyTorch _calculate_fan_in_and_fan_out (§3.2)', () => {
    assert.deepEqual(torchFansOfShape([64]), {});
    assert.deepEqual(torchFansOfShape([300, 200]), { fanIn: 200, fanOut: 300 });
    assert.deepEqual(torchFansOfShape([64, 48, 3, 3]), { fanIn: 432, fanOut: 576 });
  });
});

describe('computeFans: reference §1.2 tfjs layer table', () => {
  const I = 48;
  const O = 64;
  const cases: [string, LayerNode, 'kernel' | 'recurrent' | 'pointwise' | 'embeddings', number[], number, number, number | undefined][] = [
    ['dense', layer('dense', { inFeatures: I, outFeatures: O }), 'kernel', [I, O], I, O, I],
    ['conv1d', layer('conv', { inFeatures: I, outFeatures: O, kernelSize: [5] }), 'kernel', [5, I, O], 5 * I, 5 * O, 5 * I],
    ['conv2d', layer('conv', { inFeatures: I, outFeatures: O, kernelSize: [3, 3] }), 'kernel', [3, 3, I, O], 9 * I, 9 * O, 9 * I],
    ['conv3d', layer('conv', { inFeatures: I, outFeatures: O, kernelSize: [3, 3, 3] }), 'kernel', [3, 3, 3, I, O], 27 * I, 27 * O, 27 * I],
    ['conv2dTranspose', layer('convTranspose', { inFeatures: I, outFeatures: O, kernelSize: [3, 3] }), 'kernel', [3, 3, O, I], 9 * O, 9 * I, 9 * I],
    ['depthwiseConv2d', layer('depthwiseConv', { inFeatures: I, kernelSize: [3, 3], depthMultiplier: 2 }), 'kernel', [3, 3, I, 2], 9 * I, 18, 9],
    ['separable depthwise', layer('separableConv', { inFeatures: I, outFeatures: O, kernelSize: [3, 3], depthMultiplier: 2 }), 'kernel', [3, 3, I, 2], 9 * I, 18, 9],
    ['separable pointwise', layer('separableConv', { inFeatures: I, outFeatures: O, kernelSize: [3, 3], depthMultiplier: 2 }), 'pointwise', [1, 1, 2 * I, O], 2 * I, O, 2 * I],
    ['simpleRNN kernel', layer('simpleRNN', { inFeatures: I, outFeatures: 16 }), 'kernel', [I, 16], I, 16, I],
    ['simpleRNN recurrent', layer('simpleRNN', { inFeatures: I, outFeatures: 16 }), 'recurrent', [16, 16], 16, 16, 16],
    ['gru kernel', layer('gru', { inFeatures: I, outFeatures: 16 }), 'kernel', [I, 48], I, 48, I],
    ['gru recurrent', layer('gru', { inFeatures: I, outFeatures: 16 }), 'recurrent', [16, 48], 16, 48, 16],
    ['lstm kernel', layer('lstm', { inFeatures: I, outFeatures: 16 }), 'kernel', [I, 64], I, 64, I],
    ['lstm recurrent', layer('lstm', { inFeatures: I, outFeatures: 16 }), 'recurrent', [16, 64], 16, 64, 16],
    ['embedding', layer('embedding', { inFeatures: 1000, outFeatures: 32 }), 'embeddings', [1000, 32], 1000, 32, undefined],
  ];
  for (const [name, l, slot, shape, fi, fo, tfi] of cases) {
    test(name, () => {
      const f = computeFans('tfjs', l, slot);
      assert.deepEqual(f.shape, shape);
      assert.equal(f.fanIn, fi);
      assert.equal(f.fanOut, fo);
      assert.equal(f.trueFanIn, tfi);
      // Keras uses the same kernel layouts (reference §2.2) and the same rank-2..5 rule.
      const k = computeFans('keras', l, slot);
      assert.equal(k.fanIn, fi);
      assert.equal(k.fanOut, fo);
    });
  }
  test('RNN hidden size is reported', () => {
    assert.equal(computeFans('tfjs', layer('lstm', { inFeatures: 8, outFeatures: 16 }), 'kernel').hiddenSize, 16);
  });
});

describe('computeFans: Keras and PyTorch specifics, unknown sizes', () => {
  test('rank-1 bias: tfjs √n, Keras n, PyTorch the weight fan_in', () => {
    const d = layer('dense', { inFeatures: 200, outFeatures: 64 });
    assert.deepEqual(computeFans('tfjs', d, 'bias'), { shape: [64], fanIn: 8, fanOut: 8 });
    assert.deepEqual(computeFans('keras', d, 'bias'), { shape: [64], fanIn: 64, fanOut: 64 });
    const p = computeFans('pytorch', d, 'bias');
    assert.equal(p.fanIn, 200);
    assert.equal(p.fanOut, undefined);
    assert.match(p.note ?? '', /fan_in/);
  });
  test('Keras grouped conv kernel k ++ [in/groups, filters]', () => {
    const f = computeFans('keras', layer('conv', { inFeatures: 64, outFeatures: 128, kernelSize: [3, 3], groups: 4 }), 'kernel');
    assert.deepEqual(f.shape, [3, 3, 16, 128]);
    assert.equal(f.fanIn, 144);
    assert.equal(f.trueFanIn, 144);
  });
  test('Keras GRU bias (2, 3u) with reset_after', () => {
    const f = computeFans('keras', layer('gru', { inFeatures: 8, outFeatures: 16 }), 'bias');
    assert.deepEqual(f.shape, [2, 48]);
  });
  test('PyTorch §3.2 table', () => {
    const lin = computeFans('pytorch', layer('dense', { inFeatures: 200, outFeatures: 300 }), 'kernel');
    assert.deepEqual([lin.shape, lin.fanIn, lin.fanOut], [[300, 200], 200, 300]);
    const conv = computeFans('pytorch', layer('conv', { inFeatures: 64, outFeatures: 128, kernelSize: [3, 3], groups: 4 }), 'kernel');
    assert.deepEqual([conv.shape, conv.fanIn, conv.fanOut, conv.trueFanIn], [[128, 16, 3, 3], 144, 1152, 144]);
    const dw = computeFans('pytorch', layer('conv', { inFeatures: 64, outFeatures: 128, kernelSize: [5, 5], groups: 64 }), 'kernel');
    assert.deepEqual([dw.shape, dw.fanIn, dw.fanOut], [[128, 1, 5, 5], 25, 3200]);
    const dw2 = computeFans('pytorch', layer('depthwiseConv', { inFeatures: 64, kernelSize: [5, 5], depthMultiplier: 2 }), 'kernel');
    assert.deepEqual([dw2.shape, dw2.fanIn, dw2.trueFanIn], [[128, 1, 5, 5], 25, 25]);
    const tr = computeFans('pytorch', layer('convTranspose', { inFeatures: 8, outFeatures: 64, kernelSize: [5, 5], groups: 4 }), 'kernel');
    assert.deepEqual([tr.shape, tr.fanIn, tr.fanOut, tr.trueFanIn], [[8, 16, 5, 5], 400, 200, 50]);
    const ih = computeFans('pytorch', layer('lstm', { inFeatures: 40, outFeatures: 32 }), 'kernel');
    assert.deepEqual([ih.shape, ih.fanIn, ih.fanOut, ih.hiddenSize], [[128, 40], 40, 128, 32]);
    const hh = computeFans('pytorch', layer('gru', { inFeatures: 40, outFeatures: 32 }), 'recurrent');
    assert.deepEqual([hh.shape, hh.fanIn, hh.fanOut], [[96, 32], 32, 96]);
    const emb = computeFans('pytorch', layer('embedding', { inFeatures: 1000, outFeatures: 32 }), 'embeddings');
    assert.deepEqual([emb.fanIn, emb.fanOut], [32, 1000]);
    const trBias = computeFans('pytorch', layer('convTranspose', { inFeatures: 8, outFeatures: 64, kernelSize: [5, 5] }), 'bias');
    assert.equal(trBias.fanIn, 64 * 25); // ConvTranspose bias bound uses weight fan_in = (out/g)·∏k
  });
  test('unknown sizes give undefined fields, never guesses', () => {
    const f = computeFans('tfjs', layer('dense', { outFeatures: 64 }), 'kernel');
    assert.equal(f.fanIn, undefined);
    assert.equal(f.fanOut, 64);
    const c = computeFans('tfjs', layer('conv', { inFeatures: 3, outFeatures: 64 }), 'kernel');
    assert.equal(c.fanIn, undefined);
    assert.match(c.note ?? '', /kernel size/);
    const g = computeFans('pytorch', layer('conv', { inFeatures: 10, outFeatures: 64, kernelSize: [3], groups: 4 }), 'kernel');
    assert.equal(g.fanIn, undefined); // 10/4 is not an integer: PyTorch would raise
    const none = computeFans('tfjs', layer('dense', { inFeatures: 3, outFeatures: 4 }), 'recurrent');
    assert.equal(none.fanIn, undefined);
    assert.match(none.note ?? '', /no 'recurrent'/);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// effective arguments and families

describe('effectiveArgs', () => {
  test('tfjs || defaults (initializers.ts:125-126, 160-161, 202-203)', () => {
    assert.deepEqual(effectiveArgs(ref('tfjs', 'randomUniform', { minval: 0, maxval: 1 })), { minval: -0.05, maxval: 1 });
    assert.deepEqual(effectiveArgs(ref('tfjs', 'randomNormal', { mean: 0, stddev: 0 })), { mean: 0, stddev: 0.05 });
    assert.deepEqual(effectiveArgs(ref('tfjs', 'truncatedNormal', { mean: 0.5, stddev: 0 })), { mean: 0.5, stddev: 0.05 });
    // Keras and PyTorch use the value as written.
    assert.deepEqual(effectiveArgs(ref('keras', 'random_uniform', { minval: 0, maxval: 1 })), { minval: 0, maxval: 1 });
    assert.deepEqual(effectiveArgs(ref('pytorch', 'normal_', { stddev: 0 })), { mean: 0, stddev: 0 });
  });
  test('VarianceScaling: presets ignore scale/mode/distribution; tfjs scale 0 accepted; Keras normal → truncated', () => {
    assert.deepEqual(effectiveArgs(ref('tfjs', 'heNormal', { scale: 5, seed: 1 })), { scale: 2, mode: 'fanIn', distribution: 'normal', seed: 1 });
    assert.equal(effectiveArgs(ref('tfjs', 'varianceScaling', { scale: 0 })).scale, 0);
    assert.equal(effectiveArgs(ref('keras', 'variance_scaling', { distribution: 'normal' })).distribution, 'truncatedNormal');
    assert.equal(effectiveArgs(ref('tfjs', 'varianceScaling', {})).distribution, 'normal');
    assert.equal(effectiveArgs(ref('keras', 'variance_scaling', {})).distribution, 'truncatedNormal');
  });
  test('unresolved ids pass the written args through', () => {
    assert.deepEqual(effectiveArgs(ref('tfjs', 'nope', { scale: 3, mean: undefined })), { scale: 3 });
    assert.deepEqual(effectiveArgs(ref('tfjs', undefined, {})), {});
  });
});

describe('scaleFamily', () => {
  const cases: [Framework, string | undefined, InitializerArgs, string][] = [
    ['tfjs', 'heNormal', {}, 'he'],
    ['tfjs', 'heUniform', {}, 'he'],
    ['tfjs', 'varianceScaling', { scale: 2, mode: 'fanIn', distribution: 'uniform' }, 'he'],
    ['tfjs', 'varianceScaling', { scale: 2, mode: 'fanOut' }, 'other'],
    ['tfjs', 'glorotNormal', {}, 'glorot'],
    ['keras', 'glorot_uniform', {}, 'glorot'],
    ['tfjs', 'varianceScaling', { scale: 1, mode: 'fanAvg' }, 'glorot'],
    ['tfjs', 'leCunNormal', {}, 'lecun'],
    ['keras', 'variance_scaling', {}, 'lecun'],
    ['tfjs', 'varianceScaling', { scale: 3 }, 'other'],
    ['pytorch', 'kaiming_normal_', {}, 'he'],
    ['pytorch', 'kaiming_uniform_', { nonlinearity: 'relu' }, 'he'],
    ['pytorch', 'kaiming_uniform_', { negativeSlope: 0.2 }, 'he'],
    ['pytorch', 'kaiming_normal_', { mode: 'fanOut', nonlinearity: 'relu' }, 'other'],
    ['pytorch', 'kaiming_uniform_', { negativeSlope: Math.sqrt(5) }, 'torchDefault'],
    ['pytorch', 'kaiming_normal_', { nonlinearity: 'linear' }, 'lecun'],
    ['pytorch', 'kaiming_normal_', { nonlinearity: 'sigmoid' }, 'lecun'],
    ['pytorch', 'kaiming_normal_', { nonlinearity: 'selu' }, 'other'],
    ['pytorch', 'kaiming_normal_', { nonlinearity: 'tanh' }, 'other'],
    ['pytorch', 'xavier_uniform_', {}, 'glorot'],
    ['pytorch', 'xavier_normal_', { gain: 5 / 3 }, 'other'],
    ['pytorch', 'default_linear', {}, 'torchDefault'],
    ['pytorch', 'default_rnn', {}, 'torchDefault'],
    ['pytorch', 'default_embedding', {}, 'fixed'],
    ['tfjs', 'randomUniform', {}, 'fixed'],
    ['keras', 'truncated_normal', {}, 'fixed'],
    ['pytorch', 'trunc_normal_', { stddev: 0.02 }, 'fixed'],
    ['tfjs', 'zeros', {}, 'constant'],
    ['pytorch', 'constant_', { value: 0.1 }, 'constant'],
    ['tfjs', 'orthogonal', {}, 'orthogonal'],
    ['pytorch', 'eye_', {}, 'orthogonal'],
    ['tfjs', undefined, {}, 'other'],
    ['tfjs', 'glorot_uniform', {}, 'other'], // snake case is not a tfjs id
  ];
  for (const [fw, id, args, fam] of cases) {
    test(`${fw} ${id} ${JSON.stringify(args)} → ${fam}`, () => assert.equal(scaleFamily(ref(fw, id, args)), fam));
  }
});

// ---------------------------------------------------------------------------------------------------------------
// closed forms

describe('realize: tfjs closed forms (reference §1.2 table)', () => {
  const fans = { fanIn: 256, fanOut: 512, shape: [256, 512] };
  test('VarianceScaling presets', () => {
    const gn = real(ref('tfjs', 'glorotNormal'), fans);
    assert.equal(gn.distribution, 'truncatedNormal');
    close(gn.nominalVariance, 2 / 768);
    close(gn.variance, (T * 2) / 768);
    close(gn.preTruncationStd, Math.sqrt(2 / 768));
    close(gn.limit, 2 * Math.sqrt(2 / 768));
    assert.equal(gn.fanUsed, 384);
    close(real(ref('tfjs', 'glorotUniform'), fans).variance, 2 / 768);
    close(real(ref('tfjs', 'glorotUniform'), fans).limit, Math.sqrt(6 / 768));
    close(real(ref('tfjs', 'heNormal'), fans).variance, (2 * T) / 256);
    close(real(ref('tfjs', 'heNormal'), fans).variance, 1.54748 / 256, 1e-5); // table value "1.54748/fi"
    close(real(ref('tfjs', 'heUniform'), fans).variance, 2 / 256);
    close(real(ref('tfjs', 'heUniform'), fans).limit, Math.sqrt(6 / 256));
    close(real(ref('tfjs', 'leCunNormal'), fans).variance, T / 256);
    close(real(ref('tfjs', 'leCunUniform'), fans).limit, Math.sqrt(3 / 256));
  });
  test('varianceScaling: modes, distributions, max(1, fan), scale 0, untruncatedNormal throws', () => {
    close(real(ref('tfjs', 'varianceScaling', { scale: 3, mode: 'fanOut', distribution: 'normal' }), fans).variance, (3 * T) / 512);
    const tn = real(ref('tfjs', 'varianceScaling', { scale: 2, distribution: 'truncatedNormal' }), fans);
    assert.equal(tn.distribution, 'uniform');
    close(tn.variance, 2 / 256);
    close(tn.limit, Math.sqrt(6 / 256));
    assert.match(tn.note ?? '', /uniform/);
    close(real(ref('tfjs', 'varianceScaling', { scale: 0.5, mode: 'fanAvg', distribution: 'uniform' }), fans).variance, 0.5 / 384);
    close(real(ref('tfjs', 'heUniform'), { fanIn: 0.5, fanOut: 1 }).variance, 2); // max(1, fan)
    assert.equal(real(ref('tfjs', 'varianceScaling', { scale: 0 }), fans).variance, 0);
    assert.equal(realize(ref('tfjs', 'varianceScaling', { distribution: 'untruncatedNormal' }), fans), undefined);
    assert.equal(realize(ref('tfjs', 'varianceScaling', { scale: -1 }), fans), undefined);
  });
  test('fixed-scale initializers, with the || quirk', () => {
    const u = real(ref('tfjs', 'randomUniform'), {});
    close(u.variance, 0.1 ** 2 / 12);
    close(u.variance, 8.333e-4, 1e-4);
    close(u.std, 0.028868, 5e-5); // reference prints σ = 0.028868 (= 0.1/√12 = 0.02886751)
    const u01 = real(ref('tfjs', 'randomUniform', { minval: 0, maxval: 1 }), {});
    assert.deepEqual(u01.bounds, [-0.05, 1]);
    close(u01.mean, 0.475);
    close(u01.variance, 1.05 ** 2 / 12);
    close(real(ref('tfjs', 'randomNormal'), {}).variance, 0.0025);
    close(real(ref('tfjs', 'randomNormal', { stddev: 0 }), {}).variance, 0.0025);
    const t = real(ref('tfjs', 'truncatedNormal'), {});
    close(t.variance, 0.0025 * T);
    close(t.variance, 0.0019344, 1e-4);
    close(t.nominalVariance, 0.0025);
  });
  test('constant / zeros / ones / orthogonal / identity', () => {
    assert.deepEqual(
      [real(ref('tfjs', 'zeros'), {}).mean, real(ref('tfjs', 'ones'), {}).mean, real(ref('tfjs', 'constant', { value: 0.1 }), {}).mean],
      [0, 1, 0.1],
    );
    assert.equal(realize(ref('tfjs', 'constant'), {}), undefined); // value is required (initializers.ts:87-89)
    close(real(ref('tfjs', 'orthogonal'), { fanIn: 64, fanOut: 64, shape: [64, 64] }).variance, 1 / 64);
    close(real(ref('tfjs', 'orthogonal', { gain: 2 }), { shape: [16, 64] }).variance, 4 / 64);
    close(real(ref('tfjs', 'orthogonal'), { shape: [3, 3, 4, 8] }).variance, 1 / 36); // rows ∏shape[:-1] = 36, cols 8
    assert.equal(realize(ref('tfjs', 'orthogonal'), { shape: [64] }), undefined);
    const orthNoShape = real(ref('tfjs', 'orthogonal'), { fanIn: 16, fanOut: 64 });
    close(orthNoShape.variance, 1 / 64);
    assert.match(orthNoShape.note ?? '', /shape unknown/);
    const id = real(ref('tfjs', 'identity', { gain: 2 }), { shape: [5, 5] });
    close(id.variance + id.mean ** 2, 4 / 5);
    close(weightGain(id, 5), 4);
    assert.equal(realize(ref('tfjs', 'identity'), { shape: [5, 6] }), undefined); // tfjs: square only
  });
  test('unknown fans or args → undefined', () => {
    assert.equal(realize(ref('tfjs', 'heNormal'), { fanOut: 3 }), undefined);
    assert.equal(realize(ref('tfjs', 'glorotNormal'), { fanIn: 3 }), undefined);
    assert.equal(realize(ref('tfjs', 'varianceScaling', {}, ['scale']), fans), undefined);
    assert.ok(realize(ref('tfjs', 'heNormal', {}, ['seed']), fans));
    assert.equal(realize(ref('tfjs', undefined), fans), undefined);
    assert.equal(realize(ref('tfjs', 'glorot_uniform'), fans), undefined);
  });
});

describe('realize: Keras closed forms (reference §2.2 table)', () => {
  const fans = { fanIn: 256, fanOut: 512 };
  test('corrected truncated normal VarianceScaling = nominal; plain TruncatedNormal uncorrected', () => {
    for (const [id, v] of [
      ['glorot_normal', 2 / 768],
      ['he_normal', 2 / 256],
      ['lecun_normal', 1 / 256],
      ['variance_scaling', 1 / 256],
      ['glorot_uniform', 2 / 768],
      ['he_uniform', 2 / 256],
      ['lecun_uniform', 1 / 256],
    ] as const) {
      const r = real(ref('keras', id), fans);
      close(r.variance, v, 1e-15, id);
      close(r.nominalVariance, v, 1e-15, id);
    }
    const hn = real(ref('keras', 'he_normal'), fans);
    assert.equal(hn.distribution, 'truncatedNormal');
    close(hn.preTruncationStd, Math.sqrt(2 / 256) / 0.87962566103423978);
    const vsn = real(ref('keras', 'variance_scaling', { distribution: 'normal', scale: 2 }), fans);
    assert.equal(vsn.distribution, 'truncatedNormal');
    close(vsn.variance, 2 / 256);
    const un = real(ref('keras', 'variance_scaling', { distribution: 'untruncatedNormal', scale: 2, mode: 'fanOut' }), fans);
    assert.equal(un.distribution, 'normal');
    close(un.variance, 2 / 512);
    assert.equal(realize(ref('keras', 'variance_scaling', { scale: 0 }), fans), undefined); // Keras raises for scale <= 0
    close(real(ref('keras', 'truncated_normal'), {}).variance, 0.0025 * T);
    close(real(ref('keras', 'random_normal'), {}).variance, 0.0025);
    close(real(ref('keras', 'random_uniform', { minval: 0, maxval: 1 }), {}).variance, 1 / 12); // no || in Keras
    assert.equal(real(ref('keras', 'constant'), {}).value, 0); // Keras Constant defaults to 0.0
  });
  test('Keras rank-1 fans and rectangular identity', () => {
    const b = computeFans('keras', layer('dense', { inFeatures: 10, outFeatures: 64 }), 'bias');
    close(real(ref('keras', 'he_uniform'), b).variance, 2 / 64);
    const id = real(ref('keras', 'identity'), { shape: [4, 6] });
    close(id.variance + id.mean ** 2, 1 / 6);
  });
});

describe('realize: PyTorch closed forms (reference §3.3-3.5)', () => {
  const lin = computeFans('pytorch', layer('dense', { inFeatures: 200, outFeatures: 300 }), 'kernel');
  test('default Linear / Conv: U(±1/√fan_in), Var = 1/(3·fan_in), c = 1/3', () => {
    const r = real(ref('pytorch', 'default_linear'), lin);
    close(r.limit, 1 / Math.sqrt(200));
    close(r.variance, 1 / 600);
    close(weightGain(r, 200), 1 / 3);
    const conv = computeFans('pytorch', layer('conv', { inFeatures: 48, outFeatures: 64, kernelSize: [3, 3] }), 'kernel');
    close(real(ref('pytorch', 'default_linear'), conv).variance, 1 / (3 * 432));
    const bias = computeFans('pytorch', layer('conv', { inFeatures: 48, outFeatures: 64, kernelSize: [3, 3] }), 'bias');
    close(real(ref('pytorch', 'default_linear'), bias).limit, 1 / Math.sqrt(432));
    // kaiming_uniform_(a=√5) written out is the same distribution.
    close(real(ref('pytorch', 'kaiming_uniform_', { negativeSlope: Math.sqrt(5) }), lin).variance, 1 / 600);
  });
  test('kaiming_ and xavier_', () => {
    close(real(ref('pytorch', 'kaiming_uniform_'), lin).variance, 2 / 200);
    close(real(ref('pytorch', 'kaiming_uniform_'), lin).limit, Math.SQRT2 * Math.sqrt(3 / 200));
    const kn = real(ref('pytorch', 'kaiming_normal_', { mode: 'fanOut', nonlinearity: 'relu' }), lin);
    assert.equal(kn.distribution, 'normal');
    close(kn.variance, 2 / 300);
    close(real(ref('pytorch', 'kaiming_normal_', { nonlinearity: 'tanh' }), lin).variance, 25 / 9 / 200);
    close(real(ref('pytorch', 'kaiming_normal_', { negativeSlope: 0.2 }), lin).variance, 2 / 1.04 / 200);
    close(real(ref('pytorch', 'kaiming_normal_', { nonlinearity: 'selu' }), lin).variance, 0.5625 / 200);
    assert.equal(realize(ref('pytorch', 'kaiming_normal_', { nonlinearity: 'gelu' }), lin), undefined);
    assert.equal(realize(ref('pytorch', 'kaiming_normal_', { mode: 'fanAvg' }), lin), undefined);
    const bias = computeFans('pytorch', layer('dense', { inFeatures: 200, outFeatures: 300 }), 'bias');
    assert.equal(realize(ref('pytorch', 'kaiming_normal_'), bias), undefined); // 1-D: PyTorch raises
    close(real(ref('pytorch', 'xavier_uniform_', { gain: Math.SQRT2 }), lin).variance, 4 / 500);
    close(real(ref('pytorch', 'xavier_uniform_'), lin).limit, Math.sqrt(6 / 500));
    const xn = real(ref('pytorch', 'xavier_normal_'), lin);
    assert.equal(xn.distribution, 'normal');
    close(xn.variance, 2 / 500);
  });
  test('trunc_normal_ with ABSOLUTE bounds', () => {
    close(real(ref('pytorch', 'trunc_normal_'), {}).variance, T); // std 1, [-2, 2]
    const small = real(ref('pytorch', 'trunc_normal_', { stddev: 0.02 }), {});
    close(small.variance, 0.0004, 1e-12); // ±100σ: no visible truncation
    assert.match(small.note ?? '', /negligible/);
    const asym = real(ref('pytorch', 'trunc_normal_', { mean: 0.5, stddev: 1, lower: -2, upper: 2 }), {});
    close(asym.variance, truncatedNormalVariance(-2.5, 1.5));
    close(asym.mean, 0.5 + truncatedNormalMean(-2.5, 1.5));
    assert.ok(asym.mean < 0.5);
    assert.equal(realize(ref('pytorch', 'trunc_normal_', { lower: 1, upper: -1 }), {}), undefined);
  });
  test('trunc_normal_ asymmetric case against a seeded rejection sampler', () => {
    let s = 12345 >>> 0;
    const rnd = () => {
      s = (s + 0x6d2b79f5) >>> 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const mean = 0.5;
    const sd = 1.3;
    const [a, b] = [-1, 2];
    const xs = new Float64Array(200_000);
    for (let i = 0; i < xs.length; ) {
      const r = Math.sqrt(-2 * Math.log(1 - rnd()));
      const x = mean + sd * r * Math.cos(2 * Math.PI * rnd());
      if (x >= a && x <= b) xs[i++] = x;
    }
    const st = stats(xs);
    const r = real(ref('pytorch', 'trunc_normal_', { mean, stddev: sd, lower: a, upper: b }), {});
    assertMean(st, r.mean, 'trunc_normal_ mean');
    assertVariance(st, r.variance, 'trunc_normal_ variance');
  });
  test('uniform_, normal_, embedding, RNN default, orthogonal_, eye_, constant_', () => {
    const u = real(ref('pytorch', 'uniform_'), {});
    assert.deepEqual([u.mean, u.variance], [0.5, 1 / 12]);
    const u2 = real(ref('pytorch', 'uniform_', { minval: -0.1, maxval: 0.3 }), {});
    close(u2.mean, 0.1);
    close(u2.variance, 0.16 / 12);
    assert.equal(real(ref('pytorch', 'normal_'), {}).variance, 1);
    assert.equal(real(ref('pytorch', 'default_embedding'), {}).variance, 1);
    const lstm = layer('lstm', { inFeatures: 40, outFeatures: 32 });
    for (const slot of ['kernel', 'recurrent', 'bias'] as const) {
      const r = real(ref('pytorch', 'default_rnn'), computeFans('pytorch', lstm, slot));
      close(r.variance, 1 / 96, 1e-12, slot);
    }
    close(real(ref('pytorch', 'default_rnn'), {}, { hiddenSize: 10 }).variance, 1 / 30);
    assert.equal(realize(ref('pytorch', 'default_rnn'), {}), undefined);
    const conv = computeFans('pytorch', layer('conv', { inFeatures: 48, outFeatures: 64, kernelSize: [3, 3] }), 'kernel');
    close(real(ref('pytorch', 'orthogonal_'), conv).variance, 1 / 432); // rows 64, cols 48·9
    close(real(ref('pytorch', 'orthogonal_'), lin).variance, 1 / 300);
    const eye = real(ref('pytorch', 'eye_'), lin);
    close(weightGain(eye, 200), 200 / 300);
    assert.equal(realize(ref('pytorch', 'eye_'), conv), undefined); // eye_ is 2-D only
    assert.equal(real(ref('pytorch', 'constant_', { value: 0.1 }), {}).value, 0.1);
    assert.equal(realize(ref('pytorch', 'constant_'), {}), undefined);
  });
});

describe('weightGain: reference §4.4 c values', () => {
  test('tfjs glorotNormal square = T; Keras/tfjs-uniform he = 2; tfjs heNormal = 1.5475; PyTorch default 1/3', () => {
    const sq = { fanIn: 128, fanOut: 128 };
    close(weightGain(real(ref('tfjs', 'glorotNormal'), sq), 128), T);
    close(weightGain(real(ref('keras', 'glorot_uniform'), sq), 128), 1);
    close(weightGain(real(ref('tfjs', 'heNormal'), sq), 128), 1.5475, 1e-4);
    close(weightGain(real(ref('keras', 'he_normal'), sq), 128), 2);
    close(weightGain(real(ref('pytorch', 'default_linear'), sq), 128), 1 / 3);
    // non-square Glorot: c = 2·n_in/(n_in + n_out) (× T for tfjs normal)
    close(weightGain(real(ref('tfjs', 'glorotNormal'), { fanIn: 100, fanOut: 300 }), 100), (T * 200) / 400);
    // depthwise: c against the true fan-in, Glorot: 2·kh·kw/(C_in·kh·kw + mult·kh·kw) × T
    const dw = computeFans('tfjs', layer('depthwiseConv', { inFeatures: 64, kernelSize: [3, 3] }), 'kernel');
    close(weightGain(real(ref('tfjs', 'glorotNormal'), dw), dw.trueFanIn!), (T * 2) / 65);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// the real tfjs

describe('real @tensorflow/tfjs initializers (sampled)', () => {
  before(async () => {
    tf.env().set('PROD', true); // silences the "install tfjs-node" banner (tfjs-core log.ts: warn)
    await tf.setBackend('cpu');
    await tf.ready();
  });
  const shape = [256, 512];
  const fans = tfjsFansOfShape(shape);

  const vsCases: [string, () => TfInit, InitializerRef, number][] = [
    ['glorotNormal', () => tf.initializers.glorotNormal({ seed: 42 }), ref('tfjs', 'glorotNormal'), (T * 2) / 768],
    ['glorotUniform', () => tf.initializers.glorotUniform({ seed: 43 }), ref('tfjs', 'glorotUniform'), 2 / 768],
    ['heNormal', () => tf.initializers.heNormal({ seed: 44 }), ref('tfjs', 'heNormal'), (T * 2) / 256],
    ['heUniform', () => tf.initializers.heUniform({ seed: 45 }), ref('tfjs', 'heUniform'), 2 / 256],
    ['leCunNormal', () => tf.initializers.leCunNormal({ seed: 46 }), ref('tfjs', 'leCunNormal'), T / 256],
    ['leCunUniform', () => tf.initializers.leCunUniform({ seed: 47 }), ref('tfjs', 'leCunUniform'), 1 / 256],
    [
      'varianceScaling normal fanOut scale 3',
      () => tf.initializers.varianceScaling({ scale: 3, mode: 'fanOut', distribution: 'normal', seed: 48 }),
      ref('tfjs', 'varianceScaling', { scale: 3, mode: 'fanOut', distribution: 'normal' }),
      (3 * T) / 512,
    ],
    [
      'varianceScaling uniform fanAvg scale 0.5',
      () => tf.initializers.varianceScaling({ scale: 0.5, mode: 'fanAvg', distribution: 'uniform', seed: 49 }),
      ref('tfjs', 'varianceScaling', { scale: 0.5, mode: 'fanAvg', distribution: 'uniform' }),
      0.5 / 384,
    ],
  ];
  for (const [name, make, r, closed] of vsCases) {
    test(name, () => {
      const x = real(r, fans);
      close(x.variance, closed, 1e-12, 'closed form');
      const st = stats(sample(make(), shape));
      assertMean(st, 0, name);
      assertVariance(st, x.variance, name);
      if (x.distribution === 'uniform') assert.ok(st.maxAbs <= x.limit! * (1 + 1e-6), `${name}: max ${st.maxAbs} > limit ${x.limit}`);
      if (x.distribution === 'truncatedNormal') {
        assert.ok(st.maxAbs <= x.limit! * (1 + 1e-6), `${name}: max ${st.maxAbs} > 2σ ${x.limit}`);
        assert.ok(st.maxAbs > 0.99 * x.limit!, `${name}: truncation at 2σ is reached`);
        // Not the Keras-corrected variance: that would be the nominal one, 1/T = 1.29 times larger.
        const se = Math.sqrt((st.m4 - st.variance ** 2) / st.n);
        assert.ok(Math.abs(st.variance - x.nominalVariance) > 10 * se);
      }
    });
  }

  test("varianceScaling({distribution: 'truncatedNormal'}) samples a uniform (max |w| ≤ limit, kurtosis 1.8)", () => {
    const r = ref('tfjs', 'varianceScaling', { scale: 2, mode: 'fanIn', distribution: 'truncatedNormal' });
    const x = real(r, fans);
    assert.equal(x.distribution, 'uniform');
    const st = stats(sample(tf.initializers.varianceScaling({ scale: 2, mode: 'fanIn', distribution: 'truncatedNormal', seed: 50 }), shape));
    assertVariance(st, x.variance, 'VS truncatedNormal');
    assert.ok(st.maxAbs <= x.limit! * (1 + 1e-6));
    assert.ok(st.maxAbs > 0.999 * x.limit!, 'reaches the uniform limit √(3·scale/fan), beyond a 2σ truncation');
    const { k, se } = kurtosis(st);
    assert.ok(Math.abs(k - 1.8) <= 5 * se, `kurtosis ${k} ± ${se} vs 1.8 (uniform)`);
    // a ±2σ truncated normal has kurtosis ≈ 2.36 and a normal 3: both far outside
    assert.ok(Math.abs(k - 2.36) > 20 * se);
  });

  test('truncated normal at ±2σ has the kurtosis of a ±2σ truncated normal (tfjs glorotNormal)', () => {
    const st = stats(sample(tf.initializers.glorotNormal({ seed: 51 }), shape));
    const { k, se } = kurtosis(st);
    // N(0,1) | [−2, 2]: E[z⁴; |z| < c] = 3Z − 2φ(c)(c³ + 3c), Z = 2Φ(c) − 1, so m4 = 3 − 28φ(2)/Z, m2 = T:
    // kurtosis 2.3638 (a uniform has 1.8, a normal 3).
    const Z = 0.9544997361036416;
    const phi2 = Math.exp(-2) / Math.sqrt(2 * Math.PI);
    const kTrunc = (3 - (2 * phi2 * (8 + 6)) / Z) / (T * T);
    assert.ok(Math.abs(k - kTrunc) <= 5 * se, `kurtosis ${k} vs ${kTrunc}`);
  });

  test('randomUniform / randomNormal / truncatedNormal, including falsy args (||)', () => {
    const N = [512, 256];
    const u = stats(sample(tf.initializers.randomUniform({ seed: 7 }), N));
    assertVariance(u, real(ref('tfjs', 'randomUniform'), {}).variance, 'randomUniform default');
    const u01r = real(ref('tfjs', 'randomUniform', { minval: 0, maxval: 1 }), {});
    const u01 = stats(sample(tf.initializers.randomUniform({ minval: 0, maxval: 1, seed: 8 }), N));
    assert.ok(u01.min < 0, `minval: 0 really gives U(−0.05, 1): min ${u01.min}`);
    assert.ok(u01.min >= -0.05 - 1e-7);
    assertMean(u01, u01r.mean, 'U(−0.05, 1) mean');
    assertVariance(u01, u01r.variance, 'U(−0.05, 1) variance');
    const n0 = stats(sample(tf.initializers.randomNormal({ mean: 0, stddev: 0, seed: 9 }), N));
    assertVariance(n0, real(ref('tfjs', 'randomNormal', { mean: 0, stddev: 0 }), {}).variance, 'randomNormal stddev 0 → 0.05');
    const n1r = real(ref('tfjs', 'randomNormal', { mean: 1, stddev: 0.2 }), {});
    const n1 = stats(sample(tf.initializers.randomNormal({ mean: 1, stddev: 0.2, seed: 10 }), N));
    assertMean(n1, 1, 'randomNormal mean 1');
    assertVariance(n1, n1r.variance, 'randomNormal stddev 0.2');
    const tr = real(ref('tfjs', 'truncatedNormal', { mean: 0.5, stddev: 0 }), {});
    const t = stats(sample(tf.initializers.truncatedNormal({ mean: 0.5, stddev: 0, seed: 11 }), N));
    assertMean(t, 0.5, 'truncatedNormal mean');
    assertVariance(t, tr.variance, 'truncatedNormal stddev 0 → 0.05, ×T');
    assert.ok(t.max <= 0.5 + 0.1 + 1e-6 && t.min >= 0.5 - 0.1 - 1e-6);
  });

  test('orthogonal: W·Wᵀ = g²·I, per-element mean square gain²/max(rows, cols), tfjs flattening', () => {
    for (const [shp, gain] of [
      [[40, 40], 1.5],
      [[20, 60], 1],
      [[60, 20], 2],
      [[3, 3, 4, 8], 1],
    ] as [number[], number][]) {
      const w = quiet(() => sample(tf.initializers.orthogonal({ gain, seed: 12 }), shp));
      const rows = shp.slice(0, -1).reduce((a, b) => a * b, 1);
      const cols = shp[shp.length - 1];
      // Gram matrix of the smaller side
      const small = Math.min(rows, cols);
      let maxDev = 0;
      for (let i = 0; i < small; i++) {
        for (let j = 0; j < small; j++) {
          let s = 0;
          if (rows <= cols) for (let k = 0; k < cols; k++) s += w[i * cols + k] * w[j * cols + k];
          else for (let k = 0; k < rows; k++) s += w[k * cols + i] * w[k * cols + j];
          maxDev = Math.max(maxDev, Math.abs(s - (i === j ? gain * gain : 0)));
        }
      }
      assert.ok(maxDev < 1e-4 * gain * gain, `${shp}: Gram deviation ${maxDev}`);
      let sq = 0;
      for (const v of w) sq += v * v;
      const x = real(ref('tfjs', 'orthogonal', { gain }), { shape: shp, ...tfjsFansOfShape(shp) });
      close(sq / w.length, x.variance, 1e-4, `${shp} mean square`);
    }
  });

  test('identity, constant, zeros, ones', () => {
    const w = sample(tf.initializers.identity({ gain: 2 }), [5, 5]);
    const x = real(ref('tfjs', 'identity', { gain: 2 }), { shape: [5, 5] });
    const st = stats(w);
    close(st.mean, x.mean, 1e-6);
    close(st.variance, x.variance, 1e-6);
    assert.throws(() => sample(tf.initializers.identity({ gain: 1 }), [5, 6]));
    assert.equal(stats(sample(tf.initializers.constant({ value: 0.1 }), [3, 3])).mean.toFixed(6), real(ref('tfjs', 'constant', { value: 0.1 }), {}).mean.toFixed(6));
  });
});

describe('real @tensorflow/tfjs layers: the kernel layout and fan rule are the real ones', () => {
  before(async () => {
    tf.env().set('PROD', true);
    await tf.setBackend('cpu');
    await tf.ready();
  });

  function check(fw: 'tfjs', node: LayerNode, slot: 'kernel' | 'recurrent' | 'pointwise', r: InitializerRef, w: { shape: number[]; data: Float32Array }, alt?: number): void {
    const fans = computeFans(fw, node, slot);
    assert.deepEqual(fans.shape, w.shape, `${node.op} ${slot}: layout`);
    const x = real(r, fans);
    const st = stats(w.data);
    assertVariance(st, x.variance, `${node.op} ${slot}`);
    if (alt !== undefined) {
      // The other fan reading (e.g. the true fan-in) is rejected by the data.
      const se = Math.sqrt((st.m4 - st.variance ** 2) / st.n);
      assert.ok(Math.abs(st.variance - alt) > 10 * se, `${node.op} ${slot}: alternative ${alt} not rejected`);
    }
  }

  test('dense default (glorotNormal, T × 2/(in+units))', () => {
    const l = tf.layers.dense({ units: 300 });
    const [k] = buildLayer(l, [1, 200]);
    const node = layer('dense', { inFeatures: 200, outFeatures: 300 });
    const r = defaultInitializerRef('tfjs', 'dense', 'kernel')!;
    close(real(r, computeFans('tfjs', node, 'kernel')).variance, (T * 2) / 500);
    check('tfjs', node, 'kernel', r, k, 2 / 500);
  });

  test('conv1d / conv2d / conv3d kernels k ++ [in, filters]', () => {
    const c1 = buildLayer(tf.layers.conv1d({ filters: 32, kernelSize: 5, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }), [1, 16, 24])[0];
    check('tfjs', layer('conv', { op: 'conv1d', inFeatures: 24, outFeatures: 32, kernelSize: [5] }), 'kernel', ref('tfjs', 'glorotUniform'), c1, 2 / (24 + 32));
    const c2 = buildLayer(tf.layers.conv2d({ filters: 64, kernelSize: 3, kernelInitializer: tf.initializers.heNormal({ seed: 2 }) }), [1, 8, 8, 48])[0];
    check('tfjs', layer('conv', { op: 'conv2d', inFeatures: 48, outFeatures: 64, kernelSize: [3, 3] }), 'kernel', ref('tfjs', 'heNormal'), c2, (2 * T) / 48);
    const c3 = buildLayer(tf.layers.conv3d({ filters: 16, kernelSize: 3, kernelInitializer: tf.initializers.glorotNormal({ seed: 3 }) }), [1, 4, 4, 4, 8])[0];
    check('tfjs', layer('conv', { op: 'conv3d', inFeatures: 8, outFeatures: 16, kernelSize: [3, 3, 3] }), 'kernel', ref('tfjs', 'glorotNormal'), c3);
  });

  test('conv2dTranspose kernel k ++ [filters, in]: fanIn counts the filters', () => {
    const node = layer('convTranspose', { op: 'conv2dTranspose', inFeatures: 8, outFeatures: 64, kernelSize: [5, 5] });
    const he = buildLayer(tf.layers.conv2dTranspose({ filters: 64, kernelSize: 5, kernelInitializer: tf.initializers.heUniform({ seed: 4 }) }), [1, 4, 4, 8])[0];
    // heUniform: 2/(64·25); the "input channels" reading 2/(8·25) is rejected.
    check('tfjs', node, 'kernel', ref('tfjs', 'heUniform'), he, 2 / 200);
    close(computeFans('tfjs', node, 'kernel').fanIn, 1600);
    const fo = buildLayer(
      tf.layers.conv2dTranspose({ filters: 64, kernelSize: 5, kernelInitializer: tf.initializers.varianceScaling({ scale: 1, mode: 'fanOut', distribution: 'uniform', seed: 5 }) }),
      [1, 4, 4, 8],
    )[0];
    check('tfjs', node, 'kernel', ref('tfjs', 'varianceScaling', { scale: 1, mode: 'fanOut', distribution: 'uniform' }), fo, 1 / 1600);
  });

  test('depthwiseConv2d [kh, kw, in, mult]: fanIn = in·kh·kw, not the true kh·kw', () => {
    const node = layer('depthwiseConv', { op: 'depthwiseConv2d', inFeatures: 64, kernelSize: [5, 5], depthMultiplier: 4 });
    const w = buildLayer(tf.layers.depthwiseConv2d({ kernelSize: 5, depthMultiplier: 4, depthwiseInitializer: tf.initializers.heUniform({ seed: 6 }) }), [1, 6, 6, 64])[0];
    const fans = computeFans('tfjs', node, 'kernel');
    assert.equal(fans.trueFanIn, 25);
    check('tfjs', node, 'kernel', ref('tfjs', 'heUniform'), w, 2 / 25);
    // default initializer (glorotNormal from BaseConv): fanIn 1600, fanOut 100
    const d = buildLayer(tf.layers.depthwiseConv2d({ kernelSize: 5, depthMultiplier: 4 }), [1, 6, 6, 64])[0];
    check('tfjs', node, 'kernel', defaultInitializerRef('tfjs', 'depthwiseConv', 'kernel')!, d, (2 * T) / 50);
  });

  test('separableConv2d: depthwise k ++ [in, mult], pointwise [1, 1, in·mult, filters] (built from depthwiseInitializer)', () => {
    const node = layer('separableConv', { op: 'separableConv2d', inFeatures: 64, outFeatures: 32, kernelSize: [3, 3], depthMultiplier: 2 });
    const ws = buildLayer(
      tf.layers.separableConv2d({
        filters: 32,
        kernelSize: 3,
        depthMultiplier: 2,
        depthwiseInitializer: tf.initializers.heUniform({ seed: 7 }),
        pointwiseInitializer: 'zeros',
      }),
      [1, 6, 6, 64],
    );
    check('tfjs', node, 'kernel', ref('tfjs', 'heUniform'), ws[0], 2 / 9);
    // reference §0.1 #5: pointwiseInitializer is ignored, the pointwise kernel is heUniform too, fanIn = in·mult.
    assert.ok(stats(ws[1].data).variance > 0, 'pointwise is not zeros');
    check('tfjs', node, 'pointwise', ref('tfjs', 'heUniform'), ws[1], 2 / 32);
    // default glorotUniform: depthwise fans 576 / 18
    const d = buildLayer(tf.layers.separableConv2d({ filters: 32, kernelSize: 3, depthMultiplier: 2 }), [1, 6, 6, 64]);
    check('tfjs', node, 'kernel', defaultInitializerRef('tfjs', 'separableConv', 'kernel')!, d[0]);
    check('tfjs', node, 'pointwise', defaultInitializerRef('tfjs', 'separableConv', 'pointwise')!, d[1]);
  });

  test('simpleRNN / lstm / gru kernels [in, G·u] and recurrent [u, G·u] (orthogonal)', () => {
    const s = buildLayer(tf.layers.simpleRNN({ units: 32 }), [1, 2, 48]);
    const sn = layer('simpleRNN', { inFeatures: 48, outFeatures: 32 });
    check('tfjs', sn, 'kernel', defaultInitializerRef('tfjs', 'simpleRNN', 'kernel')!, s[0]);
    close(stats(s[1].data).variance + stats(s[1].data).mean ** 2, real(defaultInitializerRef('tfjs', 'simpleRNN', 'recurrent')!, computeFans('tfjs', sn, 'recurrent')).variance, 1e-4);

    const l = buildLayer(
      tf.layers.lstm({ units: 32, kernelInitializer: tf.initializers.glorotUniform({ seed: 8 }) }),
      [1, 2, 64],
    );
    const ln = layer('lstm', { inFeatures: 64, outFeatures: 32 });
    check('tfjs', ln, 'kernel', ref('tfjs', 'glorotUniform'), l[0], 2 / (64 + 32)); // fanOut includes all 4 gates
    let sq = 0;
    for (const v of l[1].data) sq += v * v;
    assert.deepEqual(computeFans('tfjs', ln, 'recurrent').shape, l[1].shape);
    close(sq / l[1].data.length, real(ref('tfjs', 'orthogonal'), computeFans('tfjs', ln, 'recurrent')).variance, 1e-4); // 1/(4u)

    const g = buildLayer(
      tf.layers.gru({ units: 32, kernelInitializer: tf.initializers.glorotUniform({ seed: 9 }) }),
      [1, 2, 64],
    );
    const gn = layer('gru', { inFeatures: 64, outFeatures: 32 });
    check('tfjs', gn, 'kernel', ref('tfjs', 'glorotUniform'), g[0], 2 / (64 + 32));
    let gsq = 0;
    for (const v of g[1].data) gsq += v * v;
    close(gsq / g[1].data.length, 1 / 96, 1e-4);
  });

  test('embedding default randomUniform(±0.05)', () => {
    const e = buildLayer(tf.layers.embedding({ inputDim: 1000, outputDim: 64 }), [1, 3]);
    const node = layer('embedding', { inFeatures: 1000, outFeatures: 64 });
    assert.deepEqual(computeFans('tfjs', node, 'embeddings').shape, e[0].shape);
    const x = real(defaultInitializerRef('tfjs', 'embedding', 'embeddings')!, computeFans('tfjs', node, 'embeddings'));
    assertVariance(stats(e[0].data), x.variance, 'embedding');
  });
});
