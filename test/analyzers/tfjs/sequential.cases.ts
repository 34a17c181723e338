import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TF, analyze, at, kinds, model, one, sizes } from './helpers';

test('tf.sequential({layers: [...]}): a chain with spans', () => {
  const src = `${TF}const model = tf.sequential({
  layers: [
    tf.layers.dense({units: 64, inputShape: [10], activation: 'relu'}),
    tf.layers.dense({units: 1}),
  ],
});
`;
  const m = one(src);
  assert.equal(m.name, 'model');
  assert.equal(m.framework, 'tfjs');
  assert.ok(at(src, m.span)?.startsWith('tf.sequential({'));
  assert.deepEqual(m.layers.map((l) => l.inputs), [[], [0]]);
  assert.deepEqual(sizes(m), [[10, 64], [64, 1]]);
  assert.equal(at(src, m.layers[0].span), "tf.layers.dense({units: 64, inputShape: [10], activation: 'relu'})");
  assert.equal(at(src, m.layers[0].configSpan), "{units: 64, inputShape: [10], activation: 'relu'}");
  assert.deepEqual(m.layers[0].inputShape, [10]);
  assert.equal(m.layers[1].inputShape, undefined);
  assert.equal(m.outputs, undefined);
  assert.deepEqual(m.notes, []);
});

test('tf.sequential() + model.add(...)', () => {
  const m = one(`${TF}const net = tf.sequential();
net.add(tf.layers.conv2d({filters: 8, kernelSize: 3, inputShape: [28, 28, 1], activation: 'relu'}));
net.add(tf.layers.flatten());
net.add(tf.layers.dense({units: 10, activation: 'softmax'}));`);
  assert.equal(m.name, 'net');
  assert.deepEqual(kinds(m), ['conv', 'flatten', 'dense']);
  assert.equal(m.layers[2].inFeatures, 26 * 26 * 8);
});

test('model.add in a for loop with constant bounds and in forEach over a literal array', () => {
  const m = one(`${TF}const HIDDEN = 3;
const model = tf.sequential();
model.add(tf.layers.dense({units: 32, inputShape: [8]}));
for (let i = 0; i < HIDDEN; i++) {
  model.add(tf.layers.dense({units: 32 * (i + 1), activation: 'relu'}));
}
[16, 8].forEach((units) => model.add(tf.layers.dense({units})));
for (const u of [4, 2]) model.add(tf.layers.dense({units: u}));`);
  assert.deepEqual(m.layers.map((l) => l.outFeatures), [32, 32, 64, 96, 16, 8, 4, 2]);
  assert.deepEqual(m.layers.map((l) => l.inFeatures), [8, 32, 32, 64, 96, 16, 8, 4]);
  assert.deepEqual(m.notes, []);
});

test('while loops, break and continue', () => {
  const m = one(`${TF}const model = tf.sequential();
let width = 256;
model.add(tf.layers.dense({units: width, inputShape: [100]}));
while (width > 16) {
  width /= 2;
  if (width === 64) continue;
  model.add(tf.layers.dense({units: width}));
  if (width === 32) break;
}`);
  assert.deepEqual(m.layers.map((l) => l.outFeatures), [256, 128, 32]);
});

test('spec arrays: both the loop and the map form', () => {
  const r = analyze(`${TF}const SPECS = [
  {type: 'dense', units: 16, inputShape: [4], activation: 'relu', kernelInitializer: 'heUniform'},
  {type: 'dropout', rate: 0.25},
  {type: 'dense', units: 3, activation: 'softmax'},
];
const a = tf.sequential();
for (const spec of SPECS) a.add((tf.layers as any)[spec.type](spec));
const b = tf.sequential({layers: SPECS.map((s) => (tf.layers as any)[s.type](s))});`);
  for (const name of ['a', 'b']) {
    const m = model(r, name);
    assert.deepEqual(kinds(m), ['dense', 'dropout', 'dense']);
    assert.equal(m.layers[0].kernel?.id, 'heUniform');
    assert.equal(m.layers[1].rate, 0.25);
    assert.deepEqual(sizes(m)[2], [16, 3]);
  }
});

test('if / switch choosing an architecture on a constant', () => {
  const r = analyze(`${TF}const ARCH: string = 'mlp';
const DEEP = false;
let model: tf.Sequential;
if (ARCH === 'cnn') {
  model = tf.sequential({layers: [tf.layers.conv2d({filters: 4, kernelSize: 3, inputShape: [8, 8, 1]})]});
} else {
  model = tf.sequential({layers: [tf.layers.dense({units: 5, inputShape: [64]})]});
}
if (DEEP) model.add(tf.layers.dense({units: 5}));
function head(kind: string) {
  switch (kind) {
    case 'binary':
      return tf.layers.dense({units: 1, activation: 'sigmoid'});
    case 'multi':
      return tf.layers.dense({units: 10, activation: 'softmax'});
    default:
      return tf.layers.dense({units: 1});
  }
}
model.add(head('multi'));`);
  assert.equal(r.models.length, 1);
  const m = r.models[0];
  assert.deepEqual(kinds(m), ['dense', 'dense']);
  assert.equal(m.layers[1].activation?.id, 'softmax');
  assert.deepEqual(m.notes, []);
});

test('a condition that cannot be evaluated includes both branches, with a note', () => {
  const m = one(`${TF}export function build(useBn: boolean) {
  const model = tf.sequential();
  model.add(tf.layers.dense({units: 8, inputShape: [4]}));
  if (useBn) model.add(tf.layers.batchNormalization());
  model.add(tf.layers.dense({units: 1}));
  return model;
}`);
  assert.deepEqual(kinds(m), ['dense', 'batchNorm', 'dense']);
  assert.ok(m.notes.some((n) => n.includes('line 5')), m.notes.join(' | '));
});

