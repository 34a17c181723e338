// A ReLU classifier whose author wanted small positive biases ("so no ReLU starts dead") and wrote
// randomUniform({minval: 0, maxval: 0.1}).
//
// What it shows: tfjs's RandomUniform reads its arguments with `||` (initializers.ts: `args.minval || -0.05`), so
// minval: 0 is silently replaced by the default -0.05 and the biases are drawn from U(-0.05, 0.1): a third of them
// start negative. tfjs-falsy-arg, on the `minval: 0`. A value that is not falsy (1e-9) or the constant
// initializer says what was meant. The kernels are He-initialized, so nothing else is wrong.
import * as tf from '@tensorflow/tfjs';

const positiveBias = tf.initializers.randomUniform({ minval: 0, maxval: 0.1 });

export function buildClassifier(): tf.Sequential {
  const model = tf.sequential({ name: 'positive_bias_mlp' });
  model.add(
    tf.layers.dense({ inputShape: [20], units: 64, activation: 'relu', kernelInitializer: 'heUniform', biasInitializer: positiveBias }),
  );
  model.add(tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: 'heUniform', biasInitializer: positiveBias }));
  model.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export async function train(x: tf.Tensor2D, y: tf.Tensor2D): Promise<tf.History> {
  return buildClassifier().fit(x, y, { epochs: 20, batchSize: 32 });
}
