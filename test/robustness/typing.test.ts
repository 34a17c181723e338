/**
 * Typing simulation (bounded for npm test; `npm run fuzz` runs the long version): every file of the corpus checked
 * at prefixes as if typed (every prefix in the fuzz run), and under seeded random token deletions, duplications and
 * swaps. No exception, no check over a generous hang budget, every finding inside the text, no non-finite number in
 * a message. The fuzz runs each file in a worker thread with a watchdog: a check that never returns fails the run
 * with the input saved to test-artifacts/fuzz/, instead of hanging it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { corpusFiles, ROOT, type TypingRun, typeAndMutate } from './shared';

/** A hang detector, not a speed test: a check of an example takes milliseconds. */
const HANG_BUDGET_MS = 2000;
/** In the fuzz, a check still running after this long is an endless loop: the worker is stopped. */
const STALL_MS = 30_000;

/** `npm run fuzz` sets INITLENS_FUZZ=1: every prefix and 2,000 mutants per file instead of ~60 and 20. */
const LONG = process.env.INITLENS_FUZZ === '1';
const MUTANTS = LONG ? 2000 : 20;

/** The long run of one file in a worker; rejects with the input saved when a check does not return. */
export function typeInWorker(name: string, text: string, mutants: number, stallMs = STALL_MS): Promise<TypingRun> {
  return new Promise((resolve, reject) => {
    // Node 20 does not apply `--import tsx` to worker threads: the worker loads the .ts file through tsx's CommonJS API.
    const tsx = createRequire(__filename).resolve('tsx/cjs/api').replace(/\?.*$/, '');
    const file = join(__dirname, 'typing-worker.ts');
    const worker = new Worker(`require(${JSON.stringify(tsx)}).require(${JSON.stringify(file)}, ${JSON.stringify(file)});`, { eval: true, workerData: { name, text, mutants } });
    let last = { input: '', what: 'startup' };
    let timer: ReturnType<typeof setTimeout>;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        void worker.terminate();
        const dir = join(ROOT, 'test-artifacts', 'fuzz');
        mkdirSync(dir, { recursive: true });
        const file = join(dir, `hang-${name.replace(/[\\/]/g, '_')}`);
        writeFileSync(file, last.input);
        reject(new Error(`${name} ${last.what}: the check did not return within ${stallMs / 1000} s; the input is in ${file}`));
      }, stallMs);
    };
    arm();
    worker.on('message', (m: { kind: 'input'; input: string; what: string } | { kind: 'done'; result: TypingRun }) => {
      if (m.kind === 'input') {
        last = m;
        arm();
      } else {
        clearTimeout(timer);
        void worker.terminate();
        resolve(m.result);
      }
    });
    worker.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

for (const { name, text } of corpusFiles()) {
  test(`${name}: prefixes as typed and ${MUTANTS} seeded mutants`, async () => {
    const run = LONG ? await typeInWorker(name, text, MUTANTS) : typeAndMutate(name, text, false, MUTANTS);
    assert.equal(run.problem, undefined);
    assert.ok(run.longest < HANG_BUDGET_MS, `longest check ${run.longest.toFixed(0)} ms`);
    if (LONG) console.log(`${name}: ${run.prefixes} prefixes, ${run.mutants} mutants, longest check ${run.longest.toFixed(1)} ms`);
  });
}

test('the fuzz watchdog stops a worker that does not answer in time and saves the input it was on', async () => {
  // 50 ms is shorter than the worker's start (loading the analyzers): the watchdog fires before the first check.
  await assert.rejects(typeInWorker('examples/watchdog-test.ts', 'const x = 1;', 1, 50), (e: Error) => {
    assert.match(e.message, /^examples\/watchdog-test\.ts startup: the check did not return within 0\.05 s; the input is in .*hang-examples_watchdog-test\.ts$/);
    return true;
  });
  // And a worker that answers in time resolves with its figures.
  const text = "import * as tf from '@tensorflow/tfjs';\n";
  const run = await typeInWorker('examples/watchdog-test.ts', text, 2);
  assert.deepEqual({ ...run, longest: 0 }, { prefixes: text.length + 1, mutants: 2, longest: 0 });
});
