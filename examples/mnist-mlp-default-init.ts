// A deep ReLU MLP for MNIST that leaves every kernel at the tfjs default, glorotNormal.
//
// What it shows: Glorot scaling is meant for linear units; a ReLU drops half of the second moment, and tfjs's
// glorotNormal realizes only 0.774x its nominal variance (truncated normal without the 0.8796 correction). Each
// hidden 256-wide layer multiplies the signal by about 0.39, so after eight of them the signal entering the read-out
// is about x0.0008 of the input: relu-needs-he on the hidden layers and vanishing-signal for the model.
import * as tf from '@tensorflow/tfjs';

export function buildMnistMlp(): tf.Sequential {
  const model = tf.sequential({ name: 'mnist_mlp' });
  model.add(tf.layers.flatten({ inputShape: [28, 28, 1] }));
  model.add(tf.layers.dense({ units: 256, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 256, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 256, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 256, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 256, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 256, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 256, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 256, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));

  model.compile({
    optimizer: tf.train.adam(1e-3),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

export async function train(images: tf.Tensor4D, labels: tf.Tensor2D): Promise<tf.History> {
  const model = buildMnistMlp();
  return model.fit(images, labels, { epochs: 5, batchSize: 128, validationSplit: 0.1 });
}
