/**
 * Python lint latency against the parser floor: for files made of the examples/python models (~100, 1,000, 2,000
 * and 10,000 lines, classes renamed per copy) and for each example, the median time of the bare @lezer/python
 * parse, of the analysis (parse + interpretation + model descriptions) and of the full check (analysis +
 * propagation + rules + fixes + suppressions), with ratio = check / parse. Every timed call parses afresh.
 *
 * Then the re-check after a one-character edit in a 1,000-line file, as the editor makes it: at seeded random
 * places a character is typed and the next edit deletes it again; each text is analyzed by a Python session
 * (createPythonSession: incremental parse) and in full (analyzePython), and checked by the engine in full
 * (checkText) and by a check session (createCheckSession), median and p95.
 *
 * A benchmark, not a test: it asserts nothing. The machine is shared: compare ratios within one run.
 *
 *   node --import tsx bench/python-latency.ts          (prints the table; `--json` prints the data)
 *   import { runPythonLatency } from './python-latency' (returns the data; writes nothing)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parser } from '@lezer/python';
import { analyzePython, createPythonSession } from '../src/analyzers/python';
import { checkText, createCheckSession } from '../src/engine/check';
import { mulberry32 as rng } from '../test/helpers/rng';
import { keystrokeEdits, latency, median, type Latency } from './stats';

const EXAMPLES = join(__dirname, '..', 'examples', 'python');
const MIX = ['mlp.py', 'cnn_batchnorm.py', 'resnet_block.py', 'lstm_tagger.py', 'keras_selu.py'];

/**
 * A Python file of about `targetLines` lines: the MLP, CNN, ResNet block, LSTM tagger and Keras SELU examples
 * in turn, each copy's classes renamed (`class MLP_3`).
 */
export function generatePythonModelFile(targetLines: number): string {
  const files = MIX.map((f) => readFileSync(join(EXAMPLES, f), 'utf8'));
  let text = '';
  let lines = 0;
  for (let k = 0; lines < targetLines; k++) {
    const part = files[k % files.length].replace(/class (\w+)/g, `class $1_${k}`) + '\n';
    text += part;
    lines += part.split('\n').length - 1;
  }
  return text;
}


/** The three measured paths interleaved run by run, so that load on the shared machine hits them alike. */
function timeAll(fns: (() => void)[], runs: number): number[] {
  const samples = fns.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) {
    fns.forEach((fn, k) => {
      const t0 = performance.now();
      fn();
      samples[k].push(performance.now() - t0);
    });
  }
  return samples.map(median);
}

export interface PythonLatencyRow {
  name: string;
  lines: number;
  models: number;
  layers: number;
  findings: number;
  /** Bare @lezer/python parse, median ms. */
  parseMs: number;
  /** analyzePython (parse included), median ms. */
  analysisMs: number;
  /** checkText (parse included), median ms. */
  checkMs: number;
  /** checkMs / parseMs. */
  ratio: number;
}

function row(name: string, text: string, runs: number): PythonLatencyRow {
  const file = 'bench.py';
  for (let i = 0; i < 3; i++) {
    parser.parse(text);
    checkText(text, file);
  }
  const [parseMs, analysisMs, checkMs] = timeAll([() => parser.parse(text), () => analyzePython(text, file), () => checkText(text, file)], runs);
  const report = checkText(text, file);
  return {
    name,
    lines: text.split('\n').length,
    models: report.models.length,
    layers: report.models.reduce((a, m) => a + m.model.layers.length, 0),
    findings: report.findings.length,
    parseMs,
    analysisMs,
    checkMs,
    ratio: checkMs / parseMs,
  };
}



export interface PythonRecheck {
  lines: number;
  edits: number;
  /** analyzePython of each edited text (a full parse). */
  analysisFull: Latency;
  /** createPythonSession().analyze of each edited text (an incremental parse). */
  analysisSession: Latency;
  /** checkText of each edited text. */
  checkFull: Latency;
  /** createCheckSession().check of each edited text (what the editor runs: incremental parse, models reused). */
  checkSession: Latency;
}

