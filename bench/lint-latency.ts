/**
 * Lint latency against the parser floor: for generated tfjs model files of ~100, 1,000 and 10,000 lines and
 * for the examples, the median time of a full check (parse + extract + propagate + rules + fixes) against the
 * median time of a bare ts.createSourceFile of the same text; and the re-check after a one-character edit of a
 * 1,000-line file, as the editor makes it (a check session). A benchmark, not a test: it asserts nothing.
 *
 *   node --import tsx bench/lint-latency.ts      (npm run bench runs it with the other parts)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ts } from 'ts-morph';
import { checkText, createCheckSession } from '../src/engine/check';
import { mulberry32 as rng } from '../test/helpers/rng';

import { keystrokeEdits, latency, median, quantile, time } from './stats';

/** A realistic tfjs file: several models of dense/conv/bn/dropout layers with mixed initializers, plus plain code. */
export function generateModelFile(targetLines: number): string {
  const out = ["import * as tf from '@tensorflow/tfjs';", ''];
  const inits = ["'heUniform'", "'glorotUniform'", 'tf.initializers.heNormal({seed: 1})', "tf.initializers.randomNormal({stddev: 0.02})"];
  let m = 0;
  while (out.length < targetLines) {
    out.push(`export function buildModel${m}(inputSize: number = 784) {`, '  const model = tf.sequential();');
    out.push(`  model.add(tf.layers.dense({units: 256, inputShape: [784], activation: 'relu'}));`);
    for (let l = 0; l < 12; l++) {
      const init = inits[(m + l) % inits.length];
      out.push(`  model.add(tf.layers.dense({`, `    units: ${128 + 32 * (l % 4)},`, `    activation: '${l % 3 === 0 ? 'tanh' : 'relu'}',`, `    kernelInitializer: ${init},`, '  }));');
      if (l % 4 === 3) out.push('  model.add(tf.layers.batchNormalization());');
      if (l % 5 === 4) out.push('  model.add(tf.layers.dropout({rate: 0.1}));');
    }
    out.push("  model.add(tf.layers.dense({units: 10, activation: 'softmax'}));", '  return model;', '}', '');
    out.push(`export function helper${m}(xs: number[]): number {`, '  let s = 0;', '  for (const x of xs) s += x * x;', '  return Math.sqrt(s / xs.length);', '}', '');
    m++;
  }
  return out.join('\n');
}

function bench(name: string, text: string, runs: number) {
  // Warm up both paths (JIT) before timing.
  for (let i = 0; i < 3; i++) {
    ts.createSourceFile('b.ts', text, ts.ScriptTarget.Latest, true);
    checkText(text, 'b.ts');
  }
  // The floor: TypeScript's parse alone, as the bare call (no parent pointers) and as the analyzer needs it.
  const parse = time(() => ts.createSourceFile('b.ts', text, ts.ScriptTarget.Latest), runs);
  const parseWithParents = time(() => ts.createSourceFile('b.ts', text, ts.ScriptTarget.Latest, true), runs);
  const check = time(() => checkText(text, 'b.ts'), runs);
  const report = checkText(text, 'b.ts');
  return {
    name,
    lines: text.split('\n').length,
    models: report.models.length,
    layers: report.models.reduce((a, m) => a + m.model.layers.length, 0),
    findings: report.findings.length,
    parseMs: parse,
    parseWithParentsMs: parseWithParents,
    checkMs: check,
    ratio: check / parse,
  };
}


/**
 * Re-check after a one-character edit, as the editor does on each keystroke: at seeded random places of a
 * 1,000-line file, a character is typed (a digit, a letter, or Enter) and the next edit deletes it again. Each
 * edited text is checked by a session (incremental parse, unchanged models reused) and, every few edits, by a
 * full check of the same text for comparison.
 */
export function recheckLatency(lines = 1000, edits = 400): { lines: number; edits: number; session: { medianMs: number; p95Ms: number; maxMs: number }; full: { medianMs: number; p95Ms: number } } {
  const text = generateModelFile(lines);
  const random = rng(7);
  const session = createCheckSession();
  session.check(text, 'edit.ts');
  for (let i = 0; i < 5; i++) checkText(text, 'edit.ts');
  const sessionMs: number[] = [];
  const fullMs: number[] = [];
  let i = 0;
  for (const current of keystrokeEdits(text, edits, random)) {
    const t0 = performance.now();
    session.check(current, 'edit.ts');
    sessionMs.push(performance.now() - t0);
    if (i++ % 8 === 0) {
      const t1 = performance.now();
      checkText(current, 'edit.ts');
      fullMs.push(performance.now() - t1);
    }
  }
  return {
    lines: text.split('\n').length,
    edits,
    session: latency(sessionMs),
    full: { medianMs: median(fullMs), p95Ms: quantile(fullMs, 0.95) },
  };
}

export interface LintLatency {
  rows: ReturnType<typeof bench>[];
  recheck: ReturnType<typeof recheckLatency>;
}

/** Everything this file measures, in one run. */
export function runLintLatency(): LintLatency {
  const rows = [];
  for (const n of [100, 1000, 10000]) rows.push(bench(`generated ${n} lines`, generateModelFile(n), n >= 10000 ? 9 : 31));
  const dir = join(__dirname, '..', 'examples');
  for (const f of readdirSync(dir).filter((f) => /\.(ts|js)$/.test(f)).sort()) {
    rows.push(bench(`examples/${f}`, readFileSync(join(dir, f), 'utf8'), 31));
  }
  return { rows, recheck: recheckLatency() };
}

export function printLintLatency({ rows, recheck }: LintLatency): void {
  console.log('TypeScript lint latency vs the parser floor (median ms; ratio = check / bare parse)');
  console.log('file'.padEnd(40), 'lines'.padStart(6), 'layers'.padStart(7), 'parse'.padStart(7), '+parents'.padStart(9), 'check'.padStart(8), 'ratio'.padStart(6));
  for (const r of rows) {
    console.log(
      r.name.padEnd(40),
      String(r.lines).padStart(6),
      String(r.layers).padStart(7),
      r.parseMs.toFixed(2).padStart(7),
      r.parseWithParentsMs.toFixed(2).padStart(9),
      r.checkMs.toFixed(2).padStart(8),
      r.ratio.toFixed(2).padStart(6),
    );
  }
  const { session, full } = recheck;
  console.log(
    `re-check after a one-character edit (${recheck.lines} lines, ${recheck.edits} edits): session median ${session.medianMs.toFixed(2)} ms, p95 ${session.p95Ms.toFixed(2)} ms, max ${session.maxMs.toFixed(1)} ms; full check median ${full.medianMs.toFixed(2)} ms, p95 ${full.p95Ms.toFixed(2)} ms`,
  );
}

if (require.main === module) printLintLatency(runLintLatency());
