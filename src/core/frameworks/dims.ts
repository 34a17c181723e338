/**
 * What the weight layouts and fan rules of every framework share: products of sizes that may be unknown
 * (undefined), a layer's sizes, the normalization parameters' layout, and the notes.
 */
import type { LayerNode } from '../model';
import type { Dims, WeightLayout, WeightSlot } from './types';

export function prod(xs: Dims): number | undefined {
  let p = 1;
  for (const x of xs) {
    if (x === undefined || !Number.isFinite(x)) return undefined;
    p *= x;
  }
  return p;
}

export function mul(...xs: (number | undefined)[]): number | undefined {
  return prod(xs);
}

export function exactDiv(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined || b === undefined || b === 0) return undefined;
  const r = a / b;
  return Number.isInteger(r) ? r : undefined;
}

/** Gates per recurrent cell: SimpleRNN 1, LSTM 4, GRU 3 (tfjs recurrent.ts:1030-1037, 1385-1391, 1703-1709). */
export function gatesOf(kind: string): number | undefined {
  return kind === 'simpleRNN' ? 1 : kind === 'lstm' ? 4 : kind === 'gru' ? 3 : undefined;
}

/** Input features I, output features O, the kernel size and its product K. */
export function sizesOf(layer: LayerNode): { I?: number; O?: number; ks?: number[]; K?: number } {
  const ks = layer.kernelSize;
  return { I: layer.inFeatures, O: layer.outFeatures, ks, K: ks ? prod(ks) : undefined };
}

/** Gamma / beta of a normalization layer (one per feature, in every framework); undefined for other slots. */
export function normLayout(layer: LayerNode, slot: WeightSlot): WeightLayout | string | undefined {
  if (slot !== 'gamma' && slot !== 'beta') return undefined;
  if (layer.kind !== 'batchNorm' && layer.kind !== 'layerNorm') return noSlot(layer.op, slot);
  return { shape: [layer.inFeatures ?? layer.outFeatures], note: NORM_NOTE };
}

/**
 * A recurrent layer's input and recurrent kernels: [in, G·u] and [u, G·u] channels-last (reference §1.2), gates
 * first in PyTorch's weight_ih (G·H, in) and weight_hh (G·H, H) (§3.2). Undefined for the other slots.
 */
export function recurrentKernelLayout(layer: LayerNode, slot: WeightSlot, gatesFirst: boolean): WeightLayout | undefined {
  if (slot !== 'kernel' && slot !== 'recurrent') return undefined;
  const u = layer.outFeatures;
  const Gu = mul(gatesOf(layer.kind), u);
  const fanIn = slot === 'kernel' ? layer.inFeatures : u;
  return { shape: gatesFirst ? [Gu, fanIn] : [fanIn, Gu], trueFanIn: fanIn, hiddenSize: u };
}

export const noSlot = (op: string, slot: string) => `${op} has no '${slot}' weight`;
export const needKernel = (op: string) => `kernel size of ${op} unknown`;
export const NORM_NOTE = 'normalization parameter: fixed-scale, fan irrelevant';
export const TRANSPOSE_STRIDE_NOTE = 'trueFanIn = C_in·∏k assumes stride 1; with stride s an output sees about C_in·∏k/s^d inputs';
export const EMBEDDING_NOTE =
  'embedding: a lookup table, each output is one table entry; the fan rule only matters if a fan-based initializer is used';
