/**
 * Every rule, on model descriptions written as data: a triggering and a non-triggering case each, including the
 * documented exceptions. Parsing is tested elsewhere; end-to-end cases through the tfjs analyzer are in
 * test/engine.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Model } from '../../src/core/model';
import { derivativeSecondMoment } from '../../src/core/moments';
import { propagate } from '../../src/core/propagate';
import { RULE_LIST, type RuleFinding } from '../../src/core/rules';
import { fixedPoint } from '../../src/core/rules/saturating-needs-glorot';
import { act, init, mlp, model, type LayerSpec } from '../helpers/models';
import { runRule } from '../helpers/rules';

const run = (id: string, m: Model): RuleFinding[] => runRule(id, m);

test('catalogue: the eleven rule ids of the spec, each documented', () => {
  assert.deepEqual(
    RULE_LIST.map((r) => r.meta.id).sort(),
    [
      'exploding-signal',
      'fixed-scale',
      'lstm-forget-bias',
      'recurrent-not-orthogonal',
      'relu-needs-he',
      'saturating-needs-glorot',
      'selu-needs-lecun',
      'symmetric-init',
      'tfjs-falsy-arg',
      'truncated-normal-shortfall',
      'vanishing-signal',
    ],
  );
  for (const r of RULE_LIST) {
    assert.ok(r.meta.docs.includes('```'), `${r.meta.id} has a before/after snippet`);
    assert.ok(r.meta.description.length > 40);
  }
});

test('relu-needs-he: default glorotNormal before relu is reported with its numbers; heUniform is not', () => {
  const bad = run('relu-needs-he', mlp('tfjs', 8, 256, 'relu'));
  assert.equal(bad.length, 7); // the linear read-out is not followed by relu
  assert.match(bad[0].message, /glorotNormal before relu: per-layer signal gain 0\.39 \(realized variance 0\.774× nominal\); after 7 such layers the signal is ×0\.0013\. Use heUniform\./);
  assert.equal(bad[0].severity, 'warning'); // default, but the depth makes it matter
  assert.deepEqual(bad[0].fixes[0].intent, { kind: 'setInitializer', layer: 0, slot: 'kernel', to: 'heUniform', args: undefined });
  assert.equal(bad[0].fixes[0].safe, false);
  assert.equal(run('relu-needs-he', mlp('tfjs', 8, 256, 'relu', 'heUniform')).length, 0);
});

test('relu-needs-he: a shallow default is information; explicit glorot is a warning; PyTorch default too', () => {
  const shallow = run('relu-needs-he', mlp('tfjs', 2, 64, 'relu'));
  assert.equal(shallow.length, 1);
  assert.equal(shallow[0].severity, 'info');
  const explicit = run('relu-needs-he', mlp('keras', 2, 64, 'relu', 'glorot_uniform'));
  assert.equal(explicit[0].severity, 'warning');
  assert.match(explicit[0].message, /per-layer signal gain 0\.5\. Use he_uniform/);
  const torch = run('relu-needs-he', mlp('pytorch', 2, 64, 'relu'));
  assert.match(torch[0].message, /PyTorch's default U\(±1\/√fan_in\) before relu: per-layer signal gain 0\.17/);
  assert.equal(torch[0].fixes[0].intent.kind === 'setInitializer' && torch[0].fixes[0].intent.to, 'kaiming_uniform_');
});

test('relu-needs-he: a separate activation layer through dropout counts; a batch norm in between does not', () => {
  const through = model('tfjs', [
    { kind: 'dense', inFeatures: 32, outFeatures: 32, kernel: 'glorotUniform' },
    { kind: 'dropout', extra: { rate: 0.1 } },
    { kind: 'activation', extra: { activation: act('relu') } },
    { kind: 'dense', inFeatures: 32, outFeatures: 1 },
  ]);
  const f = run('relu-needs-he', through);
  assert.equal(f.length, 1);
  assert.equal(f[0].related.length, 1);
  const normed = model('tfjs', [
    { kind: 'dense', inFeatures: 32, outFeatures: 32, kernel: 'glorotUniform' },
    { kind: 'batchNorm' },
    { kind: 'activation', extra: { activation: act('relu') } },
    { kind: 'dense', inFeatures: 32, outFeatures: 1 },
  ]);
  assert.equal(run('relu-needs-he', normed).length, 0);
});

test('saturating-needs-glorot: He before tanh reports saturation numbers; Glorot before tanh is fine', () => {
  const f = run('saturating-needs-glorot', mlp('tfjs', 3, 128, 'tanh', 'heUniform'));
  assert.equal(f.length, 2);
  // Fixed point of q = 2·E[tanh(√q z)²]: q* = 0.618, χ = 2·E[tanh'²] = 1.11 (chaotic); Glorot (c = 1) is critical:
  // q* = 0 and χ = tanh'(0)² = 1 exactly, which the message prints to 3 digits ("1": |χ − 1| < 5e-4).
  assert.match(f[0].message, /heUniform \(He scaling, c = 2\) before tanh: backward gain per layer 1\.11 where 1 is critical \(gradients ×7\.4 over 20 such layers\); pre-activations settle at std 0\.79\. Use glorotUniform \(backward gain 1\)\./);
  // Sigmoid: χ is far below 1 either way and Glorot is not closer to 1: no finding.
  assert.equal(run('saturating-needs-glorot', mlp('tfjs', 3, 128, 'sigmoid', 'heUniform')).length, 0);
  assert.equal(run('saturating-needs-glorot', mlp('tfjs', 3, 128, 'tanh', 'glorotUniform')).length, 0);
  assert.equal(run('saturating-needs-glorot', mlp('tfjs', 3, 128, 'relu', 'heUniform')).length, 0);
});

test('saturating-needs-glorot: the depth map\'s fixed point is exact at and near the critical c = 1', () => {
  // c·tanh'(0)² ≤ 1: the ratio E[tanh(√q z)²]/q < 1 for every q > 0, so q* = 0 and χ = c·tanh'(0)² = c exactly
  // (a capped iteration of the map stopped at q = 0.0025, χ = 0.995).
  assert.equal(fixedPoint('tanh', 0, 1), 0);
  assert.equal(derivativeSecondMoment('tanh', fixedPoint('tanh', 0, 1)), 1);
  assert.equal(fixedPoint('softsign', 0, 0.9), 0);
  // Just above critical, against an independent computation. tanh² = 1 − tanh′, so the series of tanh gives
  // E[tanh(√q z)²] = q − 2q² + (17/3)q³ − (62/3)q⁴ + (1382/15)q⁵ − 485.4q⁶ + … (E[z^2k] = (2k−1)!!), and q* solves
  // c·E/q = 1 with that polynomial up to q⁵; the q⁶ term moves q* by ≈ 243q*⁴ relative (E/q has slope ≈ −2). The
  // quadrature is within 1e-9 relative of E[f²] (test/core/moments.test.ts), which moves the root by 1e-9/(2q*)
  // relative; the bisection stops at 1e-12. The tolerance is twice their sum, as both are leading-order
  // estimates (1e-6 at c = 1.002, 5e-7 at 1.01); the 200-step iteration this replaces was 3.1× off at 1.002 and
  // 1.16× at 1.01.
  for (const c of [1.002, 1.01]) {
    const p = (q: number) => 1 - 2 * q + (17 / 3) * q ** 2 - (62 / 3) * q ** 3 + (1382 / 15) * q ** 4 - 1 / c;
    const dp = (q: number) => -2 + (34 / 3) * q - 62 * q ** 2 + (4 * 1382 / 15) * q ** 3;
    let series = (1 - 1 / c) / 2;
    for (let i = 0; i < 50; i++) series -= p(series) / dp(series);
    const q = fixedPoint('tanh', 0, c);
    const tol = 2 * (1e-9 / (2 * series) + 243 * series ** 4 + 1e-12);
    assert.ok(Math.abs(q - series) / series < tol, `c = ${c}: q* ${q} vs series ${series} (relative tolerance ${tol})`);
  }
});

test('selu-needs-lecun: default init before selu is reported; leCunUniform is not', () => {
  const f = run('selu-needs-lecun', mlp('tfjs', 3, 64, 'selu'));
  assert.equal(f.length, 2);
  assert.match(f[0].message, /fan_in·Var\(W\) = 0\.774 instead of 1/);
  assert.equal(f[0].fixes[0].intent.kind === 'setInitializer' && f[0].fixes[0].intent.to, 'leCunUniform');
  assert.equal(run('selu-needs-lecun', mlp('tfjs', 3, 64, 'selu', 'leCunUniform')).length, 0);
  assert.equal(run('selu-needs-lecun', mlp('keras', 3, 64, 'selu', 'lecun_normal')).length, 0);
});

test('selu-needs-lecun / relu-needs-he judge the realized scale: on target within 0.5%, reported just outside', () => {
  // Glorot: c = 2·fan_in/(fan_in + fan_out), independent of this code. Square: c = 1 exactly, SELU's target.
  const glorotC = (fin: number, fout: number) => (2 * fin) / (fin + fout);
  const selu = (fin: number, fout: number) =>
    run('selu-needs-lecun', model('keras', [{ kind: 'dense', inFeatures: fin, outFeatures: fout, kernel: 'glorot_uniform', activation: 'selu' }, { kind: 'dense', inFeatures: fout, outFeatures: 1 }]));
  assert.equal(selu(300, 300).length, 0);
  assert.equal(selu(128, 128).length, 0);
  assert.ok(Math.abs(glorotC(401, 399) - 1) < 0.005 && selu(401, 399).length === 0); // c = 1.0025
  assert.ok(Math.abs(glorotC(403, 397) - 1) > 0.005); // c = 1.0075
  assert.match(selu(403, 397)[0]?.message ?? '', /fan_in·Var\(W\) = 1\.01 instead of 1/);
  assert.match(selu(397, 403)[0]?.message ?? '', /fan_in·Var\(W\) = 0\.993 instead of 1/);
  // ReLU keeps c/2 of the signal: quiet from 0.995 up (Glorot into 1 unit after 512: 512/513 = 0.998).
  const relu = (fin: number, fout: number) =>
    run('relu-needs-he', model('keras', [{ kind: 'dense', inFeatures: fin, outFeatures: fout, kernel: 'glorot_uniform', activation: 'relu' }, { kind: 'dense', inFeatures: fout, outFeatures: 1 }]));
  assert.equal(relu(512, 1).length, 0);
  assert.equal(relu(300, 1).length, 0); // gain 300/301 = 0.9967
  assert.match(relu(300, 2)[0]?.message ?? '', /per-layer signal gain 0\.99\./); // gain 0.9934
});

test('symmetric-init: zeros in a hidden layer is an error; zeros in the read-out or at the end of a residual branch is not', () => {
  const hidden = mlp('tfjs', 3, 16, 'relu');
  hidden.layers[1].kernel = init('tfjs', 'zeros');
  const f = run('symmetric-init', hidden);
  assert.equal(f.length, 1);
  assert.equal(f[0].severity, 'error');
  assert.equal(f[0].fixes[0].intent.kind === 'setInitializer' && f[0].fixes[0].intent.to, 'heUniform');
  const readout = mlp('tfjs', 3, 16, 'relu');
  readout.layers[2].kernel = init('tfjs', 'zeros');
  assert.equal(run('symmetric-init', readout).length, 0);
  const residual = model('tfjs', [
    { kind: 'dense', inFeatures: 16, outFeatures: 16, kernel: 'heUniform', activation: 'relu' },
    { kind: 'dense', inFeatures: 16, outFeatures: 16, kernel: 'zeros' },
    { kind: 'add', extra: { inputs: [0, 1] } },
    { kind: 'dense', inFeatures: 16, outFeatures: 1 },
  ]);
  assert.equal(run('symmetric-init', residual).length, 0);
});

test('fixed-scale: randomNormal(0.05) is wrong at fan-in 2048 and gives the std that fits; right at 512', () => {
  const wide = mlp('tfjs', 3, 2048, 'relu', undefined);
  for (const l of wide.layers) l.kernel = init('tfjs', 'randomNormal', { stddev: 0.05 }, true);
  const f = run('fixed-scale', wide);
  assert.ok(f.length >= 1);
  // gain = 2048 · 0.0025 · ½ = 2.56; the std that fits relu: √(2/2048) = 0.03125
  assert.match(f[0].message, /per-layer signal gain 2\.6, outside \[0\.5, 2\]\. stddev 0\.0313 would give 1\.$/); // the std is the stddev: said once
  assert.deepEqual(f[0].fixes[0].intent, { kind: 'setInitializer', layer: 0, slot: 'kernel', to: 'randomNormal', args: { stddev: 0.0313 } });
  const ok = mlp('tfjs', 3, 512, 'relu');
  for (const l of ok.layers) l.kernel = init('tfjs', 'randomNormal', { stddev: 0.05 });
  assert.equal(run('fixed-scale', ok).filter((x) => x.layer !== 2).length, 0);
});

test('vanishing-signal / exploding-signal: reported once per model, only when every possible size agrees', () => {
  const deep = run('vanishing-signal', mlp('tfjs', 10, 256, 'relu'));
  assert.equal(deep.length, 1);
  assert.match(deep[0].message, /signal vanishes: its second moment entering the read-out dense \(layer 10\) is ×1\.9e-4 of the input's/);
  assert.match(deep[0].message, /Caused by dense \(layer 1\) ×0\.39/);
  assert.equal(run('vanishing-signal', mlp('tfjs', 10, 256, 'relu', 'heUniform')).length, 0);
  assert.equal(run('exploding-signal', mlp('tfjs', 10, 256, 'relu', 'heUniform')).length, 0);
  const big = mlp('tfjs', 10, 1024, 'relu');
  for (const l of big.layers) l.kernel = init('tfjs', 'randomNormal', { stddev: 0.1 });
  assert.equal(run('exploding-signal', big).length, 1);
  // Unknown input width of the first layer: Glorot's gain is bounded, so depth alone proves the loss.
  const unknownFirst = mlp('keras', 12, 256, 'relu');
  unknownFirst.layers[0].inFeatures = undefined;
  assert.equal(run('vanishing-signal', unknownFirst).length, 1);
  // A fixed std with an unknown width could be anything: no finding.
  const unknownFixed = mlp('tfjs', 12, 256, 'relu');
  for (const l of unknownFixed.layers) l.kernel = init('tfjs', 'randomNormal', { stddev: 0.01 });
  unknownFixed.layers[3].inFeatures = undefined;
  assert.equal(run('vanishing-signal', unknownFixed).length, 0);
});

test('recurrent-not-orthogonal and lstm-forget-bias', () => {
  const lstm = model('tfjs', [
    { kind: 'lstm', inFeatures: 32, outFeatures: 64, extra: { unitForgetBias: false, timeSteps: 20 } },
    { kind: 'dense', inFeatures: 64, outFeatures: 1 },
  ]);
  assert.equal(run('recurrent-not-orthogonal', lstm).length, 0); // tfjs default orthogonal
  const fb = run('lstm-forget-bias', lstm);
  assert.equal(fb.length, 1);
  assert.equal(fb[0].severity, 'info');
  assert.deepEqual(fb[0].fixes[0].intent, { kind: 'setLayerOption', layer: 0, option: 'unitForgetBias', value: true });
  lstm.layers[0].recurrent = init('tfjs', 'glorotUniform');
  lstm.layers[0].unitForgetBias = true;
  assert.equal(run('recurrent-not-orthogonal', lstm).length, 1);
  assert.equal(run('lstm-forget-bias', lstm).length, 0);
  const keras = model('keras', [{ kind: 'lstm', inFeatures: 8, outFeatures: 8, extra: { unitForgetBias: true } }]);
  assert.equal(run('lstm-forget-bias', keras).length, 0);
  const torch = model('pytorch', [{ kind: 'lstm', inFeatures: 8, outFeatures: 8, extra: { unitForgetBias: false } }]);
  const t = run('recurrent-not-orthogonal', torch);
  assert.equal(t.length, 1);
  assert.equal(t[0].severity, 'info');
});

test('lstm-forget-bias: the fix title names what the fix writes in that framework', () => {
  const title = (fw: 'tfjs' | 'keras' | 'pytorch') =>
    run('lstm-forget-bias', model(fw, [{ kind: 'lstm', inFeatures: 8, outFeatures: 8, extra: { unitForgetBias: false } }]))[0].fixes[0].title;
  assert.equal(title('tfjs'), 'Set unitForgetBias: true for lstm (layer 1)');
  assert.equal(title('keras'), 'Set unit_forget_bias=True for lstm (layer 1)');
  assert.equal(title('pytorch'), 'Fill the forget-gate slice of bias_ih with 1.0 for lstm (layer 1)');
});

test('truncated-normal-shortfall: explicit heNormal before relu, varianceScaling normal; not uniform, not defaults', () => {
  const he = run('truncated-normal-shortfall', mlp('tfjs', 3, 64, 'relu', 'heNormal'));
  assert.equal(he.length, 3);
  assert.match(he[0].message, /0\.774× the intended variance\. Use heUniform/);
  const vs = mlp('tfjs', 2, 64, 'relu');
  vs.layers[0].kernel = init('tfjs', 'varianceScaling', { scale: 2, mode: 'fanIn', distribution: 'normal' });
  const v = run('truncated-normal-shortfall', vs);
  assert.equal(v.length, 1);
  assert.deepEqual(v[0].fixes[0].intent, {
    kind: 'setInitializer',
    layer: 0,
    slot: 'kernel',
    to: 'varianceScaling',
    args: { scale: 2, mode: 'fanIn', distribution: 'uniform' },
  });
  assert.equal(run('truncated-normal-shortfall', mlp('tfjs', 3, 64, 'relu', 'heUniform')).length, 0);
  assert.equal(run('truncated-normal-shortfall', mlp('tfjs', 3, 64, 'tanh')).length, 0); // default glorotNormal: not explicit
  assert.equal(run('truncated-normal-shortfall', mlp('keras', 3, 64, 'relu', 'he_normal')).length, 0); // Keras corrects
});

test('tfjs-falsy-arg: minval 0 and stddev 0 are errors with safe fixes; mean 0 and uniform seed 0 are not findings', () => {
  const m = mlp('tfjs', 2, 16, 'relu');
  const ref = init('tfjs', 'randomUniform', { minval: 0, maxval: 1, seed: 0 });
  ref.falsyArgs = [
    { name: 'minval', span: { start: 3, end: 4 } },
    { name: 'seed', span: { start: 7, end: 8 } },
  ];
  m.layers[0].kernel = ref;
  const f = run('tfjs-falsy-arg', m);
  assert.equal(f.length, 1);
  assert.equal(f[0].severity, 'error');
  assert.match(f[0].message, /minval: 0 is falsy and silently becomes -0\.05/);
  assert.equal(f[0].fixes[0].safe, true);
  const n = init('tfjs', 'randomNormal', { mean: 0, stddev: 0, seed: 0 });
  n.falsyArgs = [
    { name: 'mean', span: { start: 1, end: 2 } },
    { name: 'stddev', span: { start: 3, end: 4 } },
    { name: 'seed', span: { start: 5, end: 6 } },
  ];
  m.layers[0].kernel = n;
  const g = run('tfjs-falsy-arg', m);
  assert.deepEqual(g.map((x) => x.message.match(/(stddev|seed)/)?.[1]), ['stddev', 'seed']);
});

// ---------------------------------------------------------------------------------------------------------------
// Deliberate patterns (GPT-2 pre-norm residual branches, zero-γ BatchNorm at the end of a branch, zero read-out)

const N02 = (fw: 'pytorch' | 'keras' = 'pytorch') => init(fw, fw === 'pytorch' ? 'normal_' : 'random_normal', { mean: 0, stddev: 0.02 });

/** emb → [pre-norm block: LN → dense → gelu → dense] + stream → LN → read-out (GPT-2 shape, one block). */
function gptLike(opts: { preNorm?: boolean; finalNorm?: boolean; branchStd?: number } = {}) {
  const { preNorm = true, finalNorm = true, branchStd = 0.02 } = opts;
  const k = init('pytorch', 'normal_', { mean: 0, stddev: branchStd });
  return model('pytorch', [
    { kind: 'embedding', inFeatures: 100, outFeatures: 64, kernel: N02() }, // 0
    { kind: preNorm ? 'layerNorm' : 'dropout', inFeatures: 64, outFeatures: 64, extra: { rate: 0 } }, // 1
    { kind: 'dense', inFeatures: 64, outFeatures: 256, kernel: k }, // 2
    { kind: 'activation', extra: { activation: act('gelu') } }, // 3
    { kind: 'dense', inFeatures: 256, outFeatures: 64, kernel: k }, // 4
    { kind: 'add', extra: { inputs: [0, 4] } }, // 5
    { kind: finalNorm ? 'layerNorm' : 'dropout', inFeatures: 64, outFeatures: 64, extra: { rate: 0 } }, // 6
    { kind: 'dense', inFeatures: 64, outFeatures: 100, kernel: N02() }, // 7: read-out
  ]);
}