test('model names: variable, property, otherwise model@line', () => {
  const r = analyze(`${TF}class Net {
  model = tf.sequential({layers: [tf.layers.dense({units: 1, inputShape: [1]})]});
}
const holder: any = {};
holder.encoder = tf.sequential({layers: [tf.layers.dense({units: 2, inputShape: [1]})]});
export default function () {
  return tf.sequential({layers: [tf.layers.dense({units: 3, inputShape: [1]})]});
}`);
  assert.deepEqual(r.models.map((m) => m.name).sort(), ['encoder', 'model', 'model@8'].sort());
});

test('two models with the same variable name get distinct names: by their function, else by their line', () => {
  const r = analyze(`${TF}function a() { const model = tf.sequential(); model.add(tf.layers.dense({units: 1, inputShape: [2]})); return model; }
const b = () => { const model = tf.sequential(); model.add(tf.layers.dense({units: 2, inputShape: [2]})); return model; };`);
  assert.deepEqual(r.models.map((m) => m.name), ['a.model', 'b.model']);
  const top = analyze(`${TF}{ const model = tf.sequential(); model.add(tf.layers.dense({units: 1, inputShape: [2]})); }
{ const model = tf.sequential(); model.add(tf.layers.dense({units: 2, inputShape: [2]})); }
function c() { const model = tf.sequential(); model.add(tf.layers.dense({units: 3, inputShape: [2]})); return model; }`);
  assert.deepEqual(top.models.map((m) => m.name), ['model@2', 'model@3', 'c.model']);
});

test('a builder called twice with the same arguments is one model; different arguments give two', () => {
  const src = (a: number, b: number) => `${TF}function build(units: number) {
  const model = tf.sequential();
  model.add(tf.layers.dense({units, inputShape: [3]}));
  return model;
}
const m1 = build(${a});
const m2 = build(${b});`;
  assert.equal(analyze(src(4, 4)).models.length, 1);
  assert.equal(analyze(src(4, 8)).models.length, 2);
});

test('not models: an unrelated object with a layers key, code in comments and strings', () => {
  const r = analyze(`${TF}const config = {layers: [tf.layers.dense({units: 3})], name: 'cfg'};
// const model = tf.sequential({layers: [tf.layers.dense({units: 1})]});
/* const other = tf.sequential();
   other.add(tf.layers.dense({units: 1})); */
const doc = "tf.sequential({layers: [tf.layers.dense({units: 2})]})";
const t = \`tf.sequential()\`;`);
  assert.deepEqual(r.models, []);
});

test('layer arrays: spread, concat, push', () => {
  const r = analyze(`${TF}const trunk = [tf.layers.dense({units: 32, inputShape: [16], activation: 'relu'}), tf.layers.dense({units: 32, activation: 'relu'})];
const head = [tf.layers.dense({units: 4})];
const a = tf.sequential({layers: [...trunk, tf.layers.dropout({rate: 0.5}), ...head]});
const list = [];
list.push(tf.layers.dense({units: 8, inputShape: [2]}));
list.push(tf.layers.dense({units: 1}));
const b = tf.sequential({layers: list});`);
  assert.deepEqual(kinds(model(r, 'a')), ['dense', 'dense', 'dropout', 'dense']);
  assert.deepEqual(sizes(model(r, 'a'))[3], [32, 4]);
  assert.deepEqual(sizes(model(r, 'b')), [[2, 8], [8, 1]]);
});

test('unresolvable arguments of model.add become unknown layers', () => {
  const m = one(`${TF}import {makeLayer} from './layers';
const model = tf.sequential();
model.add(tf.layers.dense({units: 8, inputShape: [4]}));
model.add(makeLayer());
model.add(tf.layers.dense({units: 2}));`);
  assert.deepEqual(kinds(m), ['dense', 'unknown', 'dense']);
  assert.ok(m.layers[1].unknownReason);
  assert.equal(m.layers[2].inFeatures, undefined);
});

test('a builder called only from another uncalled function is analyzed with that caller’s arguments', () => {
  const r = analyze(`${TF}function makeModel(units: number) {
  const m = tf.sequential();
  m.add(tf.layers.dense({units, inputShape: [2]}));
  return m;
}
export async function main(xs: tf.Tensor, ys: tf.Tensor) {
  const model = makeModel(128);
  await model.fit(xs, ys, {epochs: 1});
}`);
  assert.equal(r.models.length, 1);
  assert.equal(r.models[0].layers[0].outFeatures, 128);
  assert.deepEqual(r.models[0].notes, []);
});

test('Array(n), Array.from({length}) and keys() as loop sources', () => {
  const m = one(`${TF}const model = tf.sequential();
model.add(tf.layers.dense({units: 8, inputShape: [8]}));
Array(2).fill(0).forEach(() => model.add(tf.layers.dense({units: 8})));
Array.from({length: 2}, (_, i) => tf.layers.dense({units: 4 * (i + 1)})).forEach((l) => model.add(l));
for (const i of [...Array(2).keys()]) model.add(tf.layers.dense({units: i + 1}));`);
  assert.deepEqual(m.layers.map((l) => l.outFeatures), [8, 8, 8, 4, 8, 1, 2]);
});

test('a model is named by the name its config declares, else by its variable', () => {
  const r = analyze(
    "import * as tf from '@tensorflow/tfjs';\nconst model = tf.sequential({name: 'cifar_cnn', layers: [tf.layers.dense({units: 2, inputShape: [3]})]});\nconst other = tf.sequential({layers: [tf.layers.dense({units: 2, inputShape: [3]})]});\n",
    'n.ts',
  );
  assert.deepEqual(r.models.map((m) => m.name), ['cifar_cnn', 'other']);
});
