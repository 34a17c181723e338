import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tfjsFixEdits } from '../../../src/analyzers/tfjs';
import type { FixIntent } from '../../../src/core/findings';
import { TF, analyze, applyEdits, fixed, noFix, one } from './helpers';

const he = (layer = 0, slot: 'kernel' | 'recurrent' | 'bias' | 'embeddings' | 'pointwise' | 'gamma' = 'kernel'): FixIntent => ({ kind: 'setInitializer', layer, slot, to: 'heUniform' });
const seq1 = (cfg: string, pre = '') => `${TF}${pre}const model = tf.sequential({layers: [tf.layers.dense(${cfg})]});\n`;

test('string stays string, quote style kept; invalid snake_case ids are fixed too', () => {
  assert.equal(fixed(seq1(`{units: 4, inputShape: [3], kernelInitializer: "glorotNormal"}`), he()), seq1(`{units: 4, inputShape: [3], kernelInitializer: "heUniform"}`));
  assert.equal(fixed(seq1(`{units: 4, kernelInitializer: 'glorot_uniform'}`), he()), seq1(`{units: 4, kernelInitializer: 'heUniform'}`));
  // Through a constant: the constant's literal is edited.
  assert.equal(fixed(seq1('{units: 4, kernelInitializer: INIT}', "const INIT = 'glorotNormal';\n"), he()), seq1('{units: 4, kernelInitializer: INIT}', "const INIT = 'heUniform';\n"));
});

test('string with requested arguments becomes a factory call', () => {
  const out = fixed(seq1(`{units: 4, kernelInitializer: 'glorotNormal'}`), { kind: 'setInitializer', layer: 0, slot: 'kernel', to: 'randomNormal', args: { stddev: 0.02 } });
  assert.equal(out, seq1('{units: 4, kernelInitializer: tf.initializers.randomNormal({stddev: 0.02})}'));
});

test('factory stays factory: only the name changes, args and seed kept', () => {
  assert.equal(fixed(seq1('{units: 4, kernelInitializer: tf.initializers.glorotNormal({seed: 7})}'), he()), seq1('{units: 4, kernelInitializer: tf.initializers.heUniform({seed: 7})}'));
  // VarianceScaling-specific keys are dropped for a preset.
  assert.equal(
    fixed(seq1("{units: 4, kernelInitializer: tf.initializers.varianceScaling({scale: 1, mode: 'fanAvg', distribution: 'normal', seed: 3})}"), he()),
    seq1('{units: 4, kernelInitializer: tf.initializers.heUniform({seed: 3})}'),
  );
  // Requested arguments are written into the factory args.
  assert.equal(
    fixed(seq1('{units: 4, kernelInitializer: tf.initializers.heNormal()}'), { kind: 'setInitializer', layer: 0, slot: 'kernel', to: 'randomNormal', args: { stddev: 0.035355339059327376 } }),
    seq1('{units: 4, kernelInitializer: tf.initializers.randomNormal({stddev: 0.0353553})}'),
  );
  // Named import of the initializers namespace.
  const named = `import {sequential, layers, initializers} from '@tensorflow/tfjs';\nconst model = sequential({layers: [layers.dense({units: 2, kernelInitializer: initializers.glorotNormal()})]});\n`;
  assert.equal(fixed(named, he()), named.replace('glorotNormal', 'heUniform'));
  // A destructured factory: rewritten through the namespace.
  const destr = seq1('{units: 2, kernelInitializer: glorotNormal()}', 'const {glorotNormal} = tf.initializers;\n');
  assert.equal(fixed(destr, he()), seq1('{units: 2, kernelInitializer: tf.initializers.heUniform()}', 'const {glorotNormal} = tf.initializers;\n'));
  // To zeros (no arguments at all).
  assert.equal(fixed(seq1('{units: 2, biasInitializer: tf.initializers.randomNormal({mean: 0.1, stddev: 0.2})}'), { kind: 'setInitializer', layer: 0, slot: 'bias', to: 'zeros' }), seq1('{units: 2, biasInitializer: tf.initializers.zeros()}'));
});

