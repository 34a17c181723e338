/**
 * PyTorch initializers: the torch.nn.init functions (torch/nn/init.py, reference §3.3) with their positional
 * order after the tensor and their keywords; `aliases` are the deprecated spellings without the trailing
 * underscore. The `default_*` rows are the modules' reset_parameters (§3.4): never written, so no call.
 */
import type { SpecRow } from '../types';

const GEN = { generator: 'ignore' } as const;

/** `name_` with its deprecated spelling `name` as alias. */
function fn(row: Omit<SpecRow, 'aliases'>): SpecRow {
  return { ...row, aliases: [row.id.slice(0, -1)], positional: row.positional ?? [], keywords: row.keywords ?? {} };
}

/** `<family>_uniform_` and `<family>_normal_`, which differ only in the distribution sampled. */
function uniformAndNormal(family: string, row: Omit<SpecRow, 'id' | 'distribution'>): SpecRow[] {
  return (['uniform', 'normal'] as const).map((distribution) => fn({ ...row, id: `${family}_${distribution}_`, distribution }));
}

export const PYTORCH_INITIALIZERS: SpecRow[] = [
  fn({ id: 'uniform_', kind: 'uniform', defaults: { minval: 0, maxval: 1 }, positional: ['minval', 'maxval'], keywords: { a: 'minval', b: 'maxval', ...GEN } }),
  fn({ id: 'normal_', kind: 'normal', defaults: { mean: 0, stddev: 1 }, positional: ['mean', 'stddev'], keywords: { mean: 'mean', std: 'stddev', ...GEN } }),
  fn({
    id: 'trunc_normal_',
    kind: 'truncatedNormal',
    defaults: { mean: 0, stddev: 1, lower: -2, upper: 2 },
    positional: ['mean', 'stddev', 'lower', 'upper'],
    keywords: { mean: 'mean', std: 'stddev', a: 'lower', b: 'upper', ...GEN },
  }),
  fn({ id: 'constant_', kind: 'constant', defaults: {}, positional: ['value'], keywords: { val: 'value' } }),
  fn({ id: 'zeros_', kind: 'constant', defaults: { value: 0 }, preset: true }),
  fn({ id: 'ones_', kind: 'constant', defaults: { value: 1 }, preset: true }),
  ...uniformAndNormal('kaiming', {
    kind: 'torchKaiming',
    defaults: { negativeSlope: 0, mode: 'fanIn', nonlinearity: 'leaky_relu' },
    positional: ['negativeSlope', 'mode', 'nonlinearity'],
    keywords: { a: 'negativeSlope', mode: 'mode', nonlinearity: 'nonlinearity', ...GEN },
  }),
  ...uniformAndNormal('xavier', { kind: 'torchXavier', defaults: { gain: 1 }, positional: ['gain'], keywords: { gain: 'gain', ...GEN } }),
  fn({ id: 'orthogonal_', kind: 'orthogonal', defaults: { gain: 1 }, positional: ['gain'], keywords: { gain: 'gain', ...GEN } }),
  fn({ id: 'eye_', kind: 'identity', defaults: { gain: 1 } }),
  // nn.Linear / nn.ConvNd: kaiming_uniform_(w, a=√5) = U(±1/√fan_in) (linear.py / conv.py reset_parameters).
  { id: 'default_linear', kind: 'torchDefaultLinear', defaults: {}, moduleDefault: true, describedAs: "PyTorch's default U(±1/√fan_in)" },
  // nn.RNN/LSTM/GRU: every parameter U(±1/√hidden_size) (rnn.py RNNBase.reset_parameters).
  { id: 'default_rnn', kind: 'torchDefaultRnn', defaults: {}, moduleDefault: true, describedAs: "PyTorch's default U(±1/√hidden)" },
  // nn.Embedding: normal_(w) = N(0, 1) (sparse.py Embedding.reset_parameters).
  { id: 'default_embedding', kind: 'normal', defaults: { mean: 0, stddev: 1 }, moduleDefault: true },
];
