/**
 * `initlens check --jobs N`: files checked in N worker threads give exactly the output of one thread (stdout,
 * stderr, exit status), problems with one file are still reported, and the pool itself keeps input order, blames
 * only the file a dying worker was checking, and falls back to this thread when no worker starts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { CheckPool, type FileOutcome } from '../../src/cli/workers';
import { assertCleanStderr, CLEAN_TFJS, cli, ERROR_TFJS, EXAMPLES, REPO, tree, WARNING_TFJS } from './helpers';

/**
 * The same run with each of `jobs`: every result must equal the first. (From the TypeScript source a worker takes
 * a second or two to load the engine through tsx, so the lists are short; the bundle's workers load in ~0.4 s.)
 */
async function sameWhateverJobs(argv: string[], cwd: string, jobs: string[][] = [['-j1'], ['-j2']]) {
  const runs = [];
  for (const j of jobs) runs.push({ j: j.join(' '), ...(await cli([...argv, ...j], cwd)) });
  for (const r of runs.slice(1)) {
    assert.equal(r.stdout, runs[0].stdout, `stdout of ${r.j} differs from ${runs[0].j}`);
    assert.equal(r.stderr, runs[0].stderr, `stderr of ${r.j} differs from ${runs[0].j}`);
    assert.equal(r.code, runs[0].code, `exit status of ${r.j} differs from ${runs[0].j}`);
  }
  return runs[0];
}

const PYTHON_MODEL = `import torch
from torch import nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 256)
        self.fc2 = nn.Linear(256, 10)
        nn.init.xavier_uniform_(self.fc1.weight)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))
`;

/** A folder of ~60 files: models of every kind, unrelated code, and files that cannot be checked. */
function mixedFolder(): string {
  const files: Record<string, string | Buffer> = {
    '.gitignore': 'build/\n',
    'build/ignored.ts': ERROR_TFJS,
    'broken/syntax.ts': `${CLEAN_TFJS}\nexport const oops = {{{ ;\n`,
    'broken/latin1.ts': Buffer.from('// caf\xe9\nexport const x = 1;\n', 'latin1'),
    'broken/binary.js': Buffer.from([0x63, 0x6f, 0x6e, 0x00, 0x73, 0x74]),
  };
  const variants = [CLEAN_TFJS, ERROR_TFJS, WARNING_TFJS];
  for (let i = 0; i < 45; i++) {
    const dir = ['models', 'src/nested/deeper', 'lib', 'models/more', 'lib/x'][i % 5];
    files[`${dir}/m${String(i).padStart(2, '0')}.${i % 4 === 0 ? 'js' : 'ts'}`] = variants[i % 3].replace('export const model', `export const model${i}`);
  }
  for (let i = 0; i < 10; i++) files[`src/util${i}.ts`] = `export function add${i}(a: number, b: number): number {\n  return a + b + ${i};\n}\n`;
  for (let i = 0; i < 4; i++) files[`ml/net${i}.py`] = PYTHON_MODEL;
  return tree(files);
}

