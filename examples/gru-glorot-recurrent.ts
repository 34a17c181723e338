// A GRU forecaster for multichannel sensor data whose author set every initializer to glorotUniform
// "to match Keras".
//
// What it shows: Keras also uses glorot_uniform for the input kernel, but its recurrent kernel defaults to
// orthogonal. A recurrent kernel is applied once per time step, 48 times here; an orthogonal one keeps the norm
// of the state, a Glorot one shrinks or grows it at every step: recurrent-not-orthogonal. Removing the
// recurrentInitializer (tfjs defaults to orthogonal too) fixes it.
import * as tf from '@tensorflow/tfjs';

const TIME_STEPS = 48;
const CHANNELS = 64;

export function buildForecaster(): tf.Sequential {
  const model = tf.sequential({ name: 'sensor_gru' });
  model.add(
    tf.layers.gru({
      inputShape: [TIME_STEPS, CHANNELS],
      units: 64,
      kernelInitializer: 'glorotUniform',
      recurrentInitializer: 'glorotUniform',
    }),
  );
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.rmsprop(1e-3), loss: 'meanAbsoluteError' });
  return model;
}

export async function train(windows: tf.Tensor3D, targets: tf.Tensor2D): Promise<tf.History> {
  return buildForecaster().fit(windows, targets, { epochs: 20, batchSize: 32, validationSplit: 0.1 });
}
