// The same deep MNIST MLP as mnist-mlp-default-init.ts, fixed: every ReLU layer uses heUniform.
//
// What it shows: He scaling (Var(W) = 2/fan_in) makes up for the half of the second moment a ReLU drops, so each
// layer passes the signal on at about x1. heUniform is exact in tfjs (heNormal realizes 0.774x of it). The read-out
// keeps the default glorotNormal: it feeds a softmax, not a ReLU. Nothing to report.
import * as tf from '@tensorflow/tfjs';

const UNITS = 256;

export function buildMnistMlp(): tf.Sequential {
  return tf.sequential({
    name: 'mnist_mlp_he',
    layers: [
      tf.layers.flatten({ inputShape: [28, 28, 1] }),
      tf.layers.dense({ units: UNITS, activation: 'relu', kernelInitializer: 'heUniform' }),
      tf.layers.dense({ units: UNITS, activation: 'relu', kernelInitializer: 'heUniform' }),
      tf.layers.dense({ units: UNITS, activation: 'relu', kernelInitializer: 'heUniform' }),
      tf.layers.dense({ units: UNITS, activation: 'relu', kernelInitializer: 'heUniform' }),
      tf.layers.dense({ units: UNITS, activation: 'relu', kernelInitializer: 'heUniform' }),
      tf.layers.dense({ units: UNITS, activation: 'relu', kernelInitializer: 'heUniform' }),
      tf.layers.dense({ units: UNITS, activation: 'relu', kernelInitializer: 'heUniform' }),
      tf.layers.dense({ units: UNITS, activation: 'relu', kernelInitializer: 'heUniform' }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

export async function train(images: tf.Tensor4D, labels: tf.Tensor2D): Promise<tf.History> {
  const model = buildMnistMlp();
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model.fit(images, labels, { epochs: 5, batchSize: 128, validationSplit: 0.1 });
}