test('fixed-scale: the std in brackets only where the fit names another number (truncated stddev, uniform limits)', () => {
  // Linear output at fan-in 1024: the std that fits is 1/√1024 = 0.03125; tfjs truncatedNormal's stddev must be
  // 0.03125/√0.774 = 0.0355 (uncorrected ±2σ truncation), randomUniform's limit √3·0.03125 = 0.0541.
  const message = (id: string, args: object) =>
    run('fixed-scale', model('tfjs', [{ kind: 'dense', inFeatures: 1024, outFeatures: 64, kernel: init('tfjs', id, args) }, { kind: 'dense', inFeatures: 64, outFeatures: 1 }]))[0]
      ?.message;
  assert.match(message('randomNormal', { stddev: 0.1 }) ?? '', / stddev 0\.0313 would give 1\.$/);
  assert.match(message('truncatedNormal', { stddev: 0.1 }) ?? '', / stddev 0\.0355 would give 1 \(std 0\.0313\)\.$/);
  assert.match(message('randomUniform', { minval: -0.5, maxval: 0.5 }) ?? '', / limits ±0\.0541 would give 1 \(std 0\.0313\)\.$/);
});

test('fixed-scale: std 0.02 inside a pre-norm residual branch and a normalized read-out are deliberate (GPT-2)', () => {
  assert.deepEqual(run('fixed-scale', gptLike()), []);
  // Without the LayerNorm in front of the branch it is an ordinary small-std layer: reported.
  const postNorm = run('fixed-scale', gptLike({ preNorm: false }));
  assert.deepEqual(postNorm.map((f) => f.layer), [2, 4]);
  // The read-out of an unnormalized stream is reported as before.
  assert.deepEqual(run('fixed-scale', gptLike({ finalNorm: false })).map((f) => f.layer), [7]);
  // Too large inside the branch still compounds into the stream: reported.
  assert.deepEqual(run('fixed-scale', gptLike({ branchStd: 0.5 })).map((f) => f.layer), [2, 4]);
});