describe('--jobs N gives the output of one thread', () => {
  for (const format of ['text', 'json', 'sarif']) {
    test(`examples/, --format ${format}`, async () => {
      const r = await sameWhateverJobs(['check', 'examples', '--format', format], REPO, format === 'text' ? [['-j1'], ['-j2'], ['--jobs', '3']] : undefined);
      assert.equal(r.code, 1, r.stderr); // examples/symmetric-zeros.ts has an error-severity finding
      assert.equal(r.stderr, '');
      assert.ok(r.stdout.length > 1000);
    });
  }

  test('a generated folder with files that cannot be read or parsed: each still reported, the rest checked', async () => {
    const root = mixedFolder();
    const r = await sameWhateverJobs(['check', '.', 'no/such/file.ts', '--format', 'json'], root, [['-j1'], ['-j', '3'], ['--jobs', 'auto']]);
    assert.equal(r.code, 2);
    assertCleanStderr(r.stderr);
    assert.match(r.stderr, /^initlens: no\/such\/file\.ts: no such file or folder$/m);
    assert.match(r.stderr, /^initlens: broken\/latin1\.ts: skipped: not valid UTF-8/m);
    assert.match(r.stderr, /^initlens: broken\/binary\.js: skipped: binary file/m);
    const report = JSON.parse(r.stdout) as { file: string; problems?: { message: string }[]; models?: unknown[] }[];
    assert.equal(report.length, 45 + 10 + 4 + 3 + 1, 'every file and the missing path, nothing from build/');
    const syntax = report.find((f) => f.file === 'broken/syntax.ts');
    assert.ok(syntax?.problems && syntax.problems.length > 0, 'the syntax error is reported with the file');
    assert.ok(report.filter((f) => f.file.endsWith('.py')).every((f) => (f.models ?? []).length === 1), 'the Python models are found');
  });

  test('--rule, --quiet and --max-warnings reach the workers', async () => {
    const root = mixedFolder();
    const off = await sameWhateverJobs(['check', '--rule', 'symmetric-init=off', '--format', 'json', 'models', 'lib', 'src'], root, [['-j1'], ['-j2']]);
    assert.equal(off.code, 0, off.stderr);
    assert.doesNotMatch(off.stdout, /symmetric-init/);
    const quiet = await sameWhateverJobs(['check', '--quiet', '--max-warnings', '0', 'models'], root, [['-j1'], ['-j2']]);
    assert.equal(quiet.code, 1);
    assert.doesNotMatch(quiet.stdout, /\bwarning\b/);
  });

  test('one file, or none, with -j 4', async () => {
    const one = await sameWhateverJobs(['check', 'examples/symmetric-zeros.ts'], REPO, [['-j1'], ['-j', '4']]);
    assert.match(one.stdout, /symmetric-init/);
    const none = await sameWhateverJobs(['check', '.'], tree({ 'README.md': '# nothing to check\n' }), [['-j1'], ['-j', '4']]);
    assert.equal(none.code, 0);
  });
});

