/** TensorFlow.js 4.x as the core sees it (reference §1; facts §5). */
import type { Dims, FrameworkSemantics, ShapeFans } from '../types';
import { channelsLastLayout } from '../channels-last';
import { prod, mul } from '../dims';
import { activationNames, initializerTable, layerDefaults } from '../tables';
import { TFJS_INITIALIZERS } from './initializers';

/**
 * tfjs computeFans(shape, 'channelsLast') (tfjs-layers initializers.ts:264-289; reference §1.2):
 * rank 2 → (s0, s1); rank 3-5 → (s[-2]·rf, s[-1]·rf) with rf = ∏s[:-2]; any other rank → √∏shape for both.
 */
export function tfjsFansOfShape(shape: Dims): ShapeFans {
  if (shape.length === 2) return { fanIn: shape[0], fanOut: shape[1] };
  if (shape.length >= 3 && shape.length <= 5) {
    const rf = prod(shape.slice(0, -2));
    return { fanIn: mul(shape[shape.length - 2], rf), fanOut: mul(shape[shape.length - 1], rf) };
  }
  const p = prod(shape);
  const r = p === undefined ? undefined : Math.sqrt(p);
  return { fanIn: r, fanOut: r };
}

export const TFJS: FrameworkSemantics = {
  id: 'tfjs',
  // recurrent.ts:1676 (unitForgetBias undefined = off), recurrentActivation hardSigmoid (:1325,1645);
  // normalization.ts eps 1e-3; advanced_activations.ts:82,146.
  facts: { label: 'TensorFlow.js', lstmUnitForgetBiasDefault: false, lstmForgetBiasFix: 'Set unitForgetBias: true', recurrentActivation: 'hardSigmoid', normEpsilon: 1e-3, leakyReluLayerAlpha: 0.3, preluAlphaInit: 0, returnSequencesDefault: false, infersInputSize: true },
  initializers: initializerTable('tfjs', TFJS_INITIALIZERS, (r) => r.id),
  layerDefaults: layerDefaults({
    // core.ts:193-201 dense glorotNormal; convolutional.ts:414 conv; convolutional_depthwise.ts:109 depthwise.
    linear: { kernel: 'glorotNormal', bias: 'zeros' },
    // convolutional.ts:1067-1070: separable defaults to glorotUniform (pointwise too, :1104-1105).
    separable: { kernel: 'glorotUniform', bias: 'zeros' },
    // recurrent.ts:985-1004, 1324-1358, 1644-1676.
    recurrent: { kernel: 'glorotNormal', recurrent: 'orthogonal', bias: 'zeros' },
    // embeddings.ts:87-88 randomUniform (±0.05).
    embeddings: 'randomUniform',
    // normalization.ts:281-291, 495.
    norm: { gamma: 'ones', beta: 'zeros' },
  }),
  // tfjs activations.ts:320-338 (case-sensitive, camelCase), plus advanced activation layers (§1.5).
  activationNames: activationNames('linear relu relu6 selu sigmoid hardSigmoid tanh softplus softsign softmax logSoftmax mish gelu', {
    elu: ['elu', 1],
    swish: ['silu'],
    gelu_new: ['geluTanh'],
  }),
  activationNamesIgnoreCase: false,
  fansOfShape: tfjsFansOfShape,
  weightLayout: channelsLastLayout({ convGroups: false, gruBiasTwoRows: false }),
  realize: {
    falsyArgsDefaulted: true, // initializers.ts:125-126, 160-161, 202-203 (reference §0.1 #11)
    rejectsInvalidFixedArgs: false,
    truncation: 'twoSigma', // tfjs-core rand_util.ts:60-63
    orthogonalRows: 'allButLastAxis', // initializers.ts:542-585
    identityNeedsSquare: true, // initializers.ts:235-243
    varianceScaling: {
      defaultDistribution: 'normal',
      rejectsZeroScale: false, // initializers.ts:319-322 throws for scale < 0 only
      renamed: {},
      samples: {
        // initializers.ts:345-352: truncatedNormal(0, √scale'), cut at ±2σ, NO /0.8796 correction (reference §0.1 #2,
        // tensorflow/tfjs#8594): realized variance T·scale'.
        normal: {
          law: 'uncorrectedTruncatedNormal',
          note: "tfjs 'normal' VarianceScaling is an uncorrected ±2σ truncated normal: Var = 0.7737 × nominal",
        },
        // initializers.ts:353-356: every non-'normal' distribution samples U(±√(3·scale')) (reference §0.1 #3).
        uniform: { law: 'uniform' },
        truncatedNormal: { law: 'uniform', note: "tfjs VarianceScaling 'truncatedNormal' actually samples a uniform distribution" },
        // 'untruncatedNormal': checkDistribution throws.
      },
    },
  },
  // Always the uniform variant: the 'normal' ones realize 0.774× the variance (reference §0.1 #2), the uniform ones are exact.
  // tf.initializers.randomNormal is an untruncated normal (truncatedNormal is not): initializers.ts RandomNormal.
  plainNormal: 'randomNormal',
  recommend: ({ target }) => ({ id: { he: 'heUniform', glorot: 'glorotUniform', lecun: 'leCunUniform', orthogonal: 'orthogonal' }[target] }),
};
