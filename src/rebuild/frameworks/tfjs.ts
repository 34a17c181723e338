/**
 * tfjs in the rebuild: the real thing. Each layer gets tfjs's own `tf.initializers.*` object built from the
 * arguments as written, so every tfjs quirk (uncorrected truncated 'normal' VarianceScaling, 'truncatedNormal'
 * sampling uniformly, `||` defaults, the separable-conv pointwise bug, the depthwise fan over-count) happens
 * exactly as in the user's program (reference ../shared/reference/init-semantics.md §0.1, §1).
 */
import type { InitializerArgs, InitializerRef } from '../../core/model';
import { SampleError, prod, type Fans, type TF } from '../sample';
import { kerasFans } from './keras';
import type { RebuildFramework, TfjsInitializer } from './types';

type Factory = (I: TF['initializers'], a: InitializerArgs, seed: number) => TfjsInitializer;

/** The tfjs factory of each tfjs initializer id (exports_initializers.ts). */
const FACTORIES: Readonly<Record<string, Factory>> = {
  zeros: (I) => I.zeros(),
  ones: (I) => I.ones(),
  constant: (I, a) => I.constant({ value: a.value as number }),
  randomUniform: (I, a, seed) => I.randomUniform({ minval: a.minval, maxval: a.maxval, seed }),
  randomNormal: (I, a, seed) => I.randomNormal({ mean: a.mean, stddev: a.stddev, seed }),
  truncatedNormal: (I, a, seed) => I.truncatedNormal({ mean: a.mean, stddev: a.stddev, seed }),
  varianceScaling: (I, a, seed) =>
    I.varianceScaling({
      scale: a.scale,
      mode: a.mode,
      // tfjs validates the string union itself and throws on 'untruncatedNormal' (reference §1.1).
      distribution: a.distribution as 'normal' | 'uniform' | 'truncatedNormal' | undefined,
      seed,
    }),
  glorotUniform: (I, _a, seed) => I.glorotUniform({ seed }),
  glorotNormal: (I, _a, seed) => I.glorotNormal({ seed }),
  heNormal: (I, _a, seed) => I.heNormal({ seed }),
  heUniform: (I, _a, seed) => I.heUniform({ seed }),
  leCunNormal: (I, _a, seed) => I.leCunNormal({ seed }),
  leCunUniform: (I, _a, seed) => I.leCunUniform({ seed }),
  orthogonal: (I, a, seed) => I.orthogonal({ gain: a.gain, seed }),
  identity: (I, a) => I.identity({ gain: a.gain }),
};

/**
 * The tfjs initializer object for a reference, built exactly as the user's code builds it (arguments as
 * written; the seed is replaced by the rebuild's seed so that Monte Carlo runs differ). Throws what tfjs throws
 * (e.g. `constant` without a value, an unknown `mode`), wrapped in a SampleError.
 */
export function tfjsInitializer(tf: TF, ref: InitializerRef, seed: number): TfjsInitializer {
  const factory = ref.id !== undefined && Object.prototype.hasOwnProperty.call(FACTORIES, ref.id) ? FACTORIES[ref.id] : undefined;
  if (!factory) throw new SampleError(`unknown tfjs initializer '${ref.id}'`);
  try {
    return factory(tf.initializers, ref.args, seed);
  } catch (e) {
    throw new SampleError(`tfjs rejects initializer '${ref.id}': ${(e as Error).message}`);
  }
}

/** tfjs's own fan rule (initializers.ts:264-289): rank 2 [in, out]; rank 3-5 k·in, k·out; else √∏shape. */
function tfjsFans(shape: number[]): Fans | undefined {
  if (shape.length >= 2 && shape.length <= 5) return kerasFans(shape);
  if (shape.length > 0) return { fanIn: Math.sqrt(prod(shape)), fanOut: Math.sqrt(prod(shape)) };
  return undefined;
}

export const TFJS_REBUILD: RebuildFramework = {
  drawing: { by: 'tfjs', initializer: tfjsInitializer, fans: tfjsFans },
  canDraw: (spec) => Object.prototype.hasOwnProperty.call(FACTORIES, spec.id),
  // tfjs LSTM: unitForgetBias as written (undefined = off, recurrent.ts:1676).
  forgetBias: { by: 'layer', on: (node) => node.unitForgetBias === true },
  separablePointwiseFromDepthwise: true,
  nativeLeakyRelu: true,
  notes: { separable: 'tfjs uses the depthwise initializer for the pointwise kernel too (tfjs PR #8564)' },
};