test('class stays class when the class is available, else the factory form', () => {
  const ns = "import * as inits from '@tensorflow/tfjs-layers/dist/initializers';\n";
  assert.equal(fixed(seq1('{units: 2, kernelInitializer: new inits.GlorotNormal({seed: 1})}', ns), he()), seq1('{units: 2, kernelInitializer: new inits.HeUniform({seed: 1})}', ns));
  const both = "import {GlorotNormal, HeUniform as HU} from '@tensorflow/tfjs-layers/dist/initializers';\n";
  assert.equal(fixed(seq1('{units: 2, kernelInitializer: new GlorotNormal()}', both), he()), seq1('{units: 2, kernelInitializer: new HU()}', both));
  const onlyOld = "import {GlorotNormal} from '@tensorflow/tfjs-layers/dist/initializers';\n";
  assert.equal(fixed(seq1('{units: 2, kernelInitializer: new GlorotNormal({seed: 4})}', onlyOld), he()), seq1('{units: 2, kernelInitializer: tf.initializers.heUniform({seed: 4})}', onlyOld));
  // tf.initializers.HeNormal does not exist: the fix writes the factory, with the argument object its typings require.
  assert.equal(fixed(seq1('{units: 2, kernelInitializer: new (tf.initializers as any).GlorotNormal()}'), he()), seq1('{units: 2, kernelInitializer: tf.initializers.heUniform({})}'));
});

test('serialized stays serialized, VarianceScaling keys dropped', () => {
  assert.equal(
    fixed(seq1("{units: 2, kernelInitializer: {className: 'VarianceScaling', config: {scale: 1, mode: 'fanAvg', distribution: 'normal', seed: 9}}}"), he()),
    seq1("{units: 2, kernelInitializer: {className: 'HeUniform', config: {seed: 9}}}"),
  );
  assert.equal(fixed(seq1(`{units: 2, kernelInitializer: {className: "GlorotNormal", config: {}}}`), he()), seq1(`{units: 2, kernelInitializer: {className: "HeUniform", config: {}}}`));
  assert.equal(
    fixed(seq1("{units: 2, kernelInitializer: {className: 'HeNormal', config: {seed: 1}}}"), { kind: 'setInitializer', layer: 0, slot: 'kernel', to: 'varianceScaling', args: { scale: 2, mode: 'fanIn', distribution: 'uniform' } }),
    seq1("{units: 2, kernelInitializer: {className: 'VarianceScaling', config: {seed: 1, scale: 2, mode: 'fanIn', distribution: 'uniform'}}}"),
  );
});

test('default: insert the property into a single-line config with the file quote style', () => {
  assert.equal(fixed(seq1("{units: 8, activation: 'relu'}"), he()), seq1("{units: 8, activation: 'relu', kernelInitializer: 'heUniform'}"));
  const dq = `import * as tf from "@tensorflow/tfjs";\nconst model = tf.sequential({layers: [tf.layers.dense({ units: 8 })]});\n`;
  assert.equal(fixed(dq, he()), dq.replace('{ units: 8 }', `{ units: 8, kernelInitializer: "heUniform" }`));
  assert.equal(fixed(seq1('{}'), he()), seq1("{kernelInitializer: 'heUniform'}"));
  // Trailing comma on one line.
  assert.equal(fixed(seq1('{units: 8,}'), he()), seq1("{units: 8, kernelInitializer: 'heUniform',}"));
});

test('default: multi-line configs get a new line with the same indent, trailing commas respected', () => {
  const withComma = `${TF}const model = tf.sequential();
model.add(tf.layers.dense({
    units: 64,
    activation: 'relu',
}));
`;
  assert.equal(fixed(withComma, he()), withComma.replace("    activation: 'relu',\n", "    activation: 'relu',\n    kernelInitializer: 'heUniform',\n"));
  const noComma = withComma.replace("'relu',\n}", "'relu'\n}");
  assert.equal(fixed(noComma, he()), noComma.replace("    activation: 'relu'\n", "    activation: 'relu',\n    kernelInitializer: 'heUniform'\n"));
  const comment = noComma.replace("'relu'\n}", "'relu' // hidden\n}");
  assert.equal(fixed(comment, he()), comment.replace("    activation: 'relu' // hidden\n", "    activation: 'relu', // hidden\n    kernelInitializer: 'heUniform'\n"));
  const crlf = withComma.replace(/\n/g, '\r\n');
  assert.equal(fixed(crlf, he()), crlf.replace("    activation: 'relu',\r\n", "    activation: 'relu',\r\n    kernelInitializer: 'heUniform',\r\n"));
  const tabs = withComma.replace(/ {4}/g, '\t');
  assert.equal(fixed(tabs, he()), tabs.replace("\tactivation: 'relu',\n", "\tactivation: 'relu',\n\tkernelInitializer: 'heUniform',\n"));
});

