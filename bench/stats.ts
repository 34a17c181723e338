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

export interface Latency {
  medianMs: number;
  p95Ms: number;
  maxMs: number;
}

/** Median, 95th percentile and maximum of timing samples, ms. */
export function latency(xs: number[]): Latency {
  return { medianMs: median(xs), p95Ms: quantile(xs, 0.95), maxMs: Math.max(...xs) };
}

/**
 * One-character edits as a user makes them, for the re-check benchmarks: at seeded random places a character is
 * typed (a digit, a letter or Enter) and the next edit deletes it again. Yields each edited text.
 */
export function* keystrokeEdits(text: string, edits: number, random: () => number): Generator<string> {
  let current = text;
  let typedAt = -1;
  for (let i = 0; i < edits; i++) {
    if (typedAt >= 0) {
      current = current.slice(0, typedAt) + current.slice(typedAt + 1);
      typedAt = -1;
    } else {
      typedAt = Math.floor(random() * current.length);
      current = current.slice(0, typedAt) + '7a\n'[Math.floor(random() * 3)] + current.slice(typedAt);
    }
    yield current;
  }
}
