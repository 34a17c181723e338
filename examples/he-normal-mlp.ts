// A ten-layer ReLU MLP with heNormal, the initializer most tutorials recommend for ReLU.
//
// What it shows: He scaling is right for ReLU, but tfjs samples 'normal' variance scaling from a normal truncated
// at 2 sigma without Keras's 0.8796 correction, so heNormal realizes 1.55/fan_in instead of 2/fan_in: each layer
// keeps 0.774 of the signal and ten of them keep about x0.08 (tensorflow/tfjs#8594): truncated-normal-shortfall.
// Not yet vanishing (the threshold is x0.01). heUniform realizes exactly 2/fan_in.
import * as tf from '@tensorflow/tfjs';

export function buildDeepMlp(): tf.Sequential {
  const model = tf.sequential({ name: 'deep_he_normal' });
  model.add(tf.layers.dense({ inputShape: [512], units: 512, activation: 'relu', kernelInitializer: 'heNormal' }));
  model.add(tf.layers.dense({ units: 512, activation: 'relu', kernelInitializer: 'heNormal' }));
  model.add(tf.layers.dense({ units: 512, activation: 'relu', kernelInitializer: 'heNormal' }));
  model.add(tf.layers.dense({ units: 512, activation: 'relu', kernelInitializer: 'heNormal' }));
  model.add(tf.layers.dense({ units: 512, activation: 'relu', kernelInitializer: 'heNormal' }));
  model.add(tf.layers.dense({ units: 512, activation: 'relu', kernelInitializer: 'heNormal' }));
  model.add(tf.layers.dense({ units: 512, activation: 'relu', kernelInitializer: 'heNormal' }));
  model.add(tf.layers.dense({ units: 512, activation: 'relu', kernelInitializer: 'heNormal' }));
  model.add(tf.layers.dense({ units: 512, activation: 'relu', kernelInitializer: 'heNormal' }));
  model.add(tf.layers.dense({ units: 512, activation: 'relu', kernelInitializer: 'heNormal' }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export async function train(x: tf.Tensor2D, y: tf.Tensor2D): Promise<tf.History> {
  return buildDeepMlp().fit(x, y, { epochs: 10, batchSize: 128 });
}
