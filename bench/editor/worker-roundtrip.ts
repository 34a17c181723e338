/**
 * What the check worker costs and saves, in plain Node (no VS Code): for the example model and generated 1,000-
 * and 10,000-line files, the time from asking to having the outcome through the worker (dist/check-worker.js, as
 * the extension host uses it) against the engine's time in the worker, and the longest stretch this thread was
 * blocked meanwhile (a 1 ms setInterval drift probe), against checking on this thread (which blocks it for the
 * whole check). Needs the built bundles (npm run build). A benchmark: no assertion.
 *
 *   node --import tsx bench/editor/worker-roundtrip.ts
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { generateModelFile } from '../lint-latency';
import { InThreadChecker } from '../../src/extension/checker';
import type { CheckInput } from '../../src/extension/logic/check';
import type { Engine } from '../../src/extension/services';
import { WorkerChecker } from '../../src/extension/worker-checker';

const ROOT = join(__dirname, '..', '..');
const DIST = join(ROOT, 'dist');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number, d = 2) => Number(x.toFixed(d));

export interface RoundTripRow {
  file: string;
  lines: number;
  findings: number;
  runs: number;
  /** Through the worker: ask → outcome on this thread (median ms). */
  workerTotalMs: number;
  /** The engine's time inside the worker (median ms). */
  workerEngineMs: number;
  /** workerTotalMs − workerEngineMs: messages, positions, (de)serialization, waiting for this thread. */
  overheadMs: number;
  /** The longest this thread was blocked during a check through the worker (max over runs, ms). */
  workerLongestBlockMs: number;
  /** On this thread: the whole check, this thread blocked throughout (median ms). */
  inThreadMs: number;
}

/** The longest gap between ticks of a 1 ms interval while `f` runs. */
async function longestBlock<T>(f: () => Promise<T>): Promise<{ value: T; blockMs: number }> {
  let last = performance.now();
  let longest = 0;
  const probe = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  try {
    const value = await f();
    longest = Math.max(longest, performance.now() - last);
    return { value, blockMs: longest };
  } finally {
    clearInterval(probe);
  }
}

export async function measureWorkerRoundTrip(): Promise<{ rows: RoundTripRow[]; workerStartupMs?: number }> {
  const requireDist = createRequire(join(DIST, 'extension.js'));
  const load = async () => requireDist('./engine.js') as Engine;
  const log = { info() {}, warn: (m: string) => console.warn(m), error: (m: string) => console.error(m) };
  const worker = new WorkerChecker({ workerFile: join(DIST, 'check-worker.js'), fallback: new InThreadChecker(load), log });
  const here = new InThreadChecker(load);
  const files: [string, string][] = [
    ['examples/mnist-mlp-default-init.ts', readFileSync(join(ROOT, 'examples', 'mnist-mlp-default-init.ts'), 'utf8')],
    ['generated 1,000 lines', generateModelFile(1000)],
    ['generated 10,000 lines', generateModelFile(10000)],
  ];
  const rows: RoundTripRow[] = [];
  try {
    await worker.analyzers(); // started, engine loaded
    for (const [file, text] of files) {
      const runs = text.length > 100_000 ? 7 : 25;
      // A different text each run (a trailing comment), as after an edit; no session: a full check each time.
      const inputOf = (i: number): CheckInput => ({ text: `${text}\n// ${i}`, path: '/bench/model.ts', languageId: 'typescript', options: {} });
      for (let i = 0; i < 3; i++) {
        await worker.check(inputOf(-i));
        await here.check(inputOf(-i));
      }
      const total: number[] = [];
      const engine: number[] = [];
      const blocks: number[] = [];
      let findings = 0;
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        const { value, blockMs } = await longestBlock(() => worker.check(inputOf(i)));
        total.push(performance.now() - t0);
        blocks.push(blockMs);
        if (value?.kind === 'checked') {
          engine.push(value.durationMs);
          findings = value.report.findings.length;
        }
      }
      const local: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        await here.check(inputOf(i));
        local.push(performance.now() - t0);
      }
      rows.push({
        file,
        lines: text.split('\n').length,
        findings,
        runs,
        workerTotalMs: round(median(total)),
        workerEngineMs: round(median(engine)),
        overheadMs: round(median(total) - median(engine)),
        workerLongestBlockMs: round(Math.max(...blocks)),
        inThreadMs: round(median(local)),
      });
    }
    return { rows, workerStartupMs: (await worker.info()).startupMs };
  } finally {
    worker.dispose();
  }
}

function print(r: { rows: RoundTripRow[]; workerStartupMs?: number }): void {
  console.log(`check worker round trip (plain Node; worker start-up incl. engine load ${r.workerStartupMs?.toFixed(0)} ms)`);
  console.log('file'.padEnd(38), 'lines'.padStart(6), 'worker ms'.padStart(10), 'engine ms'.padStart(10), 'overhead'.padStart(9), 'max block'.padStart(10), 'in-thread'.padStart(10));
  for (const x of r.rows) {
    console.log(
      x.file.padEnd(38),
      String(x.lines).padStart(6),
      x.workerTotalMs.toFixed(1).padStart(10),
      x.workerEngineMs.toFixed(1).padStart(10),
      x.overheadMs.toFixed(1).padStart(9),
      x.workerLongestBlockMs.toFixed(1).padStart(10),
      x.inThreadMs.toFixed(1).padStart(10),
    );
  }
}

if (require.main === module) {
  measureWorkerRoundTrip().then(print, (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}

export { print as printWorkerRoundTrip };
