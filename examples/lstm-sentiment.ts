// Sentiment classification of movie reviews: embedding -> bidirectional LSTM -> sigmoid read-out.
//
// What it shows: tfjs LSTMs start with a forget-gate bias of 0 (unitForgetBias is off unless you set it; Keras
// turns it on by default). With the tfjs hardSigmoid gate the forget gate then starts at 0.5, so the cell state
// halves at every step and gradients from early words fade: lstm-forget-bias. The fix is unitForgetBias: true.
// The recurrent kernel keeps the default orthogonal initializer, which is right.
import * as tf from '@tensorflow/tfjs';

const VOCAB_SIZE = 10000;
const MAX_LEN = 200;
const EMBEDDING_DIM = 64;

export function buildSentimentModel(): tf.Sequential {
  const model = tf.sequential({ name: 'sentiment_lstm' });
  model.add(tf.layers.embedding({ inputDim: VOCAB_SIZE, outputDim: EMBEDDING_DIM, inputLength: MAX_LEN, maskZero: true }));
  model.add(
    tf.layers.bidirectional({
      layer: tf.layers.lstm({ units: 64, returnSequences: false }),
      mergeMode: 'concat',
    }),
  );
  model.add(tf.layers.dropout({ rate: 0.5 }));
  model.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return model;
}

export async function train(sequences: tf.Tensor2D, labels: tf.Tensor2D): Promise<tf.History> {
  const model = buildSentimentModel();
  return model.fit(sequences, labels, { epochs: 3, batchSize: 32, validationSplit: 0.2 });
}
