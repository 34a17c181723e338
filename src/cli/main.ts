/**
 * The `initlens` command line: `initlens check [paths or globs...]`. `runCli` runs in-process (tests call it
 * with their own streams); `main` runs it as the process, which is what bin/initlens.js and
 * `node --import tsx src/cli/main.ts` do.
 *
 * Nothing here throws at the user: usage mistakes, unreadable paths and internal failures each become one
 * line on stderr (`initlens: <path>: <message>`), never a stack trace (set INITLENS_DEBUG=1 to see one).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { runReport } from './report';
import path from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { checkText, type CheckOptions, isCheckable, RULES } from '../engine/check';
import { type CheckArgs, parseArgs, UsageError } from './args';
import { collectFiles, describeFsError, displayPath, messageOf } from './files';
import { formatJson } from './format/json';
import { formatSarif } from './format/sarif';
import { formatText } from './format/text';
import { HOMEPAGE, ruleDocsUrl, VERSION } from './meta';
import { type CheckedFile, countFindings, type RunResult } from './results';
import { usage } from './usage';
import { availableCores, CheckPool, checkFile, type FileJob, type FileOutcome } from './workers';

export interface OutputStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface CliIO {
  stdout: OutputStream;
  stderr: OutputStream;
  /** The working directory relative paths and globs are resolved against. */
  cwd: string;
  /** Environment for NO_COLOR / FORCE_COLOR / INITLENS_DEBUG (default: process.env). */
  env?: Record<string, string | undefined>;
  /**
   * The engine's checkText (tests replace it to exercise the internal-error path). A replacement cannot cross into
   * worker threads: with it, files are checked in this thread whatever --jobs says.
   */
  checkText?: typeof checkText;
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
/** A usage error, a path that could not be checked, or an internal error: the run itself failed. */
export const EXIT_ERROR = 2;

/** Runs the CLI on `argv` (without the node and script names) and returns the exit status. */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const env = io.env ?? process.env;
  const say = (what: string, message: string) => io.stderr.write(`initlens: ${what ? `${what}: ` : ''}${message}\n`);
  try {
    // `initlens report <file> --out report.html`: the preview page as a self-contained HTML file.
    if (argv[0] === 'report') return await runReport(argv.slice(1), { stdout: io.stdout, stderr: io.stderr, cwd: io.cwd, env });
    let args;
    try {
      args = parseArgs(argv, RULES.map((r) => r.id));
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      for (const line of error.message.split('\n')) say('', line);
      return EXIT_ERROR;
    }
    if (args.command === 'help') {
      io.stdout.write(usage(RULES));
      return EXIT_OK;
    }
    if (args.command === 'version') {
      io.stdout.write(`${VERSION}\n`);
      return EXIT_OK;
    }
    return await check(args, io, env, say);
  } catch (error) {
    say('', `internal error: ${messageOf(error)}`);
    if (env.INITLENS_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return EXIT_ERROR;
  }
}

