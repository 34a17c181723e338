// An MNIST classifier where the author zero-initialized a hidden layer "to start from a neutral model".
//
// What it shows: with a zero kernel every one of the 128 units computes the same output and gets the same
// gradient, so they stay identical through training and the layer acts like one unit: symmetric-init, an error.
// At initialization the layer also outputs exactly 0, so nothing reaches the read-out: vanishing-signal.
// (Zeros are fine for biases, for the read-out layer, and at the end of a residual branch; see
// functional-resnet.ts.)
import * as tf from '@tensorflow/tfjs';

export function buildClassifier(): tf.Sequential {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [784], units: 256, activation: 'relu', kernelInitializer: 'heUniform' }),
      tf.layers.dense({ units: 128, activation: 'relu', kernelInitializer: 'zeros' }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export async function train(images: tf.Tensor2D, labels: tf.Tensor2D): Promise<tf.History> {
  return buildClassifier().fit(images, labels, { epochs: 10, batchSize: 64 });
}
