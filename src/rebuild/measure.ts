/**
 * Measure what the initialization of a rebuilt model (src/rebuild/build.ts) does to a batch of random inputs:
 * per layer, the output's second moment, mean, variance, dead and saturated fractions, extremes, a histogram and
 * non-finite counts; optionally the second moment of the gradient with respect to each layer's input, for a
 * random unit-variance gradient at the model's outputs; and each weight's realized statistics against the
 * intended ones (core/realize.ts via ./intended.ts).
 *
 * The model runs in training mode by default: dropout drops (inverted dropout, kept units scaled by
 * 1/(1 − rate)) and batch normalization uses the batch statistics, i.e. what the first training steps see and
 * what core/propagate.ts predicts.
 *
 * Backward pass: every edge (producer → consumer input) gets a zero "probe" tensor added to the signal; the
 * loss is L = Σ_outputs Σ (y ⊙ g) with g ~ N(0, 1) fixed, so ∂L/∂y = g has unit second moment; tf.grads of L
 * with respect to the probes gives exactly ∂L/∂(the consumer's input), the gradient w.r.t. each layer's input,
 * in one reverse pass through the same eager forward computation (layers' own `apply`).
 *
 * No tensor outlives a call: everything created is disposed (tests check tf.memory().numTensors).
 */
import { saturationKind } from './activations';
import type { BuiltLayer, BuiltModel, BuiltWeight, TF, Tensor } from './build';
import { intendedWeight, type IntendedWeight } from './intended';
import { installWasmConv2DBackpropInputFix, installWasmGradientFallbacks, installWasmMatMulTransposeFix, installWasmTileFix } from './kernels';
import { tensorStats, poolStats, type TensorStats } from './stats';

export type { TensorStats, Histogram } from './stats';

export type InputDistribution = { kind: 'gaussian'; mean: number; std: number } | { kind: 'uniform01' };

export interface MeasureOptions {
  batch: number;
  seed: number;
  input: InputDistribution;
  /** Histogram bins for outputs and pre-activations (default 40; 0 = none). */
  histogramBins?: number;
  /** Also measure gradients w.r.t. each layer's input (default false). */
  backward?: boolean;
  /** Training mode: dropout active, batch norm on batch statistics (default true). */
  training?: boolean;
  /** Skip the per-weight statistics (default false). */
  skipWeights?: boolean;
  /**
   * Cap on the number of float elements held at once (activations, and with `backward` probes and gradients
   * too); the batch is reduced to fit, and a note says so. Default 2²⁶ (256 MB of float32).
   */
  maxElements?: number;
}

export interface WeightStats {
  slot: BuiltWeight['slot'];
  name: string;
  shape: number[];
  initializer: string | undefined;
  sampledBy: BuiltWeight['sampledBy'];
  realized: { count: number; mean: number; variance: number; std: number; min: number; max: number };
  /** What core/realize.ts says this initializer gives for this weight (undefined if it cannot say). */
  intended?: IntendedWeight;
  note?: string;
}

export interface LayerMeasurement {
  index: number;
  kind: BuiltLayer['kind'];
  label: string;
  /** Output shape without the batch dimension. */
  outputShape: number[];
  output: TensorStats;
  /** Pre-activation of a weighted layer with a fused non-linear activation. */
  preActivation?: TensorStats;
  /** Gradient w.r.t. the layer's input (all its inputs pooled); undefined for integer inputs or without backward. */
  gradient?: TensorStats;
  /** Gradient w.r.t. each input separately (multi-input layers). */
  gradientInputs?: (TensorStats | undefined)[];
  weights: WeightStats[];
}

export interface Measurement {
  backend: string;
  batch: number;
  seed: number;
  training: boolean;
  /** Moments of the input distribution (per element). */
  input: { mean: number; variance: number; secondMoment: number };
  layers: LayerMeasurement[];
  timing: {
    /** Forward pass (and backward pass, with `backward`) including the wait for the device. */
    passMs: number;
    /** Downloading the tensors and computing the statistics. */
    statsMs: number;
  };
  notes: string[];
}

function inputMoments(d: InputDistribution): Measurement['input'] {
  if (d.kind === 'uniform01') return { mean: 0.5, variance: 1 / 12, secondMoment: 1 / 3 };
  return { mean: d.mean, variance: d.std * d.std, secondMoment: d.mean * d.mean + d.std * d.std };
}

function makeInputs(tf: TF, built: BuiltModel, o: MeasureOptions): Tensor[] {
  return built.inputs.map((inp, k) => {
    const shape = [o.batch, ...inp.shape];
    const seed = o.seed * 7919 + 101 * (k + 1);
    if (inp.dtype === 'int32') {
      return tf.tidy(() => tf.cast(tf.floor(tf.randomUniform(shape, 0, inp.vocab!, 'float32', seed)), 'int32'));
    }
    const d = o.input;
    return d.kind === 'uniform01'
      ? tf.randomUniform(shape, 0, 1, 'float32', seed)
      : tf.randomNormal(shape, d.mean, d.std, 'float32', seed);
  });
}

