/**
 * The real command: `node bin/initlens.js`, run as a subprocess, from the TypeScript source (tsx) and from a
 * freshly built esbuild bundle laid out as in the package (bin/ next to dist/cli.js).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import pkg from '../../package.json';
import { assertCleanStderr, CLEAN_TFJS, ERROR_TFJS, REPO, tree } from './helpers';

const BIN = path.join(REPO, 'bin', 'initlens.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Set when the process could not run or was killed at the time limit. */
  error?: Error;
}

function run(bin: string, args: string[], cwd: string, env: Record<string, string> = {}, user: { uid?: number; gid?: number } = {}): Run {
  const r = spawnSync(process.execPath, [bin, ...args], {
    ...user,
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '', INITLENS_FROM_SOURCE: '1', ...env },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ...(r.error ? { error: r.error } : {}) };
}

function shell(command: string, cwd: string): Run {
  const r = spawnSync('/bin/sh', ['-c', command], { cwd, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '', INITLENS_FROM_SOURCE: '1' }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('bin/initlens.js from the TypeScript source', () => {
  test('--version', () => {
    const r = run(BIN, ['--version'], REPO);
    assert.deepEqual(r, { code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  test('a usage error is one line and exit status 2', () => {
    const r = run(BIN, ['check', '--format', 'xml', '--rule', 'bogus=off'], REPO);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(
      r.stderr,
      "initlens: unknown format 'xml' for --format (expected text, json or sarif)\n" +
        "initlens: unknown rule 'bogus' in --rule (run 'initlens --help' for the rule list)\n",
    );
  });

  test('an unreadable file and an unreadable folder in a checked folder: one line each, the rest checked, exit status 2', () => {
    const root = tree({ 'model.ts': ERROR_TFJS, 'locked.ts': CLEAN_TFJS, 'sealed/inner.ts': CLEAN_TFJS });
    chmodSync(path.join(root, 'locked.ts'), 0o000);
    chmodSync(path.join(root, 'sealed'), 0o000);
    chmodSync(root, 0o755);
    // Root reads anything, so as root (CI containers) the command runs as the unprivileged user nobody (65534).
    const user = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const r = run(BIN, ['check', '.'], root, {}, user);
    assert.equal(r.code, 2, r.stderr);
    // (Folders are walked before the files are read.)
    assert.equal(r.stderr, 'initlens: sealed: cannot read this folder: permission denied\ninitlens: locked.ts: cannot read this file: permission denied\n');
    assert.match(r.stdout, /^model\.ts\n/, 'the readable file is checked');
    assert.match(r.stdout, /✖ 2 paths could not be checked \(see standard error\)\n$/);
  });

  test('a named pipe in a checked folder, and named on the command line, is skipped, not read (reading one would wait forever)', () => {
    const root = tree({ 'model.ts': ERROR_TFJS });
    const made = spawnSync('mkfifo', [path.join(root, 'pipe.ts')]);
    assert.equal(made.status, 0, 'mkfifo');
    const walked = run(BIN, ['check', '.'], root);
    assert.equal(walked.error, undefined);
    assert.equal(walked.code, 1, walked.stderr);
    assert.match(walked.stdout, /^model\.ts\n/);
    const named = run(BIN, ['check', 'pipe.ts', 'model.ts'], root);
    assert.equal(named.stderr, 'initlens: pipe.ts: not a regular file or folder: skipped\n');
    assert.equal(named.code, 1);
  });

  test('findings and a missing path: exit status 2, JSON on stdout, one line on stderr', () => {
    const r = run(BIN, ['check', 'examples/symmetric-zeros.ts', 'no/such/file.ts', '--format', 'json'], REPO);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'initlens: no/such/file.ts: no such file or folder\n');
    const files = JSON.parse(r.stdout) as { file: string }[];
    assert.deepEqual(
      files.map((f) => f.file),
      ['examples/symmetric-zeros.ts', 'no/such/file.ts'],
    );
  });

  test('a clean folder exits 0', () => {
    const root = tree({ 'm.ts': CLEAN_TFJS });
    const r = run(BIN, ['check'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /✔ no problems \(1 file checked, 1 model\)/);
  });

  test('--jobs 2 (workers loading the source through tsx) prints what --jobs 1 prints', () => {
    const one = run(BIN, ['check', 'examples', '--format', 'json', '-j1'], REPO);
    const two = run(BIN, ['check', 'examples', '--format', 'json', '-j2'], REPO);
    assert.equal(one.code, 1, one.stderr);
    assert.deepEqual(two, one);
  });

  test('a reader that closes the pipe early ends the run quietly (no EPIPE stack trace)', () => {
    const r = shell(`"${process.execPath}" "${BIN}" check examples --format json | head -c 1 > /dev/null; exit 0`, REPO);
    assertCleanStderr(r.stderr);
  });
});

describe('bin/initlens.js with the esbuild bundle', () => {
  let packageRoot = '';
  before(async () => {
    // The package layout: <root>/bin/initlens.js and <root>/dist/cli.js, built as esbuild.js builds it, without
    // node_modules next to it (the bundle is self-contained).
    packageRoot = tree({});
    mkdirSync(path.join(packageRoot, 'bin'));
    copyFileSync(BIN, path.join(packageRoot, 'bin', 'initlens.js'));
    const esbuild = await import('esbuild');
    await esbuild.build({
      entryPoints: [path.join(REPO, 'src', 'cli', 'main.ts')],
      outfile: path.join(packageRoot, 'dist', 'cli.js'),
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      bundle: true,
      // As esbuild.js must do: fdir (under tinyglobby) calls createRequire(import.meta.url), which is empty in a
      // CommonJS bundle.
      banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
      define: { 'import.meta.url': '__importMetaUrl' },
      logLevel: 'silent',
    });
  });

  test('runs the bundle: version, findings, exit status', () => {
    const bin = path.join(packageRoot, 'bin', 'initlens.js');
    const env = { INITLENS_FROM_SOURCE: '' };
    assert.deepEqual(run(bin, ['--version'], REPO, env), { code: 0, stdout: `${pkg.version}\n`, stderr: '' });
    const r = run(bin, ['check', 'examples/symmetric-zeros.ts'], REPO, env);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /symmetric-init/);
    assert.equal(r.stderr, '');
  });

  test('--jobs: the workers run the bundle itself; same output as one thread, also with unreadable files', () => {
    const bin = path.join(packageRoot, 'bin', 'initlens.js');
    const env = { INITLENS_FROM_SOURCE: '' };
    const one = run(bin, ['check', 'examples', '--format', 'sarif', '-j1'], REPO, env);
    assert.equal(one.code, 1, one.stderr);
    assert.equal(one.stderr, '');
    for (const jobs of [['-j2'], ['--jobs', 'auto'], ['-j', '5']]) {
      assert.deepEqual(run(bin, ['check', 'examples', '--format', 'sarif', ...jobs], REPO, env), one, jobs.join(' '));
    }
    const root = tree({
      'a.ts': CLEAN_TFJS,
      'b.ts': ERROR_TFJS,
      'c.ts': `${CLEAN_TFJS}\nexport const broken = (;\n`,
      'd.ts': Buffer.from([0xff, 0xfe, 0x41]),
      'e.py': 'import torch\nfrom torch import nn\nnet = nn.Sequential(nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 2))\n',
    });
    const a = run(bin, ['check', '.', 'missing.ts'], root, env);
    const b = run(bin, ['check', '.', 'missing.ts', '--jobs', '2'], root, env);
    assert.equal(a.code, 2);
    assert.match(a.stderr, /^initlens: missing\.ts: no such file or folder\ninitlens: d\.ts: skipped: not valid UTF-8/);
    assert.deepEqual(b, a);
  });

  test('a bad --jobs is one line and exit status 2', () => {
    const bin = path.join(packageRoot, 'bin', 'initlens.js');
    const r = run(bin, ['check', 'examples', '-j', '0'], REPO, { INITLENS_FROM_SOURCE: '' });
    assert.deepEqual(r, { code: 2, stdout: '', stderr: "initlens: -j needs a number of threads from 1 to 256, or auto (got '0')\n" });
  });

  test('node dist/cli.js runs itself when it is the entry point', () => {
    const r = spawnSync(process.execPath, [path.join(packageRoot, 'dist', 'cli.js'), '--version'], { encoding: 'utf8' });
    assert.equal(r.status, 0);
    assert.equal(r.stdout, `${pkg.version}\n`);
  });
});
