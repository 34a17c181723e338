// A three-layer MLP written with the tfjs Core API only: tf.variable weights, matMul, relu, and a hand-written
// training step, the way the "TensorFlow.js Core concepts" tutorials do it.
//
// What it shows: the weights are drawn from tf.randomNormal(shape, 0, 0.01), a fixed 0.01 std. A ReLU layer passes
// on fan_in * 0.01^2 * 0.5 of the second moment: 0.039 for the 784-wide input, 0.0128 for the 256-wide hidden layer,
// and the read-out gets 0.0128 (fan-in 128, linear): fixed-scale on all three. The signal entering the read-out is
// about x0.0005 of the input: vanishing-signal. He scaling, stddev = sqrt(2 / fan_in), fixes it.
import * as tf from '@tensorflow/tfjs';

const w1 = tf.variable(tf.randomNormal([784, 256], 0, 0.01), true, 'w1');
const b1 = tf.variable(tf.zeros([256]), true, 'b1');
const w2 = tf.variable(tf.randomNormal([256, 128], 0, 0.01), true, 'w2');
const b2 = tf.variable(tf.zeros([128]), true, 'b2');
const w3 = tf.variable(tf.randomNormal([128, 10], 0, 0.01), true, 'w3');
const b3 = tf.variable(tf.zeros([10]), true, 'b3');

export function predict(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const h1 = tf.relu(tf.add(tf.matMul(x, w1), b1));
    const h2 = tf.relu(tf.add(tf.matMul(h1, w2), b2));
    return tf.add(tf.matMul(h2, w3), b3) as tf.Tensor2D;
  });
}

const optimizer = tf.train.sgd(0.1);

export function trainStep(x: tf.Tensor2D, labels: tf.Tensor2D): number {
  const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(labels, predict(x)) as tf.Scalar, true);
  const value = loss!.dataSync()[0];
  loss!.dispose();
  return value;
}
