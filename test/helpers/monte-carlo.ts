/**
 * Monte Carlo checks of the analytic prediction (core/propagate.ts) against real TensorFlow.js runs of rebuilt
 * models (src/rebuild), shared by test/rebuild/montecarlo.test.ts (models as data) and
 * test/analyzers/python/montecarlo.test.ts (models parsed from PyTorch source).
 *
 * Tolerance, derived per layer from the sample (not a fixed band). For layer l let M_s be the measured second
 * moment for seed s (one weight draw and one batch of B inputs, averaged over the batch and the layer's units),
 * s = 1..S, and P the prediction. The check is
 *
 *     |log(M̄ / P)| ≤ Z · se_l + bias_l + FLOAT_TOL,        M̄ = mean_s M_s,  se_l = sd_s(M_s) / (M̄ √S).
 *
 * - Z · se_l: the S seeds are independent samples, so M̄ has relative standard error se_l (delta method for the
 *   log), estimated from the sample itself: the finite-width fluctuation of a deep layer is large and grows with
 *   depth (for ReLU nets log M performs a random walk with variance ≈ 5/n per layer for one input, Hanin & Rolnick
 *   2018, arXiv:1801.03744; a batch shares the weights, and we measure sd(log M) ≈ 0.29 at layer 10 of a 256-wide
 *   ReLU MLP). Each case states S and Z: with S = 8, (log M̄ − log E M)/se is t-distributed with 7 d.o.f. and
 *   Z = 6 gives P(|t₇| > 6) ≈ 5e-4 per check; with S = 128, Z = 4.5 gives ≈ 1.5e-5. The seeds are fixed, so
 *   each run is deterministic.
 * - bias_l: the mean-field recursion is the n → ∞ limit; at width n, E[M] differs by O(1/n) per weighted layer on
 *   the path (forward: the layers up to l; backward: from l to the output), allowed as Σ 1/n_k. It is zero, and
 *   not allowed, on a forward path of dense layers and positively homogeneous activations (relu, leaky relu,
 *   linear) joined by adds: there a pre-activation h = W·x + b is symmetric whatever x (W and b are symmetric and
 *   independent of x), so E[f(h)²] = (1 + a²)/2 · E[h²] = (1 + a²)/2 · (fan_in·E[W²]·E[x²] + E[b²]) exactly at any
 *   width, which is the recursion's step. The backward pass uses the gradient-independence assumption, which is
 *   not exact at finite width: its allowance stays.
 * - FLOAT_TOL = 1e-3: a float32 mean of N = B·n squares carries a relative rounding error of order √N·ε₃₂
 *   (1.5e-5 for N = 65,536, ε₃₂ = 6e-8); the analytic moments are within 1e-9 (test/core/moments.test.ts).
 *
 * Sensitivity (the 10×256 ReLU MLP with S = 128 in test/rebuild/montecarlo.test.ts): a 2% error in E[relu(h)²]
 * compounds to ×1.02¹⁰ (log 0.198) at layer 10, where Z·se ≈ 4.5 · 0.29/√128 = 0.115, and is ×1.02 at layer 1,
 * where the allowance is ×/÷ 1.013 (se 0.0027, no bias term). Checked by scaling relu's E[f²] in core/moments.ts
 * (piecewiseLinearMoment) and reverting: ×1.02 gives measured/predicted 0.978 at layer 1 and 0.800 at layer 10
 * (allowed ×/÷ 1.013 and 1.143), ×0.98 gives 1.018 and 1.193: both fail, in the ReLU, batch-norm and residual
 * cases. With S = 8 and the former allowance Σ 1/n + 0.01, layer 10 allowed ×/÷ 2.2 and layer 1 ×/÷ 1.04.
 */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { Model } from '../../src/core/model';
import { WEIGHTED_KINDS } from '../../src/core/model';
import { buildModel } from '../../src/rebuild/build';
import { measure } from '../../src/rebuild/measure';
import type { getTf } from '../rebuild/helpers';

type Tf = Awaited<ReturnType<typeof getTf>>;

export const FLOAT_TOL = 1e-3;

export interface Series {
  forward: number[][]; // [layer][seed]
  backward: number[][];
}

