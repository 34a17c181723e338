import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyze, fixed, kinds, model, sizes } from './helpers';

const DIR = join(import.meta.dirname, '../../fixtures/tfjs');
const read = (f: string) => readFileSync(join(DIR, f), 'utf8');

test('fixture mnist-cnn.ts: conv blocks from a helper, sizes through pooling', () => {
  const r = analyze(read('mnist-cnn.ts'), 'mnist-cnn.ts');
  assert.equal(r.models.length, 1);
  const m = model(r, 'model');
  assert.deepEqual(kinds(m), ['conv', 'pooling', 'conv', 'pooling', 'flatten', 'dense', 'dropout', 'dense']);
  // 28 → 26 → 13 → 11 → 5; 5·5·32 = 800
  assert.deepEqual(sizes(m), [[1, 16], [16, 16], [16, 32], [32, 32], [32, 800], [800, 64], [64, 64], [64, 10]]);
  assert.deepEqual(r.problems, []);
});

test('fixture text-classifier.js: class with options, bidirectional LSTM', () => {
  const r = analyze(read('text-classifier.js'), 'text-classifier.js');
  assert.equal(r.models.length, 1);
  const m = r.models[0];
  assert.deepEqual(kinds(m), ['embedding', 'lstm', 'dense']);
  assert.deepEqual(sizes(m), [[10000, 32], [32, 64], [128, 1]]); // 64 units per direction, concatenated to 128
  assert.equal(m.layers[1].recurrent?.id, 'glorotUniform');
  assert.equal(m.layers[1].timeSteps, 100);
  assert.equal(m.layers[1].unitForgetBias, false);
  const out = fixed(read('text-classifier.js'), { kind: 'setLayerOption', layer: 1, option: 'unitForgetBias', value: true }, undefined, 'text-classifier.js');
  assert.ok(out.includes("      recurrentInitializer: 'glorotUniform',\n      unitForgetBias: true,\n    });"), out);
});

test('fixture autoencoder-functional.ts: DAG with a skip connection', () => {
  const r = analyze(read('autoencoder-functional.ts'), 'autoencoder-functional.ts');
  const m = r.models[0];
  assert.deepEqual(kinds(m), ['input', 'dense', 'dense', 'dense', 'dense', 'dense', 'concatenate', 'dense']);
  assert.deepEqual(m.layers[6].inputs, [5, 1]);
  assert.equal(m.layers[6].outFeatures, 512);
  assert.deepEqual(m.layers.slice(1, 3).map((l) => [l.kernel?.id, l.kernel?.args.seed]), [['heNormal', 42], ['heNormal', 42]]);
  assert.equal(m.layers[3].name, 'latent');
  assert.deepEqual(m.outputs, [7]);
});

test('fixture core-api-regression.js: global tf, weights in an object', () => {
  const r = analyze(read('core-api-regression.js'), 'core-api-regression.js');
  assert.equal(r.models.length, 1);
  const m = r.models[0];
  assert.equal(m.name, 'model');
  assert.deepEqual(sizes(m), [[13, 32], [32, 1]]);
  assert.deepEqual(m.layers.map((l) => [l.kernel?.id, l.activation?.id, l.useBias]), [['randomNormal', 'relu', true], ['truncatedNormal', 'linear', true]]);
  assert.ok(Math.abs(m.layers[1].kernel!.args.stddev! - Math.sqrt(1 / 32)) < 1e-12);
});

test('fixture config-driven.ts: spec array, invalid snake_case id reported', () => {
  const text = read('config-driven.ts');
  const r = analyze(text, 'config-driven.ts');
  const m = model(r, 'model');
  assert.deepEqual(kinds(m), ['dense', 'batchNorm', 'activation', 'dropout', 'dense', 'dense']);
  assert.deepEqual(m.layers.map((l) => l.kernel?.id), ['heUniform', undefined, undefined, undefined, undefined, 'glorotNormal']);
  assert.ok(r.problems.some((p) => p.message.includes("'glorot_uniform'")));
  const out = fixed(text, { kind: 'setInitializer', layer: 4, slot: 'kernel', to: 'heUniform' }, 'model', 'config-driven.ts');
  assert.ok(out.includes("{ type: 'dense', units: 128, kernelInitializer: 'heUniform', activation: 'relu' }"));
});

test('fixture not-a-model.ts: nothing', () => {
  const r = analyze(read('not-a-model.ts'), 'not-a-model.ts');
  assert.deepEqual(r.models, []);
});
