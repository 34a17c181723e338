/**
 * Which initializer a fix writes, per framework and target scaling. One table, so that every rule, the
 * quick fixes and the preview's "suggested" column agree.
 */
import type { ActivationFamily } from './activations';
import { initializerSpec } from './initializers';
import type { Framework, InitializerArgs, InitializerRef } from './model';

export type TargetScaling = 'he' | 'glorot' | 'lecun' | 'orthogonal';

export interface Recommendation {
  id: string;
  args?: InitializerArgs;
}

/** The scaling an activation family wants (He for ReLU-like, Glorot for saturating, LeCun for SELU). */
export function targetFor(family: ActivationFamily): TargetScaling {
  switch (family) {
    case 'relu':
      return 'he';
    case 'selu':
      return 'lecun';
    case 'saturating':
      return 'glorot';
    default:
      return 'lecun';
  }
}

function usesNormal(ref: InitializerRef | undefined): boolean {
  if (!ref?.id) return false;
  const spec = initializerSpec(ref.framework, ref.id);
  if (!spec) return false;
  const dist = ref.args.distribution ?? spec.defaults.distribution ?? spec.distribution;
  return dist === 'normal' || dist === 'truncatedNormal' || dist === 'untruncatedNormal' || spec.kind === 'normal';
}

/**
 * tfjs: always the uniform variant: its 'normal' variants sample an uncorrected truncated normal and realize
 *   0.774× the variance (reference §0.1 #2), while the uniform ones are exact.
 * Keras: keep the distribution the user chose (its truncated normal is corrected, §2.2); LeCun for SELU is
 *   lecun_normal (Klambauer et al. 2017).
 * PyTorch: kaiming_/xavier_ of the same distribution; LeCun is kaiming_normal_(nonlinearity='linear'), as the
 *   calculate_gain docstring advises for SELU (§3.1).
 */
export function recommend(framework: Framework, target: TargetScaling, current?: InitializerRef, alpha?: number): Recommendation {
  const normal = usesNormal(current) && current?.form !== 'default';
  switch (framework) {
    case 'tfjs':
      return { id: { he: 'heUniform', glorot: 'glorotUniform', lecun: 'leCunUniform', orthogonal: 'orthogonal' }[target] };
    case 'keras':
      if (target === 'orthogonal') return { id: 'orthogonal' };
      if (target === 'lecun') return { id: 'lecun_normal' };
      return { id: `${target === 'he' ? 'he' : 'glorot'}_${normal ? 'normal' : 'uniform'}` };
    case 'pytorch': {
      if (target === 'orthogonal') return { id: 'orthogonal_' };
      if (target === 'lecun') return { id: 'kaiming_normal_', args: { nonlinearity: 'linear' } };
      if (target === 'glorot') return { id: normal ? 'xavier_normal_' : 'xavier_uniform_' };
      const leaky = alpha !== undefined && alpha > 0;
      return {
        id: normal ? 'kaiming_normal_' : 'kaiming_uniform_',
        args: leaky ? { nonlinearity: 'leaky_relu', negativeSlope: alpha } : { nonlinearity: 'relu' },
      };
    }
  }
}

/** How an initializer reads in a message: "glorotNormal", "default glorotNormal", "nn.Linear's default". */
export function describeInitializer(ref: InitializerRef): string {
  const name =
    ref.id === 'default_linear'
      ? "PyTorch's default U(±1/√fan_in)"
      : ref.id === 'default_rnn'
        ? "PyTorch's default U(±1/√hidden)"
        : (ref.id ?? 'an unknown initializer');
  return ref.form === 'default' && !ref.id?.startsWith('default_') ? `the default ${name}` : name;
}
