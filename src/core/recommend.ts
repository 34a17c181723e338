/**
 * Which initializer a fix writes, per framework and target scaling. One table, so that every rule, the
 * quick fixes and the preview's "suggested" column agree.
 */
import type { ActivationFamily } from './activations';
import { FRAMEWORKS } from './frameworks';
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
 * The framework's choice for a target scaling (each framework's `recommend` in src/core/frameworks/<fw>/index.ts
 * says why), keeping a written normal distribution where the framework samples it exactly.
 */
export function recommend(framework: Framework, target: TargetScaling, current?: InitializerRef, alpha?: number): Recommendation {
  const normal = usesNormal(current) && current?.form !== 'default';
  return FRAMEWORKS[framework].recommend({ target, normal, alpha });
}

/** How an initializer reads in a message: "glorotNormal", "default glorotNormal", "nn.Linear's default". */
export function describeInitializer(ref: InitializerRef): string {
  const spec = ref.id === undefined ? undefined : initializerSpec(ref.framework, ref.id);
  const name = spec?.describedAs ?? ref.id ?? 'an unknown initializer';
  return ref.form === 'default' && !spec?.moduleDefault ? `the default ${name}` : name;
}
