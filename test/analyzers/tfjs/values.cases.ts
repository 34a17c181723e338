import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TF, analyze, at, kinds, one } from './helpers';

test('layers built by helper functions and arrow functions, arguments bound', () => {
  const m = one(`${TF}function denseBlock(units: number, activation: 'relu' | 'tanh' = 'relu') {
  return tf.layers.dense({units, activation, kernelInitializer: 'heNormal'});
}
const convBlock = (filters: number) => tf.layers.conv1d({filters, kernelSize: 5, padding: 'same'});
const head = (n: number) => { const d = tf.layers.dense({units: n, activation: 'softmax'}); return d; };
const model = tf.sequential({layers: [convBlock(16), tf.layers.flatten(), denseBlock(32), denseBlock(8, 'tanh'), head(2)]});`);
  assert.deepEqual(kinds(m), ['conv', 'flatten', 'dense', 'dense', 'dense']);
  assert.equal(m.layers[0].outFeatures, 16);
  assert.deepEqual(m.layers[0].kernelSize, [5]);
  assert.deepEqual([m.layers[2].outFeatures, m.layers[2].activation?.id], [32, 'relu']);
  assert.deepEqual([m.layers[3].outFeatures, m.layers[3].activation?.id], [8, 'tanh']);
  assert.equal(m.layers[4].activation?.id, 'softmax');
});

test('config objects and initializers held in variables and constants', () => {
  const src = `${TF}const INIT = 'heUniform';
const relu = 'relu';
const cfg = {units: 16, activation: relu, kernelInitializer: INIT, inputShape: [4]};
const model = tf.sequential();
model.add(tf.layers.dense(cfg));`;
  const m = one(src);
  const l = m.layers[0];
  assert.equal(l.kernel?.id, 'heUniform');
  assert.equal(at(src, l.kernel?.span), "'heUniform'");
  assert.equal(at(src, l.kernel?.nameSpan), 'heUniform');
  assert.equal(at(src, l.kernel?.propertySpan), 'kernelInitializer: INIT');
  assert.equal(at(src, l.configSpan), "{units: 16, activation: relu, kernelInitializer: INIT, inputShape: [4]}");
  assert.equal(at(src, l.activation?.span), "'relu'");
});

test('object spread, shorthand properties and later overrides', () => {
  const m = one(`${TF}const base = {activation: 'relu', kernelInitializer: 'heNormal', units: 8};
const units = 64;
const model = tf.sequential({layers: [
  tf.layers.dense({...base, units, inputShape: [3]}),
  tf.layers.dense({...base, activation: 'tanh'}),
  tf.layers.dense(Object.assign({}, base, {units: 2})),
]});`);
  assert.deepEqual(m.layers.map((l) => [l.outFeatures, l.activation?.id, l.kernel?.id]), [
    [64, 'relu', 'heNormal'],
    [8, 'tanh', 'heNormal'],
    [2, 'relu', 'heNormal'],
  ]);
});

test('an unknown spread makes earlier properties unknown but keeps later ones', () => {
  const m = one(`${TF}import {opts} from './opts';
const model = tf.sequential({layers: [tf.layers.dense({units: 4, activation: 'relu', ...opts, inputShape: [2]})]});`);
  const l = m.layers[0];
  assert.equal(l.outFeatures, undefined);
  assert.equal(l.activation?.id, undefined);
  assert.equal(l.kernel?.id, undefined);
  assert.equal(l.inFeatures, 2);
});

test('destructured options with defaults and ??', () => {
  const m = one(`${TF}interface Opts { units?: number; activation?: string; init?: string }
function layer({units = 32, activation = 'relu'}: Opts = {}, extra?: Opts) {
  const init = extra?.init ?? 'heUniform';
  return tf.layers.dense({units, activation, kernelInitializer: init});
}
const model = tf.sequential({layers: [layer({units: 8}), layer(), layer({activation: 'tanh'}, {init: 'glorotUniform'})]});`);
  assert.deepEqual(m.layers.map((l) => [l.outFeatures, l.activation?.id, l.kernel?.id]), [
    [8, 'relu', 'heUniform'],
    [32, 'relu', 'heUniform'],
    [32, 'tanh', 'glorotUniform'],
  ]);
});

test('conditional expressions inside configs: constant conditions evaluate, others are unknown', () => {
  const m = one(`${TF}const DEBUG = false;
export function build(big: boolean) {
  return tf.sequential({layers: [
    tf.layers.dense({units: DEBUG ? 2 : 128, inputShape: [4], activation: DEBUG ? 'linear' : 'relu'}),
    tf.layers.dense({units: big ? 256 : 64, activation: big ? 'relu' : 'relu'}),
  ]});
}`);
  assert.deepEqual(m.layers.map((l) => [l.outFeatures, l.activation?.id]), [
    [128, 'relu'],
    [undefined, 'relu'],
  ]);
});