test('default: the right property per slot; a falsy property is replaced; no config → undefined', () => {
  const lstm = seq1('{units: 4}').replace('tf.layers.dense({units: 4})', "tf.layers.lstm({units: 4, inputShape: [2, 3]})");
  assert.equal(fixed(lstm, { kind: 'setInitializer', layer: 0, slot: 'recurrent', to: 'orthogonal' }), lstm.replace('inputShape: [2, 3]}', "inputShape: [2, 3], recurrentInitializer: 'orthogonal'}"));
  const emb = `${TF}const model = tf.sequential({layers: [tf.layers.embedding({inputDim: 10, outputDim: 4})]});\n`;
  assert.equal(fixed(emb, { kind: 'setInitializer', layer: 0, slot: 'embeddings', to: 'randomNormal', args: { stddev: 0.5 } }), emb.replace('outputDim: 4}', 'outputDim: 4, embeddingsInitializer: tf.initializers.randomNormal({stddev: 0.5})}'));
  const dw = `${TF}const model = tf.sequential({layers: [tf.layers.depthwiseConv2d({kernelSize: 3})]});\n`;
  assert.equal(fixed(dw, he()), dw.replace('kernelSize: 3}', "kernelSize: 3, depthwiseInitializer: 'heUniform'}"));
  const sep = `${TF}const model = tf.sequential({layers: [tf.layers.separableConv2d({filters: 2, kernelSize: 3})]});\n`;
  noFix(sep, he(0, 'pointwise'));
  assert.equal(fixed(seq1('{units: 2, kernelInitializer: undefined}'), he()), seq1("{units: 2, kernelInitializer: 'heUniform'}"));
  const bn = `${TF}const model = tf.sequential({layers: [tf.layers.dense({units: 2, inputShape: [2]}), tf.layers.batchNormalization()]});\n`;
  noFix(bn, { kind: 'setInitializer', layer: 1, slot: 'gamma', to: 'ones' });
  noFix(seq1("{units: 2, kernelInitializer: 'glorotNormal'}"), { kind: 'setInitializer', layer: 0, slot: 'kernel', to: 'he_uniform' });
});

test('config held in a variable: edited when only compatible layers use it, refused otherwise', () => {
  const single = `${TF}const cfg = {units: 8, activation: 'relu'};\nconst model = tf.sequential({layers: [tf.layers.dense(cfg)]});\n`;
  assert.equal(fixed(single, he()), single.replace("activation: 'relu'}", "activation: 'relu', kernelInitializer: 'heUniform'}"));
  const twoSame = `${TF}const cfg = {units: 8, activation: 'relu'};\nconst model = tf.sequential({layers: [tf.layers.dense({...cfg, inputShape: [2]}), tf.layers.dense(cfg), tf.layers.dense(cfg)]});\n`;
  assert.equal(fixed(twoSame, he(1)), twoSame.replace("const cfg = {units: 8, activation: 'relu'}", "const cfg = {units: 8, activation: 'relu', kernelInitializer: 'heUniform'}"));
  const mixed = `${TF}const cfg: any = {units: 8, activation: 'relu'};\nconst a = tf.sequential({layers: [tf.layers.dense(cfg)]});\nconst b = tf.sequential({layers: [tf.layers.dense(cfg), tf.layers.activation({activation: 'sigmoid'})]});\n`;
  noFix(mixed, he(), 'a');
  // A spread config: the property goes into the layer's own literal.
  const spread = `${TF}const base = {activation: 'relu'};\nconst model = tf.sequential({layers: [tf.layers.dense({...base, units: 8})]});\n`;
  assert.equal(fixed(spread, he()), spread.replace('units: 8}', "units: 8, kernelInitializer: 'heUniform'}"));
});

