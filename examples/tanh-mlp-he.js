// A tanh regression MLP (plain JavaScript, CommonJS) whose author used heNormal everywhere "because He is the modern
// default".
//
// What it shows: He scaling (Var(W) = 2/fan_in) is derived for ReLUs, which drop half of the signal; tanh drops
// none near 0, so He weights run its pre-activations wider than a tanh layer is scaled for (Glorot gives the
// unit gain of tanh's linear regime): saturating-needs-glorot on the square hidden layers, with glorotUniform as
// the fix (on the 12 -> 128 input layer Glorot's fan average would be farther from tanh's critical gain, so it
// is not reported). In tfjs the harm is mild, because heNormal realizes only 0.774 x 2/fan_in (the pre-activations settle
// near std 0.56); with heUniform (exactly 2/fan_in) they settle wider. The read-out is linear with the default
// initializer and is fine. truncated-normal-shortfall is not expected here: its fix (heUniform) would widen the
// pre-activations further; the fix that matters is Glorot.
const tf = require('@tensorflow/tfjs');

// Boston-housing style tabular data: 12 numeric features, one price to predict.
const NUM_FEATURES = 12;

function buildRegressor() {
  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape: [NUM_FEATURES], units: 128, activation: 'tanh', kernelInitializer: 'heNormal' }));
  model.add(tf.layers.dense({ units: 128, activation: 'tanh', kernelInitializer: 'heNormal' }));
  model.add(tf.layers.dense({ units: 128, activation: 'tanh', kernelInitializer: 'heNormal' }));
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.sgd(0.01), loss: 'meanSquaredError' });
  return model;
}

/**
 * @param {import('@tensorflow/tfjs').Tensor2D} features [n, NUM_FEATURES]
 * @param {import('@tensorflow/tfjs').Tensor2D} targets [n, 1]
 */
async function train(features, targets) {
  const model = buildRegressor();
  await model.fit(features, targets, { epochs: 50, batchSize: 32, validationSplit: 0.2 });
  return model;
}

module.exports = { buildRegressor, train };
