import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LayerKind } from '../../../src/core/model';
import { TF, analyze, kinds, one, sizes } from './helpers';

const seq = (...layers: string[]) => `${TF}const model = tf.sequential({layers: [\n  ${layers.join(',\n  ')},\n]});\n`;

test('every factory maps to its layer kind; anything else is unknown with its op name', () => {
  const table: [string, LayerKind][] = [
    ['dense({units: 2})', 'dense'],
    ['conv1d({filters: 2, kernelSize: 3})', 'conv'],
    ['conv2d({filters: 2, kernelSize: 3})', 'conv'],
    ['conv3d({filters: 2, kernelSize: 3})', 'conv'],
    ['conv2dTranspose({filters: 2, kernelSize: 3})', 'convTranspose'],
    ['conv3dTranspose({filters: 2, kernelSize: 3})', 'convTranspose'],
    ['depthwiseConv2d({kernelSize: 3})', 'depthwiseConv'],
    ['separableConv2d({filters: 2, kernelSize: 3})', 'separableConv'],
    ['simpleRNN({units: 2})', 'simpleRNN'],
    ['lstm({units: 2})', 'lstm'],
    ['gru({units: 2})', 'gru'],
    ['embedding({inputDim: 10, outputDim: 2})', 'embedding'],
    ['batchNormalization()', 'batchNorm'],
    ['layerNormalization()', 'layerNorm'],
    ["activation({activation: 'relu'})", 'activation'],
    ['reLU()', 'activation'],
    ['leakyReLU()', 'activation'],
    ['prelu()', 'activation'],
    ['elu()', 'activation'],
    ['thresholdedReLU()', 'activation'],
    ['softmax()', 'activation'],
    ['dropout({rate: 0.1})', 'dropout'],
    ['spatialDropout1d({rate: 0.1})', 'dropout'],
    ['alphaDropout({rate: 0.1})', 'dropout'],
    ['maxPooling1d({})', 'pooling'],
    ['maxPooling2d({})', 'pooling'],
    ['maxPooling3d({})', 'pooling'],
    ['averagePooling2d({})', 'pooling'],
    ['avgPool2d({})', 'pooling'],
    ['globalMaxPooling1d()', 'globalPooling'],
    ['globalAveragePooling2d({})', 'globalPooling'],
    ['flatten()', 'flatten'],
    ['reshape({targetShape: [2, 2]})', 'reshape'],
    ['add()', 'add'],
    ['concatenate()', 'concatenate'],
    ['inputLayer({inputShape: [3]})', 'input'],
    ['zeroPadding2d()', 'unknown'],
    ['multiply()', 'unknown'],
    ['convLstm2d({filters: 2, kernelSize: 3})', 'unknown'],
    ['doesNotExist({units: 2})', 'unknown'],
  ];
  for (const [call, kind] of table) {
    const m = one(seq(`tf.layers.${call}`));
    assert.equal(m.layers[0].kind, kind, call);
    assert.equal(m.layers[0].op, call.slice(0, call.indexOf('(')), call);
    if (kind === 'unknown') assert.ok(m.layers[0].unknownReason, call);
  }
});

test('pooling layers say max or average', () => {
  const m = one(seq('tf.layers.maxPooling2d({inputShape: [4, 4, 1]})', 'tf.layers.globalAveragePooling2d({})'));
  assert.deepEqual(m.layers.map((l) => l.pooling), ['max', 'average']);
});

test('conv sizes: padding, strides, dilation, kernelSize number or array, channelsFirst', () => {
  const m = one(seq(
    "tf.layers.conv2d({filters: 16, kernelSize: 3, inputShape: [32, 32, 3], padding: 'same', strides: 2})",
    'tf.layers.conv2d({filters: 32, kernelSize: [5, 3]})',
    'tf.layers.maxPooling2d({poolSize: 2})',
    'tf.layers.conv2d({filters: 8, kernelSize: 3, dilationRate: 2})',
    'tf.layers.flatten()',
    'tf.layers.dense({units: 10})',
  ));
  // 32 → same/2 → 16; valid 5x3 → 12x14; pool 2 → 6x7; valid dilated 3 (effective 5) → 2x3; 2*3*8 = 48
  assert.deepEqual(sizes(m), [[3, 16], [16, 32], [32, 32], [32, 8], [8, 48], [48, 10]]);
  assert.deepEqual(m.layers[0].kernelSize, [3, 3]);
  assert.deepEqual(m.layers[0].strides, [2, 2]);
  assert.deepEqual(m.layers[1].kernelSize, [5, 3]);
  assert.deepEqual(m.layers[1].strides, [1, 1]);
  assert.deepEqual(m.layers[2].poolSize, [2, 2]);
  assert.deepEqual(m.layers[2].strides, [2, 2]);
  const cf = one(seq("tf.layers.conv2d({filters: 4, kernelSize: 3, inputShape: [2, 10, 10], dataFormat: 'channelsFirst'})", 'tf.layers.flatten()'));
  assert.deepEqual(sizes(cf), [[2, 4], [8, 256]]);
  const c1 = one(seq("tf.layers.conv1d({filters: 4, kernelSize: 3, inputShape: [20, 6], padding: 'causal'})", 'tf.layers.conv3d({filters: 2, kernelSize: [1, 1, 1]})'));
  assert.deepEqual(c1.layers[0].kernelSize, [3]);
  assert.equal(c1.layers[1].inFeatures, 4);
  assert.deepEqual(c1.layers[1].kernelSize, [1, 1, 1]);
});

