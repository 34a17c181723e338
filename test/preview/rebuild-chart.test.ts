/**
 * From a model description to the preview's chart data (webview/lib/run.ts over src/rebuild, real TensorFlow.js on
 * WASM): for each layer kind and a range of initializers of each framework, the weight histograms' realized std
 * matches the initializer's closed form (core/realize via src/rebuild/intended) and the activation std matches the
 * analytic prediction; the badges, notes and failures come out as the page shows them.
 *
 * Tolerances (not tuned):
 * - weights: the sample variance of N i.i.d. draws has relative standard deviation √((κ − 1)/N) ≤ √(2/N) for the
 *   normal, uniform and truncated-normal laws here (κ ≤ 3); we allow 5 of them on the variance.
 * - activations: one layer of width n, averaged over S seeds: the second moment over the batch fluctuates with
 *   the weights by about √(2/n) relative per seed (the batch average does not remove it: the weights are
 *   shared), i.e. √(2/n)/2 on the std, /√S over seeds; we allow 4 of them plus 0.02 (float32, quadrature).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Framework, InitializerRef } from '../../src/core/model';
import { signalRows } from '../../webview/lib/charts';
import { CSV_COLUMNS, runsToCsv } from '../../webview/lib/csv';
import type { RunData, RunOutcome } from '../../src/preview/logic/data';
import { Cancelled, readoutAtLogits, runPreview, type RunOptions } from '../../src/preview/logic/run';
import { act, getTf, model, ref, type NodeSpec } from '../rebuild/helpers';

let tf: Awaited<ReturnType<typeof getTf>>;
before(async () => {
  tf = await getTf();
});

const OPTS: Omit<RunOptions, 'alternative'> = {
  input: { kind: 'gaussian', mean: 0, std: 1 },
  batch: 128,
  seed: 11,
  seeds: 1,
  spatialSize: 12,
  thresholds: { vanishing: 0.01, exploding: 100 },
  histogramBins: 30,
};

async function run(nodes: NodeSpec[], framework: Framework = 'tfjs', o: Partial<RunOptions> = {}): Promise<RunData> {
  const out = await runPreview(tf, model(framework, nodes), { ...OPTS, alternative: 'current', ...o });
  assert.ok(out.ok, out.ok ? '' : out.reason);
  return (out as Extract<RunOutcome, { ok: true }>).data;
}

const tj = (id: string, args = {}) => ref('tfjs', id, args);
const ke = (id: string, args = {}) => ref('keras', id, args);
const pt = (id: string, args = {}) => ref('pytorch', id, args);

function checkWeights(data: RunData, what: string): number {
  let checked = 0;
  for (const l of data.layers) {
    for (const w of l.weights) {
      assert.ok(w.histogram, `${what}: ${l.label} ${w.slot} has a histogram`);
      assert.equal(w.histogram!.counts.reduce((a, b) => a + b, 0), w.realized.count, `${what}: histogram counts every weight`);
      if (!w.intended || !(w.intended.std > 0)) continue;
      const n = w.realized.count;
      const ratio = (w.realized.std / w.intended.std) ** 2;
      const tol = 5 * Math.sqrt(2 / n) + 1e-3;
      assert.ok(Math.abs(ratio - 1) <= tol, `${what}: ${l.label} ${w.slot} (${w.initializer}): realized variance ×${ratio.toFixed(4)} of the intended, tolerance ${tol.toFixed(4)}`);
      checked++;
    }
  }
  return checked;
}

describe('rebuild → chart data: realized weight variance per layer kind and initializer', () => {
  const dense = (kernel?: InitializerRef, extra: Partial<NodeSpec> = {}): NodeSpec => ({ kind: 'dense', inFeatures: 96, outFeatures: 80, inputShape: [96], kernel, ...extra });
  const cases: [string, Framework, NodeSpec[]][] = [
    ['tfjs dense default glorotNormal', 'tfjs', [dense()]],
    ['tfjs dense glorotUniform', 'tfjs', [dense(tj('glorotUniform'))]],
    ['tfjs dense heNormal', 'tfjs', [dense(tj('heNormal'))]],
    ['tfjs dense heUniform', 'tfjs', [dense(tj('heUniform'))]],
    ['tfjs dense leCunNormal', 'tfjs', [dense(tj('leCunNormal'))]],
    ['tfjs dense randomNormal 0.1', 'tfjs', [dense(tj('randomNormal', { stddev: 0.1 }))]],
    ['tfjs dense truncatedNormal', 'tfjs', [dense(tj('truncatedNormal', { stddev: 0.2 }))]],
    ['tfjs dense randomUniform', 'tfjs', [dense(tj('randomUniform'))]],
    ['tfjs dense varianceScaling fanOut', 'tfjs', [dense(tj('varianceScaling', { scale: 2, mode: 'fanOut', distribution: 'uniform' }))]],
    ['tfjs dense orthogonal', 'tfjs', [dense(tj('orthogonal'))]],
    ['tfjs conv2d', 'tfjs', [{ kind: 'conv', inFeatures: 8, outFeatures: 16, kernelSize: [3, 3], inputShape: [12, 12, 8], kernel: tj('heUniform') }]],
    ['tfjs conv2dTranspose', 'tfjs', [{ kind: 'convTranspose', inFeatures: 8, outFeatures: 16, kernelSize: [3, 3], strides: [2, 2], inputShape: [6, 6, 8] }]],
    ['tfjs depthwiseConv2d', 'tfjs', [{ kind: 'depthwiseConv', inFeatures: 16, outFeatures: 32, depthMultiplier: 2, kernelSize: [3, 3], inputShape: [12, 12, 16] }]],
    ['tfjs separableConv2d', 'tfjs', [{ kind: 'separableConv', inFeatures: 16, outFeatures: 24, depthMultiplier: 1, kernelSize: [3, 3], inputShape: [12, 12, 16] }]],
    ['tfjs simpleRNN', 'tfjs', [{ kind: 'simpleRNN', inFeatures: 32, outFeatures: 48, inputShape: [6, 32], activation: act('tanh') }]],
    ['tfjs lstm with unitForgetBias', 'tfjs', [{ kind: 'lstm', inFeatures: 32, outFeatures: 48, inputShape: [6, 32], unitForgetBias: true }]],
    ['tfjs gru', 'tfjs', [{ kind: 'gru', inFeatures: 32, outFeatures: 48, inputShape: [6, 32] }]],
    ['tfjs embedding', 'tfjs', [{ kind: 'embedding', inFeatures: 500, outFeatures: 32, inputShape: [10] }]],
    ['keras dense he_normal (corrected truncation)', 'keras', [{ kind: 'dense', inFeatures: 96, outFeatures: 80, inputShape: [96], kernel: ke('he_normal') }]],
    ['keras conv glorot_uniform default', 'keras', [{ kind: 'conv', inFeatures: 8, outFeatures: 16, kernelSize: [3, 3], inputShape: [12, 12, 8] }]],
    ['keras lstm (unit forget bias)', 'keras', [{ kind: 'lstm', inFeatures: 32, outFeatures: 48, inputShape: [6, 32] }]],
    ['pytorch Linear default U(±1/√fan_in)', 'pytorch', [{ kind: 'dense', inFeatures: 96, outFeatures: 80, inputShape: [96] }]],
    ['pytorch kaiming_normal_', 'pytorch', [{ kind: 'dense', inFeatures: 96, outFeatures: 80, inputShape: [96], kernel: pt('kaiming_normal_', { nonlinearity: 'relu' }) }]],
    ['pytorch Conv2d default', 'pytorch', [{ kind: 'conv', inFeatures: 8, outFeatures: 16, kernelSize: [3, 3], inputShape: [12, 12, 8] }]],
    ['pytorch GRU default (b_ih + b_hh)', 'pytorch', [{ kind: 'gru', inFeatures: 32, outFeatures: 48, inputShape: [6, 32] }]],
    ['pytorch Embedding N(0, 1)', 'pytorch', [{ kind: 'embedding', inFeatures: 500, outFeatures: 32, inputShape: [10] }]],
  ];
  for (const [name, fw, nodes] of cases) {
    it(name, async () => {
      const data = await run(nodes, fw);
      assert.ok(checkWeights(data, name) >= 1, `${name}: at least one weight compared`);
      for (const l of data.layers) assert.ok(l.histogram && l.histogram.counts.length === 30, `${name}: activation histogram of ${l.label}`);
    });
  }
});

describe('rebuild → chart data: activation std against the analytic prediction', () => {
  const S = 4;
  const width = 128;
  const one = (n: NodeSpec[]) => n;
  const cases: [string, NodeSpec[], number][] = [
    ['dense relu heUniform', one([{ kind: 'dense', inFeatures: width, outFeatures: width, inputShape: [width], kernel: tj('heUniform'), activation: act('relu') }]), width],
    ['dense tanh glorotNormal', one([{ kind: 'dense', inFeatures: width, outFeatures: width, inputShape: [width], activation: act('tanh') }]), width],
    ['dense selu leCunNormal', one([{ kind: 'dense', inFeatures: width, outFeatures: width, inputShape: [width], kernel: tj('leCunNormal'), activation: act('selu') }]), width],
    ['conv relu', one([{ kind: 'conv', inFeatures: 16, outFeatures: 64, kernelSize: [3, 3], inputShape: [12, 12, 16], kernel: tj('heUniform'), activation: act('relu') }]), 64],
    [
      'dense → batchNorm → relu',
      one([
        { kind: 'dense', inFeatures: width, outFeatures: width, inputShape: [width] },
        { kind: 'batchNorm', outFeatures: width, inFeatures: width },
        { kind: 'activation', activation: act('relu') },
      ]),
      width,
    ],
  ];
  for (const [name, nodes, n] of cases) {
    it(name, async () => {
      const data = await run(nodes, 'tfjs', { seeds: S, batch: 256 });
      assert.equal(data.seeds.length, S);
      for (const l of data.layers) {
        assert.ok(l.output.stdMin <= l.output.std * (1 + 1e-9) && l.output.std <= l.output.stdMax * (1 + 1e-9), `${name}: seed range brackets the mean`);
        const p = l.predicted.std;
        if (p === undefined) continue;
        const tol = (4 * Math.sqrt(2 / n)) / 2 / Math.sqrt(S) + 0.02;
        const lr = Math.log(l.output.std / p);
        assert.ok(Math.abs(lr) <= tol, `${name}: ${l.label} std ${l.output.std.toFixed(4)} vs predicted ${p.toFixed(4)} (|log ratio| ${Math.abs(lr).toFixed(3)} > ${tol.toFixed(3)})`);
        if (l.gradient && l.predicted.gradStd !== undefined) {
          const lg = Math.log(l.gradient.std / l.predicted.gradStd);
          assert.ok(Math.abs(lg) <= tol + 0.05, `${name}: ${l.label} gradient std ${l.gradient.std.toFixed(4)} vs predicted ${l.predicted.gradStd.toFixed(4)}`);
        }
      }
      const rows = signalRows(data);
      assert.equal(rows.length, data.layers.length);
      assert.ok(rows.every((r) => r.forward !== undefined && r.forward > 0));
    });
  }
});

describe('rebuild → chart data: badges, notes and failures', () => {
  it('a negative bias kills a ReLU layer: dead badge; a wide N(0, 1) tanh layer saturates', async () => {
    const dead = await run([{ kind: 'dense', inFeatures: 64, outFeatures: 64, inputShape: [64], kernel: tj('leCunUniform'), bias: tj('constant', { value: -2 }), activation: act('relu') }]);
    assert.ok(dead.layers[0].output.zeroFraction > 0.9);
    assert.deepEqual(dead.layers[0].badges.map((b) => b.kind).filter((k) => k === 'dead'), ['dead']);
    const sat = await run([{ kind: 'dense', inFeatures: 256, outFeatures: 64, inputShape: [256], kernel: tj('randomNormal', { stddev: 1 }), activation: act('tanh') }]);
    assert.ok((sat.layers[0].output.saturatedFraction ?? 0) > 0.8);
    assert.ok(sat.layers[0].badges.some((b) => b.kind === 'saturated'));
  });
  it('overflow to Inf/NaN is data with a location, not an error', async () => {
    const nodes: NodeSpec[] = Array.from({ length: 60 }, (_, i) => ({ kind: 'dense' as const, inFeatures: 64, outFeatures: 64, inputShape: i === 0 ? [64] : undefined, kernel: tj('randomNormal', { stddev: 1 }), useBias: false }));
    const data = await run(nodes, 'tfjs', { batch: 16 });
    assert.ok(data.firstNonFinite, 'the first non-finite layer is located');
    const i = data.firstNonFinite!.layer;
    // The std grows ×√64 = 8 per layer from 1: float32 overflows (3.4e38) near layer log(3.4e38)/log(8) ≈ 42.7,
    // a little earlier for the largest of the batch's values (a few std).
    assert.ok(i >= 38 && i <= 46, `overflow at layer ${i}`);
    assert.ok(data.layers[i].badges.some((b) => b.kind === 'nonFinite'));
    assert.equal(data.firstNonFinite!.direction, 'forward');
    assert.equal(data.layers[i - 1].output.nanCount + data.layers[i - 1].output.infCount, 0);
    // The gradient grows ×8 per layer backwards too: it overflows near the input (a 'grad overflow' badge).
    assert.ok(data.layers[0].badges.some((b) => b.kind === 'nonFinite' && b.label === 'grad overflow'));
    assert.ok(data.layers[i - 1].badges.some((b) => b.kind === 'exploding'));
  });
  it('vanishing relative to the input, and a uniform [0, 1] input as the reference', async () => {
    const nodes: NodeSpec[] = Array.from({ length: 4 }, (_, i) => ({ kind: 'dense' as const, inFeatures: 64, outFeatures: 64, inputShape: i === 0 ? [64] : undefined, kernel: tj('randomNormal', { stddev: 0.01 }), activation: act('relu') }));
    const data = await run(nodes, 'tfjs', { input: { kind: 'uniform01' } });
    assert.equal(data.input.label, 'U[0, 1]');
    assert.ok(Math.abs(data.reference - 1 / 3) < 1e-12);
    assert.ok(data.layers[3].badges.some((b) => b.kind === 'vanishing'));
  });
  it('a softmax read-out is measured at its logits, where the prediction injects the gradient', async () => {
    const nodes: NodeSpec[] = [
      { kind: 'dense', inFeatures: 64, outFeatures: 64, inputShape: [64], kernel: tj('heUniform'), activation: act('relu') },
      { kind: 'dense', inFeatures: 64, outFeatures: 10, activation: act('softmax') },
    ];
    const m = model('tfjs', nodes);
    assert.equal(readoutAtLogits(m).model.layers[1].activation?.id, 'linear');
    const data = await run(nodes);
    assert.ok(data.notes.some((n) => /softmax read-out is measured at its logits/.test(n)));
    assert.ok(data.layers[0].gradient && data.layers[0].predicted.gradStd !== undefined);
    assert.ok(Math.abs(Math.log(data.layers[0].gradient!.std / data.layers[0].predicted.gradStd!)) < 0.5);
  });
  it('unknown sizes: a failure that says what to ask for; given, the model rebuilds', async () => {
    const nodes: NodeSpec[] = [{ kind: 'dense', outFeatures: 16 }, { kind: 'dense', inFeatures: 16, outFeatures: 4 }];
    const out = await runPreview(tf, model('tfjs', nodes), { ...OPTS, alternative: 'current' });
    assert.equal(out.ok, false);
    if (!out.ok) assert.equal(out.need, 'inputShape');
    const ok = await runPreview(tf, model('tfjs', nodes), { ...OPTS, alternative: 'current', inputShape: [24] });
    assert.ok(ok.ok);
    if (ok.ok) assert.deepEqual(ok.data.layers[0].weights.find((w) => w.slot === 'kernel')?.shape, [24, 16]);
  });
  it("a convolutional model that 'valid' padding shrinks to nothing is rebuilt with 'same', and says so", async () => {
    const nodes: NodeSpec[] = Array.from({ length: 5 }, (_, i) => ({ kind: 'conv' as const, inFeatures: i === 0 ? 3 : 8, outFeatures: 8, kernelSize: [3, 3], inputShape: i === 0 ? [64, 64, 3] : undefined }));
    const data = await run(nodes, 'tfjs', { spatialSize: 8, batch: 8 });
    assert.ok(data.spatial);
    assert.ok(data.notes.some((n) => /convolutions rebuilt with 'same' padding/.test(n)), data.notes.join('; '));
    assert.deepEqual(data.layers[4].outputShape, [8, 8, 8]);
    assert.ok(data.notes.some((n) => /per-pixel statistics do not depend on the image size/.test(n)));
  });
  it('a flatten of an already flat input (PyTorch) and after a global pooling is rebuilt as the identity', async () => {
    const flat = await run([{ kind: 'dense', inFeatures: 20, outFeatures: 20, inputShape: [20] }, { kind: 'flatten' }, { kind: 'dense', inFeatures: 20, outFeatures: 4 }], 'pytorch');
    assert.deepEqual(flat.layers[1].outputShape, [20]);
    const gap = await run([
      { kind: 'conv', inFeatures: 3, outFeatures: 8, kernelSize: [3, 3], inputShape: [10, 10, 3] },
      { kind: 'globalPooling', pooling: 'average' },
      { kind: 'flatten' },
      { kind: 'dense', inFeatures: 8, outFeatures: 4 },
    ], 'pytorch');
    assert.deepEqual(gap.layers[2].outputShape, [8]);
  });
  it('a backward pass tfjs cannot differentiate leaves the forward pass, and says why', async () => {
    // An explicit input node feeding an embedding: src/rebuild/measure probes the integer edge (GatherV2 fails).
    const data = await run([{ kind: 'input', inputShape: [12] }, { kind: 'embedding', inFeatures: 100, outFeatures: 16 }, { kind: 'dense', inFeatures: 16, outFeatures: 8 }], 'pytorch');
    assert.ok(data.notes.some((n) => /^the backward pass failed \(.+\): forward pass only$/.test(n)), data.notes.join('; '));
    assert.ok(data.layers.every((l) => l.gradient === undefined && l.output.std > 0));
  });
  it('a cap: too many parameters fails with need "smaller"', async () => {
    const out = await runPreview(tf, model('tfjs', [{ kind: 'dense', inFeatures: 4096, outFeatures: 4096, inputShape: [4096] }]), { ...OPTS, alternative: 'current', maxParams: 1_000_000 });
    assert.equal(out.ok, false);
    if (!out.ok) assert.equal(out.need, 'smaller');
  });
  it('a cancelled run stops and frees its tensors', async () => {
    const before = tf.memory().numTensors;
    let calls = 0;
    await assert.rejects(
      runPreview(tf, model('tfjs', [{ kind: 'dense', inFeatures: 32, outFeatures: 32, inputShape: [32] }]), { ...OPTS, alternative: 'current', seeds: 3, cancelled: () => ++calls > 1 }),
      (e) => e instanceof Cancelled,
    );
    assert.equal(tf.memory().numTensors, before);
  });
  it('the CSV has one row per layer and alternative', async () => {
    const a = await run([{ kind: 'dense', inFeatures: 8, outFeatures: 8, inputShape: [8], name: '=cmd|" /C calc"!A0' }]);
    const csv = runsToCsv([a, { ...a, alternative: 'he' }]);
    const lines = csv.trim().split('\r\n');
    assert.equal(lines.length, 3);
    assert.equal(lines[0].split(',').length, CSV_COLUMNS.length);
    assert.ok(lines[1].includes(`"'=cmd|"" /C calc""!A0"`));
  });
});
