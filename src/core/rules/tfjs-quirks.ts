/** Rules for TensorFlow.js behaviour users never see: the uncorrected truncated normal and `||` defaults. */
import { initializerSpec, type WeightSlot } from '../initializers';
import { slotRef } from '../findings';
import type { InitializerRef, LayerNode } from '../model';
import { TRUNC_NORMAL_2SIGMA_VARIANCE } from '../moments';
import { fmt } from '../format';
import { layerLabel } from './graph';
import { falsyArgFix, setInitializerFix } from './fixes';
import { initializerSpan, layerCases } from './layer-cases';
import type { Rule, RuleFinding } from './types';

/** The weight slots an initializer can be written for (embeddings are held as the kernel). */
const SLOTS: readonly WeightSlot[] = ['kernel', 'pointwise', 'recurrent', 'bias', 'gamma', 'beta'];

function* explicitTfjsRefs(layers: LayerNode[]): Generator<{ layer: LayerNode; slot: WeightSlot; ref: InitializerRef }> {
  for (const layer of layers)
    for (const slot of SLOTS) {
      const ref = slotRef(layer, slot);
      if (ref && ref.framework === 'tfjs' && ref.explicit && ref.id !== undefined) yield { layer, slot, ref };
    }
}

const UNIFORM_TWIN: Record<string, string> = { heNormal: 'heUniform', leCunNormal: 'leCunUniform' };

export const truncatedNormalShortfall: Rule = {
  meta: {
    id: 'truncated-normal-shortfall',
    defaultSeverity: 'warning',
    title: 'tfjs normal variance scaling realizes 0.774× the variance',
    summary: 'tfjs `heNormal`/`leCunNormal`/`varianceScaling` normal: 0.774× the variance',
    description:
      "An explicit tfjs heNormal, leCunNormal or varianceScaling with distribution 'normal': tfjs samples a truncated normal without the 0.8796 correction, so the weights have 0.774× the intended variance.",
    fix: { availability: 'always', safety: 'unsafe' },
    // One fix per initializer, not two that disagree: the activation rules replace the whole initializer.
    supersededBy: ['relu-needs-he', 'selu-needs-lecun', 'saturating-needs-glorot'],
    docs: `tfjs's VarianceScaling 'normal' branch samples \`truncatedNormal(0, √(scale/fan))\`, cut at ±2σ and redrawn, but
does not divide the std by 0.87962566 as Keras does (tfjs-layers initializers.ts:345-352; open bug
tensorflow/tfjs#8594). A normal truncated at ±2σ has variance T = 0.7737 of the untruncated one, so \`heNormal\`
realizes 1.547/fan_in instead of 2/fan_in and \`leCunNormal\` 0.774/fan_in instead of 1/fan_in: a ReLU network with
\`heNormal\` loses 23% of its signal's second moment per layer (×0.077 after 10 layers), and SELU loses its fixed point.

**Fix:** the uniform variant (\`heUniform\`, \`leCunUniform\`, or \`distribution: 'uniform'\`), which tfjs samples
exactly (U(±√(3·scale/fan))). Alternatively multiply \`scale\` by 1/T = 1.2924.

\`\`\`ts
// before
tf.layers.dense({units: 256, activation: 'relu', kernelInitializer: 'heNormal'})
// after
tf.layers.dense({units: 256, activation: 'relu', kernelInitializer: 'heUniform'})
\`\`\`
`,
  },
  check(ctx) {
    // He scaling meant for a saturating activation: the shortfall is not the problem there, the scaling is, and
    // "use heUniform" would widen the pre-activations further.
    const heBeforeSaturating = new Set(
      layerCases(ctx)
        .filter((c) => c.family === 'he' && c.reached?.family === 'saturating')
        .map((c) => c.layer.index),
    );
    const out: RuleFinding[] = [];
    for (const { layer, slot, ref } of explicitTfjsRefs(ctx.model.layers)) {
      if (slot === 'kernel' && heBeforeSaturating.has(layer.index)) continue;
      const spec = initializerSpec('tfjs', ref.id!);
      if (!spec || spec.kind !== 'varianceScaling') continue;
      const distribution = ref.args.distribution ?? spec.defaults.distribution;
      const listed = ref.id === 'heNormal' || ref.id === 'leCunNormal' || ref.id === 'varianceScaling';
      if (!listed || distribution !== 'normal') continue;
      const twin = UNIFORM_TWIN[ref.id!];
      out.push({
        severity: 'warning',
        message: `tfjs ${ref.id}${ref.id === 'varianceScaling' ? " with distribution 'normal'" : ''} samples a truncated normal without correction: the ${slot} of ${layerLabel(layer, ctx.model)} gets ${fmt(TRUNC_NORMAL_2SIGMA_VARIANCE, 3)}× the intended variance. Use ${twin ?? "distribution: 'uniform'"}, which is exact.`,
        span: initializerSpan(ref, layer),
        layer: layer.index,
        related: [],
        fixes: [
          setInitializerFix(
            twin ? `Use ${twin} (exact variance)` : "Use distribution: 'uniform' (exact variance)",
            layer.index,
            slot,
            twin ?? 'varianceScaling',
            twin ? undefined : { ...ref.args, distribution: 'uniform' },
          ),
        ],
      });
    }
    return out;
  },
};

