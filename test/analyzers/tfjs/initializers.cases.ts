import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TF, analyze, at, one } from './helpers';

const dense = (init: string, extra = '') => `${TF}${extra}const model = tf.sequential({layers: [tf.layers.dense({units: 4, inputShape: [3], kernelInitializer: ${init}})]});\n`;

test('string ids and class-name strings (form string) with spans', () => {
  for (const [s, id] of [["'heNormal'", 'heNormal'], ['"GlorotUniform"', 'glorotUniform'], ['`leCunNormal`', 'leCunNormal']]) {
    const src = dense(s);
    const k = one(src).layers[0].kernel!;
    assert.deepEqual([k.id, k.form, k.explicit], [id, 'string', true]);
    assert.equal(at(src, k.span), s);
    assert.equal(at(src, k.nameSpan), s.slice(1, -1));
    assert.equal(at(src, k.propertySpan), `kernelInitializer: ${s}`);
    assert.equal(k.text, s);
  }
});

test("snake_case ids are not valid in direct tfjs calls: id undefined and a problem", () => {
  const r = analyze(dense("'glorot_uniform'"));
  assert.equal(r.models[0].layers[0].kernel?.id, undefined);
  assert.equal(r.models[0].layers[0].kernel?.form, 'string');
  assert.ok(r.problems.some((p) => p.message.includes('Unknown initializer') && p.message.includes('glorotUniform')), r.problems.map((p) => p.message).join('|'));
  const c = analyze(dense("'constant'"));
  assert.ok(c.problems.some((p) => p.message.includes('value')));
});

test('factories with arguments (form factory): every argument name, seed, nameSpan', () => {
  const src = dense("tf.initializers.varianceScaling({scale: 2, mode: 'fanAvg', distribution: 'uniform', seed: 7})");
  const k = one(src).layers[0].kernel!;
  assert.deepEqual([k.id, k.form], ['varianceScaling', 'factory']);
  assert.deepEqual(k.args, { scale: 2, mode: 'fanAvg', distribution: 'uniform', seed: 7 });
  assert.equal(at(src, k.nameSpan), 'varianceScaling');
  assert.equal(at(src, k.span), "tf.initializers.varianceScaling({scale: 2, mode: 'fanAvg', distribution: 'uniform', seed: 7})");
  const cases: [string, object][] = [
    ['tf.initializers.randomUniform({minval: -0.1, maxval: 0.2, seed: 1})', { minval: -0.1, maxval: 0.2, seed: 1 }],
    ['tf.initializers.randomNormal({mean: 0.5, stddev: 0.02})', { mean: 0.5, stddev: 0.02 }],
    ['tf.initializers.truncatedNormal({stddev: 0.1})', { stddev: 0.1 }],
    ['tf.initializers.constant({value: 0.1})', { value: 0.1 }],
    ['tf.initializers.orthogonal({gain: 1.5})', { gain: 1.5 }],
    ['tf.initializers.identity({gain: 2})', { gain: 2 }],
    ['tf.initializers.heNormal({seed: 3})', { seed: 3 }],
    ['tf.initializers.glorotUniform()', {}],
    ['tf.initializers.zeros()', {}],
  ];
  for (const [expr, args] of cases) assert.deepEqual(one(dense(expr)).layers[0].kernel?.args, args, expr);
  // Preset factories read only the seed.
  assert.deepEqual(one(dense('tf.initializers.heNormal({seed: 1, scale: 9} as any)')).layers[0].kernel?.args, { seed: 1 });
});

test('factory problems: missing argument object, invalid mode', () => {
  const r = analyze(dense('tf.initializers.randomNormal()'));
  assert.ok(r.problems.some((p) => p.message.includes('needs an argument object')));
  const r2 = analyze(dense("tf.initializers.varianceScaling({mode: 'fan_in'})"));
  assert.ok(r2.problems.some((p) => p.message.includes('FanMode')));
  assert.deepEqual(r2.models[0].layers[0].kernel?.unknownArgs, ['mode']);
});

test('initializer classes via new (form class), and tf.initializers.X classes that do not exist', () => {
  const src = dense('new inits.RandomNormal({stddev: 0.01})', "import * as inits from '@tensorflow/tfjs-layers/dist/initializers';\n");
  const k = one(src).layers[0].kernel!;
  assert.deepEqual([k.id, k.form, k.args.stddev], ['randomNormal', 'class', 0.01]);
  assert.equal(at(src, k.nameSpan), 'RandomNormal');
  const r = analyze(dense('new (tf.initializers as any).HeNormal()'));
  assert.equal(r.models[0].layers[0].kernel?.id, undefined);
  assert.equal(r.models[0].layers[0].kernel?.form, 'class');
  assert.ok(r.problems.some((p) => p.message.includes('not exported')));
});

