// A wide MLP (2048 units per hidden layer) whose author copied `randomNormal({stddev: 0.05})` from a small example.
//
// What it shows: a fixed standard deviation ignores the layer's width. A ReLU layer passes on
// fan_in * stddev^2 * 0.5 of the signal's second moment: with stddev 0.05 that is 0.98 for the 784-wide input
// layer (fine) but 2.56 for every 2048-wide layer after it (fixed-scale), and after six of those the signal
// entering the read-out is about x280: exploding-signal. (At width 1024 the per-layer gain would be 1.28, inside
// the rule's [0.5, 2] band, and only a much deeper net would explode.) heUniform is right at any width.
const tf = require('@tensorflow/tfjs');

const init = tf.initializers.randomNormal({ mean: 0, stddev: 0.05, seed: 42 });

function buildWideMlp() {
  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape: [784], units: 2048, activation: 'relu', kernelInitializer: init }));
  model.add(tf.layers.dense({ units: 2048, activation: 'relu', kernelInitializer: init }));
  model.add(tf.layers.dense({ units: 2048, activation: 'relu', kernelInitializer: init }));
  model.add(tf.layers.dense({ units: 2048, activation: 'relu', kernelInitializer: init }));
  model.add(tf.layers.dense({ units: 2048, activation: 'relu', kernelInitializer: init }));
  model.add(tf.layers.dense({ units: 2048, activation: 'relu', kernelInitializer: init }));
  model.add(tf.layers.dense({ units: 2048, activation: 'relu', kernelInitializer: init }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

/**
 * @param {import('@tensorflow/tfjs').Tensor2D} images flattened 28x28 images
 * @param {import('@tensorflow/tfjs').Tensor2D} labels one-hot labels
 */
async function train(images, labels) {
  const model = buildWideMlp();
  await model.fit(images, labels, { epochs: 5, batchSize: 256 });
  return model;
}

module.exports = { buildWideMlp, train };
