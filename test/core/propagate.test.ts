import assert from 'node:assert/strict';
import { test } from 'node:test';
import { propagate } from '../../src/core/propagate';
import { TRUNC_NORMAL_2SIGMA_VARIANCE as T } from '../../src/core/moments';
import { mlp, model, init } from '../helpers/models';

const close = (a: number | undefined, b: number, rel = 1e-6, what = '') => {
  assert.ok(a !== undefined, `${what}: undefined`);
  assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${what}: ${a} vs ${b}`);
};

test('He-uniform ReLU MLP keeps the second moment exactly (He et al. 2015: ½·n·Var = 1)', () => {
  const p = propagate(mlp('tfjs', 8, 256, 'relu', 'heUniform'));
  // c = fan_in·Var = 2: the first pre-activation is q = 2·E[x²] = 2 and relu keeps ½ of it, so every hidden
  // output has E[x²] = 1, exactly the input's.
  for (let i = 0; i < 7; i++) close(p.layers[i].output.estimate, 1, 1e-9, `layer ${i}`);
  close(p.readoutRatio?.estimate, 1, 1e-9, 'readout');
});

test('tfjs default glorotNormal before ReLU: ×0.3869 per square layer (reference §4.4)', () => {
  const p = propagate(mlp('tfjs', 8, 256, 'relu'));
  // Input to the read-out = after 7 relu layers: (T·1·½)^7 · E[x²]=1, times 1 (first layer sees unit input).
  close(p.readoutRatio?.estimate, (T / 2) ** 7, 1e-9, 'readout');
  close(p.layers[0].forwardGain, T / 2, 1e-9, 'gain');
});

test('PyTorch default Linear before ReLU: ×1/6 per layer; with its bias the fixed point is 2/(5n) (reference §3.5)', () => {
  const noBias = mlp('pytorch', 6, 100, 'relu');
  for (const l of noBias.layers) l.useBias = false;
  close(propagate(noBias).layers[0].forwardGain, 1 / 6, 1e-9, 'gain');
  const deep = mlp('pytorch', 60, 100, 'relu');
  const p = propagate(deep);
  // q* of the pre-activation = 2/(5n); the relu output second moment is q*/2.
  close(p.layers[58].preActivation?.estimate, 2 / (5 * 100), 1e-6, 'fixed point');
});

test('tanh at PyTorch gain 5/3 settles at q* = 1.1785 (reference §4.2)', () => {
  const m = mlp('pytorch', 80, 64, 'tanh', 'kaiming_normal_');
  for (const l of m.layers) {
    l.kernel = init('pytorch', 'kaiming_normal_', { nonlinearity: 'tanh' });
    l.useBias = false;
  }
  const p = propagate(m);
  close(p.layers[78].preActivation?.estimate, 1.1785, 1e-4, 'q*');
});

test('sigmoid at gain 1 settles at q* = 0.2647; SELU at gain 3/4 at q* = 0.0230 (reference §4.2)', () => {
  for (const [a, nl, q] of [['sigmoid', 'sigmoid', 0.2647], ['selu', 'selu', 0.023]] as const) {
    const m = mlp('pytorch', 200, 64, a, 'kaiming_normal_');
    for (const l of m.layers) {
      l.kernel = init('pytorch', 'kaiming_normal_', { nonlinearity: nl });
      l.useBias = false;
    }
    close(propagate(m).layers[198].preActivation?.estimate, q, 2e-3, `${a} q*`);
  }
});

test('normalization resets the scale; dropout scales by 1/(1−p); flatten passes through', () => {
  const m = model('tfjs', [
    { kind: 'dense', inFeatures: 64, outFeatures: 64, kernel: init('tfjs', 'randomNormal', { stddev: 1 }) },
    { kind: 'batchNorm' },
    { kind: 'dropout', extra: { rate: 0.5 } },
    { kind: 'flatten' },
    { kind: 'dense', inFeatures: 64, outFeatures: 10 },
  ]);
  const p = propagate(m);
  close(p.layers[0].output.estimate, 64, 1e-9, 'dense');
  close(p.layers[1].output.estimate, 64 / (64 + 1e-3), 1e-9, 'bn');
  close(p.layers[2].output.estimate, (2 * 64) / (64 + 1e-3), 1e-9, 'dropout');
  close(p.layers[3].output.estimate, (2 * 64) / (64 + 1e-3), 1e-9, 'flatten');
});

test('residual add sums the branch second moments', () => {
  const m = model('tfjs', [
    { kind: 'dense', inFeatures: 32, outFeatures: 32, kernel: 'heUniform', activation: 'relu' },
    { kind: 'dense', inFeatures: 32, outFeatures: 32, kernel: 'heUniform' },
    { kind: 'add', extra: { inputs: [0, 1] } },
  ]);
  const p = propagate(m);
  // relu branch: 2·1·½ = 1; linear branch: 2·1 = 2.
  close(p.layers[2].output.estimate, 1 + 2, 1e-9, 'add');
});

test('unknown fan-in: Glorot gain is bounded, a fixed std is unbounded, He is exact', () => {
  const glorot = propagate(model('keras', [{ kind: 'dense', outFeatures: 16, activation: 'relu' }]));
  const out = glorot.layers[0].output;
  assert.equal(out.estimate, undefined);
  // c = 2·fi/(fi + 16) over fi ≥ 1: from 2/17 up to (not reaching) 2; relu halves it.
  close(out.lo, 1 / 17, 1e-9, 'glorot lower bound');
  assert.ok(out.hi <= 1 + 1e-9 && out.hi > 0.99, `glorot bound ${out.hi}`);
  const fixed = propagate(model('tfjs', [{ kind: 'dense', outFeatures: 16, kernel: init('tfjs', 'randomNormal', { stddev: 0.05 }) }]));
  assert.equal(fixed.layers[0].output.hi, Infinity);
  const he = propagate(model('tfjs', [{ kind: 'dense', outFeatures: 16, kernel: 'heUniform', activation: 'relu' }]));
  close(he.layers[0].output.estimate ?? he.layers[0].output.hi, 1, 1e-9, 'he');
  assert.ok(Math.abs(he.layers[0].output.lo - 1) < 1e-9 && Math.abs(he.layers[0].output.hi - 1) < 1e-9);
});

test('an unknown layer stops the prediction honestly, and a later normalization bounds it again', () => {
  const m = model('tfjs', [
    { kind: 'dense', inFeatures: 8, outFeatures: 8, kernel: 'heUniform', activation: 'relu' },
    { kind: 'unknown', extra: { op: 'myCustomLayer', unknownReason: "unknown layer 'myCustomLayer'" } },
    { kind: 'dense', inFeatures: 8, outFeatures: 8, kernel: 'heUniform', activation: 'relu' },
    { kind: 'layerNorm' },
  ]);
  const p = propagate(m);
  assert.equal(p.layers[1].output.estimate, undefined);
  assert.equal(p.layers[2].output.estimate, undefined);
  assert.equal(p.stoppedAt?.index, 1);
  assert.ok(p.layers[3].output.hi <= 1 + 1e-12);
});

test('backward: He ReLU MLP passes a unit gradient back unchanged in fan-out terms', () => {
  const p = propagate(mlp('tfjs', 5, 128, 'relu', 'heUniform'));
  // c_back = fan_out·Var = 128·2/128 = 2 and E[relu'²] = ½: gain 1 for hidden layers; the linear read-out gives c_back = 2.
  close(p.layers[4].gradient?.estimate, 2, 1e-9, 'readout');
  close(p.layers[0].gradient?.estimate, 2, 1e-9, 'first');
});
