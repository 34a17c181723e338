/**
 * Initializers of TensorFlow.js 4.x, Keras (2.x and 3) and PyTorch, resolved in one place: each framework's
 * table lives in its registry entry (src/core/frameworks/<fw>/initializers.ts: ids, class names, aliases,
 * default arguments) and every spelling (id, class name, alias) is resolved here, as tfjs-layers' getInitializer
 * does. The math of realized variances lives in core/realize.ts.
 *
 * Every entry cites ../shared/reference/init-semantics.md (sections §1 tfjs, §2 Keras, §3 PyTorch).
 */
import { FRAMEWORKS } from './frameworks';
import type { FrameworkFacts, InitializerSpec, WeightSlot } from './frameworks/types';
import type { Framework, InitializerRef, LayerKind } from './model';

export type { InitializerKind, InitializerSpec, ScaleFamily, WeightSlot } from './frameworks/types';

function lookupTable(specs: readonly InitializerSpec[]): Map<string, InitializerSpec> {
  const m = new Map<string, InitializerSpec>();
  for (const s of specs) for (const name of [s.id, ...(s.className ? [s.className] : []), ...s.aliases]) m.set(name, s);
  return m;
}

const LOOKUP = Object.fromEntries(
  Object.entries(FRAMEWORKS).map(([fw, sem]) => [fw, lookupTable(sem.initializers)]),
) as Record<Framework, Map<string, InitializerSpec>>;

/**
 * Resolve a spelling (string id, class name, factory name, alias) to its spec, exactly as the framework would.
 * tfjs does not accept snake_case in direct calls ('glorot_uniform' throws "Unknown initializer",
 * tfjs generic_utils.ts:242-252), so it resolves to undefined there.
 */
export function resolveInitializer(framework: Framework, name: string): InitializerSpec | undefined {
  return LOOKUP[framework].get(name);
}

/** The spec of a canonical id (or any spelling resolveInitializer accepts). */
export const initializerSpec = resolveInitializer;

export function allInitializers(framework: Framework): readonly InitializerSpec[] {
  return FRAMEWORKS[framework].initializers;
}

/**
 * Each framework's default initializer for a layer's weight slot (reference §1.4, §2.3, §3.4 and the
 * cheat sheet §5). Undefined when the layer has no such weight.
 */
export function defaultInitializerId(framework: Framework, kind: LayerKind, slot: WeightSlot): string | undefined {
  return FRAMEWORKS[framework].layerDefaults[kind]?.[slot];
}

/** A reference to a layer's default initializer, as analyzers put it into the model description. */
export function defaultInitializerRef(framework: Framework, kind: LayerKind, slot: WeightSlot): InitializerRef | undefined {
  const id = defaultInitializerId(framework, kind, slot);
  if (!id) return undefined;
  return { framework, id, args: {}, unknownArgs: [], falsyArgs: [], explicit: false, form: 'default' };
}

/** Framework facts that are not initializers (reference §5 cheat sheet), from the registry. */
export const FRAMEWORK_FACTS = Object.fromEntries(
  Object.entries(FRAMEWORKS).map(([fw, sem]) => [fw, sem.facts]),
) as Readonly<Record<Framework, FrameworkFacts>>;