test('unknown sizes stay unknown: a missing input shape, an unresolvable kernel size', () => {
  const m = one(`${TF}export function f(k: number) { return tf.sequential({layers: [
  tf.layers.conv2d({filters: 8, kernelSize: k, inputShape: [28, 28, 1]}),
  tf.layers.flatten(),
  tf.layers.dense({units: 4}),
]}); }`);
  assert.deepEqual(sizes(m), [[1, 8], [8, undefined], [undefined, 4]]);
  assert.equal(m.layers[0].kernelSize, undefined);
  const n = one(seq('tf.layers.dense({units: 4})', 'tf.layers.dense({units: 2})'));
  assert.deepEqual(sizes(n), [[undefined, 4], [4, 2]]);
});

test('transposed, depthwise and separable convolutions', () => {
  const m = one(seq(
    "tf.layers.conv2dTranspose({filters: 8, kernelSize: 3, strides: 2, padding: 'same', inputShape: [7, 7, 16]})",
    'tf.layers.depthwiseConv2d({kernelSize: 3, depthMultiplier: 2})',
    'tf.layers.separableConv2d({filters: 32, kernelSize: 3, depthMultiplier: 4})',
    'tf.layers.flatten()',
  ));
  // 7 → same×2 → 14; depthwise valid 3 → 12 with 16 channels; separable valid → 10, 32 filters
  assert.deepEqual(sizes(m), [[16, 8], [8, 16], [16, 32], [32, 10 * 10 * 32]]);
  assert.equal(m.layers[1].depthMultiplier, 2);
  assert.equal(m.layers[2].depthMultiplier, 4);
  assert.equal(m.layers[1].kernel?.id, 'glorotNormal');
  assert.equal(m.layers[2].kernel?.id, 'glorotUniform');
  assert.equal(m.layers[2].pointwise?.id, 'glorotUniform');
});

test('reshape, embedding, global pooling and flatten feature tracking', () => {
  const m = one(seq(
    'tf.layers.embedding({inputDim: 1000, outputDim: 16, inputLength: 20})',
    'tf.layers.reshape({targetShape: [4, -1]})',
    'tf.layers.globalAveragePooling1d({})',
    'tf.layers.dense({units: 1})',
  ));
  assert.deepEqual(sizes(m), [[1000, 16], [16, 80], [80, 80], [80, 1]]);
  assert.deepEqual(m.layers[0].inputShape, [20]);
});

test('recurrent layers: timeSteps, returnSequences, units', () => {
  const m = one(seq(
    'tf.layers.simpleRNN({units: 16, inputShape: [30, 8], returnSequences: true})',
    'tf.layers.gru({units: 12, returnSequences: true})',
    'tf.layers.lstm({units: 10})',
    'tf.layers.dense({units: 1})',
  ));
  assert.deepEqual(sizes(m), [[8, 16], [16, 12], [12, 10], [10, 1]]);
  assert.deepEqual(m.layers.slice(0, 3).map((l) => l.timeSteps), [30, 30, 30]);
  assert.deepEqual(m.layers.slice(0, 3).map((l) => l.returnSequences), [true, true, false]);
  const d = one(seq('tf.layers.lstm({units: 4, inputDim: 3, inputLength: 7})'));
  assert.deepEqual([d.layers[0].inFeatures, d.layers[0].timeSteps], [3, 7]);
});