async function check(
  args: CheckArgs,
  io: CliIO,
  env: Record<string, string | undefined>,
  say: (what: string, message: string) => void,
): Promise<number> {
  const cwd = path.resolve(io.cwd);
  const options: CheckOptions = Object.keys(args.rules).length > 0 ? { rules: args.rules } : {};
  const result: RunResult = { cwd, files: [], internalError: false };

  const jobs = io.checkText ? 1 : args.jobs === 'auto' ? availableCores() : args.jobs;
  // Started before the walk, so that the workers load the engine meanwhile.
  const pool = jobs > 1 ? new CheckPool(jobs, options) : undefined;
  try {
    await collectAndCheck(args.paths, result, options, pool, io, env, say);
  } finally {
    await pool?.close();
  }

  if (args.quiet) {
    for (const file of result.files) {
      if (file.report) file.report = { ...file.report, findings: file.report.findings.filter((f) => f.severity === 'error') };
    }
  }
  result.files.sort(byPath);

  const toFile = args.outputFile !== undefined;
  const color = args.color ?? (!toFile && io.stdout.isTTY === true && !env.NO_COLOR ? true : Boolean(env.FORCE_COLOR && env.FORCE_COLOR !== '0'));
  let output: string;
  switch (args.format) {
    case 'json':
      output = formatJson(result);
      break;
    case 'sarif':
      output = formatSarif(result, { version: VERSION, informationUri: HOMEPAGE, rules: RULES, helpUri: ruleDocsUrl });
      break;
    default:
      output = formatText(result, { color, quiet: args.quiet });
  }

  if (args.outputFile !== undefined) {
    const target = path.resolve(cwd, args.outputFile);
    try {
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, output);
    } catch (error) {
      say(args.outputFile, `cannot write the report: ${describeFsError(error, 'file').replace(/^cannot read: /, '')}`);
      return EXIT_ERROR;
    }
  } else {
    io.stdout.write(output);
  }

  if (result.internalError) return EXIT_ERROR;
  const counts = countFindings(result.files);
  let status = EXIT_OK;
  if (counts.errors > 0) status = EXIT_FINDINGS;
  if (args.maxWarnings !== undefined && counts.warnings > args.maxWarnings) {
    say('', `too many warnings: ${counts.warnings} (--max-warnings ${args.maxWarnings})`);
    status = EXIT_FINDINGS;
  }
  if (result.files.some((f) => f.notices.some((n) => n.fatal))) status = EXIT_ERROR;
  return status;
}

/** Walks `paths` and checks every file found, in `pool` when there is one, adding each file to `result` in walk order. */
async function collectAndCheck(
  paths: readonly string[],
  result: RunResult,
  options: CheckOptions,
  pool: CheckPool | undefined,
  io: CliIO,
  env: Record<string, string | undefined>,
  say: (what: string, message: string) => void,
): Promise<void> {
  const cwd = result.cwd;
  const collected = await collectFiles(paths, cwd, isCheckable);
  for (const notice of collected.notices) {
    say(notice.path, notice.message);
    result.files.push({
      abs: notice.path === '' ? '' : path.resolve(cwd, notice.path),
      path: notice.path,
      notices: [{ message: notice.message, fatal: notice.fatal }],
    });
  }

  const files: FileJob[] = collected.files.map((abs) => ({ abs, shown: displayPath(abs, cwd) }));
  // Called in walk order, with --jobs 1 and with N workers alike, so that stderr is the same too.
  const record = (job: FileJob, outcome: FileOutcome): void => {
    const file: CheckedFile = { abs: job.abs, path: job.shown, notices: [] };
    result.files.push(file);
    if (outcome.kind === 'unread') {
      say(job.shown, outcome.message);
      file.notices.push({ message: outcome.message, fatal: outcome.fatal });
      return;
    }
    file.text = outcome.text;
    if (outcome.kind === 'checked') {
      file.report = outcome.report;
      return;
    }
    // checkText promises never to throw; if it does (or its worker thread dies), that is our bug, not the user's file.
    const message = `internal error while checking this file: ${outcome.message}`;
    say(job.shown, message);
    if (env.INITLENS_DEBUG && outcome.stack) io.stderr.write(`${outcome.stack}\n`);
    file.notices.push({ message, fatal: true });
    result.internalError = true;
  };
  if (pool && files.length > 1) {
    await pool.run(files, { result: (i, outcome) => record(files[i], outcome), fallback: (message) => say('', message) });
  } else {
    for (const job of files) record(job, checkFile(job, options, io.checkText ?? checkText));
  }
}

/** Files in path order; paths with only a notice (a missing operand) keep their place among them. */
function byPath(a: CheckedFile, b: CheckedFile): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/**
 * Runs the CLI as the process: exit status through `process.exitCode` (so piped output is flushed), and a
 * closed pipe (`initlens check | head`) ends quietly instead of with an EPIPE stack trace.
 */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      process.exitCode = EXIT_ERROR;
    });
  }
  process.exitCode = await runCli(argv, { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() });
}

// `node --import tsx src/cli/main.ts check .`, or `node dist/cli.js check .` (not when bin/initlens.js loads it).
// Not in a worker thread of `--jobs`, which runs this same bundle.
if (typeof require !== 'undefined' && typeof module !== 'undefined' && require.main === module && isMainThread) {
  void main();
}