/**
 * Re-check after a one-character edit, as the editor does on each keystroke: at seeded random places of a
 * 1,000-line file a character is typed (a digit, a letter or Enter) and the next edit deletes it again.
 */
export function pythonRecheckLatency(lines = 1000, edits = 200): PythonRecheck {
  const text = generatePythonModelFile(lines);
  const file = 'edit.py';
  const random = rng(7);
  {
    const analysisSession = createPythonSession();
    const checkSession = createCheckSession();
    for (let i = 0; i < 3; i++) {
      analyzePython(text, file);
      analysisSession.analyze(text, file);
      checkText(text, file);
      checkSession.check(text, file);
    }
    const samples = { analysisFull: [] as number[], analysisSession: [] as number[], checkFull: [] as number[], checkSession: [] as number[] };
    const timed = (xs: number[], fn: () => void) => {
      const t0 = performance.now();
      fn();
      xs.push(performance.now() - t0);
    };
    for (const t of keystrokeEdits(text, edits, random)) {
      timed(samples.analysisSession, () => analysisSession.analyze(t, file));
      timed(samples.checkSession, () => checkSession.check(t, file));
      timed(samples.analysisFull, () => analyzePython(t, file));
      timed(samples.checkFull, () => checkText(t, file));
    }
    return {
      lines: text.split('\n').length,
      edits,
      analysisFull: latency(samples.analysisFull),
      analysisSession: latency(samples.analysisSession),
      checkFull: latency(samples.checkFull),
      checkSession: latency(samples.checkSession),
    };
  }
}

export interface PythonLatency {
  rows: PythonLatencyRow[];
  recheck: PythonRecheck;
}

/** Everything this file measures, in one run (a few tens of seconds). Returns the data; writes nothing. */
export function runPythonLatency(): PythonLatency {
  const rows: PythonLatencyRow[] = [];
  for (const n of [100, 1000, 2000, 10000]) rows.push(row(`generated ${n} lines`, generatePythonModelFile(n), n >= 10000 ? 9 : 31));
  for (const f of readdirSync(EXAMPLES).filter((f) => f.endsWith('.py')).sort()) {
    rows.push(row(`examples/python/${f}`, readFileSync(join(EXAMPLES, f), 'utf8'), 31));
  }
  return { rows, recheck: pythonRecheckLatency() };
}

export function printPythonLatency({ rows, recheck }: PythonLatency): void {
  console.log('Python lint latency vs the parser floor (median ms; ratio = check / bare @lezer/python parse)');
  console.log('file'.padEnd(36), 'lines'.padStart(6), 'layers'.padStart(7), 'parse'.padStart(7), 'analysis'.padStart(9), 'check'.padStart(8), 'ratio'.padStart(6));
  for (const r of rows) {
    console.log(
      r.name.padEnd(36),
      String(r.lines).padStart(6),
      String(r.layers).padStart(7),
      r.parseMs.toFixed(2).padStart(7),
      r.analysisMs.toFixed(2).padStart(9),
      r.checkMs.toFixed(2).padStart(8),
      r.ratio.toFixed(2).padStart(6),
    );
  }
  const f = (l: Latency) => `median ${l.medianMs.toFixed(2)} ms, p95 ${l.p95Ms.toFixed(2)} ms`;
  console.log(`re-check after a one-character edit (${recheck.lines} lines, ${recheck.edits} edits):`);
  console.log(`  analysis  full ${f(recheck.analysisFull)} · session (incremental parse) ${f(recheck.analysisSession)}`);
  console.log(
    `  check     full ${f(recheck.checkFull)} · session ${f(recheck.checkSession)}`,
  );
}

if (require.main === module) {
  const data = runPythonLatency();
  if (process.argv.includes('--json')) console.log(JSON.stringify(data, null, 2));
  else printPythonLatency(data);
}
