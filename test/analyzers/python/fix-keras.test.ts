/** Keras fixes: string swaps, class swaps, added keyword arguments in the call's layout, unit_forget_bias. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FixIntent } from '../../../src/core/findings';
import { KERAS, check, fixed, noFix } from './helpers';

const HE = (layer: number): FixIntent => ({ kind: 'setInitializer', layer, slot: 'kernel', to: 'he_uniform' });

test('kernel_initializer="glorot_uniform" → "he_uniform" (string contents only)', () => {
  const text = `${KERAS}
m = keras.Sequential([layers.Dense(64, activation="relu", kernel_initializer="glorot_uniform", input_shape=(8,)), layers.Dense(1)])
`;
  const out = fixed(text, HE(0));
  assert.ok(out.includes('kernel_initializer="he_uniform", input_shape=(8,)'), out);
  assert.deepEqual(check(out).findings.filter((f) => f.ruleId === 'relu-needs-he'), []);
});

test('a default initializer: the argument is added to the call, keeping its formatting', () => {
  const oneLine = `${KERAS}
m = keras.Sequential([layers.Dense(64, activation='relu', input_shape=(8,)), layers.Dense(1)])
`;
  assert.ok(fixed(oneLine, HE(0)).includes("layers.Dense(64, activation='relu', input_shape=(8,), kernel_initializer='he_uniform')"));
  const perLine = `${KERAS}
m = keras.Sequential([
    layers.Dense(
        64,
        activation="relu",
        input_shape=(8,),
    ),
    layers.Dense(1),
])
`;
  const out = fixed(perLine, HE(0));
  assert.ok(out.includes('        input_shape=(8,),\n        kernel_initializer="he_uniform",\n    ),'), out);
  const aligned = `${KERAS}
m = keras.Sequential()
m.add(layers.Dense(64, input_shape=(8,),
                   activation="relu"))
m.add(layers.Dense(1))
`;
  assert.ok(fixed(aligned, HE(0)).includes('                   activation="relu",\n                   kernel_initializer="he_uniform"))'));
  const empty = `${KERAS}
inp = keras.Input(shape=(4,))
x = layers.Dense()(inp)
x = layers.ReLU()(x)
model = keras.Model(inp, layers.Dense(1)(x))
`;
  assert.ok(fixed(empty, HE(1)).includes('layers.Dense(kernel_initializer="he_uniform")(inp)'));
});

test('an initializer class keeps its form (seed kept); other classes become the id string', () => {
  const text = `${KERAS}
from tensorflow.keras import initializers
m = keras.Sequential([
    layers.Dense(64, activation="relu", kernel_initializer=initializers.GlorotNormal(seed=1), input_shape=(8,)),
    layers.Dense(64, activation="relu", kernel_initializer=initializers.VarianceScaling(scale=1.0, mode="fan_avg")),
    layers.Dense(1),
])
`;
  assert.ok(fixed(text, { kind: 'setInitializer', layer: 0, slot: 'kernel', to: 'he_normal' }).includes('initializers.HeNormal(seed=1)'));
  assert.ok(fixed(text, HE(1)).includes('kernel_initializer="he_uniform")'));
});

test('fixed-scale: RandomNormal(stddev=…) re-parameterized in place', () => {
  const text = `${KERAS}
m = keras.Sequential([layers.Dense(512, activation="relu", kernel_initializer=keras.initializers.RandomNormal(stddev=0.1), input_shape=(512,)), layers.Dense(1)])
`;
  const out = fixed(text, { kind: 'setInitializer', layer: 0, slot: 'kernel', to: 'random_normal', args: { stddev: 0.0625 } });
  assert.ok(out.includes('keras.initializers.RandomNormal(stddev=0.0625)'), out);
  // The engine offers that fix for the finding.
  const f = check(text).findings.find((x) => x.ruleId === 'fixed-scale');
  assert.ok(f && f.fixes.length === 1, JSON.stringify(f));
});

test('a shared initializer variable: only this layer\'s use is replaced', () => {
  const text = `${KERAS}
init = keras.initializers.GlorotUniform()
m = keras.Sequential([
    layers.Dense(32, activation="relu", kernel_initializer=init, input_shape=(16,)),
    layers.Dense(32, activation="tanh", kernel_initializer=init),
    layers.Dense(1),
])
`;
  const out = fixed(text, HE(0));
  assert.ok(out.includes('layers.Dense(32, activation="relu", kernel_initializer="he_uniform", input_shape=(16,))'), out);
  assert.ok(out.includes('layers.Dense(32, activation="tanh", kernel_initializer=init)'), out);
});

test('one constructor call building layers in different situations is refused; the same situation is fixed', () => {
  const text = `${KERAS}
def block(x, act):
    return layers.Dense(32, activation=act)(x)
inp = keras.Input(shape=(32,))
x = block(inp, "relu")
x = block(x, "tanh")
model = keras.Model(inp, layers.Dense(1)(x))
`;
  noFix(text, HE(1));
  const same = text.replace('"tanh"', '"relu"');
  assert.ok(fixed(same, HE(1)).includes('layers.Dense(32, activation=act, kernel_initializer="he_uniform")'));
});

test('unit_forget_bias=False → True (absent is the default True); recurrent initializer swap', () => {
  const text = `${KERAS}
inp = keras.Input(shape=(20, 8))
h = layers.LSTM(32, unit_forget_bias=False, recurrent_initializer="glorot_uniform")(inp)
model = keras.Model(inp, layers.Dense(1)(h))
`;
  const opt: FixIntent = { kind: 'setLayerOption', layer: 1, option: 'unitForgetBias', value: true };
  assert.ok(fixed(text, opt).includes('layers.LSTM(32, unit_forget_bias=True, recurrent_initializer="glorot_uniform")'));
  assert.ok(fixed(text, { kind: 'setInitializer', layer: 1, slot: 'recurrent', to: 'orthogonal' }).includes('recurrent_initializer="orthogonal"'));
  const r = check(text);
  const recurrentFindings = r.findings.filter((f) => f.ruleId === 'lstm-forget-bias' || f.ruleId === 'recurrent-not-orthogonal');
  assert.deepEqual(recurrentFindings.map((f) => [f.ruleId, f.fixes.length]).sort(), [['lstm-forget-bias', 1], ['recurrent-not-orthogonal', 1]]);
  // Absent, it is Keras's default True: nothing to report.
  assert.deepEqual(check(text.replace('unit_forget_bias=False, ', '')).findings.filter((f) => f.ruleId === 'lstm-forget-bias'), []);
  // **kwargs could hold the argument already: no edit.
  const kwargs = text.replace('unit_forget_bias=False, ', '**cfg, ').replace('from tensorflow.keras import layers\n', 'from tensorflow.keras import layers\ncfg = {"unit_forget_bias": False}\n');
  noFix(kwargs, opt);
});