test('TypeScript casts: as, <T>, !, parentheses, satisfies', () => {
  const m = one(`${TF}const cfg = {units: 8} satisfies tf.layers.DenseLayerArgs;
const model = (tf.sequential() as any) as tf.Sequential;
model!.add((tf.layers.dense(<any>{...cfg, inputShape: [2]}) as tf.layers.Layer));
model.add(tf.layers.dense({units: (4 as number)!, activation: ('relu' as const)}));`);
  assert.deepEqual(m.layers.map((l) => [l.inFeatures, l.outFeatures]), [[2, 8], [8, 4]]);
  assert.equal(m.layers[1].activation?.id, 'relu');
});

test('arithmetic, Math and template strings in configs', () => {
  const m = one(`${TF}const W = 2 ** 5;
const act = \`re\${'lu'}\`;
const model = tf.sequential({layers: [tf.layers.dense({units: W * 2, inputShape: [Math.max(3, 7)], activation: act,
  kernelInitializer: tf.initializers.randomNormal({stddev: Math.sqrt(2 / 7)})})]});`);
  const l = m.layers[0];
  assert.deepEqual([l.inFeatures, l.outFeatures, l.activation?.id], [7, 64, 'relu']);
  assert.ok(Math.abs((l.kernel?.args.stddev ?? 0) - Math.sqrt(2 / 7)) < 1e-12);
});

test('class-based builders: this.model set in the constructor and extended in methods', () => {
  const m = one(`${TF}export class Agent {
  private model: tf.Sequential;
  constructor(private readonly hidden = 24) {
    this.model = tf.sequential();
    this.model.add(tf.layers.dense({units: this.hidden, inputShape: [4], activation: 'relu'}));
    this.addHead(2);
  }
  private addHead(n: number) {
    this.model.add(tf.layers.dense({units: n}));
  }
}`);
  assert.equal(m.name, 'model');
  assert.deepEqual(m.layers.map((l) => l.outFeatures), [24, 2]);
});

test('a builder never called in the file is analyzed with its default arguments, and says so', () => {
  const m = one(`${TF}export function createModel(hidden = [64, 32], activation = 'relu') {
  const model = tf.sequential();
  hidden.forEach((units, i) => model.add(tf.layers.dense({units, activation, ...(i === 0 ? {inputShape: [10]} : {})})));
  model.add(tf.layers.dense({units: 1}));
  return model;
}`);
  assert.deepEqual(m.layers.map((l) => [l.inFeatures, l.outFeatures, l.activation?.id]), [
    [10, 64, 'relu'],
    [64, 32, 'relu'],
    [32, 1, 'linear'],
  ]);
  assert.ok(m.notes.some((n) => n.includes('default arguments of createModel')), m.notes.join('|'));
});

test('callbacks of unknown functions are still analyzed (tf.tidy, test frameworks, promises)', () => {
  const r = analyze(`${TF}declare function describe(n: string, f: () => void): void;
describe('model', () => {
  const model = tf.sequential({layers: [tf.layers.dense({units: 1, inputShape: [1]})]});
});
const m2 = tf.tidy(() => tf.sequential({layers: [tf.layers.dense({units: 2, inputShape: [1]})]}));`);
  assert.deepEqual(r.models.map((m) => m.name).sort(), ['m2', 'model']);
});

test('variables are followed through reassignment and objects through property writes', () => {
  const m = one(`${TF}let units = 16;
units *= 2;
const cfg: any = {inputShape: [3]};
cfg.units = units;
cfg['activation'] = 'elu';
const model = tf.sequential({layers: [tf.layers.dense(cfg)]});`);
  assert.deepEqual([m.layers[0].outFeatures, m.layers[0].activation?.id], [32, 'elu']);
});

test('enums and constant objects', () => {
  const m = one(`${TF}enum Size { Small = 8, Large = 64 }
const ACT = {hidden: 'relu', out: 'sigmoid'} as const;
const model = tf.sequential({layers: [tf.layers.dense({units: Size.Large, inputShape: [2], activation: ACT.hidden}), tf.layers.dense({units: 1, activation: ACT['out']})]});`);
  assert.deepEqual(m.layers.map((l) => [l.outFeatures, l.activation?.id]), [[64, 'relu'], [1, 'sigmoid']]);
});
