/**
 * The data the preview page draws: one `RunData` per model variant (alternative initializers), made from the
 * measurements of src/rebuild (averaged over seeds) and the analytic prediction of core/propagate. Plain JSON:
 * the self-contained report embeds it as is. Pure types and helpers.
 */
import type { LayerKind } from '../../core/model';
import type { TensorStats } from '../../rebuild/stats';
import type { AlternativeId } from './alternatives';
import type { Badge } from './badges';
import type { Histogram } from './histogram';

/**
 * A layer's output statistics (src/rebuild/stats.ts) over the seeds: counts summed, moments and fractions averaged,
 * the smallest min and largest max; `std` is √(mean variance), between the smallest and largest std of one seed.
 */
export type OutputSummary = Omit<TensorStats, 'variance' | 'histogram'> & { stdMin: number; stdMax: number };

export interface GradientSummary {
  std: number;
  stdMin: number;
  stdMax: number;
  secondMoment: number;
  nanCount: number;
  infCount: number;
}

export interface PredictedSummary {
  /** √ of the predicted output variance (mean-field), when every size is known. */
  std?: number;
  /** Bounds of the std over the sizes that are unknown (equal to std when all are known). */
  stdLo: number;
  stdHi: number;
  secondMoment?: number;
  /** √ of the predicted gradient second moment w.r.t. the layer's input. */
  gradStd?: number;
  gradLo?: number;
  gradHi?: number;
  note?: string;
}

export interface WeightData {
  slot: string;
  name: string;
  shape: number[];
  initializer?: string;
  sampledBy: string;
  realized: { count: number; mean: number; std: number; min: number; max: number };
  intended?: { distribution: string; mean: number; std: number; note?: string };
  histogram?: Histogram;
  note?: string;
}

export interface LayerData {
  index: number;
  kind: LayerKind;
  op: string;
  /** User-given layer name (workspace text: always rendered as text). */
  name?: string;
  /** "layer 3 (dense 'hidden')" (workspace text). */
  label: string;
  activation?: string;
  outputShape: number[];
  weighted: boolean;
  output: OutputSummary;
  histogram?: Histogram;
  preActivation?: { std: number; secondMoment: number; histogram?: Histogram };
  gradient?: GradientSummary;
  predicted: PredictedSummary;
  weights: WeightData[];
  badges: Badge[];
}

export interface InputSummary {
  kind: 'gaussian' | 'uniform01';
  mean: number;
  std: number;
  secondMoment: number;
  /** "N(0, 1)", "U[0, 1]". */
  label: string;
}

export interface RunData {
  alternative: AlternativeId;
  modelName: string;
  framework: string;
  backend: string;
  batch: number;
  seeds: number[];
  input: InputSummary;
  /** Second moment the forward ratios and badges are relative to (the input's, or the first layer's output). */
  reference: number;
  params: number;
  layers: LayerData[];
  /** Reductions, conventions of the rebuild, caps hit: said to the user. */
  notes: string[];
  /** The first layer with NaN/Inf values, forward or backward. */
  firstNonFinite?: { layer: number; direction: 'forward' | 'backward' };
  /** Whether the model has convolutional inputs (the spatial-size control applies). */
  spatial: boolean;
  timing: { buildMs: number; passMs: number; statsMs: number; totalMs: number };
  /** Set on a quick look (a real but smaller measurement shown while the full run goes on): how it is smaller. */
  quickLook?: QuickLookInfo;
  /** Set on a full run that was preceded by a quick look. */
  afterQuickLook?: QuickLookInfo;
}

/** How a quick look differs from the full run that replaces it (src/preview/logic/run.ts). */
export interface QuickLookInfo {
  batch: number;
  fullBatch: number;
  seeds: number;
  fullSeeds: number;
  /** Recurrent layers over `used` of the model's `of` time steps. */
  timeSteps?: { used: number; of: number };
  /** Whether the quick look has the backward pass (gradients) too. */
  backward: boolean;
  /** The weight statistics and histograms come with the full run. */
  weightsDeferred: boolean;
  /** What the quick look's measurement was estimated to take (ms). */
  estimatedMs?: number;
  /** What the full run was estimated to take when the quick look was decided (ms). */
  estimatedFullMs: number;
  /** The quick look's own measurement (ms). */
  measureMs?: number;
  /** The full run from its start, quick look included (ms). */
  fullMs?: number;
}

/** "batch 16 of 128 · 1 of 2 seeds · 20 of 200 time steps · weights deferred", for the quick-look notice. */
export function quickLookDifferences(q: QuickLookInfo): string[] {
  const out: string[] = [];
  if (q.batch < q.fullBatch) out.push(`batch ${q.batch} of ${q.fullBatch}`);
  if (q.seeds < q.fullSeeds) out.push(`${q.seeds} of ${q.fullSeeds} seeds`);
  if (q.timeSteps) out.push(`recurrent layers over ${q.timeSteps.used} of ${q.timeSteps.of} time steps (the prediction too)`);
  if (!q.backward) out.push('forward pass only (gradients with the full run)');
  if (q.weightsDeferred) out.push('weight histograms deferred');
  return out;
}

export type RunFailure = { ok: false; alternative: AlternativeId; reason: string; layer?: number; need?: string };
export type RunOutcome = { ok: true; data: RunData } | RunFailure;

/** The self-contained report: everything the page draws, precomputed. */
export interface ReportData {
  generator: string;
  createdAt: string;
  file: string;
  modelName: string;
  framework: string;
  findings: { ruleId: string; severity: string; message: string; layer?: number }[];
  runs: RunOutcome[];
  controls: { batch: number; seed: number; seeds: number; spatialSize: number; input: InputSummary };
  thresholds: { vanishing: number; exploding: number };
  lsuv?: LsuvSummary;
}

export interface LsuvLayerResult {
  layer: number;
  slot: 'kernel' | 'pointwise';
  label: string;
  /** Standard deviation of the kernel before and after. */
  stdBefore: number;
  std: number;
  /** Output variance of the layer before and after rescaling. */
  varianceBefore: number;
  variance: number;
  iterations: number;
  converged: boolean;
  note?: string;
}

export interface LsuvSummary {
  tolerance: number;
  layers: LsuvLayerResult[];
  skipped: { layer: number; label: string; reason: string }[];
  notes: string[];
}