test('RNN defaults and options: activations, unitForgetBias, useBias, recurrent initializer', () => {
  const m = one(seq(
    'tf.layers.lstm({units: 8, inputShape: [5, 3], returnSequences: true})',
    'tf.layers.lstm({units: 8, unitForgetBias: true, useBias: true, activation: null, returnSequences: true})',
    "tf.layers.simpleRNN({units: 8, activation: null, useBias: false, recurrentInitializer: 'glorotUniform'})",
  ));
  const [a, b, c] = m.layers;
  assert.deepEqual([a.activation?.id, a.activation?.explicit, a.recurrentActivation?.id], ['tanh', false, 'hardSigmoid']);
  assert.deepEqual([a.unitForgetBias, a.unitForgetBiasExplicit], [false, false]);
  assert.equal(a.recurrent?.id, 'orthogonal');
  assert.deepEqual([b.unitForgetBias, b.unitForgetBiasExplicit, b.useBias], [true, true, true]);
  assert.equal(b.activation?.id, 'linear'); // LSTM: activation null → linear (=== undefined check)
  assert.equal(c.activation?.id, 'tanh'); // SimpleRNN: == null → tanh
  assert.equal(c.useBias, false);
  assert.equal(c.bias, undefined);
  assert.equal(c.recurrent?.id, 'glorotUniform');
  assert.equal(c.recurrentActivation, undefined);
});

test('tf.layers.rnn({cell}) describes the cell as a recurrent layer', () => {
  const src = `${TF}const cell = tf.layers.lstmCell({units: 6, recurrentInitializer: 'glorotNormal', unitForgetBias: true});
const model = tf.sequential({layers: [tf.layers.rnn({cell, inputShape: [9, 2], returnSequences: true}), tf.layers.rnn({cell: [cell, cell]})]});`;
  const m = one(src);
  const l = m.layers[0];
  assert.deepEqual([l.kind, l.op, l.inFeatures, l.outFeatures, l.timeSteps, l.returnSequences], ['lstm', 'rnn', 2, 6, 9, true]);
  assert.equal(l.recurrent?.id, 'glorotNormal');
  assert.equal(l.unitForgetBias, true);
  assert.equal(src.slice(l.configSpan!.start, l.configSpan!.end), "{units: 6, recurrentInitializer: 'glorotNormal', unitForgetBias: true}");
  assert.equal(m.layers[1].kind, 'unknown');
});

test('wrappers: bidirectional (inner layer in a variable) and timeDistributed', () => {
  const m = one(`${TF}const lstm = tf.layers.lstm({units: 32, returnSequences: true});
const model = tf.sequential();
model.add(tf.layers.bidirectional({layer: lstm, inputShape: [10, 8]}));
model.add(tf.layers.bidirectional({layer: tf.layers.gru({units: 4}) as tf.RNN, mergeMode: 'sum'}));
model.add(tf.layers.repeatVector({n: 3}));
model.add(tf.layers.timeDistributed({layer: tf.layers.dense({units: 5, activation: 'relu'})}));`);
  assert.deepEqual(kinds(m), ['lstm', 'gru', 'unknown', 'dense']);
  assert.deepEqual(m.layers.map((l) => l.wrapper), ['bidirectional', 'bidirectional', undefined, 'timeDistributed']);
  // outFeatures is each layer's own units; the concat wrapper doubles what the next layer sees (64).
  assert.deepEqual(sizes(m), [[8, 32], [64, 4], [4, 4], [4, 5]]);
  assert.equal(m.layers[0].name, 'lstm');
  assert.deepEqual(m.layers[0].inputShape, [10, 8]);
  assert.equal(m.layers[0].timeSteps, 10);
  assert.equal(m.layers[3].activation?.id, 'relu');
});

test('activation layers: relu, relu6, leakyReLU alpha (default 0.3), prelu, elu, thresholdedReLU, softmax', () => {
  const m = one(seq(
    "tf.layers.activation({activation: 'selu', inputShape: [3]})",
    'tf.layers.reLU()',
    'tf.layers.reLU({maxValue: 6})',
    'tf.layers.reLU({maxValue: 2})',
    'tf.layers.leakyReLU()',
    'tf.layers.leakyReLU({alpha: 0.1})',
    'tf.layers.prelu()',
    "tf.layers.prelu({alphaInitializer: tf.initializers.constant({value: 0.25})})",
    "tf.layers.prelu({alphaInitializer: 'randomNormal'})",
    'tf.layers.elu()',
    'tf.layers.thresholdedReLU()',
    'tf.layers.thresholdedReLU({theta: 0})',
    'tf.layers.softmax()',
  ));
  assert.deepEqual(
    m.layers.map((l) => [l.activation?.id, l.activation?.alpha]),
    [['selu', undefined], ['relu', undefined], ['relu6', undefined], [undefined, undefined], ['leakyRelu', 0.3], ['leakyRelu', 0.1],
      ['prelu', 0], ['prelu', 0.25], [undefined, undefined], ['elu', 1], [undefined, undefined], ['relu', undefined], ['softmax', undefined]],
  );
  assert.ok(m.layers.every((l) => l.activation?.explicit && l.activation.span));
  assert.ok(m.layers.every((l) => l.inFeatures === 3 && l.outFeatures === 3));
});