test('vanishing-signal / exploding-signal: pre-norm branches are not blamed; a normalized read-out input is not a signal problem', () => {
  // emb(0.02) → LN → read-out: the read-out sees LayerNorm's unit scale, 2500× the embedding's; not an explosion.
  const normalized = gptLike();
  assert.ok(propagate(normalized).readoutRatio!.estimate! > 100);
  assert.deepEqual(run('exploding-signal', normalized), []);
  // An unnormalized read-out input 1e5× the embedding's is still reported.
  const big = model('pytorch', [
    { kind: 'embedding', inFeatures: 100, outFeatures: 64, kernel: N02() },
    { kind: 'layerNorm', inFeatures: 64, outFeatures: 64 },
    { kind: 'dense', inFeatures: 64, outFeatures: 64, kernel: init('pytorch', 'normal_', { mean: 0, stddev: 1 }) },
    { kind: 'dense', inFeatures: 64, outFeatures: 10 },
  ]);
  assert.equal(run('exploding-signal', big).length, 1);
  // A vanishing signal caused before a pre-norm block: the culprits are the layers before it, not the branch.
  const rn = (stddev: number) => init('keras', 'random_normal', { mean: 0, stddev });
  const vanish = model('keras', [
    { kind: 'dense', inFeatures: 64, outFeatures: 64, kernel: rn(0.01) }, // 0
    { kind: 'dense', inFeatures: 64, outFeatures: 64, kernel: rn(0.01) }, // 1
    { kind: 'layerNorm', inFeatures: 64, outFeatures: 64, extra: { inputs: [1] } }, // 2
    { kind: 'dense', inFeatures: 64, outFeatures: 64, kernel: rn(0.005), extra: { inputs: [2] } }, // 3
    { kind: 'add', extra: { inputs: [1, 3] } }, // 4
    { kind: 'dense', inFeatures: 64, outFeatures: 1, extra: { inputs: [4] } }, // 5: read-out
  ]);
  const v = run('vanishing-signal', vanish);
  assert.equal(v.length, 1);
  // Without the exception the branch's dense (×0.0016, the smallest gain) would be named first.
  assert.match(v[0].message, /Caused by dense \(layer 1\) ×0\.0064, random_normal; dense \(layer 2\) ×0\.0064, random_normal\./);
  assert.doesNotMatch(v[0].message, /layer 4\)/); // the branch's dense (ordinal 4) is not blamed
});

