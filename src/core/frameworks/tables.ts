/**
 * Small builders that turn a framework's declarations (src/core/frameworks/<fw>/) into the registry's tables,
 * so that each framework states only what differs: its initializer rows, the default of each family of layers,
 * its activation spellings.
 */
import type { Framework, InitializerArgs, LayerKind } from '../model';
import type { InitializerSpec, SlotTable, SpecRow } from './types';

/** Snake-case activation spellings that Keras and PyTorch share, with their default parameters (§2.4, §3.4). */
export const SNAKE_CASE_ACTIVATIONS: Record<string, [string] | [string, number]> = {
  elu: ['elu', 1],
  celu: ['celu', 1],
  log_softmax: ['logSoftmax'],
};

export function vs(scale: number, mode: InitializerArgs['mode'], distribution: InitializerArgs['distribution']): InitializerArgs {
  return { scale, mode, distribution };
}

/** A framework's initializer specs from its rows; `writtenAs` is how a fix writes each one. */
export function initializerTable(framework: Framework, rows: SpecRow[], writtenAs: (row: SpecRow) => string): InitializerSpec[] {
  return rows.map((r) => ({ ...r, framework, aliases: r.aliases ?? [], positional: r.positional ?? [], writtenAs: writtenAs(r) }));
}

/** The default initializers of each family of layers; a family left out has no such layer in the framework. */
export interface LayerDefaultsDecl {
  /** Dense, conv, transposed conv and depthwise conv: kernel and bias. */
  linear: { kernel: string; bias: string };
  /** Separable conv: the depthwise and pointwise kernels, and the bias. */
  separable?: { kernel: string; bias: string };
  recurrent: { kernel: string; recurrent: string; bias: string };
  embeddings: string;
  norm: { gamma: string; beta: string };
}

export function layerDefaults(d: LayerDefaultsDecl): Partial<Record<LayerKind, SlotTable>> {
  const linear: SlotTable = { kernel: d.linear.kernel, bias: d.linear.bias };
  const rnn: SlotTable = { ...d.recurrent };
  const norm: SlotTable = { ...d.norm };
  const table: Partial<Record<LayerKind, SlotTable>> = {
    dense: linear,
    conv: linear,
    convTranspose: linear,
    depthwiseConv: linear,
    simpleRNN: rnn,
    gru: rnn,
    lstm: rnn,
    embedding: { embeddings: d.embeddings },
    batchNorm: norm,
    layerNorm: norm,
  };
  if (d.separable) table.separableConv = { kernel: d.separable.kernel, pointwise: d.separable.kernel, bias: d.separable.bias };
  return table;
}

/**
 * Activation spellings: `same` lists the names that are the canonical id itself (space-separated), `other` the
 * spellings of another id, as `[id]` or `[id, default parameter]`.
 */
export function activationNames(
  same: string,
  other: Record<string, [string] | [string, number]>,
): Record<string, { id: string; alpha?: number }> {
  const out: Record<string, { id: string; alpha?: number }> = {};
  for (const n of same.split(/\s+/).filter(Boolean)) out[n] = { id: n };
  for (const [n, [id, alpha]] of Object.entries(other)) out[n] = alpha === undefined ? { id } : { id, alpha };
  return out;
}
