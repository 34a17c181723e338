import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import pkg from '../../package.json';
import type { JsonFile } from '../../src/cli/format/json';
import { MAX_FILE_BYTES } from '../../src/cli/read';
import { RULES } from '../../src/engine/check';
import { assertCleanStderr, CLEAN_TFJS, cli, ERROR_TFJS, tree, WARNING_TFJS } from './helpers';

describe('initlens --help / --version', () => {
  test('--help prints the usage, the exit statuses and every rule, and exits 0', async () => {
    const r = await cli(['--help'], process.cwd());
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^Usage: initlens check \[paths or globs\.\.\.\] \[options\]\n/);
    assert.match(r.stdout, /Exit status/);
    for (const rule of RULES) assert.match(r.stdout, new RegExp(`\\n  ${rule.id} +${rule.defaultSeverity} +\\S`), rule.id);
  });

  test('--version prints the package version', async () => {
    const r = await cli(['--version'], process.cwd());
    assert.deepEqual(r, { code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });
});

describe('usage errors exit 2 with one line per problem', () => {
  const cases: [string[], string[]][] = [
    [[], ["initlens: missing command: use 'initlens check [paths...]'"]],
    [['lint'], ["initlens: unknown command 'lint' (the command is 'check')"]],
    [['check', '--format', 'xml'], ["initlens: unknown format 'xml' for --format (expected text, json or sarif)"]],
    [['check', '--rule', 'not-a-rule=off'], ["initlens: unknown rule 'not-a-rule' in --rule (run 'initlens --help' for the rule list)"]],
    [['check', '--rule', 'relu-needs-he=fatal'], ["initlens: unknown severity 'fatal' for rule 'relu-needs-he' (expected off, info, warning or error)"]],
    [
      ['check', '--wat', '--max-warnings', 'x'],
      ["initlens: unknown option '--wat'", "initlens: --max-warnings needs a whole number of warnings, 0 or more (got 'x')"],
    ],
  ];
  for (const [argv, lines] of cases) {
    test(JSON.stringify(argv), async () => {
      const r = await cli(argv, process.cwd());
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.deepEqual(r.stderr.split('\n').slice(0, -1), lines);
      assertCleanStderr(r.stderr);
    });
  }
});

describe('exit status', () => {
  test('0 for a clean file, with a summary of what was checked', async () => {
    const root = tree({ 'model.ts': CLEAN_TFJS });
    const r = await cli(['check'], root);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^model\.ts\n  model '.+' \(2 layers\): signal ×[-\d.e+]+ at the read-out\n\n✔ no problems \(1 file checked, 1 model\)\n$/);
  });

  test('1 for an error-severity finding', async () => {
    const root = tree({ 'model.ts': ERROR_TFJS });
    const r = await cli(['check', '.'], root);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /\d+:\d+ +error +.+ +symmetric-init\n/);
    assert.match(r.stdout, /✖ \d+ problems? \(1 error, \d+ warnings?, \d+ infos?\)/);
  });

  test('0 for warnings only; 1 once they exceed --max-warnings', async () => {
    const root = tree({ 'model.ts': WARNING_TFJS });
    const plain = await cli(['check'], root);
    assert.equal(plain.code, 0);
    const warnings = Number(/, (\d+) warnings?,/.exec(plain.stdout)?.[1]);
    assert.ok(warnings >= 1, plain.stdout);

    const over = await cli(['check', '--max-warnings', String(warnings - 1)], root);
    assert.equal(over.code, 1);
    assert.equal(over.stderr, `initlens: too many warnings: ${warnings} (--max-warnings ${warnings - 1})\n`);
    const at = await cli(['check', '--max-warnings', String(warnings)], root);
    assert.equal(at.code, 0);
  });

  test('--rule changes severities: a warning made an error fails, an error turned off passes', async () => {
    const root = tree({ 'warn.ts': WARNING_TFJS, 'err.ts': ERROR_TFJS });
    const promoted = await cli(['check', 'warn.ts', '--rule', 'truncated-normal-shortfall=error'], root);
    assert.equal(promoted.code, 1);
    assert.match(promoted.stdout, / error +.+truncated-normal-shortfall\n/);

    const silenced = await cli(['check', 'err.ts', '--rule', 'symmetric-init=off'], root);
    assert.equal(silenced.code, 0);
    assert.doesNotMatch(silenced.stdout, /symmetric-init/);

    const demoted = await cli(['check', 'err.ts', '--rule', 'symmetric-init=info', '--format', 'json'], root);
    const [file] = JSON.parse(demoted.stdout) as JsonFile[];
    assert.ok(file.diagnostics.some((d) => d.ruleId === 'symmetric-init' && d.severity === 'info'));
    assert.equal(demoted.code, 0);
  });

  test('--quiet reports errors only and its warnings do not count for --max-warnings', async () => {
    const root = tree({ 'warn.ts': WARNING_TFJS, 'err.ts': ERROR_TFJS });
    const r = await cli(['check', '--quiet', '--max-warnings', '0'], root);
    assert.equal(r.code, 1, 'the error still fails');
    assert.doesNotMatch(r.stdout, / (warning|info) /);
    assert.doesNotMatch(r.stdout, /model '/, 'no model summaries either');
    assert.match(r.stdout, /✖ 1 problem \(1 error, 0 warnings, 0 infos\)/);
    assert.equal(r.stderr, '');

    const warnOnly = await cli(['check', 'warn.ts', '--quiet', '--max-warnings', '0'], root);
    assert.equal(warnOnly.code, 0);
  });
});