/** tfjs defaults that a falsy argument silently brings back (initializers.ts:117-118, 152-153, 194-195). */
const FALSY_DEFAULTS: Partial<Record<string, number>> = { minval: -0.05, maxval: 0.05, stddev: 0.05 };

export const tfjsFalsyArg: Rule = {
  meta: {
    id: 'tfjs-falsy-arg',
    defaultSeverity: 'error',
    title: 'tfjs silently replaces an argument of 0 by its default',
    summary: 'a tfjs initializer argument of 0 that tfjs replaces by its default',
    description:
      'A tfjs randomUniform/randomNormal/truncatedNormal argument written as 0 that tfjs replaces by its default (`args.minval || -0.05`): minval: 0 becomes -0.05, stddev: 0 becomes 0.05; seed: 0 means unseeded for normal sampling.',
    fix: { availability: 'sometimes', safety: 'safe' },
    docs: `tfjs reads these arguments with \`||\` (tfjs-layers initializers.ts:125-126, 160-161, 202-203), so a 0 is
treated as missing: \`randomUniform({minval: 0, maxval: 1})\` samples **U(−0.05, 1)**, \`maxval: 0\` becomes 0.05, and
\`stddev: 0\` becomes 0.05. For normal and truncated-normal sampling \`seed: 0\` is also treated as "no seed"
(tfjs-core rand_util.ts:64, \`seed ? seed : Math.random()\`), so the weights change on every run.

**Fix:** \`minval: Number.MIN_VALUE\` is truthy and rounds to 0 in float32, so tfjs then samples exactly U(0, maxval);
for \`stddev: 0\` use \`tf.initializers.constant({value: mean})\`; for a reproducible seed use any non-zero seed.
These fixes make the code do what it says, so they are safe to apply in bulk.

\`\`\`ts
// before: samples U(-0.05, 1)
kernelInitializer: tf.initializers.randomUniform({minval: 0, maxval: 1})
// after: samples U(0, 1)
kernelInitializer: tf.initializers.randomUniform({minval: Number.MIN_VALUE, maxval: 1})
\`\`\`
`,
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const { layer, slot, ref } of explicitTfjsRefs(ctx.model.layers)) {
      for (const falsy of ref.falsyArgs) {
        const name = falsy.name;
        if (name === 'seed') {
          if (ref.id === 'randomUniform') continue; // the uniform sampler checks seed == null: 0 seeds it
          out.push({
            severity: 'error',
            message: `tfjs ${ref.id}: seed 0 is treated as no seed (\`seed ? seed : Math.random()\`), so the ${slot} of ${layerLabel(layer, ctx.model)} differs on every run. Use a non-zero seed.`,
            span: falsy.span,
            layer: layer.index,
            related: [],
            fixes: [],
          });
          continue;
        }
        const dflt = FALSY_DEFAULTS[name];
        if (dflt === undefined) continue; // mean: 0 is the default anyway
        const fixText = name === 'stddev' ? 'a constant initializer' : `${name}: ${name === 'minval' ? '' : '-'}Number.MIN_VALUE`;
        out.push({
          severity: 'error',
          message: `tfjs ${ref.id}: ${name}: 0 is falsy and silently becomes ${dflt} (\`args.${name} || ${dflt}\`). Use ${fixText}.`,
          span: falsy.span,
          layer: layer.index,
          related: [],
          fixes: [falsyArgFix(`Make ${name} really 0 (${fixText})`, layer.index, slot, name)],
        });
      }
    }
    return out;
  },
};
