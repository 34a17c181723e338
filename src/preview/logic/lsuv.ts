/**
 * Layer-sequential unit-variance initialization (LSUV; Mishkin & Matas 2015, arXiv:1511.06422, Algorithm 1):
 * for each layer with a kernel, in order from the input, run the synthetic batch forward and rescale the
 * kernel by 1/√Var(B_L) until the variance of the layer's output B_L (its linear output, before the activation,
 * as the paper's Caffe blobs) is within `tolerance` of 1, or `maxIterations` is reached.
 *
 * The paper starts from orthonormal kernels; here LSUV starts from whatever the rebuilt model holds (the
 * initializers of the alternative on screen), which only changes the distribution's shape, not the variance
 * LSUV arrives at. The result is a standard deviation per kernel: the preview offers it as an explicit
 * N(0, std²) initializer (src/preview/logic/fixes.ts).
 *
 * Earlier layers' outputs are computed once and kept: each iteration re-runs only the layer being rescaled, so
 * the cost is one forward pass plus the iterations. `tf` is a parameter; no DOM.
 */
import type { Model } from '../../core/model';
import { buildModel, type BuildOptions, type BuiltModel, type TF, type Tensor } from '../../rebuild/build';
import type { InputDistribution } from '../../rebuild/measure';
import { LSUV_KINDS } from './fixes';
import type { LsuvLayerResult, LsuvSummary } from './data';
import type { LsuvLayerRequest } from './messages';

export interface LsuvOptions {
  batch: number;
  seed: number;
  input: InputDistribution;
  /** |Var − 1| below this stops the iterations (the paper's Tol_var = 0.1). */
  tolerance?: number;
  /** The paper's T_max = 10. */
  maxIterations?: number;
  /** Training mode for dropout and batch normalization (default true, as the measurement). */
  training?: boolean;
  cancelled?: () => boolean;
}

export const LSUV_TOLERANCE = 0.1;
export const LSUV_MAX_ITERATIONS = 10;

/** The factor LSUV multiplies a kernel by after measuring its output variance (undefined: cannot rescale). */
export function lsuvFactor(variance: number): number | undefined {
  if (!(variance > 0) || !Number.isFinite(variance)) return undefined;
  return 1 / Math.sqrt(variance);
}

/** Whether a variance is within the tolerance of 1. */
export function withinTolerance(variance: number, tolerance: number): boolean {
  return Number.isFinite(variance) && Math.abs(variance - 1) < tolerance;
}

function makeInputs(tf: TF, built: BuiltModel, o: LsuvOptions): Tensor[] {
  return built.inputs.map((inp, k) => {
    const shape = [o.batch, ...inp.shape];
    const seed = o.seed * 7919 + 101 * (k + 1);
    if (inp.dtype === 'int32') return tf.tidy(() => tf.cast(tf.floor(tf.randomUniform(shape, 0, inp.vocab!, 'float32', seed)), 'int32'));
    return o.input.kind === 'uniform01' ? tf.randomUniform(shape, 0, 1, 'float32', seed) : tf.randomNormal(shape, o.input.mean, o.input.std, 'float32', seed);
  });
}

async function varianceOf(tf: TF, t: Tensor): Promise<number> {
  const v = tf.tidy(() => tf.moments(t).variance);
  const d = await v.data();
  v.dispose();
  return d[0];
}

/**
 * Runs LSUV on a rebuilt model, in place: the kernels of the model are rescaled (dispose or rebuild it
 * afterwards if the original weights are needed).
 */