test('serialized {className, config} (form serialized)', () => {
  const src = dense("{className: 'VarianceScaling', config: {scale: 2, mode: 'fanIn', distribution: 'uniform'}}");
  const k = one(src).layers[0].kernel!;
  assert.deepEqual([k.id, k.form], ['varianceScaling', 'serialized']);
  assert.deepEqual(k.args, { scale: 2, mode: 'fanIn', distribution: 'uniform' });
  assert.equal(at(src, k.nameSpan), 'VarianceScaling');
  const he = one(dense("{className: 'HeNormal', config: {seed: 5, scale: 3}}")).layers[0].kernel!;
  assert.deepEqual([he.id, he.args], ['heNormal', { seed: 5 }]);
  const bad = analyze(dense("{className: 'heNormal', config: {}}"));
  assert.equal(bad.models[0].layers[0].kernel?.id, undefined);
  assert.ok(bad.problems.some((p) => p.message.includes('Unknown initializer')));
  const noCfg = analyze(dense("{className: 'HeNormal'}"));
  assert.ok(noCfg.problems.some((p) => p.message.includes('no config')));
});

test('variables holding initializers; sharedVariable when several layers use one', () => {
  const src = `${TF}const init = tf.initializers.heUniform({seed: 1});
const single = tf.initializers.glorotUniform();
const model = tf.sequential({layers: [
  tf.layers.dense({units: 4, inputShape: [3], kernelInitializer: init, biasInitializer: single}),
  tf.layers.dense({units: 4, kernelInitializer: init}),
]});`;
  const m = one(src);
  const [a, b] = m.layers;
  assert.equal(a.kernel?.id, 'heUniform');
  assert.equal(at(src, a.kernel?.span), 'tf.initializers.heUniform({seed: 1})');
  assert.equal(at(src, a.kernel?.propertySpan), 'kernelInitializer: init');
  assert.equal(a.kernel?.sharedVariable?.name, 'init');
  assert.equal(at(src, a.kernel?.sharedVariable?.span), 'init');
  assert.equal(b.kernel?.sharedVariable?.name, 'init');
  assert.equal(a.bias?.sharedVariable, undefined);
  // The same literal reached through a helper called twice is not a shared variable.
  const h = one(`${TF}const mk = (u: number) => tf.layers.dense({units: u, kernelInitializer: 'heNormal'});
const model = tf.sequential({layers: [mk(2), mk(3)]});`);
  assert.equal(h.layers[0].kernel?.sharedVariable, undefined);
});

test('defaults when absent: per layer kind and slot (form default, explicit false)', () => {
  const m = one(`${TF}const model = tf.sequential({layers: [
  tf.layers.dense({units: 4, inputShape: [3]}),
  tf.layers.dense({units: 4, kernelInitializer: undefined, biasInitializer: null}),
  tf.layers.embedding({inputDim: 5, outputDim: 2}),
]});`);
  const [a, b, e] = m.layers;
  assert.deepEqual([a.kernel?.id, a.kernel?.form, a.kernel?.explicit, a.bias?.id], ['glorotNormal', 'default', false, 'zeros']);
  assert.equal(a.kernel?.span, undefined);
  // Written but falsy: tfjs's `||` gives the default; the property is known for the fixer.
  assert.equal(b.kernel?.form, 'default');
  assert.ok(b.kernel?.propertySpan);
  assert.equal(e.kernel?.id, 'randomUniform');
});

