/** Keras (tf.keras 2 and Keras 3): Sequential, functional, subclassed models; initializers; activations; imports. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KERAS, analyze, at, byName, chain, check, model, one, rules, sizes } from './helpers';

test('Sequential from a list: input_shape, fused activations, initializer strings, classes and instances', () => {
  const text = `import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers, initializers

model = keras.Sequential([
    layers.Dense(256, activation="relu", input_shape=(784,)),
    layers.Dense(256, activation="relu", kernel_initializer="glorot_uniform"),
    layers.Dense(128, activation=tf.nn.relu, kernel_initializer=initializers.HeNormal(seed=1)),
    layers.Dense(64, kernel_initializer=initializers.VarianceScaling(scale=2., mode='fan_in', distribution='truncated_normal')),
    layers.Dense(32, kernel_initializer=keras.initializers.he_uniform),
    layers.Dense(10, activation="softmax"),
], name="mnist")
`;
  const m = one(text);
  assert.deepEqual([m.name, m.framework], ['mnist', 'keras']);
  assert.deepEqual(sizes(m), [[784, 256], [256, 256], [256, 128], [128, 64], [64, 32], [32, 10]]);
  assert.deepEqual(m.layers[0].inputShape, [784]);
  const k = m.layers.map((l) => [l.kernel?.id, l.kernel?.form]);
  assert.deepEqual(k, [
    ['glorot_uniform', 'default'],
    ['glorot_uniform', 'string'],
    ['he_normal', 'class'],
    ['variance_scaling', 'class'],
    ['he_uniform', 'class'],
    ['glorot_uniform', 'default'],
  ]);
  assert.deepEqual(m.layers[3].kernel?.args, { scale: 2, mode: 'fanIn', distribution: 'truncatedNormal' });
  assert.equal(at(text, m.layers[1].kernel?.nameSpan), 'glorot_uniform');
  assert.equal(at(text, m.layers[1].kernel?.propertySpan), 'kernel_initializer="glorot_uniform"');
  assert.equal(at(text, m.layers[2].kernel?.nameSpan), 'HeNormal');
  assert.deepEqual(m.layers.map((l) => l.activation?.id), ['relu', 'relu', 'relu', 'linear', 'linear', 'softmax']);
  assert.deepEqual([m.layers[0].bias?.id, m.layers[0].useBias], ['zeros', true]);
  // `scale=2.` is valid Python that @lezer/python misparses; it is neither lost nor a syntax problem.
  assert.deepEqual(analyze(text).problems, []);
});

test('Sequential with .add, Conv2D/pooling/flatten shapes, LeakyReLU(alpha=) (tf.keras 2 spelling)', () => {
  const text = `import tensorflow as tf
m = tf.keras.models.Sequential()
m.add(tf.keras.layers.Conv2D(32, (3, 3), activation='relu', input_shape=(28, 28, 1)))
m.add(tf.keras.layers.MaxPooling2D((2, 2)))
m.add(tf.keras.layers.Flatten())
m.add(tf.keras.layers.Dense(64))
m.add(tf.keras.layers.LeakyReLU(alpha=0.1))
m.add(tf.keras.layers.Dense(10))
`;
  const m = one(text);
  assert.equal(m.name, 'm');
  assert.deepEqual(chain(m), ['conv', 'pooling', 'flatten', 'dense', 'leakyRelu', 'dense']);
  assert.deepEqual(m.layers[0].kernelSize, [3, 3]);
  assert.equal(m.layers[2].outFeatures, 13 * 13 * 32);
  assert.equal(m.layers[3].inFeatures, 5408);
  assert.equal(m.layers[4].activation?.alpha, 0.1);
});

test('functional API: Input, calls, add / Add()([a, b]) / a + b, Concatenate, multiple outputs', () => {
  const text = `${KERAS}
inputs = keras.Input(shape=(32,))
x = layers.Dense(64, activation="relu")(inputs)
y = layers.Dense(64)(x)
y = layers.BatchNormalization()(y)
y = layers.Activation("relu")(y)
x = layers.add([x, y])
x = layers.Add()([x, y])
x = x + y
z = layers.Concatenate()([x, inputs])
out1 = layers.Dense(1, name="score")(z)
out2 = layers.Dense(3, activation="softmax", name="cls")(z)
model = keras.Model(inputs=inputs, outputs=[out1, out2], name="two_heads")
`;
  const m = one(text);
  assert.equal(m.name, 'two_heads');
  assert.equal(m.layers[0].kind, 'input');
  assert.equal(m.layers.filter((l) => l.kind === 'add').length, 3);
  assert.equal(m.layers.find((l) => l.kind === 'concatenate')?.outFeatures, 96);
  assert.deepEqual(m.outputs?.map((i) => m.layers[i].name), ['score', 'cls']);
  assert.equal(byName(m, 'score').inFeatures, 96);
});

test('subclassed model: layers in __init__, flow in call(), shapes from build()', () => {
  const text = `${KERAS}
class Net(keras.Model):
    def __init__(self, units=64):
        super().__init__()
        self.d1 = layers.Dense(units, activation="selu", kernel_initializer="lecun_normal")
        self.drop = layers.AlphaDropout(0.1)
        self.d2 = layers.Dense(1)

    def call(self, inputs, training=False):
        x = self.d1(inputs)
        x = self.drop(x, training=training)
        return self.d2(x)

net = Net()
net.build((None, 20))
`;
  const m = one(text);
  assert.equal(m.name, 'net');
  assert.deepEqual(sizes(m), [[20, 64], [64, 64], [64, 1]]);
  assert.deepEqual([byName(m, 'd1').kernel?.id, byName(m, 'd1').activation?.id], ['lecun_normal', 'selu']);
  assert.deepEqual(rules(text), []);
});

test('imports: keras, tensorflow.keras, tf.keras, from keras.layers import Dense, star imports', () => {
  const variants = [
    'import keras\nm = keras.Sequential([keras.layers.Dense(8, activation="relu", input_shape=(4,)), keras.layers.Dense(1)])\n',
    'import tensorflow.keras as K\nm = K.Sequential([K.layers.Dense(8, activation="relu", input_shape=(4,)), K.layers.Dense(1)])\n',
    'from keras.layers import Dense\nfrom keras.models import Sequential\nm = Sequential([Dense(8, activation="relu", input_shape=(4,)), Dense(1)])\n',
    'from tensorflow.keras.layers import *\nfrom tensorflow.keras import Sequential\nm = Sequential([Dense(8, activation="relu", input_shape=(4,)), Dense(1)])\n',
    'import tf_keras as keras\nm = keras.Sequential([keras.layers.Dense(8, activation="relu", input_shape=(4,)), keras.layers.Dense(1)])\n',
  ];
  for (const v of variants) {
    const m = one(v);
    assert.deepEqual(sizes(m), [[4, 8], [8, 1]], v);
    assert.deepEqual(rules(v), ['relu-needs-he'], v);
  }
});

test('recurrent layers: LSTM unit_forget_bias (default True), recurrent initializers, Bidirectional, Embedding', () => {
  const text = `${KERAS}
inp = keras.Input(shape=(100,), dtype="int32")
e = layers.Embedding(20000, 128)(inp)
h = layers.Bidirectional(layers.LSTM(64, return_sequences=True))(e)
h = layers.LSTM(32, unit_forget_bias=False, recurrent_initializer="glorot_uniform")(h)
g = layers.GRU(16, recurrent_activation="hard_sigmoid")(e)
out = layers.Dense(1, activation="sigmoid")(layers.concatenate([h, g]))
model = keras.Model(inp, out)
`;
  const m = one(text);
  const [bi, lstm] = m.layers.filter((l) => l.kind === 'lstm');
  assert.deepEqual([bi.wrapper, bi.inFeatures, bi.outFeatures, bi.unitForgetBias, bi.unitForgetBiasExplicit, bi.timeSteps], ['bidirectional', 128, 64, true, false, 100]);
  assert.deepEqual([lstm.inFeatures, lstm.unitForgetBias, lstm.unitForgetBiasExplicit, lstm.recurrent?.id], [128, false, true, 'glorot_uniform']);
  assert.equal(bi.recurrent?.id, 'orthogonal');
  const gru = m.layers.find((l) => l.kind === 'gru')!;
  assert.equal(gru.recurrentActivation?.id, 'hardSigmoidSixth');
  assert.deepEqual(m.layers.find((l) => l.kind === 'embedding')?.kernel?.id, 'random_uniform');
  assert.deepEqual(rules(text), ['lstm-forget-bias', 'recurrent-not-orthogonal']);
});

test('activation layers and arguments: ReLU(max_value=6), PReLU, ELU(alpha), LeakyReLU(negative_slope), Activation("gelu")', () => {
  const text = `${KERAS}
from tensorflow.keras import initializers
m = keras.Sequential([
    layers.Dense(8, input_shape=(8,)), layers.ReLU(max_value=6),
    layers.Dense(8), layers.PReLU(alpha_initializer=initializers.Constant(0.25)),
    layers.Dense(8), layers.ELU(alpha=0.5),
    layers.Dense(8), layers.LeakyReLU(negative_slope=0.2),
    layers.Dense(8), layers.LeakyReLU(),
    layers.Dense(8), layers.Activation("gelu"),
    layers.Dense(8, activation=keras.activations.swish),
    layers.Dense(8, activation=None),
])
`;
  const acts = one(text).layers.filter((l) => l.kind === 'activation' || l.activation?.explicit).map((l) => [l.activation?.id, l.activation?.alpha]);
  assert.deepEqual(acts, [
    ['relu6', undefined],
    ['prelu', 0.25],
    ['elu', 0.5],
    ['leakyRelu', 0.2],
    ['leakyRelu', 0.3],
    ['gelu', undefined],
    ['silu', undefined],
    ['linear', undefined],
  ]);
});

test('a shared initializer variable is marked; serialized configs and unknown initializers', () => {
  const text = `${KERAS}
init = keras.initializers.GlorotUniform(seed=3)
m = keras.Sequential([
    layers.Dense(32, activation="relu", kernel_initializer=init, input_shape=(16,)),
    layers.Dense(32, activation="relu", kernel_initializer=init),
    layers.Dense(32, kernel_initializer={"class_name": "HeUniform", "config": {"seed": 1}}),
    layers.Dense(1, kernel_initializer=make_init()),
])
`;
  const m = one(text);
  assert.deepEqual(m.layers[0].kernel?.sharedVariable?.name, 'init');
  assert.equal(at(text, m.layers[0].kernel?.propertySpan), 'kernel_initializer=init');
  assert.deepEqual([m.layers[2].kernel?.id, m.layers[2].kernel?.form], ['he_uniform', 'serialized']);
  assert.equal(m.layers[3].kernel?.id, undefined);
  // Each layer that uses the variable has its own finding, at its own use.
  const f = check(text).findings.filter((x) => x.ruleId === 'relu-needs-he');
  assert.deepEqual(f.map((x) => at(text, x.span)), ['kernel_initializer=init', 'kernel_initializer=init']);
});

test('several models in one file; a builder function never called runs with its defaults', () => {
  const text = `${KERAS}
def build_model(hidden=64):
    inp = keras.Input(shape=(10,))
    x = layers.Dense(hidden, activation="relu", kernel_initializer="glorot_normal")(inp)
    return keras.Model(inp, layers.Dense(1)(x))

small = keras.Sequential([layers.Dense(4, input_shape=(2,)), layers.Dense(1)])
`;
  const r = analyze(text);
  assert.deepEqual(r.models.map((x) => x.name).sort(), ['build_model', 'small']);
  assert.equal(model(r, 'build_model').layers[1].outFeatures, 64);
  assert.deepEqual(rules(text), ['relu-needs-he']);
});

test('subclassed model with a list of blocks and a custom Layer (build/call with add_weight): unknown where it must be', () => {
  const text = `import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

class Linear(layers.Layer):
    def __init__(self, units=32):
        super().__init__()
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="random_normal")

    def call(self, inputs):
        return tf.matmul(inputs, self.w)

class ResNetLike(keras.Model):
    def __init__(self, num_blocks=3):
        super().__init__()
        self.stem = layers.Dense(64, activation=layers.LeakyReLU(0.2), kernel_initializer="he_normal")
        self.blocks = [layers.Dense(64, activation="relu", kernel_initializer="he_normal") for _ in range(num_blocks)]
        self.custom = Linear(16)
        self.head = layers.Dense(1)

    def call(self, x, training=False):
        x = self.stem(x)
        for blk in self.blocks:
            x = x + blk(x)
        return self.head(self.custom(x))
`;
  const m = one(text);
  assert.deepEqual(chain(m), ['dense', 'dense', 'add', 'dense', 'add', 'dense', 'add', 'unknown', 'dense']);
  assert.deepEqual([m.layers[1].activation?.id, m.layers[1].activation?.alpha], ['leakyRelu', 0.2]);
  assert.match(m.layers.find((l) => l.kind === 'unknown')!.unknownReason!, /matrix product with an operand the analyzer does not know/);
  assert.equal(byName(m, 'head').inFeatures, undefined);
});