describe('paths that cannot be checked', () => {
  test('a missing path is said on stderr, the other paths are still checked, and the exit status is 2', async () => {
    const root = tree({ 'model.ts': CLEAN_TFJS });
    const r = await cli(['check', 'nope.ts', 'model.ts', 'src/**/*.ts'], root);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'initlens: nope.ts: no such file or folder\ninitlens: src/**/*.ts: no files match this pattern\n');
    assert.match(r.stdout, /^model\.ts\n/);
    assert.match(r.stdout, /✖ 2 paths could not be checked \(see standard error\)\n$/);
  });

  test('non-UTF-8, binary and oversized files are skipped with a message and do not change the exit status', async () => {
    const root = tree({
      'ok.ts': CLEAN_TFJS,
      'latin1.ts': Buffer.from([...Buffer.from('// caf'), 0xe9, 0x0a]),
      'blob.js': Buffer.from([1, 2, 0, 3]),
      'bundle.js': Buffer.alloc(MAX_FILE_BYTES + 10, 0x3b),
    });
    const r = await cli(['check', '--format', 'json'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stderr.split('\n').slice(0, -1), [
      'initlens: blob.js: skipped: binary file (contains NUL bytes)',
      'initlens: bundle.js: skipped: 5 MB, larger than the 5 MB limit',
      'initlens: latin1.ts: skipped: not valid UTF-8 (first bad byte on line 1, byte offset 6)',
    ]);
    const files = JSON.parse(r.stdout) as JsonFile[];
    assert.deepEqual(
      files.map((f) => [f.file, f.checked, f.problems.map((p) => [p.source, p.fatal])]),
      [
        ['blob.js', false, [['path', false]]],
        ['bundle.js', false, [['path', false]]],
        ['latin1.ts', false, [['path', false]]],
        ['ok.ts', true, []],
      ],
    );
  });

  test('a symbolic-link loop is said once and the walk finishes', async () => {
    const root = tree({ 'src/model.ts': CLEAN_TFJS, 'src/again': { symlink: '.' } });
    const r = await cli(['check'], root);
    assert.equal(r.code, 0);
    assert.equal(r.stderr, 'initlens: src/again: symbolic link loop (leads back to src): not followed\n');
    assert.match(r.stdout, /1 file checked/);
  });

  test('a syntax error is printed with the report, and the rest of the file is still analyzed', async () => {
    const broken = `${CLEAN_TFJS}\nconst oops = tf.layers.dense({units: 3,, });\nfunction (\n`;
    const root = tree({ 'broken.ts': broken });
    const json = JSON.parse((await cli(['check', '--format', 'json'], root)).stdout) as JsonFile[];
    const problems = json[0].problems.filter((p) => p.source === 'analysis');
    assert.ok(problems.length > 0, 'the engine reports the syntax error');
    assert.ok(problems.every((p) => p.line === null || p.line >= 1));

    const r = await cli(['check'], root);
    assert.equal(r.code, 0, 'analysis problems do not change the exit status');
    assert.match(r.stdout, /^broken\.ts\n(  +\d+:\d+ +problem +.+\n)+/);
    assertCleanStderr(r.stderr);
  });
});

describe('internal errors', () => {
  test('an engine failure on one file is one line, the other files are still checked, and the exit status is 2', async () => {
    const root = tree({ 'a.ts': CLEAN_TFJS, 'b.ts': CLEAN_TFJS });
    const { runCli } = await import('../../src/cli/main');
    const { checkText } = await import('../../src/engine/check');
    let out = '';
    let err = '';
    const code = await runCli(['check'], {
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s) },
      cwd: root,
      env: {},
      checkText: (text, file, options) => {
        if (file === 'a.ts') throw new TypeError("Cannot read properties of undefined (reading 'kind')");
        return checkText(text, file, options);
      },
    });
    assert.equal(code, 2);
    assert.equal(err, "initlens: a.ts: internal error while checking this file: Cannot read properties of undefined (reading 'kind')\n");
    assert.match(out, /^b\.ts\n/);
  });
});

describe('--output-file and colour', () => {
  test('writes the report to the file (creating folders) and nothing to stdout', async () => {
    const root = tree({ 'model.ts': ERROR_TFJS });
    const r = await cli(['check', '-o', 'reports/initlens.sarif', '-f', 'sarif'], root);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    const written = path.join(root, 'reports', 'initlens.sarif');
    assert.ok(existsSync(written));
    assert.equal(JSON.parse(readFileSync(written, 'utf8')).version, '2.1.0');
  });

  test('an output file that cannot be written is a one-line error with exit status 2', async () => {
    const root = tree({ 'model.ts': CLEAN_TFJS });
    mkdirSync(path.join(root, 'out.txt'));
    const r = await cli(['check', '--output-file', 'out.txt'], root);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'initlens: out.txt: cannot write the report: is a folder, not a file\n');
  });

  test('colour only when asked for or on a terminal', async () => {
    const root = tree({ 'model.ts': ERROR_TFJS });
    const plain = await cli(['check'], root);
    assert.doesNotMatch(plain.stdout, /\u001b\[/);
    const forced = await cli(['check', '--color'], root);
    assert.match(forced.stdout, /\u001b\[31merror/);
    const env = await cli(['check'], root, { FORCE_COLOR: '1' });
    assert.match(env.stdout, /\u001b\[/);
  });
});