export interface Sampling {
  /** Independent samples S: one weight draw and one batch each. */
  seeds: number;
  batch: number;
  /** The rebuild's weight seed for sample s (1-based); the batch uses seed s. */
  weightSeed: (s: number) => number;
  inputShape?: number[];
}

export async function monteCarlo(tf: Tf, m: Model, o: Sampling): Promise<Series> {
  const series: Series = { forward: m.layers.map(() => []), backward: m.layers.map(() => []) };
  for (let s = 1; s <= o.seeds; s++) {
    const b = buildModel(tf, m, { seed: o.weightSeed(s), inputShape: o.inputShape });
    assert.ok(b.ok, !b.ok ? b.reason : '');
    if (!b.ok) throw new Error('build failed');
    const r = await measure(tf, b, {
      batch: o.batch,
      seed: s,
      input: { kind: 'gaussian', mean: 0, std: 1 },
      backward: true,
      histogramBins: 0,
      skipWeights: true,
    });
    r.layers.forEach((l, i) => {
      series.forward[i].push(l.output.secondMoment);
      if (l.gradient) series.backward[i].push(l.gradient.secondMoment);
    });
    b.dispose();
  }
  return series;
}

/** Mean over seeds and its relative standard error. */
export function meanSe(xs: number[]): { mean: number; se: number } {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  return { mean, se: sd / (mean * Math.sqrt(n)) };
}

export interface Row {
  layer: number;
  label: string;
  measured: number;
  predicted: number;
  logRatio: number;
  tol: number;
}

const HOMOGENEOUS = new Set(['relu', 'leakyRelu', 'prelu', 'linear']);

/** Layers 0..i are dense layers, positively homogeneous activations and adds: E[M] equals the recursion exactly. */
function exactForward(m: Model, i: number): boolean {
  return m.layers.slice(0, i + 1).every((l) => {
    if (!['input', 'dense', 'activation', 'add'].includes(l.kind)) return false;
    return l.activation === undefined || l.activation.id === undefined || HOMOGENEOUS.has(l.activation.id);
  });
}

export function compare(
  m: Model,
  data: number[][],
  predicted: (number | undefined)[],
  dir: 'forward' | 'backward',
  o: { z: number; correction?: number[] },
): Row[] {
  const w = m.layers.map((l) => (WEIGHTED_KINDS.has(l.kind) ? l.outFeatures : undefined));
  const rows: Row[] = [];
  for (let i = 0; i < m.layers.length; i++) {
    const p = predicted[i];
    if (p === undefined || data[i].length === 0) continue;
    const { mean, se } = meanSe(data[i]);
    const path = dir === 'forward' ? w.slice(0, i + 1) : w.slice(i);
    const bias = dir === 'forward' && exactForward(m, i) ? 0 : path.reduce<number>((a, n) => a + (n ? 1 / n : 0), 0);
    const pred = p * (o.correction?.[i] ?? 1);
    const l = m.layers[i];
    rows.push({ layer: i, label: `${l.name ?? l.op}`, measured: mean, predicted: pred, logRatio: Math.log(mean / pred), tol: o.z * se + bias + FLOAT_TOL });
  }
  return rows;
}

export function check(t: TestContext, title: string, rows: Row[]): void {
  const f = (x: number) => x.toExponential(3);
  t.diagnostic(
    [
      title,
      ...rows.map(
        (r) =>
          `  ${String(r.layer).padStart(2)} ${r.label.padEnd(16)} measured ${f(r.measured)}  predicted ${f(r.predicted)}  ratio ${Math.exp(r.logRatio).toFixed(3)}  (tolerance ×/÷ ${Math.exp(r.tol).toFixed(3)})`,
      ),
    ].join('\n'),
  );
  assert.ok(rows.length > 0, `${title}: nothing predicted`);
  for (const r of rows) {
    assert.ok(
      Math.abs(r.logRatio) <= r.tol,
      `${title}, layer ${r.layer} (${r.label}): measured ${f(r.measured)}, predicted ${f(r.predicted)}, ratio ${Math.exp(r.logRatio).toFixed(3)} outside ×/÷ ${Math.exp(r.tol).toFixed(3)}`,
    );
  }
}
