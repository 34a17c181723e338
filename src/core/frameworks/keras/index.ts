/** Keras (3, and tf.keras 2.15 where it agrees) as the core sees it (reference §2; facts §5). */
import type { Dims, FrameworkSemantics, ShapeFans } from '../types';
import { channelsLastLayout } from '../channels-last';
import { prod, mul } from '../dims';
import { SNAKE_CASE_ACTIVATIONS, activationNames, initializerTable, layerDefaults } from '../tables';
import { KERAS_INITIALIZERS } from './initializers';

/**
 * Keras compute_fans (Keras 3 random_initializers.py:663-699; tf.keras 2.15 initializers.py:1136-1160; reference
 * §2.2): rank 0 → (1, 1); rank 1 → (n, n); rank 2 → (s0, s1); rank ≥ 3 → (s[-2]·rf, s[-1]·rf).
 */
export function kerasFansOfShape(shape: Dims): ShapeFans {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0], fanOut: shape[0] };
  if (shape.length === 2) return { fanIn: shape[0], fanOut: shape[1] };
  const rf = prod(shape.slice(0, -2));
  return { fanIn: mul(shape[shape.length - 2], rf), fanOut: mul(shape[shape.length - 1], rf) };
}

export const KERAS: FrameworkSemantics = {
  id: 'keras',
  // rnn/lstm.py unit_forget_bias=True; eps 1e-3; LeakyReLU layer 0.3; PReLU zeros.
  facts: { label: 'Keras', lstmUnitForgetBiasDefault: true, lstmForgetBiasFix: 'Set unit_forget_bias=True', recurrentActivation: 'sigmoid', normEpsilon: 1e-3, leakyReluLayerAlpha: 0.3, preluAlphaInit: 0, returnSequencesDefault: false, infersInputSize: true },
  initializers: initializerTable('keras', KERAS_INITIALIZERS, (r) => r.id),
  // Keras 3 layers/core/dense.py:84-90, base_conv.py:90-103, rnn/*.py, core/embedding.py (§2.3).
  layerDefaults: layerDefaults({
    linear: { kernel: 'glorot_uniform', bias: 'zeros' },
    separable: { kernel: 'glorot_uniform', bias: 'zeros' },
    recurrent: { kernel: 'glorot_uniform', recurrent: 'orthogonal', bias: 'zeros' },
    embeddings: 'random_uniform',
    norm: { gamma: 'ones', beta: 'zeros' },
  }),
  // Keras 3 keras/src/activations/__init__.py:36-72 and tf.keras 2.15 keras/activations.py (§2.4).
  activationNames: activationNames('linear relu relu6 selu gelu silu mish tanh sigmoid softplus softsign softmax', {
    ...SNAKE_CASE_ACTIVATIONS,
    leaky_relu: ['leakyRelu', 0.2],
    swish: ['silu'],
    // Keras 3 x/6+0.5; tf.keras 2 used 0.2x+0.5 (reference §2.4). Keras 3 is the current default.
    hard_sigmoid: ['hardSigmoidSixth'],
    hard_silu: ['hardSwish'],
    hard_swish: ['hardSwish'],
    hard_tanh: ['hardTanh'],
  }),
  activationNamesIgnoreCase: false,
  fansOfShape: kerasFansOfShape,
  weightLayout: channelsLastLayout({ convGroups: true, gruBiasTwoRows: true }),
  realize: {
    falsyArgsDefaulted: false,
    rejectsInvalidFixedArgs: false,
    truncation: 'twoSigma', // TruncatedNormal: ±2σ, no correction (reference §2.2 table)
    orthogonalRows: 'allButLastAxis', // random_initializers.py:743-772
    identityNeedsSquare: false, // ops.eye(*shape)
    varianceScaling: {
      defaultDistribution: 'truncatedNormal',
      rejectsZeroScale: true, // §2.2
      // Keras 3 random_initializers.py:274-275, tf.keras 2.15 initializers.py:596-597.
      renamed: { normal: 'truncatedNormal' },
      samples: {
        // stddev = √scale'/0.87962566103423978, cut at ±2·stddev: realized variance = scale' (Keras 3 :305, tf.keras 2.15 :661).
        truncatedNormal: { law: 'correctedTruncatedNormal', note: 'Keras corrects the truncation: realized variance = scale/fan' },
        normal: { law: 'correctedTruncatedNormal', note: 'Keras corrects the truncation: realized variance = scale/fan' },
        untruncatedNormal: { law: 'normal' },
        uniform: { law: 'uniform' },
      },
    },
  },
  // Keep the distribution the user chose (its truncated normal is corrected, §2.2); LeCun for SELU is lecun_normal
  // (Klambauer et al. 2017).
  plainNormal: 'random_normal',
  recommend: ({ target, normal }) => {
    if (target === 'orthogonal') return { id: 'orthogonal' };
    if (target === 'lecun') return { id: 'lecun_normal' };
    return { id: `${target === 'he' ? 'he' : 'glorot'}_${normal ? 'normal' : 'uniform'}` };
  },
};