describe('bad values of --jobs', () => {
  for (const argv of [['-j', '0'], ['-j0'], ['--jobs', 'x'], ['--jobs=-1'], ['-j', '2.5'], ['-j', '999'], ['--jobs']]) {
    test(JSON.stringify(argv), async () => {
      const r = await cli(['check', EXAMPLES, ...argv], REPO);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr.split('\n').length, 2, `one line: ${r.stderr}`);
      assert.match(r.stderr, /^initlens: (-j|--jobs) needs a number of threads from 1 to 256, or auto \(got '.*'\)\n$|^initlens: option --jobs needs a value/);
    });
  }

  test('--help lists the option', async () => {
    const r = await cli(['--help'], REPO);
    assert.match(r.stdout, /\n {2}-j, --jobs <n\|auto> +check the files in n worker threads/);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The pool on its own, with stand-in workers (plain JavaScript, no engine) that speak its messages.

/**
 * A stand-in worker: ready at once; for a job named `sleep:<ms>` busy-waits that long (a worker handles its
 * messages one at a time, as the real one does); `exit` ends the thread; `throw` throws out of the handler.
 */
const FAKE_WORKER = `
const { parentPort } = require('node:worker_threads');
const cell = new Int32Array(new SharedArrayBuffer(4));
parentPort.postMessage({ type: 'ready' });
parentPort.on('message', ({ id, job }) => {
  const [what, arg] = job.shown.split(':');
  if (what === 'exit') process.exit(3);
  if (what === 'throw') throw new Error('boom');
  if (what === 'sleep') Atomics.wait(cell, 0, 0, Number(arg));
  parentPort.postMessage({ type: 'done', id, outcome: { kind: 'unread', message: 'fake ' + job.shown, fatal: false } });
});
`;
const fake = () => new Worker(FAKE_WORKER, { eval: true });

async function runPool(names: string[], size: number, spawn: () => Worker) {
  const pool = new CheckPool(size, {}, spawn);
  const seen: [number, FileOutcome][] = [];
  const fallbacks: string[] = [];
  try {
    await pool.run(
      names.map((n) => ({ abs: `/nowhere/${n}`, shown: n })),
      { result: (i, o) => seen.push([i, o]), fallback: (m) => fallbacks.push(m) },
    );
  } finally {
    await pool.close();
  }
  return { seen, fallbacks };
}

describe('CheckPool', () => {
  test('results come in input order however the workers finish', async () => {
    const names = Array.from({ length: 24 }, (_, i) => `sleep:${(i * 7) % 5 === 0 ? 30 : (i * 3) % 4}`);
    const { seen, fallbacks } = await runPool(names, 3, fake);
    assert.deepEqual(
      seen.map(([i]) => i),
      names.map((_, i) => i),
    );
    assert.deepEqual(
      seen.map(([, o]) => (o.kind === 'unread' ? o.message : o.kind)),
      names.map((n) => `fake ${n}`),
    );
    assert.deepEqual(fallbacks, []);
  });

  for (const how of ['exit', 'throw']) {
    test(`a worker that dies (${how}) fails only the file it was checking; the queued ones go to the other workers`, async () => {
      const names = ['sleep:1', 'sleep:1', how, 'sleep:20', 'a', 'b', 'c', 'd', 'e', 'f'];
      const { seen } = await runPool(names, 2, fake);
      assert.deepEqual(
        seen.map(([i]) => i),
        names.map((_, i) => i),
      );
      const failed = seen.filter(([, o]) => o.kind === 'failed');
      assert.equal(failed.length, 1);
      assert.equal(failed[0][0], 2);
      assert.match((failed[0][1] as { message: string }).message, how === 'exit' ? /worker thread .* stopped: .*code 3/ : /stopped: boom/);
    });
  }

  test('every worker dying: the files left are checked in this thread', async () => {
    // One worker: it is sent 'exit' and 'x.ts', dies on the first; 'x.ts' and 'y.ts' are then checked here.
    const names = ['exit', 'x.ts', 'y.ts'];
    const { seen, fallbacks } = await runPool(names, 1, fake);
    assert.deepEqual(
      seen.map(([i, o]) => [i, o.kind]),
      [
        [0, 'failed'],
        [1, 'unread'],
        [2, 'unread'],
      ],
    );
    // Checked here, for real (the stand-in would have said 'fake x.ts'): /nowhere/x.ts does not exist.
    assert.match((seen[1][1] as { message: string }).message, /no such file/);
    assert.deepEqual(fallbacks, [], 'the workers had started: no fallback notice');
  });

  test('no worker starts: one notice, and every file is checked in this thread', async () => {
    const root = tree({ 'a.ts': CLEAN_TFJS, 'b.ts': ERROR_TFJS });
    const broken = () => new Worker("throw new Error('cannot load the engine')", { eval: true });
    const pool = new CheckPool(2, {}, broken);
    const seen: FileOutcome[] = [];
    const fallbacks: string[] = [];
    try {
      await pool.run(
        ['a.ts', 'b.ts'].map((n) => ({ abs: `${root}/${n}`, shown: n })),
        { result: (_, o) => seen.push(o), fallback: (m) => fallbacks.push(m) },
      );
    } finally {
      await pool.close();
    }
    assert.deepEqual(fallbacks, ['cannot start worker threads (cannot load the engine); checking in one thread']);
    assert.deepEqual(
      seen.map((o) => o.kind),
      ['checked', 'checked'],
    );
    assert.ok(seen[1].kind === 'checked' && seen[1].report.findings.some((f) => f.ruleId === 'symmetric-init'));
  });

  test('a spawn that throws counts as a worker that did not start', async () => {
    const { seen, fallbacks } = await runPool(['a', 'b'], 2, () => {
      throw new Error('no threads here');
    });
    assert.equal(seen.length, 2);
    assert.deepEqual(fallbacks, ['cannot start worker threads (no threads here); checking in one thread']);
  });
});
