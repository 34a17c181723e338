import { FRAMEWORKS } from '../frameworks';
import { initializerSpec } from '../initializers';
import type { InitializerArgs } from '../model';
import { TRUNC_NORMAL_2SIGMA_VARIANCE } from '../moments';
import { describeInitializer } from '../recommend';
import { activationLabel, activationRelated, layerCases, unitSecondMoment, type LayerCase, initializerSpan } from './layer-cases';
import { setInitializerFix } from './fixes';
import { fmt } from '../format';
import { layerLabel, normalizedInput, preNormResidualBranches } from './graph';
import { findReadout } from '../propagate';
import type { Rule, RuleFinding } from './types';

/** Per-layer signal gains inside this band keep the signal within a factor of two per layer. */
export const FIXED_SCALE_BAND = { lo: 0.5, hi: 2 };

const round3 = (x: number) => Number(x.toPrecision(3));

/**
 * The arguments that make this initializer realize E[W²] = target, in its own parameterization: centered (a mean
 * of 100 would dominate E[W²] = Var + mean² whatever the std), with the std that fits.
 */
function argsFor(c: LayerCase, targetVariance: number): InitializerArgs | undefined {
  const spec = initializerSpec(c.ref.framework, c.ref.id!);
  if (!spec) return undefined;
  const std = Math.sqrt(targetVariance);
  const centered: InitializerArgs = c.realized && c.realized.mean !== 0 ? { mean: 0 } : {};
  switch (spec.kind) {
    case 'normal':
      return { ...centered, stddev: round3(std) };
    case 'truncatedNormal':
      // tfjs/Keras truncate at ±2σ without correction: realized variance T·stddev² (reference §1.2, §2.2).
      // PyTorch trunc_normal_ cuts at absolute ±2, far beyond σ for any std that fits a layer.
      return { ...centered, stddev: round3(FRAMEWORKS[c.ref.framework].realize.truncation === 'absolute' ? std : std / Math.sqrt(TRUNC_NORMAL_2SIGMA_VARIANCE)) };
    case 'uniform': {
      const limit = round3(Math.sqrt(3) * std);
      return { minval: -limit, maxval: limit };
    }
    default:
      return undefined;
  }
}

/**
 * " (std 0.0313)" after the fit, only where it tells something: the fit names another number (tfjs/Keras
 * truncatedNormal's stddev before the ±2σ cut, uniform limits). Where the fit is a std itself it would repeat it,
 * so the two are compared as printed (0.0313 and 0.03125 are the same number at 3 digits).
 */
function stdNote(args: InitializerArgs | undefined, std: number): string {
  const fitStd = args?.stddev ?? (args?.maxval === undefined ? std : undefined);
  return fitStd !== undefined && fmt(fitStd, 3) === fmt(std, 3) ? '' : ` (std ${fmt(std, 3)})`;
}

export const fixedScale: Rule = {
  meta: {
    id: 'fixed-scale',
    defaultSeverity: 'warning',
    title: 'Fixed-scale initializer wrong for the layer\'s fan-in',
    summary: 'a fixed std whose per-layer gain for this fan-in is outside [0.5, 2]',
    description:
      'An initializer with a fixed scale (randomNormal, randomUniform, truncatedNormal, PyTorch normal_/uniform_) whose per-layer signal gain fan_in·E[W²]·E[f²] lies outside [0.5, 2] for this layer.',
    fix: { availability: 'sometimes', safety: 'unsafe' },
    docs: `A fixed standard deviation ignores the layer's width. The second moment a layer passes on is
fan_in·E[W²]·E[f(z)²], so the same \`stddev: 0.05\` is a gain of 0.32 on a 256-wide ReLU layer, 0.64 on a 512-wide one
and 1.28 on a 1024-wide one: after 10 layers the signal is ×1.1e-5, ×0.012 or ×12 depending only on the width. The rule reports a layer whose gain lies outside [0.5, 2] and gives the std that
would make it 1 for the activation that follows.

**Fix:** a variance-scaling initializer (He for ReLU, Glorot for tanh/sigmoid, LeCun for SELU), or the std the
message computes, which is exact for this layer's fan-in.

Not reported for small scales inside pre-norm residual branches (GPT-2's \`normal_(std=0.02)\`: the branch's input
comes out of a normalization and its output is added back to the residual stream, which keeps the signal) or for a
small read-out fed by a normalization.

\`\`\`ts
// before (fan-in 1024, relu)
tf.layers.dense({units: 1024, activation: 'relu', kernelInitializer: tf.initializers.randomNormal({stddev: 0.05})})
// after
tf.layers.dense({units: 1024, activation: 'relu', kernelInitializer: tf.initializers.randomNormal({stddev: 0.0442})})
\`\`\`
`,
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    const preNorm = preNormResidualBranches(ctx.model);
    const readout = findReadout(ctx.model);
    for (const c of layerCases(ctx)) {
      if (c.family !== 'fixed' || c.signalGain === undefined || c.c.estimate === undefined) continue;
      if (c.signalGain >= FIXED_SCALE_BAND.lo && c.signalGain <= FIXED_SCALE_BAND.hi) continue;
      // Deliberately small: inside a pre-norm residual branch (GPT-2's normal_(std=0.02)), or the read-out of a
      // normalized stream (small logits at initialization). Neither compounds through depth.
      if (c.signalGain < FIXED_SCALE_BAND.lo && (preNorm.has(c.layer.index) || (c.layer.index === readout && normalizedInput(ctx.model, readout)))) continue;
      const f2 = c.reached ? unitSecondMoment(c.reached) : 1;
      if (f2 === undefined || !c.realized) continue;
      const w2 = c.realized.variance + c.realized.mean * c.realized.mean;
      if (!(w2 > 0)) continue; // a zero kernel is symmetric-init's, and there is no fan-in to read back from c
      const fanIn = c.c.estimate / w2;
      const target = 1 / (fanIn * f2);
      const args = argsFor(c, target);
      const act = c.reached ? `${activationLabel(c.reached)}` : 'a linear output';
      const fit =
        args?.stddev !== undefined ? `${args.mean !== undefined ? `mean ${args.mean}, ` : ''}stddev ${args.stddev}` : args?.maxval !== undefined ? `limits ±${args.maxval}` : `std ${fmt(Math.sqrt(target), 3)}`;
      const span = initializerSpan(c.ref, c.layer);
      out.push({
        severity: c.ref.explicit ? 'warning' : 'info',
        message:
          `${describeInitializer(c.ref)} (std ${fmt(c.realized.std, 3)}) with fan-in ${fmt(fanIn)} before ${act}: ` +
          `per-layer signal gain ${fmt(c.signalGain)}, outside [${FIXED_SCALE_BAND.lo}, ${FIXED_SCALE_BAND.hi}]. ` +
          `${fit} would give 1${stdNote(args, Math.sqrt(target))}.`,
        span,
        layer: c.layer.index,
        related: activationRelated(c, ctx.model, span),
        fixes: args ? [setInitializerFix(`Set ${fit} for the kernel of ${layerLabel(c.layer, ctx.model)}`, c.layer.index, 'kernel', c.ref.id!, args)] : [],
      });
    }
    return out;
  },
};
