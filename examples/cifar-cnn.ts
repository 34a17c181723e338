// A small CIFAR-10 convnet: conv2d -> batchNormalization -> relu -> pooling blocks, default initializers.
//
// What it shows: the conv kernels keep the tfjs default glorotNormal, which would shrink the signal before a
// ReLU, but a batch normalization sits between each convolution and its ReLU and resets the scale, so the
// initializer cannot make the signal vanish. Nothing to report.
import * as tf from '@tensorflow/tfjs';

export function buildCifarCnn(): tf.Sequential {
  const model = tf.sequential({ name: 'cifar_cnn' });

  model.add(tf.layers.conv2d({ inputShape: [32, 32, 3], filters: 32, kernelSize: 3, padding: 'same', useBias: false }));
  model.add(tf.layers.batchNormalization());
  model.add(tf.layers.activation({ activation: 'relu' }));
  model.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', useBias: false }));
  model.add(tf.layers.batchNormalization());
  model.add(tf.layers.activation({ activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));

  model.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same', useBias: false }));
  model.add(tf.layers.batchNormalization());
  model.add(tf.layers.activation({ activation: 'relu' }));
  model.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same', useBias: false }));
  model.add(tf.layers.batchNormalization());
  model.add(tf.layers.activation({ activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));

  model.add(tf.layers.conv2d({ filters: 128, kernelSize: 3, padding: 'same', useBias: false }));
  model.add(tf.layers.batchNormalization());
  model.add(tf.layers.activation({ activation: 'relu' }));
  model.add(tf.layers.globalAveragePooling2d({}));
  model.add(tf.layers.dropout({ rate: 0.3 }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return model;
}

export async function train(images: tf.Tensor4D, labels: tf.Tensor2D): Promise<tf.History> {
  const model = buildCifarCnn();
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model.fit(images, labels, { epochs: 20, batchSize: 64, shuffle: true });
}
