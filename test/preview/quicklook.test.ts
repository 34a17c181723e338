/**
 * The progressive run of the preview (webview/lib/run.ts): when the full measurement would show its chart too late,
 * a quick look (a real, smaller measurement on the same rebuilt weights: a smaller batch, one seed, recurrent layers
 * over fewer time steps, no weight statistics) is handed to the page first, then the full run. Real TensorFlow.js
 * on WASM in Node. No timing is asserted: the deadlines given are "already passed" or "never".
 */
import assert from 'node:assert/strict';
import { before, beforeEach, describe, it } from 'node:test';
import { buildModel, type BuiltModel } from '../../src/rebuild/build';
import { measure } from '../../src/rebuild/measure';
import { Cancelled, estimateMeasureMs, QUICK_MIN_BATCH, QUICK_TIME_STEPS, resetCalibration, runPreview, shortenSequences, type RunOptions } from '../../src/preview/logic/run';
import { quickLookDifferences, type RunData, type RunOutcome } from '../../src/preview/logic/data';
import { act, getTf, model, ref, type NodeSpec } from '../rebuild/helpers';

let tf: Awaited<ReturnType<typeof getTf>>;
before(async () => {
  tf = await getTf();
});
beforeEach(() => resetCalibration());

const OPTS: RunOptions = {
  alternative: 'current',
  input: { kind: 'gaussian', mean: 0, std: 1 },
  batch: 64,
  seed: 5,
  seeds: 2,
  spatialSize: 12,
  thresholds: { vanishing: 0.01, exploding: 100 },
  histogramBins: 20,
};

const tj = (id: string, args = {}) => ref('tfjs', id, args);

/** Embedding → (bidirectional) LSTM → dense, over `steps` time steps. */
function sentiment(steps: number, o: { bidirectional?: boolean } = {}): NodeSpec[] {
  return [
    { kind: 'embedding', inFeatures: 300, outFeatures: 8, inputShape: [steps] },
    { kind: 'lstm', inFeatures: 8, outFeatures: 8, timeSteps: steps, returnSequences: false, wrapper: o.bidirectional ? 'bidirectional' : undefined },
    { kind: 'dense', inFeatures: o.bidirectional ? 16 : 8, outFeatures: 1, activation: act('sigmoid') },
  ];
}

function built(nodes: NodeSpec[]): BuiltModel {
  const b = buildModel(tf, model('tfjs', nodes), { seed: 1 });
  assert.ok(b.ok, b.ok ? '' : b.reason);
  return b as BuiltModel;
}

async function progressive(
  nodes: NodeSpec[],
  o: Partial<RunOptions> & { deadline: number; target?: number; onShow?: (d: RunData) => void },
): Promise<{ quick: RunData[]; out: RunOutcome }> {
  const quick: RunData[] = [];
  const { deadline, target, onShow, ...rest } = o;
  const out = await runPreview(tf, model('tfjs', nodes, 'seq'), {
    ...OPTS,
    ...rest,
    quickLook: {
      deadline,
      target,
      show: (d) => {
        quick.push(d);
        onShow?.(d);
      },
    },
  });
  return { quick, out };
}

