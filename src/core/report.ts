/**
 * Results of a check: the per-layer signal prediction and everything reported for one file. Shared by the
 * CLI formatters, the extension and the preview.
 */
import type { Finding } from './findings';
import type { Model, Span } from './model';

/**
 * A second moment (or a variance) that may be known exactly, known within bounds, or unknown.
 * `estimate` is the mean-field prediction when every size is known; `lo`/`hi` bound every value the
 * unknown sizes allow (equal to `estimate` when nothing is unknown). `estimate` undefined and
 * `lo = 0, hi = Infinity` means nothing is known.
 */
export interface Moment {
  estimate: number | undefined;
  lo: number;
  hi: number;
}

export interface LayerPrediction {
  index: number;
  /** Second moment of the signal entering the layer (E[x²], mean-field). */
  input: Moment;
  /** Pre-activation second moment q (weighted layers, activation layers). */
  preActivation?: Moment;
  /** Second moment of the layer's output E[f(h)²]. */
  output: Moment;
  /** Variance of the output over the data (second moment minus the squared mean), used by normalization. */
  outputVariance: Moment;
  /** Mean of the output under the mean-field Gaussian (E[f(h)]); 0 after zero-mean weights. */
  outputMean?: number;
  /** Second moment of the gradient w.r.t. the layer's input, for a unit-variance gradient at the model output. */
  gradient?: Moment;
  /** Forward gain of this layer: output second moment / input second moment (estimate). */
  forwardGain?: number;
  /** Backward gain of this layer: input-gradient second moment / output-gradient second moment. */
  backwardGain?: number;
  /** c = fanIn · Var(W) as realized (weighted layers). */
  weightGain?: number;
  /** Why the prediction stops or is only bounded here. */
  note?: string;
}

export interface Prediction {
  /** Assumed input distribution: second moment and variance of each input feature. */
  input: { secondMoment: number; variance: number; mean: number };
  layers: LayerPrediction[];
  /** Index of the read-out layer (the last weighted layer), if any. */
  readout?: number;
  /** Second moment entering the read-out layer relative to the model's input. */
  readoutRatio?: Moment;
  /** Second moment of the model output relative to the model's input. */
  outputRatio?: Moment;
  /** Index of the first layer where the prediction became unknown, and why. */
  stoppedAt?: { index: number; reason: string };
}

export interface ModelReport {
  model: Model;
  prediction: Prediction;
}

export interface FileReport {
  file: string;
  /** Analyzer that handled the file ('tfjs', 'python'), or undefined if the file was skipped. */
  language?: string;
  models: ModelReport[];
  findings: Finding[];
  /** Problems that limit the analysis (syntax errors, unreadable file, caps hit): not findings. */
  problems: { message: string; span?: Span }[];
}