test('symmetric-init: zero γ of the BatchNorm ending a residual branch is not a kernel; a zero read-out is exempt (PyTorch)', () => {
  const zeroGamma = model('pytorch', [
    { kind: 'conv', inFeatures: 16, outFeatures: 16, kernel: init('pytorch', 'kaiming_normal_', { nonlinearity: 'relu', mode: 'fanOut' }), extra: { kernelSize: [3, 3] } }, // 0
    { kind: 'batchNorm', inFeatures: 16, outFeatures: 16, extra: { gamma: init('pytorch', 'zeros_') } }, // 1
    { kind: 'add', extra: { inputs: [0, 1] } }, // 2
    { kind: 'activation', extra: { activation: act('relu') } }, // 3
    { kind: 'dense', inFeatures: 16, outFeatures: 10 }, // 4
  ]);
  assert.deepEqual(run('symmetric-init', zeroGamma), []);
  const zeroReadout = mlp('pytorch', 3, 32, 'relu', 'kaiming_uniform_');
  for (const l of zeroReadout.layers.slice(0, 2)) l.kernel = init('pytorch', 'kaiming_uniform_', { nonlinearity: 'relu' });
  zeroReadout.layers[2].kernel = init('pytorch', 'zeros_');
  assert.deepEqual(run('symmetric-init', zeroReadout), []);
  assert.deepEqual(run('vanishing-signal', zeroReadout), []); // measured entering the read-out
  // A zero hidden kernel still is an error.
  zeroReadout.layers[1].kernel = init('pytorch', 'zeros_');
  assert.equal(run('symmetric-init', zeroReadout).length, 1);
});

