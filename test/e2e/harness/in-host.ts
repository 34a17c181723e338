import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { ENV_RESULTS, ENV_SUITE, ENV_TEST_TIMEOUT, type InHostResult } from '../driver/api';
import { startCodeServer, type CodeServer } from './code-server';
import { ARTIFACTS_DIR, DRIVER_DIR } from './paths';
import { openWorkbench, type OpenWorkbenchOptions, type Workbench } from './workbench';

export type { InHostResult, InHostTest } from '../driver/api';

/**
 * Bundles a suite (a .ts file exporting `tests: InHostTest[]`) into one CommonJS file for the
 * extension host: platform node, `vscode` external, inline source maps.
 */
export async function bundleSuite(suiteEntry: string, outfile: string): Promise<string> {
  await bundleForHost(path.resolve(suiteEntry), outfile);
  return outfile;
}

/** One CommonJS file for the extension host's Node: `vscode` external, inline source maps. */
async function bundleForHost(entry: string, outfile: string): Promise<void> {
  await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    sourcemap: 'inline',
    logLevel: 'silent',
  });
}

/**
 * Stages the driver extension (test/e2e/driver) into `dir`: its package.json and out/extension.js
 * bundled from src/extension.ts. Returns `dir` (an unpacked extension folder).
 */
export async function stageDriver(dir: string): Promise<string> {
  mkdirSync(path.join(dir, 'out'), { recursive: true });
  copyFileSync(path.join(DRIVER_DIR, 'package.json'), path.join(dir, 'package.json'));
  await bundleForHost(path.join(DRIVER_DIR, 'src', 'extension.ts'), path.join(dir, 'out', 'extension.js'));
  return dir;
}

export interface RunInHostSuiteOptions {
  /** The suite's TypeScript (or JS) entry; bundled with esbuild. */
  suiteEntry: string;
  /** Folder opened in the workbench. */
  workspace: string;
  /** The extension(s) under test, as .vsix files. */
  vsix?: string[];
  /** The extension(s) under test, as unpacked folders (e.g. the repo root after `npm run build`). */
  extensionDirs?: string[];
  settings?: Record<string, unknown>;
  env?: Record<string, string>;
  /** Extra code-server command-line arguments (e.g. `--disable-extension <id>`). */
  args?: string[];
  /** Per-test timeout inside the host (default 60 s; a test's own timeoutMs wins). */
  testTimeoutMs?: number;
  /** Whole run: from browser connected to results written (default 5 min). */
  timeoutMs?: number;
  /** Options for the browser window (theme, viewport, chromium args). */
  workbench?: OpenWorkbenchOptions;
  /**
   * Called with the open workbench after the suite finished, before teardown (e.g. to take a
   * screenshot of what the tests left on screen).
   */
  after?: (wb: Workbench, server: CodeServer) => Promise<void>;
  /**
   * Runs alongside the suite, from the moment the workbench is open until the suite's results arrive (e.g. to type
   * into the editor with the browser's keyboard when the suite asks for it). Its failure fails the run.
   */
  during?: (wb: Workbench, server: CodeServer, suiteDone: () => boolean) => Promise<void>;
  /**
   * Name for the artifacts written to test-artifacts/e2e: <name>.log (driver log, code-server
   * output and VS Code's logs). Default: the suite file's base name.
   */
  artifactName?: string;
}

export interface InHostRun {
  results: InHostResult[];
  /** Workbench load time (ms) and the whole run's time (ms). */
  loadMs: number;
  totalMs: number;
  /** Where the run's log was written. */
  logFile: string;
}

/**
 * Runs a suite inside VS Code's extension host: bundles it, starts code-server with the driver
 * extension (and the extensions under test), opens the workbench in chromium (the extension host
 * starts only when a browser connects), waits for the driver's results and tears everything down.
 * Resolves with the per-test results (failures are results, not rejections); rejects when no
 * results arrive in time, with the logs in the message.
 */
export async function runInHostSuite(opts: RunInHostSuiteOptions): Promise<InHostRun> {
  const t0 = Date.now();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'initlens-inhost-'));
  const name = opts.artifactName ?? path.basename(opts.suiteEntry).replace(/\.[cm]?[jt]s$/, '');
  const logFile = path.join(ARTIFACTS_DIR, `${name}.log`);
  const results = path.join(tmp, 'results.json');
  const done = `${results}.done`;
  let server: CodeServer | undefined;
  let wb: Workbench | undefined;
  let outcome: InHostRun | undefined;
  let failure: Error | undefined;
  try {
    const suite = await bundleSuite(opts.suiteEntry, path.join(tmp, 'suite', 'suite.js'));
    const driver = await stageDriver(path.join(tmp, 'driver'));
    server = await startCodeServer({
      workspace: opts.workspace,
      vsix: opts.vsix,
      extensionDirs: [driver, ...(opts.extensionDirs ?? [])],
      settings: opts.settings,
      args: opts.args,
      env: {
        ...opts.env,
        [ENV_SUITE]: suite,
        [ENV_RESULTS]: results,
        ...(opts.testTimeoutMs ? { [ENV_TEST_TIMEOUT]: String(opts.testTimeoutMs) } : {}),
      },
    });
    wb = await openWorkbench(server, opts.workbench);
    let duringError: unknown;
    const during = opts.during?.(wb, server, () => existsSync(done)).catch((e: unknown) => (duringError = e));
    const timeout = opts.timeoutMs ?? 5 * 60_000;
    const deadline = Date.now() + timeout;
    let exited = false;
    void server.exited.then(() => (exited = true));
    while (!existsSync(done)) {
      if (duringError) throw duringError;
      if (exited) throw new Error('code-server exited before the suite finished');
      if (Date.now() > deadline) throw new Error(`no results from the in-host suite within ${timeout} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
    await during;
    if (duringError) throw duringError;
    const parsed = JSON.parse(readFileSync(results, 'utf8')) as InHostResult[];
    if (opts.after) await opts.after(wb, server);
    outcome = { results: parsed, loadMs: wb.loadMs, totalMs: Date.now() - t0, logFile };
  } catch (e) {
    failure = e as Error;
  } finally {
    const driverLog = existsSync(`${results}.log`) ? readFileSync(`${results}.log`, 'utf8') : '(no driver log: did the driver activate?)';
    const text = [
      `# in-host suite ${opts.suiteEntry}`,
      `## driver log\n${driverLog}`,
      `## code-server output\n${server?.logs() ?? ''}`,
      `## browser console errors\n${wb?.consoleErrors().join('\n') ?? ''}`,
      `## VS Code logs\n${server?.vscodeLogs() ?? ''}`,
    ].join('\n\n');
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    writeFileSync(logFile, text);
    await wb?.close();
    await server?.stop();
    rmSync(tmp, { recursive: true, force: true });
    if (failure) {
      failure.message += `\n--- driver log ---\n${driverLog}\n(full log: ${logFile})`;
    }
  }
  if (failure || !outcome) throw failure ?? new Error('unreachable');
  return outcome;
}