test('shared initializer variables and helper-built layers', () => {
  const shared = `${TF}const init = tf.initializers.glorotNormal();
const model = tf.sequential({layers: [
  tf.layers.dense({units: 8, inputShape: [4], activation: 'relu', kernelInitializer: init}),
  tf.layers.dense({units: 8, activation: 'relu', kernelInitializer: init}),
  tf.layers.dense({units: 1, activation: 'sigmoid', kernelInitializer: init}),
]});
`;
  noFix(shared, he(0));
  const sameAct = shared.replace("units: 1, activation: 'sigmoid'", "units: 1, activation: 'relu'");
  assert.equal(fixed(sameAct, he(0)), sameAct.replace('tf.initializers.glorotNormal()', 'tf.initializers.heUniform()'));
  const helper = `${TF}const block = (units: number, activation: any) => tf.layers.dense({units, activation});
const model = tf.sequential({layers: [block(8, 'relu'), block(8, 'relu')]});
`;
  assert.equal(fixed(helper, he(1)), helper.replace('{units, activation}', "{units, activation, kernelInitializer: 'heUniform'}"));
  noFix(helper.replace("block(8, 'relu')]", "block(8, 'tanh')]"), he(0));
});

test('setLayerOption unitForgetBias: insert, replace, override a spread base', () => {
  const lstm = (cfg: string, pre = '') => `${TF}${pre}const model = tf.sequential({layers: [tf.layers.lstm(${cfg})]});\n`;
  const on: FixIntent = { kind: 'setLayerOption', layer: 0, option: 'unitForgetBias', value: true };
  assert.equal(fixed(lstm('{units: 8, inputShape: [3, 2]}'), on), lstm('{units: 8, inputShape: [3, 2], unitForgetBias: true}'));
  assert.equal(fixed(lstm('{units: 8, unitForgetBias: false}'), on), lstm('{units: 8, unitForgetBias: true}'));
  assert.equal(fixed(lstm('{...base, units: 8}', 'const base = {unitForgetBias: false};\n'), on), lstm('{...base, units: 8, unitForgetBias: true}', 'const base = {unitForgetBias: false};\n'));
  noFix(seq1('{units: 2}'), on);
  // Already set: nothing to change.
  const done = lstm('{units: 8, unitForgetBias: true}');
  const m = one(done);
  assert.deepEqual(tfjsFixEdits(done, m, on), []);
});

test('fixFalsyArg: minval, maxval, stddev, mean and seed', () => {
  const f = (arg: 'minval' | 'maxval' | 'stddev' | 'mean' | 'seed', slot: 'kernel' | 'bias' = 'kernel'): FixIntent => ({ kind: 'fixFalsyArg', layer: 0, slot, arg });
  assert.equal(
    fixed(seq1('{units: 2, biasInitializer: tf.initializers.randomUniform({minval: 0, maxval: 0.1})}'), f('minval', 'bias')),
    seq1('{units: 2, biasInitializer: tf.initializers.randomUniform({minval: Number.MIN_VALUE, maxval: 0.1})}'),
  );
  assert.equal(
    fixed(seq1('{units: 2, kernelInitializer: tf.initializers.randomUniform({minval: -0.1, maxval: 0})}'), f('maxval')),
    seq1('{units: 2, kernelInitializer: tf.initializers.randomUniform({minval: -0.1, maxval: -Number.MIN_VALUE})}'),
  );
  assert.equal(
    fixed(seq1('{units: 2, kernelInitializer: tf.initializers.randomNormal({mean: 0.5, stddev: 0})}'), f('stddev')),
    seq1('{units: 2, kernelInitializer: tf.initializers.constant({value: 0.5})}'),
  );
  assert.equal(
    fixed(seq1("{units: 2, kernelInitializer: {className: 'TruncatedNormal', config: {stddev: 0}}}"), f('stddev')),
    seq1("{units: 2, kernelInitializer: {className: 'Constant', config: {value: 0}}}"),
  );
  const meanZero = seq1('{units: 2, kernelInitializer: tf.initializers.randomNormal({mean: 0, stddev: 0.1, seed: 0})}');
  assert.deepEqual(tfjsFixEdits(meanZero, one(meanZero), f('mean')), []);
  assert.equal(tfjsFixEdits(meanZero, one(meanZero), f('seed')), undefined);
});

