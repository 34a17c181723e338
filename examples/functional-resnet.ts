// A residual MLP built with the functional API (tf.input / apply / tf.layers.add), pre-activation style.
//
// What it shows: every ReLU is fed by He-initialized weights, and the last dense layer of each residual branch is
// zero-initialized on purpose (SkipInit / Fixup): at initialization each block is the identity, so the signal
// passes through the blocks unchanged and the deep model trains from the first step. A constant kernel is
// normally symmetric-init, but not at the end of a residual branch. Nothing to report.
import * as tf from '@tensorflow/tfjs';

const NUM_FEATURES = 100;
const WIDTH = 256;
const NUM_CLASSES = 10;

export function buildResidualMlp(): tf.LayersModel {
  const input = tf.input({ shape: [NUM_FEATURES] });
  const stem = tf.layers.dense({ units: WIDTH, kernelInitializer: 'heUniform', name: 'stem' }).apply(input) as tf.SymbolicTensor;

  // Block 1: relu -> dense(he) -> relu -> dense(zeros), added to the block's input.
  const a1 = tf.layers.reLU().apply(stem) as tf.SymbolicTensor;
  const d1 = tf.layers.dense({ units: WIDTH, activation: 'relu', kernelInitializer: 'heUniform' }).apply(a1) as tf.SymbolicTensor;
  const z1 = tf.layers.dense({ units: WIDTH, kernelInitializer: 'zeros' }).apply(d1) as tf.SymbolicTensor;
  const block1 = tf.layers.add().apply([stem, z1]) as tf.SymbolicTensor;

  // Block 2
  const a2 = tf.layers.reLU().apply(block1) as tf.SymbolicTensor;
  const d2 = tf.layers.dense({ units: WIDTH, activation: 'relu', kernelInitializer: 'heUniform' }).apply(a2) as tf.SymbolicTensor;
  const z2 = tf.layers.dense({ units: WIDTH, kernelInitializer: 'zeros' }).apply(d2) as tf.SymbolicTensor;
  const block2 = tf.layers.add().apply([block1, z2]) as tf.SymbolicTensor;

  // Block 3
  const a3 = tf.layers.reLU().apply(block2) as tf.SymbolicTensor;
  const d3 = tf.layers.dense({ units: WIDTH, activation: 'relu', kernelInitializer: 'heUniform' }).apply(a3) as tf.SymbolicTensor;
  const z3 = tf.layers.dense({ units: WIDTH, kernelInitializer: 'zeros' }).apply(d3) as tf.SymbolicTensor;
  const block3 = tf.layers.add().apply([block2, z3]) as tf.SymbolicTensor;

  const normed = tf.layers.layerNormalization().apply(block3) as tf.SymbolicTensor;
  const features = tf.layers.reLU().apply(normed) as tf.SymbolicTensor;
  const output = tf.layers.dense({ units: NUM_CLASSES, activation: 'softmax', name: 'head' }).apply(features) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output, name: 'residual_mlp' });
}

export function compileForTraining(model: tf.LayersModel): void {
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
}
