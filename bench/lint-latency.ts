/**
 * Lint latency against the parser floor: for generated tfjs model files of ~100, 1,000 and 10,000 lines and
 * for the examples, the median time of a full check (parse + extract + propagate + rules + fixes) against the
 * median time of a bare ts.createSourceFile of the same text. A benchmark, not a test: it asserts nothing and
 * writes bench/results.json.
 *
 *   npm run bench
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ts } from 'ts-morph';
import { checkText } from '../src/engine/check';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => void, runs: number): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

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
  const parse = time(() => ts.createSourceFile('b.ts', text, ts.ScriptTarget.Latest, true), runs);
  const check = time(() => checkText(text, 'b.ts'), runs);
  const report = checkText(text, 'b.ts');
  return {
    name,
    lines: text.split('\n').length,
    models: report.models.length,
    layers: report.models.reduce((a, m) => a + m.model.layers.length, 0),
    findings: report.findings.length,
    parseMs: parse,
    checkMs: check,
    ratio: check / parse,
  };
}

function main(): void {
  const rows = [];
  for (const n of [100, 1000, 10000]) rows.push(bench(`generated ${n} lines`, generateModelFile(n), n >= 10000 ? 9 : 31));
  const dir = join(__dirname, '..', 'examples');
  for (const f of readdirSync(dir).filter((f) => /\.(ts|js)$/.test(f)).sort()) {
    rows.push(bench(`examples/${f}`, readFileSync(join(dir, f), 'utf8'), 31));
  }
  const machine = { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version, date: new Date().toISOString() };
  console.log(`lint latency vs the parser floor (median; ${machine.cpu}, ${machine.cores} cores, node ${machine.node})`);
  console.log('file'.padEnd(40), 'lines'.padStart(6), 'layers'.padStart(7), 'parse ms'.padStart(9), 'check ms'.padStart(9), 'ratio'.padStart(6));
  for (const r of rows) {
    console.log(
      r.name.padEnd(40),
      String(r.lines).padStart(6),
      String(r.layers).padStart(7),
      r.parseMs.toFixed(2).padStart(9),
      r.checkMs.toFixed(2).padStart(9),
      r.ratio.toFixed(2).padStart(6),
    );
  }
  writeFileSync(join(__dirname, 'results.json'), JSON.stringify({ machine, lintLatency: rows }, null, 2) + '\n');
}

if (require.main === module) main();
