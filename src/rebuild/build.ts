/**
 * Rebuild a described model (core/model.ts) in real TensorFlow.js, with weights sampled with the semantics of
 * the source framework (src/rebuild/sample.ts), so that src/rebuild/measure.ts can measure what the
 * initialization does. This is the engine of the preview panel (run in a webview on WebGL/WASM) and of the
 * Monte Carlo tests of the analytic prediction (core/propagate.ts).
 *
 * `tf` is a parameter: nothing here imports a backend; the caller picks cpu, wasm or webgl.
 *
 * Conventions of the rebuild (each is said in `notes` when it applies):
 * - Layout is channels-last (tfjs). A PyTorch NCHW model is rebuilt NHWC; per-element statistics are the same.
 * - Padding is not part of the description: convolutions use 'valid' padding (every framework's default) unless
 *   `options.padding` says otherwise; strides and pool sizes come from the description (pool size 2 if unknown).
 * - Recurrent layers: PyTorch's two bias vectors b_ih + b_hh become tfjs's single bias (their sum, sampled as
 *   such); GRU is rebuilt with tfjs's reset-before formulation (tfjs has no reset_after), which PyTorch and
 *   Keras 3 do not use.
 * - Every random initializer is re-seeded from `options.seed` (the seed written in the source is ignored) so that
 *   Monte Carlo runs over seeds are independent.
 * - Reshape targets are not in the description: a reshape is rebuilt as the identity (variance is unchanged).
 *
 * Layout: this file assembles the model; inputs.ts plans the model inputs, node.ts rebuilds one node with the
 * builder of its kind (layers/, a table by layer kind), weights.ts records each weight and draws it with its
 * framework's semantics (frameworks/, a table by framework: tfjs's own initializers, or the Keras / PyTorch
 * samplers of sample.ts's laws).
 */
import type * as TFNS from '@tensorflow/tfjs';
import type { Model } from '../core/model';
import { DEFAULT_MAX_PARAMS, type AnyTensor, type BuildOptions, type BuildResult, type BuiltLayer, type Layer, type SymbolicTensor } from './build-types';
import { BuildError, labelOf, type Ctx } from './context';
import { planInputs } from './inputs';
import { buildNode } from './node';
import type { TF } from './sample';
import { initWeights } from './weights';

export type * from './build-types';
export { DEFAULT_MAX_PARAMS, DEFAULT_SPATIAL_SIZE } from './build-types';
export type { TF, Tensor } from './sample';
export { mixSeed } from './weights';

export function buildModel(tf: TF, model: Model, options: BuildOptions): BuildResult {
  const ctx: Ctx = {
    tf,
    fw: model.framework,
    options,
    notes: [],
    paramsSoFar: 0,
    maxParams: options.maxParams ?? DEFAULT_MAX_PARAMS,
    reduced: false,
  };
  const built: BuiltLayer[] = [];
  const created: Layer[] = [];
  const disposeCreated = (m?: TFNS.LayersModel) => {
    const inModel = new Set<Layer>(m ? m.layers : []);
    if (m) m.dispose();
    for (const l of created) {
      if (inModel.has(l)) continue;
      try {
        if (l.built) l.dispose();
      } catch {
        /* not used yet */
      }
    }
  };
  try {
    const { sources, inputs } = planInputs(ctx, model);
    const symInputs = inputs.map((inp) => tf.input({ shape: inp.shape, dtype: inp.dtype }));
    const symOut: AnyTensor[] = [];
    for (const node of model.layers) {
      if (node.index !== built.length) throw new BuildError(`${labelOf(node)}: layers are not in index order`, node.index);
      const src = sources[node.index];
      const xs = src.map((s) => ('node' in s ? symOut[s.node] : symInputs[s.input]));
      if (xs.some((x) => x === undefined)) throw new BuildError(`${labelOf(node)}: an input comes later in the graph`, node.index);
      const shapes = xs.map((x) => (x.shape as (number | null)[]).slice(1) as number[]);
      const b = buildNode(ctx, node, shapes, created);
      let out: AnyTensor;
      try {
        out = b.apply(xs).out;
      } catch (e) {
        throw new BuildError(`${b.label}: tfjs cannot build it on input shape ${fmtShapes(shapes)}: ${(e as Error).message}`, node.index, 'inputShape');
      }
      b.outputShape = (out.shape as (number | null)[]).slice(1) as number[];
      if (b.outputShape.some((d) => d === null || !(d > 0))) {
        throw new BuildError(`${b.label}: output shape [${b.outputShape}] is empty or unknown`, node.index);
      }
      initWeights(ctx, b);
      symOut.push(out);
      built.push(b);
    }
    const outputs = (model.outputs ?? (model.layers.length ? [model.layers.length - 1] : [])).filter(
      (o) => o >= 0 && o < built.length,
    );
    let tfModel: TFNS.LayersModel | undefined;
    try {
      tfModel = tf.model({
        inputs: symInputs,
        outputs: outputs.map((o) => symOut[o] as SymbolicTensor),
        name: `initlens_${model.name.replace(/[^A-Za-z0-9_]/g, '_')}`,
      });
    } catch (e) {
      ctx.notes.push(`tfjs could not assemble a LayersModel (${(e as Error).message}); layers are run node by node`);
    }
    const params = built.reduce((a, b) => a + b.params, 0);
    let disposed = false;
    return {
      ok: true,
      tf,
      framework: model.framework,
      name: model.name,
      seed: options.seed,
      layers: built,
      sources,
      inputs,
      outputs,
      model: tfModel,
      params,
      notes: ctx.notes,
      dispose() {
        if (disposed) return;
        disposed = true;
        disposeCreated(tfModel);
      },
    };
  } catch (e) {
    disposeCreated();
    if (e instanceof BuildError) return { ok: false, reason: e.message, layer: e.layer, need: e.need };
    return { ok: false, reason: `rebuild failed: ${(e as Error).message}` };
  }
}

function fmtShapes(shapes: number[][]): string {
  return shapes.map((s) => `[${s.join(', ')}]`).join(' + ');
}