describe('quick look: recurrent layers over fewer time steps', () => {
  it('shortens the input, the embedding and the recurrent layers, keeping the weights', async () => {
    const b = built(sentiment(60, { bidirectional: true }));
    try {
      const s = shortenSequences(b, 20)!;
      assert.ok(s);
      assert.deepEqual([s.from, s.to, s.layers], [60, 20, [1]]);
      assert.deepEqual(s.built.inputs[0].shape, [20]);
      assert.deepEqual(s.built.layers.map((l) => l.outputShape), [[20, 8], [16], [1]]);
      assert.deepEqual(s.built.layers[1].inputShapes, [[20, 8]]);
      assert.equal(s.built.layers[1].weights, b.layers[1].weights, 'the same weights');
      assert.deepEqual(b.inputs[0].shape, [60], 'the model itself is unchanged');
      // The view runs: a real measurement over 20 steps.
      const m = await measure(tf, s.built, { batch: 4, seed: 1, input: OPTS.input, backward: true, skipWeights: true });
      assert.deepEqual(m.layers[0].outputShape, [20, 8]);
      assert.ok(m.layers[1].output.std > 0 && m.layers[1].gradient!.std > 0);
      s.built.dispose();
      assert.ok(!b.layers[1].weights[0].variable.read().isDisposed, 'disposing the view leaves the weights');
    } finally {
      b.dispose();
    }
  });

  it('stacked recurrent layers with sequences between them; a float input [time, features]', () => {
    const b = built([
      { kind: 'gru', inFeatures: 6, outFeatures: 8, inputShape: [48, 6], timeSteps: 48, returnSequences: true },
      { kind: 'dropout', rate: 0.1 },
      { kind: 'lstm', inFeatures: 8, outFeatures: 8, timeSteps: 48, returnSequences: false },
      { kind: 'dense', inFeatures: 8, outFeatures: 2 },
    ]);
    try {
      const s = shortenSequences(b, 16)!;
      assert.ok(s);
      assert.deepEqual(s.built.inputs[0].shape, [16, 6]);
      assert.deepEqual(s.built.layers.map((l) => l.outputShape), [[16, 8], [16, 8], [8], [2]]);
      assert.deepEqual(s.layers, [0, 2]);
    } finally {
      b.dispose();
    }
  });

  it('leaves alone what shortening would change: a flattened sequence, short sequences, no recurrent layer', () => {
    const flat = built([
      { kind: 'embedding', inFeatures: 50, outFeatures: 4, inputShape: [40] },
      { kind: 'lstm', inFeatures: 4, outFeatures: 4, timeSteps: 40, returnSequences: true },
      { kind: 'flatten' },
      { kind: 'dense', inFeatures: 160, outFeatures: 1 },
    ]);
    const short = built(sentiment(12));
    const mlp = built([{ kind: 'dense', inFeatures: 64, outFeatures: 64, inputShape: [64] }]);
    try {
      assert.equal(shortenSequences(flat, 20), undefined);
      assert.equal(shortenSequences(short, 20), undefined);
      assert.equal(shortenSequences(mlp, 20), undefined);
    } finally {
      for (const b of [flat, short, mlp]) b.dispose();
    }
  });
});

describe('quick look: the cost model', () => {
  it('grows with the batch, the backward pass, the time steps and the weights', () => {
    const b = built(sentiment(200));
    try {
      const e = (o: Partial<Parameters<typeof estimateMeasureMs>[1]> = {}) => estimateMeasureMs(b, { batch: 32, backward: true, weights: false, ...o }).totalMs;
      assert.ok(e({ batch: 64 }) > e());
      assert.ok(e() > e({ backward: false }));
      assert.ok(e({ weights: true }) > e());
      assert.ok(e({ speed: 1 / 25 }) > 20 * e());
      assert.ok(e() > estimateMeasureMs(shortenSequences(b, 20)!.built, { batch: 32, backward: true, weights: false }).totalMs * 5);
    } finally {
      b.dispose();
    }
  });
});