test('related locations come from the rules: the activation a layer feeds, fused (written apart) or a layer of its own', () => {
  // Fused activation written apart from the initializer: the activation rules point at it.
  const fused = model('tfjs', [
    { kind: 'dense', inFeatures: 64, outFeatures: 64, kernel: 'heNormal', extra: { activation: { id: 'tanh', explicit: true, span: { start: 30, end: 36 } } } },
    { kind: 'dense', inFeatures: 64, outFeatures: 1 },
  ]);
  const sat = run('saturating-needs-glorot', fused);
  assert.equal(sat.length, 1);
  assert.deepEqual(sat[0].related, [{ span: { start: 30, end: 36 }, message: 'the tanh activation of dense (layer 1)' }]);
  // Inside the finding's own span it would only repeat it: nothing.
  const inside = model('tfjs', [
    { kind: 'dense', inFeatures: 64, outFeatures: 64, kernel: init('tfjs', 'heNormal'), extra: { activation: { id: 'tanh', explicit: true, span: { start: 0, end: 1 } } } },
    { kind: 'dense', inFeatures: 64, outFeatures: 1 },
  ]);
  assert.deepEqual(run('saturating-needs-glorot', inside)[0].related, []);
  // A SELU layer of its own: selu-needs-lecun points at it, as relu-needs-he does for a ReLU.
  const selu = model('tfjs', [
    { kind: 'dense', inFeatures: 64, outFeatures: 64, kernel: 'heUniform' },
    { kind: 'activation', extra: { activation: { id: 'selu', explicit: true, span: { start: 150, end: 156 } } } },
    { kind: 'dense', inFeatures: 64, outFeatures: 1 },
  ]);
  assert.deepEqual(run('selu-needs-lecun', selu)[0].related, [{ span: { start: 150, end: 156 }, message: 'the selu this layer feeds' }]);
});