test('core API: the same op re-parameterized, nothing else', () => {
  const core = `${TF}const w = tf.variable(tf.randomNormal([4, 4], 0, 0.01));\nexport const f = (x: tf.Tensor) => x.matMul(w).relu();\n`;
  noFix(core, he());
  assert.equal(fixed(core, { kind: 'setInitializer', layer: 0, slot: 'kernel', to: 'randomNormal', args: { stddev: 0.707 } }), core.replace('0, 0.01)', '0, 0.707)'));
  const bare = core.replace('tf.randomNormal([4, 4], 0, 0.01)', 'tf.randomNormal([4, 4])');
  assert.equal(fixed(bare, { kind: 'setInitializer', layer: 0, slot: 'kernel', to: 'randomNormal', args: { stddev: 0.707 } }), core.replace('0, 0.01)', '0, 0.707)'));
  const uni = core.replace('tf.randomNormal([4, 4], 0, 0.01)', "tf.randomUniform([4, 4], -0.01, 0.01, 'float32', 7)");
  assert.equal(
    fixed(uni, { kind: 'setInitializer', layer: 0, slot: 'kernel', to: 'randomUniform', args: { minval: -1.22, maxval: 1.22 } }),
    uni.replace('-0.01, 0.01,', '-1.22, 1.22,'),
  );
  // Scaled by mul(): the written arguments are not the realized ones.
  noFix(core.replace('tf.randomNormal([4, 4], 0, 0.01)', 'tf.randomNormal([4, 4]).mul(0.01)'), { kind: 'setInitializer', layer: 0, slot: 'kernel', to: 'randomNormal', args: { stddev: 0.7 } });
});

test('stale models are not edited', () => {
  const text = seq1("{units: 2, kernelInitializer: 'glorotNormal'}");
  const m = one(text);
  assert.equal(tfjsFixEdits(text.replace('units: 2', 'units: 22'), m, he()), undefined);
});

test('a model object that is a copy (not from this process) is found again by its span', () => {
  const text = seq1("{units: 2, kernelInitializer: 'glorotNormal'}");
  const copy = JSON.parse(JSON.stringify(analyze(text).models[0]));
  const edits = tfjsFixEdits(text, copy, he());
  assert.ok(edits);
  assert.equal(applyEdits(text, edits), text.replace('glorotNormal', 'heUniform'));
});

test('tf as a parameter, global tf and function-local builders get the right namespace', () => {
  const param = `export function build(tf) {\n  return tf.sequential({layers: [tf.layers.dense({units: 2, kernelInitializer: 'glorotNormal'})]});\n}\n`;
  assert.equal(
    fixed(param, { kind: 'setInitializer', layer: 0, slot: 'kernel', to: 'randomNormal', args: { stddev: 0.1 } }, undefined, 'b.js'),
    param.replace("'glorotNormal'", 'tf.initializers.randomNormal({stddev: 0.1})'),
  );
  const global = `const model = tf.sequential({layers: [tf.layers.dense({units: 2, kernelInitializer: tf.initializers.randomNormal({mean: 1, stddev: 0})})]});\n`;
  assert.equal(fixed(global, { kind: 'fixFalsyArg', layer: 0, slot: 'kernel', arg: 'stddev' }, undefined, 'g.js'), global.replace('tf.initializers.randomNormal({mean: 1, stddev: 0})', 'tf.initializers.constant({value: 1})'));
});

test('fixes on the example files keep them parseable', () => {
  const src = `${TF}export function createModel(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.flatten({inputShape: [28, 28, 1]}));
  for (let i = 0; i < 3; i++) {
    model.add(
      tf.layers.dense({
        units: 256,
        activation: 'relu',
      }),
    );
  }
  model.add(tf.layers.dense({units: 10, activation: 'softmax'}));
  return model;
}
`;
  const out = fixed(src, he(1));
  assert.ok(out.includes("        activation: 'relu',\n        kernelInitializer: 'heUniform',\n      }),"), out);
  // All three loop layers share the literal and the same context: one edit fixes them all.
  assert.deepEqual(one(out).layers.slice(1, 4).map((l) => l.kernel?.id), ['heUniform', 'heUniform', 'heUniform']);
});

test('one variable used for two slots of a layer is not edited for one of them', () => {
  const src = `${TF}const INIT = 'glorotNormal';\nconst model = tf.sequential({layers: [tf.layers.lstm({units: 4, inputShape: [2, 2], kernelInitializer: INIT, recurrentInitializer: INIT})]});\n`;
  noFix(src, he());
  const sep = `${TF}const model = tf.sequential({layers: [tf.layers.separableConv2d({filters: 2, kernelSize: 3, depthwiseInitializer: 'glorotNormal'})]});\n`;
  assert.equal(fixed(sep, he()), sep.replace("'glorotNormal'", "'heUniform'"));
});
