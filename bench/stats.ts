/** Order statistics and timing shared by the benchmarks. */

/** The p-quantile of samples (nearest rank: the smallest sample with at least p of them at or below it). */
export function quantile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))];
}

export function median(xs: number[]): number {
  return quantile(xs, 0.5);
}

/** Median wall time of `runs` calls of fn, ms. */
export function time(fn: () => void, runs: number): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return median(samples);
}
