/**
 * Model descriptions written as data, for tests of the propagation and the rules that must not depend on a
 * parser. Spans are synthetic but distinct per layer.
 */
import { defaultInitializerRef } from '../../src/core/initializers';
import type { ActivationRef, Framework, InitializerArgs, InitializerRef, LayerKind, LayerNode, Model } from '../../src/core/model';

export function init(framework: Framework, id: string, args: InitializerArgs = {}, explicit = true): InitializerRef {
  return { framework, id, args, unknownArgs: [], falsyArgs: [], explicit, form: explicit ? 'string' : 'default', span: { start: 0, end: 1 } };
}

export function act(id: string, alpha?: number, explicit = true): ActivationRef {
  return { id, alpha, explicit };
}

export interface LayerSpec {
  kind: LayerKind;
  inFeatures?: number;
  outFeatures?: number;
  kernel?: InitializerRef | string;
  activation?: string;
  alpha?: number;
  extra?: Partial<LayerNode>;
}

/** Build a chain (or, with `inputs` in extra, a DAG) of layers. Kernels given as a string are explicit ids. */
export function model(framework: Framework, specs: LayerSpec[], name = 'm'): Model {
  const layers: LayerNode[] = specs.map((s, i) => {
    const kernel =
      typeof s.kernel === 'string'
        ? init(framework, s.kernel)
        : (s.kernel ?? defaultInitializerRef(framework, s.kind, s.kind === 'embedding' ? 'embeddings' : 'kernel'));
    const node: LayerNode = {
      index: i,
      kind: s.kind,
      op: s.kind,
      inputs: i === 0 ? [] : [i - 1],
      inFeatures: s.inFeatures,
      outFeatures: s.outFeatures,
      kernel,
      bias: defaultInitializerRef(framework, s.kind, 'bias'),
      recurrent: defaultInitializerRef(framework, s.kind, 'recurrent'),
      activation: s.activation ? act(s.activation, s.alpha) : s.kind === 'activation' ? undefined : act('linear', undefined, false),
      span: { start: 100 * i + 10, end: 100 * i + 60 },
      ...s.extra,
    };
    return node;
  });
  return { name, framework, span: { start: 0, end: 5 }, layers, notes: [] };
}

/** A chain of `depth` dense layers of width `width` with one activation and kernel. */
export function mlp(framework: Framework, depth: number, width: number, activation: string, kernel?: string, inFeatures = width): Model {
  const specs: LayerSpec[] = [];
  for (let i = 0; i < depth; i++) {
    specs.push({ kind: 'dense', inFeatures: i === 0 ? inFeatures : width, outFeatures: width, kernel, activation: i === depth - 1 ? undefined : activation });
  }
  return model(framework, specs, `mlp${depth}x${width}`);
}