test('falsyArgs: minval / maxval / mean / stddev written as 0, seed 0 for normal samplers', () => {
  const src = dense('tf.initializers.randomUniform({minval: 0, maxval: 0.1})');
  const k = one(src).layers[0].kernel!;
  assert.deepEqual(k.args, { minval: 0, maxval: 0.1 });
  assert.deepEqual(k.falsyArgs.map((f) => f.name), ['minval']);
  assert.equal(at(src, k.falsyArgs[0].span), '0');
  const n = one(dense('tf.initializers.randomNormal({mean: 0, stddev: 0, seed: 0})')).layers[0].kernel!;
  assert.deepEqual(n.falsyArgs.map((f) => f.name), ['mean', 'stddev', 'seed']);
  const u = one(dense('tf.initializers.randomUniform({minval: -1, maxval: 0, seed: 0})')).layers[0].kernel!;
  assert.deepEqual(u.falsyArgs.map((f) => f.name), ['maxval']); // the uniform sampler checks seed == null
  const he = one(dense('tf.initializers.heNormal({seed: 0})')).layers[0].kernel!;
  assert.deepEqual(he.falsyArgs.map((f) => f.name), ['seed']);
  const hu = one(dense('tf.initializers.heUniform({seed: 0})')).layers[0].kernel!;
  assert.deepEqual(hu.falsyArgs, []);
  // Through a constant.
  const c = one(dense('tf.initializers.randomUniform({minval: LOW, maxval: 1})', 'const LOW = 0;\n')).layers[0].kernel!;
  assert.deepEqual(c.falsyArgs.map((f) => f.name), ['minval']);
});

test('unknownArgs for arguments that cannot be resolved; unknown initializers', () => {
  const m = one(`${TF}export function f(std: number, init: any) {
  return tf.sequential({layers: [
    tf.layers.dense({units: 4, inputShape: [3], kernelInitializer: tf.initializers.randomNormal({mean: 0.1, stddev: std})}),
    tf.layers.dense({units: 4, kernelInitializer: init}),
    tf.layers.dense({units: 4, kernelInitializer: tf.initializers.heNormal(init)}),
  ]});
}`);
  const [a, b, c] = m.layers;
  assert.deepEqual([a.kernel?.id, a.kernel?.args, a.kernel?.unknownArgs], ['randomNormal', { mean: 0.1 }, ['stddev']]);
  assert.deepEqual([b.kernel?.id, b.kernel?.explicit], [undefined, true]);
  assert.deepEqual([c.kernel?.id, c.kernel?.unknownArgs], ['heNormal', ['seed']]);
});

test('every initializer property maps to its slot', () => {
  const m = one(`${TF}const model = tf.sequential({layers: [
  tf.layers.lstm({units: 4, inputShape: [2, 3], kernelInitializer: 'heUniform', recurrentInitializer: 'glorotUniform', biasInitializer: 'ones'}),
  tf.layers.embedding({inputDim: 9, outputDim: 2, embeddingsInitializer: 'randomNormal'}),
  tf.layers.batchNormalization({gammaInitializer: 'zeros', betaInitializer: 'ones'}),
  tf.layers.depthwiseConv2d({kernelSize: 1, depthwiseInitializer: 'heNormal'}),
  tf.layers.separableConv2d({filters: 2, kernelSize: 1, depthwiseInitializer: 'leCunUniform', pointwiseInitializer: 'heNormal'}),
]});`);
  const [l, e, bn, dw, sep] = m.layers;
  assert.deepEqual([l.kernel?.id, l.recurrent?.id, l.bias?.id], ['heUniform', 'glorotUniform', 'ones']);
  assert.equal(e.kernel?.id, 'randomNormal');
  assert.deepEqual([bn.gamma?.id, bn.beta?.id], ['zeros', 'ones']);
  assert.equal(dw.kernel?.id, 'heNormal');
  // tfjs 4.x builds the pointwise kernel from depthwiseInitializer.
  assert.deepEqual([sep.kernel?.id, sep.pointwise?.id], ['leCunUniform', 'leCunUniform']);
});

test('separable and depthwise quirks are reported', () => {
  const r = analyze(`${TF}const model = tf.sequential({layers: [
  tf.layers.separableConv2d({filters: 2, kernelSize: 1, pointwiseInitializer: 'heNormal', inputShape: [4, 4, 1]}),
  tf.layers.separableConv2d({filters: 2, kernelSize: 1, kernelInitializer: 'heNormal'}),
  tf.layers.depthwiseConv2d({kernelSize: 1, kernelInitializer: 'heNormal'}),
]});`);
  assert.ok(r.problems.some((p) => p.message.includes('ignores pointwiseInitializer')));
  assert.ok(r.problems.some((p) => p.message.includes('invalid for separableConv2d')));
  assert.ok(r.problems.some((p) => p.message.includes('ignores kernelInitializer on depthwiseConv2d')));
  assert.equal(r.models[0].layers[0].pointwise?.id, 'glorotUniform');
});