test('vanishing-signal: culprits are weighted layers only; a ReLU layer of its own (gain ½) is not counted in "and N more"', () => {
  // Six default nn.Linear (c = 1/3, zero biases so every one has gain exactly 1/3) each followed by a ReLU layer.
  const specs: LayerSpec[] = [];
  for (let i = 0; i < 6; i++) {
    specs.push({ kind: 'dense', inFeatures: 256, outFeatures: 256, extra: { bias: init('pytorch', 'zeros_') } });
    specs.push({ kind: 'activation', activation: 'relu' });
  }
  specs.push({ kind: 'dense', inFeatures: 256, outFeatures: 10 });
  const [f] = run('vanishing-signal', model('pytorch', specs));
  assert.match(f.message, /after 6 weighted layers\. Caused by dense \(layer 1\) ×0\.33, [^;]+; dense \(layer 3\) ×0\.33, [^;]+; dense \(layer 5\) ×0\.33, [^.]+ and 3 more\./);
});

test('vanishing-signal: related locations are the read-out and exactly the layers its message names, in model order', () => {
  const m = mlp('pytorch', 8, 256, 'relu');
  const [f] = run('vanishing-signal', m);
  assert.equal(f.related[0].message, 'the read-out layer');
  assert.deepEqual(f.related[0].span, m.layers[7].span);
  const named = [...f.message.matchAll(/(linear|dense) \(layer (\d+)\) ×/g)].map((x) => Number(x[2]));
  assert.equal(named.length, 3);
  const culprits = f.related.slice(1);
  assert.deepEqual(culprits.map((r) => r.span), [...named].sort((a, b) => a - b).map((n) => m.layers[n - 1].span));
  for (const r of culprits) {
    const [, label, gain] = /^(dense \(layer \d+\)): signal (×[\d.]+) through this layer$/.exec(r.message)!;
    assert.ok(f.message.includes(`${label} ${gain}`), `${r.message} not named in the message`);
  }
});