export async function lsuv(tf: TF, built: BuiltModel, o: LsuvOptions): Promise<LsuvSummary> {
  const tolerance = o.tolerance ?? LSUV_TOLERANCE;
  const maxIterations = o.maxIterations ?? LSUV_MAX_ITERATIONS;
  const training = o.training ?? true;
  const inputs = makeInputs(tf, built, o);
  const outs: Tensor[] = [];
  const layers: LsuvLayerResult[] = [];
  const skipped: LsuvSummary['skipped'] = [];
  const notes: string[] = [];
  // Training-mode batch normalization updates its moving statistics: keep the originals.
  const saved: { variable: { write(t: Tensor): unknown }; value: Tensor }[] = [];
  for (const l of built.layers) for (const t of l.tfLayers) for (const v of t.nonTrainableWeights) saved.push({ variable: v, value: v.read().clone() });
  const run = (index: number): { pre: Tensor; out: Tensor } =>
    tf.tidy(() => {
      const layer = built.layers[index];
      const xs = built.sources[index].map((s) => ('node' in s ? outs[s.node] : inputs[s.input]));
      const r = layer.apply(xs, { training });
      const out = r.out as Tensor;
      const pre = (r.pre as Tensor | undefined) ?? out;
      return { pre: pre === out ? out : pre, out };
    });
  try {
    for (const layer of built.layers) {
      if (o.cancelled?.()) throw new Error('cancelled');
      const kernel = layer.weights.find((w) => w.slot === 'kernel');
      if (!LSUV_KINDS.has(layer.kind) || !kernel) {
        if (layer.weights.some((w) => w.slot === 'kernel' || w.slot === 'pointwise')) {
          skipped.push({
            layer: layer.index,
            label: layer.label,
            reason: layer.kind === 'separableConv' ? 'separable convolution (tfjs draws its pointwise kernel with the depthwise initializer)' : `${layer.kind}: LSUV rescales feed-forward kernels only`,
          });
        }
        const r = run(layer.index);
        if (r.pre !== r.out) r.pre.dispose();
        outs.push(r.out);
        continue;
      }
      const stdBefore = await stdOf(tf, kernel.variable.read());
      let r = run(layer.index);
      let variance = await varianceOf(tf, r.pre);
      const varianceBefore = variance;
      let iterations = 0;
      let note: string | undefined;
      while (!withinTolerance(variance, tolerance) && iterations < maxIterations) {
        const f = lsuvFactor(variance);
        if (f === undefined) {
          note = variance === 0 ? 'the output is constant (a constant or zero kernel): nothing to rescale' : 'the output is not finite: cannot rescale';
          break;
        }
        const v = kernel.variable;
        const next = tf.tidy(() => tf.mul(v.read(), f));
        v.write(next);
        next.dispose();
        iterations++;
        if (r.pre !== r.out) r.pre.dispose();
        r.out.dispose();
        r = run(layer.index);
        variance = await varianceOf(tf, r.pre);
      }
      if (r.pre !== r.out) r.pre.dispose();
      outs.push(r.out);
      const std = await stdOf(tf, kernel.variable.read());
      layers.push({
        layer: layer.index,
        slot: 'kernel',
        label: layer.label,
        stdBefore,
        std,
        varianceBefore,
        variance,
        iterations,
        converged: withinTolerance(variance, tolerance),
        note,
      });
    }
  } finally {
    for (const t of [...inputs, ...outs]) if (!t.isDisposed) t.dispose();
    for (const s of saved) {
      s.variable.write(s.value);
      s.value.dispose();
    }
  }
  if (layers.some((l) => !l.converged && !l.note)) notes.push(`some layers did not reach |Var − 1| < ${tolerance} in ${maxIterations} iterations`);
  return { tolerance, layers, skipped, notes };
}

async function stdOf(tf: TF, t: Tensor): Promise<number> {
  return Math.sqrt(await varianceOf(tf, t));
}

/**
 * The standard deviations LSUV arrived at (layers it left with a note, or without a usable value, left out): what
 * the `lsuv` alternative rebuilds and what the page asks the host to write.
 */
export function lsuvStds(summary: LsuvSummary): LsuvLayerRequest[] {
  return summary.layers.filter((l) => !l.note && l.std > 0 && Number.isFinite(l.std)).map((l) => ({ layer: l.layer, slot: l.slot, std: l.std }));
}

/** Rebuilds the model, runs LSUV on it and disposes it; the rebuild's reason when the model cannot be rebuilt. */
export async function lsuvOfModel(tf: TF, model: Model, build: BuildOptions, o: LsuvOptions): Promise<{ ok: true; summary: LsuvSummary } | { ok: false; reason: string }> {
  const built = buildModel(tf, model, build);
  if (!built.ok) return { ok: false, reason: built.reason };
  try {
    return { ok: true, summary: await lsuv(tf, built, o) };
  } finally {
    built.dispose();
  }
}
