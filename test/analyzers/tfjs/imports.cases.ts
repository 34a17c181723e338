import assert from 'node:assert/strict';
import { test } from 'node:test';
import { looksLikeTfjs } from '../../../src/analyzers/tfjs';
import { TF, analyze, kinds, one } from './helpers';

const body = (ns: string) => `const model = ${ns}.sequential({layers: [${ns}.layers.dense({units: 4, inputShape: [3]})]});\n`;

test('namespace import under any alias and every tfjs package', () => {
  for (const pkg of ['@tensorflow/tfjs', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-layers']) {
    const m = one(`import * as tensorflow from '${pkg}';\n${body('tensorflow')}`);
    assert.deepEqual(kinds(m), ['dense'], pkg);
    assert.equal(m.layers[0].inFeatures, 3);
  }
  // A default import (bundlers / esModuleInterop) and `import x = require()`.
  assert.equal(one(`import tf from '@tensorflow/tfjs';\n${body('tf')}`).layers.length, 1);
  assert.equal(one(`import tf = require('@tensorflow/tfjs');\n${body('tf')}`).layers.length, 1);
});

test('named imports', () => {
  const m = one(`import {layers, sequential, initializers as I} from '@tensorflow/tfjs';
const net = sequential({layers: [layers.dense({units: 2, inputShape: [5], kernelInitializer: I.heNormal()})]});`);
  assert.equal(m.name, 'net');
  assert.equal(m.layers[0].kernel?.id, 'heNormal');
  assert.equal(m.layers[0].kernel?.form, 'factory');
});

test('require, destructured require and dynamic import', () => {
  assert.equal(one(`const tf = require('@tensorflow/tfjs-node');\n${body('tf')}`, 'm.js').layers.length, 1);
  const m = one(`const {sequential, layers} = require('@tensorflow/tfjs');
const model = sequential(); model.add(layers.dense({units: 1, inputShape: [2]}));`, 'm.js');
  assert.deepEqual(kinds(m), ['dense']);
  const d = one(`async function main() { const tf = await import('@tensorflow/tfjs'); ${body('tf')} }`);
  assert.equal(d.layers.length, 1);
});

test('a global tf (script tag) with no import', () => {
  const m = one(body('tf'), 'page.js');
  assert.deepEqual(kinds(m), ['dense']);
  assert.equal(one(`const model = window.tf.sequential(); model.add(window.tf.layers.dense({units: 2, inputShape: [1]}));`, 'p.js').layers.length, 1);
});

test('tf passed in as a function parameter', () => {
  // Never called in the file: analyzed with tf as the namespace.
  const m = one(`export function build(tf) {\n  const model = tf.sequential();\n  model.add(tf.layers.dense({units: 3, inputShape: [2], activation: 'relu'}));\n  return model;\n}`, 'b.js');
  assert.equal(m.layers[0].activation?.id, 'relu');
  // Called with the imported namespace.
  const r = analyze(`${TF}function build(t: typeof tf) { return t.sequential({layers: [t.layers.dense({units: 3, inputShape: [2]})]}); }\nconst a = build(tf);`);
  assert.equal(r.models.length, 1);
});

test('namespace aliases', () => {
  const m = one(`${TF}const tfl = tf.layers;\nconst {layers} = tf;\nconst {dense} = tf.layers;\nconst model = tf.sequential({layers: [tfl.dense({units: 4, inputShape: [2]}), layers.dropout({rate: 0.1}), dense({units: 1})]});`);
  assert.deepEqual(kinds(m), ['dense', 'dropout', 'dense']);
});

test('files that do not use tfjs: no models, quickly', () => {
  assert.equal(looksLikeTfjs('const x = 1;\nexport function f() { return x; }'), false);
  assert.deepEqual(analyze('const layers = [1, 2, 3];\nexport const config = {layers};').models, []);
  // Another library's `dense` and `sequential`.
  const other = analyze(`import {dense, sequential} from 'brain-lib';\nconst tf = {};\nconst m = sequential({layers: [dense({units: 3})]});\nconst n = tf.sequential;`);
  assert.deepEqual(other.models, []);
  // A local variable named tf that is not TensorFlow.js.
  assert.deepEqual(analyze(`const tf = require('./my-tf');\nconst m = tf.sequential({layers: [tf.layers.dense({units: 1})]});`, 'x.js').models, []);
  // Big unrelated file: the pre-check answers without parsing.
  const big = 'export const v = [' + Array.from({ length: 20000 }, (_, i) => i).join(',') + '];\n';
  const t0 = performance.now();
  assert.deepEqual(analyze(big).models, []);
  assert.ok(performance.now() - t0 < 20);
});

test('looksLikeTfjs is generous', () => {
  assert.ok(looksLikeTfjs("import * as tfn from '@tensorflow/tfjs-node';"));
  assert.ok(looksLikeTfjs('tf.sequential()'));
  assert.ok(looksLikeTfjs('function f(tf) {}'));
});

test('layer classes and initializer classes from deep imports', () => {
  const m = one(`import {Dense} from '@tensorflow/tfjs-layers/dist/layers/core';
import {HeNormal} from '@tensorflow/tfjs-layers/dist/initializers';
import * as tf from '@tensorflow/tfjs';
const model = tf.sequential();
model.add(new Dense({units: 8, inputShape: [4], kernelInitializer: new HeNormal({seed: 3})}));`);
  assert.equal(m.layers[0].kind, 'dense');
  assert.equal(m.layers[0].op, 'Dense');
  assert.equal(m.layers[0].kernel?.id, 'heNormal');
  assert.equal(m.layers[0].kernel?.form, 'class');
  assert.equal(m.layers[0].kernel?.args.seed, 3);
});
