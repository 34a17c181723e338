/**
 * Activation functions of core/activations.ts as TensorFlow.js ops, for the rebuild.
 *
 * Where tfjs has the function registered under a name (reference §1.5), the tfjs name is used so a tfjs model
 * runs tfjs's own implementation; the rest (leaky ReLU with a slope, PReLU at initialization = leaky ReLU with
 * the initial slope, ELU with α ≠ 1, CELU, hard swish, hard sigmoid x/6 + 1/2, hard tanh, the tanh GELU) are
 * composed from differentiable tfjs ops that every backend (cpu, wasm, webgl) implements.
 */
import { activationAlpha, activationSpec } from '../core/activations';
import { FRAMEWORKS } from '../core/frameworks';
import type { TF, Tensor } from './sample';

/** Canonical id → its tfjs spelling: the registry's tfjs activation names (core/frameworks/tfjs) read backwards. */
const TFJS_NAME_OF = new Map<string, { name: string; alpha?: number }>(
  Object.entries(FRAMEWORKS.tfjs.activationNames).map(([name, { id, alpha }]) => [id, { name, alpha }]),
);

/**
 * tfjs activation identifiers (tfjs-layers activations.ts:320-338) for canonical ids that tfjs has. A spelling
 * whose parameter is fixed stands only for that parameter: tfjs's 'elu' is α = 1 only (activations.ts:36-50).
 */
export function tfjsActivationName(id: string, alpha: number | undefined): string | undefined {
  const hit = TFJS_NAME_OF.get(id);
  if (!hit || (hit.alpha !== undefined && activationAlpha(id, alpha) !== hit.alpha)) return undefined;
  return hit.name;
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/**
 * The activation as a function of tensors. Branches that would overflow (exp of a large positive input) are
 * computed on min(x, 0) so that the unselected branch of a `where` never produces inf·0 = NaN in the gradient.
 */
export function activationOp(tf: TF, id: string, alpha: number | undefined): ((x: Tensor) => Tensor) | undefined {
  if (!activationSpec(id)) return undefined;
  const a = activationAlpha(id, alpha);
  // x for x > 0, f(x) otherwise. A step mask (which has a zero gradient) rather than tf.where(tf.greater(..)):
  // 'Greater' has no registered gradient, and tfjs refuses to differentiate through it.
  const negPart = (x: Tensor, f: (xn: Tensor) => Tensor) => {
    const pos = tf.step(x, 0);
    return tf.add(tf.mul(pos, x), tf.mul(tf.sub(1, pos), f(tf.minimum(x, 0))));
  };
  switch (id) {
    case 'linear':
      return (x) => x;
    case 'relu':
      return (x) => tf.relu(x);
    case 'relu6':
      return (x) => tf.relu6(x);
    case 'leakyRelu':
    case 'prelu':
      return (x) => tf.leakyRelu(x, a);
    case 'elu':
      return a === 1 ? (x) => tf.elu(x) : (x) => negPart(x, (xn) => tf.mul(a, tf.sub(tf.exp(xn), 1)));
    case 'celu':
      return (x) => negPart(x, (xn) => tf.mul(a, tf.sub(tf.exp(tf.div(xn, a)), 1)));
    case 'selu':
      return (x) => tf.selu(x);
    case 'gelu':
      return (x) => tf.mul(tf.mul(0.5, x), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));
    case 'geluTanh':
      return (x) =>
        tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(tf.mul(SQRT_2_OVER_PI, tf.add(x, tf.mul(0.044715, tf.pow(x, 3)))))));
    case 'silu':
      return (x) => tf.mul(x, tf.sigmoid(x));
    case 'mish':
      return (x) => tf.mul(x, tf.tanh(tf.softplus(x)));
    case 'hardSwish':
      return (x) => tf.div(tf.mul(x, tf.relu6(tf.add(x, 3))), 6);
    case 'tanh':
      return (x) => tf.tanh(x);
    case 'sigmoid':
      return (x) => tf.sigmoid(x);
    case 'hardSigmoid':
      return (x) => tf.clipByValue(tf.add(tf.mul(0.2, x), 0.5), 0, 1);
    case 'hardSigmoidSixth':
      return (x) => tf.clipByValue(tf.add(tf.div(x, 6), 0.5), 0, 1);
    case 'hardTanh':
      return (x) => tf.clipByValue(x, -1, 1);
    case 'softsign':
      return (x) => tf.div(x, tf.add(1, tf.abs(x)));
    case 'softplus':
      return (x) => tf.softplus(x);
    case 'softmax':
      return (x) => tf.softmax(x, -1);
    case 'logSoftmax':
      return (x) => tf.logSoftmax(x, -1);
    default:
      return undefined;
  }
}

/** Whether the activation's output saturates at ±1 (tanh-like) or at 0/1 (sigmoid-like), for the saturation count. */
export function saturationKind(id: string | undefined): 'symmetric' | 'unit' | undefined {
  switch (id) {
    case 'tanh':
    case 'hardTanh':
    case 'softsign':
      return 'symmetric';
    case 'sigmoid':
    case 'hardSigmoid':
    case 'hardSigmoidSixth':
      return 'unit';
    default:
      return undefined;
  }
}