/** Nodes from which some model output can be reached (others get no gradient). */
function reachesOutput(built: BuiltModel): boolean[] {
  const n = built.layers.length;
  const reach = new Array<boolean>(n).fill(false);
  for (const o of built.outputs) reach[o] = true;
  for (let i = n - 1; i >= 0; i--) {
    if (!reach[i]) continue;
    for (const s of built.sources[i]) if ('node' in s) reach[s.node] = true;
  }
  return reach;
}

interface Edge {
  consumer: number;
  slot: number;
  shape: number[];
}

interface Pass {
  outs: Tensor[];
  pres: (Tensor | undefined)[];
}

/** The eager forward pass, node by node, optionally adding a probe to each listed edge. */
function forward(built: BuiltModel, inputs: Tensor[], training: boolean, probes?: Map<string, Tensor>): Pass {
  const tf = built.tf;
  const outs: Tensor[] = [];
  const pres: (Tensor | undefined)[] = [];
  for (const layer of built.layers) {
    const xs = built.sources[layer.index].map((s, k) => {
      const x = 'node' in s ? outs[s.node] : inputs[s.input];
      const p = probes?.get(`${layer.index}:${k}`);
      return p ? tf.add(x, p) : x;
    });
    const r = layer.apply(xs, { training });
    outs.push(r.out as Tensor);
    pres.push(r.pre as Tensor | undefined);
  }
  return { outs, pres };
}

export async function measure(tf: TF, built: BuiltModel, options: MeasureOptions): Promise<Measurement> {
  const training = options.training ?? true;
  const bins = options.histogramBins ?? 40;
  const notes: string[] = [];
  let batch = Math.max(1, Math.floor(options.batch));
  // Elements per sample held at once: every node's output (and pre-activation); with backward also a probe and
  // a gradient per edge (≈ 2× more).
  const perSample = built.layers.reduce(
    (a, l) => a + prod(l.outputShape) * (l.hasPreActivation ? 2 : 1),
    built.inputs.reduce((a, i) => a + prod(i.shape), 0),
  ) * (options.backward ? 3 : 1);
  const maxElements = options.maxElements ?? 2 ** 26;
  if (batch * perSample > maxElements) {
    const reduced = Math.max(1, Math.floor(maxElements / perSample));
    notes.push(`batch reduced from ${batch} to ${reduced} to stay under ${maxElements.toLocaleString('en-US')} elements`);
    batch = reduced;
  }
  const o = { ...options, batch };
  // Training-mode batch norm updates its moving statistics: restore them afterwards so that measuring is free of
  // side effects (an eval-mode measurement afterwards sees the initial moving mean 0 and variance 1).
  const saved = training ? saveState(built) : [];

  const inputs = makeInputs(tf, built, o);
  const toDispose: Tensor[] = [...inputs];
  let kept: Tensor[] = [];
  let pass: Pass | undefined;
  let edgeGrads = new Map<string, Tensor>();
  const t0 = now();
  try {
    if (options.backward) {
      if (tf.getBackend() === 'wasm') {
        const added = installWasmGradientFallbacks(tf);
        if (added.length) notes.push(`wasm lacks ${added.join(', ')}: bridged to the cpu backend's kernels`);
        installWasmMatMulTransposeFix(tf);
        installWasmConv2DBackpropInputFix(tf);
        installWasmTileFix(tf);
      }
      const reach = reachesOutput(built);
      const edges: Edge[] = [];
      for (const layer of built.layers) {
        if (!reach[layer.index]) continue;
        built.sources[layer.index].forEach((s, k) => {
          const isInt = 'input' in s && built.inputs[s.input].dtype === 'int32';
          if (isInt) return;
          const shape = 'node' in s ? built.layers[s.node].outputShape : built.inputs[s.input].shape;
          edges.push({ consumer: layer.index, slot: k, shape: [batch, ...shape] });
        });
      }
      const probes = edges.map((e) => tf.zeros(e.shape));
      toDispose.push(...probes);
      const probeMap = new Map<string, Tensor>(edges.map((e, i) => [`${e.consumer}:${e.slot}`, probes[i]]));
      const loss = (...ps: Tensor[]): Tensor => {
        void ps;
        const p = forward(built, inputs, training, probeMap);
        pass = p;
        kept = [...p.outs, ...p.pres.filter((t): t is Tensor => !!t)].map((t) => tf.keep(t));
        const terms = built.outputs.map((oi, k) => {
          const y = p.outs[oi];
          const g = tf.randomNormal(y.shape, 0, 1, 'float32', o.seed * 104729 + 17 * (k + 1));
          return tf.sum(tf.mul(y, g));
        });
        return terms.length === 1 ? terms[0] : tf.addN(terms);
      };
      if (edges.length > 0) {
        const grads = tf.grads(loss)(probes);
        toDispose.push(...grads);
        edgeGrads = new Map(edges.map((e, i) => [`${e.consumer}:${e.slot}`, grads[i]]));
      } else {
        const l = tf.tidy(() => loss());
        l.dispose();
      }
    } else {
      let p: Pass | undefined;
      kept = tf.tidy(() => {
        p = forward(built, inputs, training);
        return [...p.outs, ...p.pres.filter((t): t is Tensor => !!t)];
      });
      pass = p;
    }
    // Wait for the device (webgl queues work) before stopping the clock.
    if (pass && built.outputs.length) await pass.outs[built.outputs[built.outputs.length - 1]].data();
  } catch (e) {
    for (const t of [...toDispose, ...kept, ...edgeGrads.values()]) if (!t.isDisposed) t.dispose();
    releaseTape(tf);
    restoreState(saved);
    throw e;
  }
  const passMs = now() - t0;

  const t1 = now();
  const layers: LayerMeasurement[] = [];
  try {
    for (const layer of built.layers) {
      const out = pass!.outs[layer.index];
      const pre = pass!.pres[layer.index];
      const units = layer.outputShape.length >= 1 ? layer.outputShape[layer.outputShape.length - 1] : undefined;
      const sat = saturationKind(layer.activation);
      const m: LayerMeasurement = {
        index: layer.index,
        kind: layer.kind,
        label: layer.label,
        outputShape: layer.outputShape,
        output: tensorStats(await out.data(), { bins, saturation: sat, units }),
        weights: [],
      };
      if (pre) m.preActivation = tensorStats(await pre.data(), { bins, units });
      if (options.backward) {
        const parts: (TensorStats | undefined)[] = [];
        for (let k = 0; k < built.sources[layer.index].length; k++) {
          const g = edgeGrads.get(`${layer.index}:${k}`);
          parts.push(g ? tensorStats(await g.data()) : undefined);
        }
        const known = parts.filter((p): p is TensorStats => !!p);
        if (known.length) m.gradient = poolStats(known);
        if (parts.length > 1) m.gradientInputs = parts;
      }
      if (!options.skipWeights) m.weights = await weightStats(built, layer);
      layers.push(m);
    }
  } finally {
    const all = new Set<Tensor>([...toDispose, ...kept, ...edgeGrads.values()]);
    if (pass) for (const t of [...pass.outs, ...pass.pres]) if (t) all.add(t);
    // Model inputs pass through 'input' nodes and reshape identities: never dispose a tensor twice.
    for (const t of all) if (!t.isDisposed) t.dispose();
    restoreState(saved);
  }
  const statsMs = now() - t1;
  if (training && built.layers.some((l) => l.kind === 'dropout')) notes.push('dropout active (training mode)');
  return {
    backend: tf.getBackend(),
    batch,
    seed: o.seed,
    training,
    input: inputMoments(o.input),
    layers,
    timing: { passMs, statsMs },
    notes,
  };
}

