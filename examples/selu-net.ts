// A self-normalizing network (SELU, Klambauer et al. 2017) for tabular classification, with the kernels left at
// the tfjs default.
//
// What it shows: SELU keeps activations at mean 0 / variance 1 on its own only when Var(W) = 1/fan_in (LeCun
// initialization). The tfjs default glorotNormal gives 0.774 x 2/(fan_in + fan_out) instead, so the fixed point
// is lost: selu-needs-lecun on each SELU layer. Use leCunUniform (leCunNormal realizes only 0.774/fan_in in tfjs).
// The signal does not vanish (SELU's gain rises as the signal shrinks), so only the rule above is expected.
import * as tf from '@tensorflow/tfjs';

const NUM_FEATURES = 64;
const NUM_CLASSES = 5;

export function buildSeluNet(): tf.Sequential {
  const model = tf.sequential({ name: 'selu_net' });
  model.add(tf.layers.dense({ inputShape: [NUM_FEATURES], units: 128, activation: 'selu' }));
  model.add(tf.layers.alphaDropout({ rate: 0.05 }));
  model.add(tf.layers.dense({ units: 128, activation: 'selu' }));
  model.add(tf.layers.alphaDropout({ rate: 0.05 }));
  model.add(tf.layers.dense({ units: 128, activation: 'selu' }));
  model.add(tf.layers.dense({ units: 128, activation: 'selu' }));
  model.add(tf.layers.dense({ units: NUM_CLASSES, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(5e-4), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export async function train(x: tf.Tensor2D, y: tf.Tensor2D): Promise<tf.History> {
  return buildSeluNet().fit(x, y, { epochs: 30, batchSize: 64 });
}