test('ELU with alpha other than 1 and GRU resetAfter are problems (tfjs throws)', () => {
  const r = analyze(seq('tf.layers.elu({alpha: 0.5})', 'tf.layers.gru({units: 2, resetAfter: true})'));
  assert.ok(r.problems.some((p) => p.message.includes('ELU')));
  assert.ok(r.problems.some((p) => p.message.includes('resetAfter')));
});

test('dropout rates, batch and layer normalization options', () => {
  const m = one(seq(
    'tf.layers.dense({units: 4, inputShape: [2]})',
    'tf.layers.dropout({rate: 0.3})',
    'tf.layers.batchNormalization({epsilon: 1e-5})',
    'tf.layers.layerNormalization({center: false})',
    'tf.layers.batchNormalization({scale: false, gammaInitializer: "ones"})',
  ));
  assert.equal(m.layers[1].rate, 0.3);
  assert.deepEqual([m.layers[2].epsilon, m.layers[2].gamma?.id, m.layers[2].beta?.id], [1e-5, 'ones', 'zeros']);
  assert.deepEqual([m.layers[3].epsilon, m.layers[3].gamma?.id, m.layers[3].beta], [1e-3, 'ones', undefined]);
  assert.deepEqual([m.layers[4].gamma, m.layers[4].beta?.id], [undefined, 'zeros']);
});

test('layer classes with new: deep imports work, tf.layers.Dense does not exist', () => {
  const r = analyze(`${TF}import {Conv2D} from '@tensorflow/tfjs-layers/dist/layers/convolutional';
import * as core from '@tensorflow/tfjs-layers/dist/layers/core';
const model = tf.sequential();
model.add(new Conv2D({filters: 4, kernelSize: 3, inputShape: [8, 8, 1]}));
model.add(new core.Flatten({}));
model.add(new (tf.layers as any).Dense({units: 2}));`);
  const m = r.models[0];
  assert.deepEqual(kinds(m), ['conv', 'flatten', 'unknown']);
  assert.equal(m.layers[1].outFeatures, 6 * 6 * 4);
  assert.ok(m.layers[2].unknownReason?.includes('tf.layers.Dense'));
  assert.ok(r.problems.some((p) => p.message.includes('tf.layers.Dense')));
});

test('custom layer classes extending tf.layers.Layer are unknown layers', () => {
  const m = one(`${TF}class Scale extends tf.layers.Layer {
  constructor() { super({}); }
  call(x: tf.Tensor) { return x.mul(2); }
  static className = 'Scale';
}
const model = tf.sequential({layers: [tf.layers.dense({units: 3, inputShape: [3]}), new Scale(), tf.layers.dense({units: 1})]});`);
  assert.deepEqual(kinds(m), ['dense', 'unknown', 'dense']);
  assert.equal(m.layers[1].op, 'Scale');
  assert.ok(m.layers[1].unknownReason?.includes('custom layer'));
});

test('a dense function of another library is not a layer', () => {
  const m = one(`${TF}import {dense} from 'other-nn';
const model = tf.sequential();
model.add(dense({units: 3}) as any);`);
  assert.deepEqual(kinds(m), ['unknown']);
  assert.equal(m.layers[0].op, 'dense');
});

test('input sizes from batchInputShape and inputDim', () => {
  const m = one(seq('tf.layers.dense({units: 2, batchInputShape: [null, 7]})'));
  assert.deepEqual([m.layers[0].inFeatures, m.layers[0].inputShape], [7, [7]]);
  const n = one(seq('tf.layers.dense({units: 2, inputDim: 5})'));
  assert.equal(n.layers[0].inFeatures, 5);
  const i = one(seq('tf.layers.inputLayer({batchInputShape: [null, 3, 4]})', 'tf.layers.flatten()', 'tf.layers.dense({units: 1})'));
  assert.deepEqual(sizes(i), [[undefined, 4], [4, 12], [12, 1]]);
});
