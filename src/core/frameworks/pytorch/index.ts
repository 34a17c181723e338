/** PyTorch as the core sees it (reference §3; facts §5). */
import type { Dims, FrameworkSemantics, ShapeFans } from '../types';
import { prod, mul } from '../dims';
import { SNAKE_CASE_ACTIVATIONS, activationNames, initializerTable, layerDefaults } from '../tables';
import { PYTORCH_INITIALIZERS } from './initializers';
import { torchWeightLayout } from './layout';

/**
 * PyTorch _calculate_fan_in_and_fan_out (torch/nn/init.py; reference §3.2): dim < 2 raises (→ undefined);
 * fan_in = size(1)·∏shape[2:], fan_out = size(0)·∏shape[2:].
 */
export function torchFansOfShape(shape: Dims): ShapeFans {
  if (shape.length < 2) return {};
  const rf = prod(shape.slice(2));
  return { fanIn: mul(shape[1], rf), fanOut: mul(shape[0], rf) };
}

export const PYTORCH: FrameworkSemantics = {
  id: 'pytorch',
  // No forget-gate bias of 1; eps 1e-5; LeakyReLU 0.01; PReLU 0.25; modules return every step's output.
  facts: { label: 'PyTorch', lstmUnitForgetBiasDefault: false, lstmForgetBiasFix: 'Fill the forget-gate slice of bias_ih with 1.0', recurrentActivation: 'sigmoid', normEpsilon: 1e-5, leakyReluLayerAlpha: 0.01, preluAlphaInit: 0.25, returnSequencesDefault: true, infersInputSize: false },
  initializers: initializerTable('pytorch', PYTORCH_INITIALIZERS, (r) => `nn.init.${r.id}`),
  layerDefaults: layerDefaults({
    // linear.py/conv.py reset_parameters: weight and bias U(±1/√fan_in) (§3.4). No separable convolution module.
    linear: { kernel: 'default_linear', bias: 'default_linear' },
    // rnn.py: every parameter U(±1/√H).
    recurrent: { kernel: 'default_rnn', recurrent: 'default_rnn', bias: 'default_rnn' },
    embeddings: 'default_embedding',
    norm: { gamma: 'ones_', beta: 'zeros_' },
  }),
  // torch.nn modules and torch.nn.functional names (reference §3.4), lower-cased module names included.
  activationNames: activationNames('linear relu relu6 selu gelu silu mish tanh sigmoid softplus softsign softmax', {
    ...SNAKE_CASE_ACTIVATIONS,
    identity: ['linear'],
    leaky_relu: ['leakyRelu', 0.01],
    leakyrelu: ['leakyRelu', 0.01],
    prelu: ['prelu', 0.25],
    hardswish: ['hardSwish'],
    hardsigmoid: ['hardSigmoidSixth'],
    hardtanh: ['hardTanh'],
    logsoftmax: ['logSoftmax'],
  }),
  activationNamesIgnoreCase: true,
  fansOfShape: torchFansOfShape,
  weightLayout: torchWeightLayout,
  realize: {
    falsyArgsDefaulted: false,
    rejectsInvalidFixedArgs: true, // uniform_ requires from <= to; normal_ requires std >= 0
    truncation: 'absolute', // trunc_normal_(mean, std, a, b): absolute cut-offs (reference §0.1 #8)
    orthogonalRows: 'firstAxis', // orthogonal_: rows = size(0), cols = numel / rows (reference §3.3)
    identityNeedsSquare: false, // eye_: any 2-D
  },
  // kaiming_/xavier_ of the same distribution; LeCun is kaiming_normal_(nonlinearity='linear'), as the
  // calculate_gain docstring advises for SELU (§3.1).
  plainNormal: 'normal_',
  recommend: ({ target, normal, alpha }) => {
    if (target === 'orthogonal') return { id: 'orthogonal_' };
    if (target === 'lecun') return { id: 'kaiming_normal_', args: { nonlinearity: 'linear' } };
    if (target === 'glorot') return { id: normal ? 'xavier_normal_' : 'xavier_uniform_' };
    const leaky = alpha !== undefined && alpha > 0;
    return {
      id: normal ? 'kaiming_normal_' : 'kaiming_uniform_',
      args: leaky ? { nonlinearity: 'leaky_relu', negativeSlope: alpha } : { nonlinearity: 'relu' },
    };
  },
};