describe('quick look: the progressive run', () => {
  it('a late run shows a quick look first (smaller, marked), then the full run on the same weights', async () => {
    const before = tf.memory().numTensors;
    // Late, but with all the time in the world for the quick look itself: it has the gradients.
    const { quick, out } = await progressive(sentiment(120), { deadline: 0, target: Infinity });
    assert.equal(quick.length, 1);
    const q = quick[0];
    assert.ok(q.quickLook);
    assert.equal(q.quickLook.timeSteps?.used, QUICK_TIME_STEPS);
    assert.equal(q.quickLook.timeSteps?.of, 120);
    assert.deepEqual([q.quickLook.seeds, q.quickLook.fullSeeds, q.quickLook.fullBatch], [1, 2, 64]);
    assert.ok(q.batch >= QUICK_MIN_BATCH && q.batch <= 64);
    assert.equal(q.seeds.length, 1);
    assert.deepEqual(q.layers[0].outputShape, [QUICK_TIME_STEPS, 8]);
    assert.ok(q.layers.every((l) => l.weights.length === 0), 'weights deferred');
    assert.ok(q.layers[1].output.std > 0);
    assert.ok(q.quickLook.backward && q.layers[1].gradient!.std > 0);
    // The prediction beside it is for the same 20 steps.
    assert.match(q.layers[1].predicted.note ?? '', new RegExp(`, ${QUICK_TIME_STEPS} steps`));
    const said = quickLookDifferences(q.quickLook);
    for (const d of ['1 of 2 seeds', `recurrent layers over ${QUICK_TIME_STEPS} of 120 time steps (the prediction too)`, 'weight histograms deferred']) assert.ok(said.includes(d), said.join('; '));
    assert.equal(said.includes(`batch ${q.batch} of 64`), q.batch < 64);

    assert.ok(out.ok);
    const full = (out as Extract<RunOutcome, { ok: true }>).data;
    assert.equal(full.quickLook, undefined);
    assert.equal(full.afterQuickLook?.timeSteps?.of, 120);
    assert.equal(full.batch, 64);
    assert.deepEqual(full.seeds, [5, 6]);
    assert.deepEqual(full.layers[0].outputShape, [120, 8]);
    assert.match(full.layers[1].predicted.note ?? '', /, 120 steps/);
    assert.ok(full.layers[1].weights.length > 0 && full.layers[1].weights.every((w) => w.histogram));
    // The same embedding weights: the embedding's output statistics agree.
    assert.ok(Math.abs(Math.log(q.layers[0].output.std / full.layers[0].output.std)) < 0.2);
    assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
  });

  it('a plain network: a smaller batch and one seed, the same weights, so close statistics', async () => {
    const nodes: NodeSpec[] = [
      { kind: 'dense', inFeatures: 512, outFeatures: 512, inputShape: [512], activation: act('relu'), kernel: tj('heNormal') },
      { kind: 'dense', inFeatures: 512, outFeatures: 512, activation: act('relu'), kernel: tj('heNormal') },
      { kind: 'dense', inFeatures: 512, outFeatures: 10 },
    ];
    const { quick, out } = await progressive(nodes, { deadline: 0, batch: 512, seeds: 3 });
    assert.equal(quick.length, 1);
    const q = quick[0];
    assert.equal(q.quickLook?.timeSteps, undefined);
    assert.ok(q.batch >= QUICK_MIN_BATCH && q.batch < 512, `batch ${q.batch}`);
    assert.equal(q.seeds.length, 1);
    assert.ok(quickLookDifferences(q.quickLook!).includes(`batch ${q.batch} of 512`));
    assert.ok(out.ok);
    const full = (out as Extract<RunOutcome, { ok: true }>).data;
    assert.deepEqual(full.seeds, [5, 6, 7]);
    for (const i of [0, 1]) {
      // Seed 5's weights in both; the full run averages seeds 5-7 (width 512: a few % per seed).
      assert.ok(Math.abs(Math.log(q.layers[i].output.std / full.layers[i].output.std)) < 0.25, `layer ${i}`);
      if (q.quickLook?.backward) assert.ok(q.layers[i].gradient!.std > 0);
      else assert.equal(q.layers[i].gradient, undefined);
    }
  });

  it('a run that ends in time has no quick look', async () => {
    const { quick, out } = await progressive(sentiment(120), { deadline: Infinity });
    assert.equal(quick.length, 0);
    assert.ok(out.ok && !out.data.afterQuickLook && !out.data.quickLook);
  });

  it('a newer request while the quick look is shown cancels the run, and frees its tensors', async () => {
    const before = tf.memory().numTensors;
    let newer = false;
    await assert.rejects(
      runPreview(tf, model('tfjs', sentiment(120)), {
        ...OPTS,
        cancelled: () => newer,
        quickLook: {
          deadline: 0,
          show: () => {
            newer = true;
          },
        },
      }),
      (e) => e instanceof Cancelled,
    );
    assert.equal(tf.memory().numTensors, before);
  });
});
