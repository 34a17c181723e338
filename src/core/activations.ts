/**
 * Activation functions as data: canonical id, the function and its derivative (for the moment integrals in
 * core/moments.ts), where it has kinks (quadrature breakpoints), its family (what the rules reason about),
 * and each framework's spellings (in its registry, src/core/frameworks/) resolved in one place (resolveActivation).
 *
 * Definitions follow ../shared/reference/init-semantics.md §1.5 (tfjs), §2.4 (Keras), §3.4 (PyTorch).
 */
import { FRAMEWORKS } from './frameworks';
import type { Framework } from './model';

export type ActivationFamily =
  | 'linear' //     identity
  | 'relu' //       ReLU family: wants He scaling (relu, relu6, leaky, prelu, elu, gelu, silu, mish, ...)
  | 'saturating' // tanh, sigmoid, hard sigmoid, softsign: wants Glorot/LeCun scaling
  | 'selu' //       self-normalizing: wants LeCun-normal
  | 'softplus'
  | 'softmax'; //   read-out only: not propagated

export interface ActivationSpec {
  id: string;
  family: ActivationFamily;
  /** Human name used in messages. */
  label: string;
  f(x: number, alpha: number): number;
  df(x: number, alpha: number): number;
  /** Points where f or f' is not smooth (in x), for quadrature breakpoints. */
  kinks(alpha: number): number[];
  /** f(ax) = a f(x) for a > 0: one gain per layer is exact at every scale. */
  positivelyHomogeneous: boolean;
  /** Default parameter (slope / alpha) if the function has one. */
  defaultAlpha?: number;
}

// SELU constants: Klambauer et al. 2017 (arXiv:1706.02515); tfjs-core/src/ops/selu_util.ts.
export const SELU_LAMBDA = 1.0507009873554805;
export const SELU_ALPHA = 1.6732632423543772;

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** Standard normal CDF via erf (Abramowitz–Stegun 7.1.26 is too coarse; use a high-precision erfc). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

/**
 * Complementary error function with relative error below 1.2e-16 over the real line
 * (W. J. Cody's rational Chebyshev approximations, as in Numerical Recipes 3rd ed. §6.2.2 `Erf::erfccheb`).
 */
export function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x);
  const t = 2 / (2 + x);
  const ty = 4 * t - 2;
  let d = 0;
  let dd = 0;
  for (let j = ERFC_COF.length - 1; j > 0; j--) {
    const tmp = d;
    d = ty * d - dd + ERFC_COF[j];
    dd = tmp;
  }
  return t * Math.exp(-x * x + 0.5 * (ERFC_COF[0] + ty * d) - dd);
}

// Chebyshev coefficients of Numerical Recipes 3rd ed., Erf struct (ncof = 28).
const ERFC_COF = [
  -1.3026537197817094, 6.4196979235649026e-1, 1.9476473204185836e-2, -9.561514786808631e-3, -9.46595344482036e-4,
  3.66839497852761e-4, 4.2523324806907e-5, -2.0278578112534e-5, -1.624290004647e-6, 1.30365583558e-6,
  1.5626441722e-8, -8.5238095915e-8, 6.529054439e-9, 5.059343495e-9, -9.91364156e-10, -2.27365122e-10,
  9.6467911e-11, 2.394038e-12, -6.886027e-12, 8.94487e-13, 3.13092e-13, -1.12708e-13, 3.81e-16, 7.106e-15,
  -1.523e-15, -9.4e-17, 1.21e-16, -2.8e-17,
];

const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
const softplus = (x: number) => (x > 30 ? x : x < -30 ? Math.exp(x) : Math.log1p(Math.exp(x)));

/** x for x > 0, a·x otherwise: leaky ReLU, and PReLU at initialization. */
const LEAKY_RELU = {
  family: 'relu',
  f: (x: number, a: number) => (x > 0 ? x : a * x),
  df: (x: number, a: number) => (x > 0 ? 1 : a),
  kinks: () => [0],
  positivelyHomogeneous: true,
} as const;

function spec(s: Omit<ActivationSpec, 'kinks' | 'positivelyHomogeneous'> & Partial<ActivationSpec>): ActivationSpec {
  return { kinks: () => [], positivelyHomogeneous: false, ...s };
}