async function weightStats(built: BuiltModel, layer: BuiltLayer): Promise<WeightStats[]> {
  const out: WeightStats[] = [];
  for (const w of layer.weights) {
    const s = tensorStats(await w.variable.read().data());
    out.push({
      slot: w.slot,
      name: w.name,
      shape: w.shape,
      initializer: w.ref.id,
      sampledBy: w.sampledBy,
      realized: { count: s.count, mean: s.mean, variance: s.variance, std: s.std, min: s.min, max: s.max },
      intended: intendedWeight(built.framework, layer, w),
      note: w.note,
    });
  }
  return out;
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

/**
 * After a failed tf.grads, tfjs leaves the recorded tape (and the tensors it saved for the backward pass) in
 * place; release them so a failure does not leak memory.
 */
function releaseTape(tf: TF): void {
  try {
    const state = (tf.engine() as unknown as { state: { gradientDepth: number; activeTape: { saved?: Tensor[] }[] | null } }).state;
    if (state.gradientDepth === 0 && state.activeTape) {
      for (const node of state.activeTape) for (const t of node.saved ?? []) if (!t.isDisposed) t.dispose();
      state.activeTape = null;
    }
  } catch {
    /* engine internals differ: nothing to release */
  }
}

function prod(xs: number[]): number {
  return xs.reduce((a, b) => a * b, 1);
}

type SavedState = { variable: { write(t: Tensor): unknown }; value: Tensor }[];

/** Copies of every non-trainable weight (batch-norm moving statistics). */
function saveState(built: BuiltModel): SavedState {
  const out: SavedState = [];
  for (const l of built.layers) {
    for (const t of l.tfLayers) {
      for (const v of t.nonTrainableWeights) out.push({ variable: v, value: v.read().clone() });
    }
  }
  return out;
}

function restoreState(saved: SavedState): void {
  for (const s of saved.splice(0)) {
    if (s.value.isDisposed) continue;
    s.variable.write(s.value);
    s.value.dispose();
  }
}
