import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_JOBS, parseArgs, UsageError } from '../../src/cli/args';

const RULE_IDS = ['relu-needs-he', 'symmetric-init', 'vanishing-signal'];

function usageError(argv: string[]): string {
  try {
    parseArgs(argv, RULE_IDS);
  } catch (error) {
    assert.ok(error instanceof UsageError, `expected a UsageError, got ${String(error)}`);
    return error.message;
  }
  assert.fail(`expected ${JSON.stringify(argv)} to be rejected`);
}

describe('parseArgs', () => {
  test('check with no paths defaults to the current folder and text format', () => {
    assert.deepEqual(parseArgs(['check'], RULE_IDS), {
      command: 'check',
      paths: ['.'],
      format: 'text',
      rules: {},
      maxWarnings: undefined,
      outputFile: undefined,
      quiet: false,
      color: undefined,
      jobs: 1,
    });
  });

  test('every option, in both spellings, before and after the paths', () => {
    const a = parseArgs(
      ['--format', 'json', 'check', 'src', '--rule', 'relu-needs-he=off', 'lib/**/*.ts', '--max-warnings=3', '-o', 'out.json', '--quiet', '--no-color'],
      RULE_IDS,
    );
    assert.deepEqual(a, {
      command: 'check',
      paths: ['src', 'lib/**/*.ts'],
      format: 'json',
      rules: { 'relu-needs-he': 'off' },
      maxWarnings: 3,
      outputFile: 'out.json',
      quiet: true,
      color: false,
      jobs: 1,
    });
    const b = parseArgs(['check', '-f', 'sarif', '--format=text', '--output-file=r.txt', '--color'], RULE_IDS);
    assert.equal(b.command, 'check');
    if (b.command !== 'check') return;
    assert.equal(b.format, 'text', 'the last --format wins');
    assert.equal(b.outputFile, 'r.txt');
    assert.equal(b.color, true);
  });

  test('--rule is repeatable, takes comma lists, accepts warn, and the last setting of a rule wins', () => {
    const a = parseArgs(
      ['check', '--rule', 'relu-needs-he=warn', '--rule=symmetric-init=info,vanishing-signal=error', '--rule', 'relu-needs-he=ERROR'],
      RULE_IDS,
    );
    assert.equal(a.command, 'check');
    if (a.command !== 'check') return;
    assert.deepEqual(a.rules, { 'relu-needs-he': 'error', 'symmetric-init': 'info', 'vanishing-signal': 'error' });
  });

  test('--max-warnings -1 means no limit, 0 is a limit', () => {
    const a = parseArgs(['check', '--max-warnings', '-1'], RULE_IDS);
    const b = parseArgs(['check', '--max-warnings', '0'], RULE_IDS);
    assert.equal(a.command === 'check' && a.maxWarnings, undefined);
    assert.equal(b.command === 'check' && b.maxWarnings, 0);
  });

  test('--jobs takes a number of threads or auto, in every spelling (-j 2, -j2, --jobs=2); the last one wins', () => {
    const jobs = (argv: string[]) => {
      const a = parseArgs(['check', ...argv], RULE_IDS);
      assert.equal(a.command, 'check');
      return a.command === 'check' ? a.jobs : undefined;
    };
    assert.equal(jobs([]), 1);
    assert.equal(jobs(['-j', '2']), 2);
    assert.equal(jobs(['-j2']), 2);
    assert.equal(jobs(['-j1']), 1);
    assert.equal(jobs(['--jobs', '4']), 4);
    assert.equal(jobs(['--jobs=3']), 3);
    assert.equal(jobs(['--jobs', 'auto']), 'auto');
    assert.equal(jobs(['-jauto']), 'auto');
    assert.equal(jobs(['-j', 'AUTO']), 'auto');
    assert.equal(jobs(['-j', '2', '--jobs', '1']), 1);
    assert.equal(jobs(['-j', String(MAX_JOBS)]), MAX_JOBS);
  });

  test('-- ends the options: a path may start with a dash', () => {
    const a = parseArgs(['check', '--', '--weird-name.ts', '-x.js'], RULE_IDS);
    assert.equal(a.command === 'check' && a.paths.join(' '), '--weird-name.ts -x.js');
  });

  test('--help and --version win over everything else, even over mistakes', () => {
    assert.deepEqual(parseArgs(['--help'], RULE_IDS), { command: 'help' });
    assert.deepEqual(parseArgs(['check', '--bogus', '-h'], RULE_IDS), { command: 'help' });
    assert.deepEqual(parseArgs(['help'], RULE_IDS), { command: 'help' });
    assert.deepEqual(parseArgs(['-v'], RULE_IDS), { command: 'version' });
    assert.deepEqual(parseArgs(['--version', 'check', '--format', 'xml'], RULE_IDS), { command: 'version' });
  });

  const mistakes: [string[], RegExp][] = [
    [[], /^missing command: use 'initlens check \[paths\.\.\.\]'$/],
    [['lint', 'src'], /^unknown command 'lint' \(the command is 'check'\)$/],
    [['check', '--frobnicate'], /^unknown option '--frobnicate'$/],
    [['check', '-x'], /^unknown option '-x'$/],
    [['check', '--format'], /^option --format needs a value \(text, json or sarif\)$/],
    [['check', '--format', '--quiet'], /^option --format needs a value/],
    [['check', '--format', 'xml'], /^unknown format 'xml' for --format \(expected text, json or sarif\)$/],
    [['check', '--rule', 'relu-needs-he'], /^--rule 'relu-needs-he' must look like <rule-id>=off\|info\|warning\|error$/],
    [['check', '--rule', '=off'], /^--rule '=off' must look like/],
    [['check', '--rule', 'no-such-rule=off'], /^unknown rule 'no-such-rule' in --rule \(run 'initlens --help' for the rule list\)$/],
    [['check', '--rule', 'relu-needs-he=loud'], /^unknown severity 'loud' for rule 'relu-needs-he' \(expected off, info, warning or error\)$/],
    [['check', '--rule', 'relu-needs-he=constructor'], /^unknown severity 'constructor'/],
    [['check', '--max-warnings', 'many'], /^--max-warnings needs a whole number of warnings, 0 or more \(got 'many'\)$/],
    [['check', '--max-warnings', '2.5'], /^--max-warnings needs a whole number/],
    [['check', '--max-warnings', '-2'], /^--max-warnings needs a whole number/],
    [['check', '--quiet=yes'], /^option --quiet does not take a value$/],
    [['check', '--output-file='], /^option --output-file needs a file name$/],
    [['check', '--jobs'], /^option --jobs needs a value \(a number of threads or auto\)$/],
    [['check', '-j', '--quiet'], /^option -j needs a value/],
    [['check', '-j', '0'], /^-j needs a number of threads from 1 to 256, or auto \(got '0'\)$/],
    [['check', '-j0'], /^-j needs a number of threads from 1 to 256, or auto \(got '0'\)$/],
    [['check', '-j', '-2'], /^-j needs a number of threads from 1 to 256, or auto \(got '-2'\)$/],
    [['check', '--jobs', '1.5'], /^--jobs needs a number of threads from 1 to 256, or auto \(got '1\.5'\)$/],
    [['check', '--jobs=many'], /^--jobs needs a number of threads/],
    [['check', '--jobs='], /^--jobs needs a number of threads/],
    [['check', '-j', '257'], /^-j needs a number of threads from 1 to 256/],
    [['check', '-j', '1e3'], /^-j needs a number of threads/],
    [['check', '-j=2'], /^-j needs a number of threads from 1 to 256, or auto \(got '=2'\)$/],
  ];
  for (const [argv, expected] of mistakes) {
    test(`rejects ${JSON.stringify(argv)}`, () => {
      const message = usageError(argv);
      assert.match(message, expected);
      assert.ok(!message.includes('\n'), 'one mistake, one line');
    });
  }

  test('several mistakes give one line each', () => {
    const message = usageError(['check', '--format', 'xml', '--rule', 'nope=off', '--bogus']);
    assert.deepEqual(message.split('\n').length, 3);
  });
});
