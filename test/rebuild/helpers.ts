/**
 * Helpers for the rebuild tests: a tfjs instance on the WASM backend (falling back to cpu, said on stderr),
 * and Models written directly as data.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { defaultInitializerRef } from '../../src/core/initializers';
import type { ActivationRef, Framework, InitializerArgs, InitializerRef, LayerKind, LayerNode, Model } from '../../src/core/model';

let ready: Promise<typeof tf> | undefined;

/** tfjs on wasm (about 40× faster than cpu here); falls back to cpu and says so. */
export function getTf(): Promise<typeof tf> {
  ready ??= (async () => {
    let ok = false;
    try {
      ok = await tf.setBackend('wasm');
      await tf.ready();
    } catch (e) {
      process.stderr.write(`[rebuild tests] wasm backend failed (${(e as Error).message})\n`);
      ok = false;
    }
    if (!ok || tf.getBackend() !== 'wasm') {
      process.stderr.write('[rebuild tests] WASM backend unavailable: falling back to the cpu backend (slow)\n');
      await tf.setBackend('cpu');
      await tf.ready();
    }
    // Silence tfjs's orthogonal-size warnings in test output.
    return tf;
  })();
  return ready;
}

export function ref(framework: Framework, id: string | undefined, args: InitializerArgs = {}, explicit = true): InitializerRef {
  return { framework, id, args, unknownArgs: [], falsyArgs: [], explicit, form: explicit ? 'string' : 'default' };
}

export function act(id: string | undefined, alpha?: number): ActivationRef {
  return { id, alpha, explicit: true };
}

export type NodeSpec = Partial<LayerNode> & { kind: LayerKind };

/**
 * A model from node specs; `inputs` defaults to the previous node (a chain). Initializers not given are the
 * framework's layer defaults, filled in as the analyzers do.
 */
export function model(framework: Framework, nodes: NodeSpec[], name = 'm'): Model {
  const layers: LayerNode[] = nodes.map((n, i) => {
    const d = (slot: Parameters<typeof defaultInitializerRef>[2]) => defaultInitializerRef(framework, n.kind, slot);
    return {
      index: i,
      op: n.op ?? n.kind,
      inputs: n.inputs ?? (i === 0 ? [] : [i - 1]),
      span: { start: 0, end: 0 },
      ...n,
      kernel: n.kernel ?? (n.kind === 'embedding' ? d('embeddings') : d('kernel')),
      recurrent: n.recurrent ?? d('recurrent'),
      pointwise: n.pointwise ?? d('pointwise'),
      bias: n.useBias === false ? undefined : (n.bias ?? d('bias')),
      gamma: n.gamma ?? d('gamma'),
      beta: n.beta ?? d('beta'),
    };
  });
  return { name, framework, span: { start: 0, end: 0 }, layers, notes: [] };
}

/** A square MLP: `depth` dense layers of `width` units with a fused activation, input [width]. */
export function mlp(
  framework: Framework,
  opts: { depth: number; width: number; activation: string; kernel?: InitializerRef; bias?: InitializerRef; alpha?: number },
): Model {
  const nodes: NodeSpec[] = [];
  for (let i = 0; i < opts.depth; i++) {
    nodes.push({
      kind: 'dense',
      inFeatures: opts.width,
      outFeatures: opts.width,
      inputShape: i === 0 ? [opts.width] : undefined,
      kernel: opts.kernel,
      bias: opts.bias,
      activation: act(opts.activation, opts.alpha),
    });
  }
  return model(framework, nodes, `mlp-${framework}-${opts.activation}`);
}
