/**
 * Each threshold at its edge: a model just inside and one just outside, built so that the quantity the rule
 * compares is known in closed form (independently of the propagation code). The edges are the documented values
 * written as literals, not read from the source, so moving a constant fails here:
 *  - fixed-scale: per-layer signal gain fan_in·E[W²]·E[f²]/q outside [0.5, 2] (the rule's docs and description);
 *  - vanishing-signal / exploding-signal: read-out second-moment ratio below 1e-2 / above 1e2 (package.json
 *    `initlens.thresholds` defaults, the rules' docs).
 * Inside means 1% inside the edge, outside 1% beyond it: a band narrowed or widened by 2% or more fails a case.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_THRESHOLDS } from '../../src/core/rules';
import { init, model } from '../helpers/models';
import { runRule } from '../helpers/rules';

const WIDTH = 512;

/**
 * Three dense layers of width 512, the first with tfjs randomNormal (exact normal: E[W²] = stddev²), zero biases,
 * then `activation`. For relu on a zero-mean Gaussian pre-activation E[relu(h)²] = q/2 (He et al. 2015), so the
 * first layer's gain is 512·stddev²/2; for linear it is 512·stddev².
 */
function firstLayerWithGain(gain: number, activation: 'relu' | 'linear') {
  const f2 = activation === 'relu' ? 0.5 : 1;
  const stddev = Math.sqrt(gain / (WIDTH * f2));
  const kernel = init('tfjs', 'randomNormal', { stddev }, true);
  return model('tfjs', [
    { kind: 'dense', inFeatures: WIDTH, outFeatures: WIDTH, kernel, activation, extra: { bias: init('tfjs', 'zeros') } },
    { kind: 'dense', inFeatures: WIDTH, outFeatures: WIDTH, kernel: 'heUniform', activation: 'relu', extra: { bias: init('tfjs', 'zeros') } },
    { kind: 'dense', inFeatures: WIDTH, outFeatures: 1, kernel: 'glorotUniform' },
  ]);
}

const fixedScaleOnFirst = (gain: number, activation: 'relu' | 'linear') =>
  runRule('fixed-scale', firstLayerWithGain(gain, activation)).filter((f) => f.layer === 0);

test('fixed-scale: a per-layer gain 1% inside [0.5, 2] is quiet, 1% outside is reported, before relu and linear units', () => {
  for (const activation of ['relu', 'linear'] as const) {
    assert.equal(fixedScaleOnFirst(0.5 * 1.01, activation).length, 0, `${activation}: gain 0.505 is inside`);
    assert.equal(fixedScaleOnFirst(0.5 * 0.99, activation).length, 1, `${activation}: gain 0.495 is outside`);
    assert.equal(fixedScaleOnFirst(2 * 0.99, activation).length, 0, `${activation}: gain 1.98 is inside`);
    assert.equal(fixedScaleOnFirst(2 * 1.01, activation).length, 1, `${activation}: gain 2.02 is outside`);
  }
  // The message names the band it compared with (the numbers' format is the snapshots' concern).
  assert.match(fixedScaleOnFirst(2 * 1.01, 'relu')[0].message, /per-layer signal gain [\d.]+, outside \[0\.5, 2\]/);
});

/**
 * Linear dense layers with zero biases multiply the second moment by fan_in·stddev² each: two hidden layers of
 * gain √r give exactly r entering the read-out (the third layer), for a unit-Gaussian input.
 */
function readoutRatio(r: number) {
  const stddev = Math.sqrt(Math.sqrt(r) / WIDTH);
  const hidden = () => ({
    kind: 'dense' as const,
    inFeatures: WIDTH,
    outFeatures: WIDTH,
    kernel: init('tfjs', 'randomNormal', { stddev }, true),
    extra: { bias: init('tfjs', 'zeros') },
  });
  return model('tfjs', [hidden(), hidden(), { kind: 'dense', inFeatures: WIDTH, outFeatures: 1, kernel: 'glorotUniform' }]);
}

test('vanishing-signal / exploding-signal: the default thresholds are 1e-2 and 1e2, and each edge holds to 1%', () => {
  assert.deepEqual(DEFAULT_THRESHOLDS, { vanishing: 1e-2, exploding: 1e2 });
  assert.equal(runRule('vanishing-signal', readoutRatio(1e-2 * 1.01)).length, 0, 'ratio 0.0101 has not vanished');
  assert.equal(runRule('vanishing-signal', readoutRatio(1e-2 * 0.99)).length, 1, 'ratio 0.0099 has vanished');
  assert.equal(runRule('exploding-signal', readoutRatio(1e2 * 0.99)).length, 0, 'ratio 99 has not exploded');
  assert.equal(runRule('exploding-signal', readoutRatio(1e2 * 1.01)).length, 1, 'ratio 101 has exploded');
});

test('vanishing-signal / exploding-signal: configured thresholds move the edges', () => {
  const custom = { vanishing: 1e-3, exploding: 1e3 };
  assert.equal(runRule('vanishing-signal', readoutRatio(1e-3 * 1.01), custom).length, 0);
  assert.equal(runRule('vanishing-signal', readoutRatio(1e-3 * 0.99), custom).length, 1);
  assert.equal(runRule('vanishing-signal', readoutRatio(1e-2 * 0.99), custom).length, 0, 'under the default, over the configured threshold');
  assert.equal(runRule('exploding-signal', readoutRatio(1e3 * 0.99), custom).length, 0);
  assert.equal(runRule('exploding-signal', readoutRatio(1e3 * 1.01), custom).length, 1);
  assert.equal(runRule('exploding-signal', readoutRatio(1e2 * 1.01), custom).length, 0);
});