export const ACTIVATIONS: Readonly<Record<string, ActivationSpec>> = Object.fromEntries(
  [
    spec({ id: 'linear', family: 'linear', label: 'linear', f: (x) => x, df: () => 1, positivelyHomogeneous: true }),
    spec({
      id: 'relu',
      family: 'relu',
      label: 'relu',
      f: (x) => (x > 0 ? x : 0),
      df: (x) => (x > 0 ? 1 : 0),
      kinks: () => [0],
      positivelyHomogeneous: true,
    }),
    spec({
      id: 'relu6',
      family: 'relu',
      label: 'relu6',
      f: (x) => (x <= 0 ? 0 : x >= 6 ? 6 : x),
      df: (x) => (x > 0 && x < 6 ? 1 : 0),
      kinks: () => [0, 6],
    }),
    spec({ id: 'leakyRelu', label: 'leaky relu', ...LEAKY_RELU, defaultAlpha: 0.3 }),
    // PReLU at initialization: its slope is the alpha initializer's value (tfjs/Keras 0, PyTorch 0.25).
    spec({ id: 'prelu', label: 'prelu', ...LEAKY_RELU, defaultAlpha: 0 }),
    spec({
      id: 'elu',
      family: 'relu',
      label: 'elu',
      f: (x, a) => (x > 0 ? x : a * Math.expm1(x)),
      df: (x, a) => (x > 0 ? 1 : a * Math.exp(x)),
      kinks: () => [0],
      defaultAlpha: 1,
    }),
    spec({
      // CELU(x) = max(0,x) + min(0, α(exp(x/α) − 1)); equals ELU at α = 1.
      id: 'celu',
      family: 'relu',
      label: 'celu',
      f: (x, a) => (x > 0 ? x : a * Math.expm1(x / a)),
      df: (x, a) => (x > 0 ? 1 : Math.exp(x / a)),
      kinks: () => [0],
      defaultAlpha: 1,
    }),
    spec({
      id: 'selu',
      family: 'selu',
      label: 'selu',
      f: (x) => (x > 0 ? SELU_LAMBDA * x : SELU_LAMBDA * SELU_ALPHA * Math.expm1(x)),
      df: (x) => (x > 0 ? SELU_LAMBDA : SELU_LAMBDA * SELU_ALPHA * Math.exp(x)),
      kinks: () => [0],
    }),
    spec({
      id: 'gelu',
      family: 'relu',
      label: 'gelu',
      f: (x) => x * normalCdf(x),
      df: (x) => normalCdf(x) + x * normalPdf(x),
    }),
    spec({
      // tanh approximation: tfjs 'gelu_new', torch GELU(approximate='tanh').
      id: 'geluTanh',
      family: 'relu',
      label: 'gelu (tanh approximation)',
      f: (x) => 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x ** 3))),
      df: (x) => {
        const u = SQRT_2_OVER_PI * (x + 0.044715 * x ** 3);
        const t = Math.tanh(u);
        return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x);
      },
    }),
    spec({
      id: 'silu',
      family: 'relu',
      label: 'swish/silu',
      f: (x) => x * sigmoid(x),
      df: (x) => {
        const s = sigmoid(x);
        return s * (1 + x * (1 - s));
      },
    }),
    spec({
      id: 'mish',
      family: 'relu',
      label: 'mish',
      f: (x) => x * Math.tanh(softplus(x)),
      df: (x) => {
        const t = Math.tanh(softplus(x));
        return t + x * (1 - t * t) * sigmoid(x);
      },
    }),
    spec({
      // hard_swish(x) = x · relu6(x + 3) / 6 (Keras 3 hard_silu, torch Hardswish).
      id: 'hardSwish',
      family: 'relu',
      label: 'hard swish',
      f: (x) => (x <= -3 ? 0 : x >= 3 ? x : (x * (x + 3)) / 6),
      df: (x) => (x <= -3 ? 0 : x >= 3 ? 1 : (2 * x + 3) / 6),
      kinks: () => [-3, 3],
    }),
    spec({
      id: 'tanh',
      family: 'saturating',
      label: 'tanh',
      f: Math.tanh,
      df: (x) => 1 - Math.tanh(x) ** 2,
    }),
    spec({
      id: 'sigmoid',
      family: 'saturating',
      label: 'sigmoid',
      f: sigmoid,
      df: (x) => sigmoid(x) * (1 - sigmoid(x)),
    }),
    spec({
      // tfjs and tf.keras 2: clip(0.2x + 0.5, 0, 1) (tfjs backend/tfjs_backend.ts:697-702).
      id: 'hardSigmoid',
      family: 'saturating',
      label: 'hard sigmoid (0.2x+0.5)',
      f: (x) => Math.min(1, Math.max(0, 0.2 * x + 0.5)),
      df: (x) => (x > -2.5 && x < 2.5 ? 0.2 : 0),
      kinks: () => [-2.5, 2.5],
    }),
    spec({
      // Keras 3 and PyTorch: relu6(x + 3) / 6.
      id: 'hardSigmoidSixth',
      family: 'saturating',
      label: 'hard sigmoid (x/6+0.5)',
      f: (x) => Math.min(1, Math.max(0, x / 6 + 0.5)),
      df: (x) => (x > -3 && x < 3 ? 1 / 6 : 0),
      kinks: () => [-3, 3],
    }),
    spec({
      id: 'hardTanh',
      family: 'saturating',
      label: 'hard tanh',
      f: (x) => Math.min(1, Math.max(-1, x)),
      df: (x) => (x > -1 && x < 1 ? 1 : 0),
      kinks: () => [-1, 1],
    }),
    spec({
      id: 'softsign',
      family: 'saturating',
      label: 'softsign',
      f: (x) => x / (1 + Math.abs(x)),
      df: (x) => 1 / (1 + Math.abs(x)) ** 2,
      kinks: () => [0],
    }),
    spec({ id: 'softplus', family: 'softplus', label: 'softplus', f: softplus, df: sigmoid }),
    spec({ id: 'softmax', family: 'softmax', label: 'softmax', f: (x) => x, df: () => 1 }),
    spec({ id: 'logSoftmax', family: 'softmax', label: 'log softmax', f: (x) => x, df: () => 1 }),
  ].map((s) => [s.id, s]),
);

/**
 * Resolve a framework spelling of an activation (its registry's `activationNames`, src/core/frameworks/<fw>/);
 * undefined when the name is not known to that framework.
 */
export function resolveActivation(framework: Framework, name: string): { id: string; alpha?: number } | undefined {
  const sem = FRAMEWORKS[framework];
  const table = sem.activationNames;
  const hit = Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
  if (hit || !sem.activationNamesIgnoreCase) return hit;
  const lower = name.toLowerCase();
  return Object.prototype.hasOwnProperty.call(table, lower) ? table[lower] : undefined;
}

export function activationSpec(id: string): ActivationSpec | undefined {
  return Object.prototype.hasOwnProperty.call(ACTIVATIONS, id) ? ACTIVATIONS[id] : undefined;
}

/** The parameter an activation uses: the written one, else its default. */
export function activationAlpha(id: string, alpha: number | undefined): number {
  return alpha ?? activationSpec(id)?.defaultAlpha ?? 0;
}
