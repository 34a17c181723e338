// The in-host test driver: a tiny extension that, on startup, loads a suite module and runs its tests
// inside the extension host, where the `vscode` API is real. Same idea as @vscode/test-electron's
// extensionTestsPath, for code-server. The harness (test/e2e/harness/in-host.ts) bundles this file with
// esbuild next to ../package.json and links the folder into code-server's extensions dir.
//
// Protocol: suite = $INITLENS_E2E_SUITE, results = $INITLENS_E2E_RESULTS (or the workspace file
// .initlens-e2e.json). Writes <results> (JSON InHostResult[]), then <results>.done; logs to
// <results>.log. The first extension host to claim <results>.claim runs the suite; others do nothing.
import * as fs from 'node:fs';
import { findSourceMap } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as vscode from 'vscode';
import {
  ENV_RESULTS,
  ENV_SUITE,
  ENV_TEST_TIMEOUT,
  WORKSPACE_CONFIG,
  type InHostResult,
  type InHostSuiteModule,
  type InHostTest,
} from '../api';

interface Config {
  suite: string;
  results: string;
  timeoutMs: number;
}

function readConfig(): Config | undefined {
  const envTimeout = Number(process.env[ENV_TEST_TIMEOUT]) || 60_000;
  const suite = process.env[ENV_SUITE];
  const results = process.env[ENV_RESULTS];
  if (suite && results) return { suite, results, timeoutMs: envTimeout };
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme !== 'file' && folder.uri.scheme !== 'vscode-remote') continue;
    const file = path.join(folder.uri.fsPath, WORKSPACE_CONFIG);
    if (!fs.existsSync(file)) continue;
    const c = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Config>;
    if (c.suite && c.results) {
      const abs = (p: string) => (path.isAbsolute(p) ? p : path.join(folder.uri.fsPath, p));
      return { suite: abs(c.suite), results: abs(c.results), timeoutMs: c.timeoutMs ?? envTimeout };
    }
  }
  return undefined;
}

/**
 * Maps bundle positions in a stack trace back to the suite's sources. VS Code's extension host
 * installs its own Error.prepareStackTrace, so Node's --enable-source-maps rewriting does not
 * apply; module.findSourceMap still has the inline maps (process.setSourceMapsEnabled below).
 */
function mapStack(stack: string): string {
  return stack.replace(/(\(?)([^\s()]+\.js):(\d+):(\d+)(\)?)/g, (whole, open: string, file: string, line: string, col: string, close: string) => {
    try {
      const entry = findSourceMap(file)?.findEntry(Number(line) - 1, Number(col) - 1) as
        | { originalSource?: string; originalLine?: number; originalColumn?: number }
        | undefined;
      if (!entry?.originalSource || entry.originalLine === undefined) return whole;
      const src = entry.originalSource.startsWith('file://') ? fileURLToPath(entry.originalSource) : entry.originalSource;
      return `${open}${src}:${entry.originalLine + 1}:${(entry.originalColumn ?? 0) + 1}${close}`;
    } catch {
      return whole;
    }
  });
}

function errorText(e: unknown): string {
  if (e instanceof Error) return mapStack(e.stack ?? `${e.name}: ${e.message}`);
  try {
    return JSON.stringify(e);
  } catch {
    return String(e);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function testsOf(mod: InHostSuiteModule): InHostTest[] {
  const d = mod.default;
  const list = mod.tests ?? (Array.isArray(d) ? d : d?.tests);
  if (Array.isArray(list)) return list;
  if (typeof mod.run === 'function') {
    const run = mod.run;
    return [{ name: 'run', run: () => run() }];
  }
  throw new Error('the suite exports no tests (export const tests: InHostTest[], export default [...], or export function run())');
}

async function runSuite(cfg: Config, log: (s: string) => void): Promise<InHostResult[]> {
  const results: InHostResult[] = [];
  let tests: InHostTest[];
  const t0 = Date.now();
  try {
    // Source maps inline in the bundle: stack traces point into the suite's .ts.
    process.setSourceMapsEnabled?.(true);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(cfg.suite) as InHostSuiteModule;
    tests = testsOf(mod);
  } catch (e) {
    log(`loading ${cfg.suite} failed: ${errorText(e)}`);
    return [{ name: '(load suite)', ok: false, error: errorText(e), ms: Date.now() - t0 }];
  }
  log(`${tests.length} tests in ${cfg.suite}`);
  for (const t of tests) {
    const start = Date.now();
    const timeout = t.timeoutMs ?? cfg.timeoutMs;
    // What the test says through its context goes to the driver log and its result.
    const notes: string[] = [];
    const context = {
      log: (line: string) => {
        notes.push(line);
        log(`  | ${line}`);
      },
    };
    try {
      await withTimeout(Promise.resolve().then(() => t.run(context)), timeout, t.name);
      results.push({ name: t.name, ok: true, ms: Date.now() - start, ...(notes.length ? { notes } : {}) });
      log(`ok   ${t.name} (${Date.now() - start} ms)`);
    } catch (e) {
      results.push({ name: t.name, ok: false, error: errorText(e), ms: Date.now() - start, ...(notes.length ? { notes } : {}) });
      log(`FAIL ${t.name} (${Date.now() - start} ms)\n${errorText(e)}`);
    }
  }
  return results;
}

export function activate(context: vscode.ExtensionContext): void {
  const cfg = readConfig();
  if (!cfg) return;
  // One extension host per browser window: only the first to claim runs the suite.
  try {
    fs.writeFileSync(`${cfg.results}.claim`, `${process.pid}\n`, { flag: 'wx' });
  } catch {
    return;
  }
  const channel = vscode.window.createOutputChannel('InitLens e2e');
  context.subscriptions.push(channel);
  const log = (s: string) => {
    channel.appendLine(s);
    try {
      fs.appendFileSync(`${cfg.results}.log`, `${new Date().toISOString()} ${s}\n`);
    } catch {
      // the harness may have gone
    }
  };
  log(`driver: VS Code ${vscode.version}, pid ${process.pid}`);
  // Not awaited: activation must finish so that other extensions (and the tests' waits) go on.
  void runSuite(cfg, log)
    .catch((e): InHostResult[] => [{ name: '(driver)', ok: false, error: errorText(e), ms: 0 }])
    .then((results) => {
      const tmp = `${cfg.results}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(results, null, 2));
      fs.renameSync(tmp, cfg.results);
      fs.writeFileSync(`${cfg.results}.done`, `${results.filter((r) => !r.ok).length} failed\n`);
      log(`done: ${results.filter((r) => r.ok).length} passed, ${results.filter((r) => !r.ok).length} failed`);
    });
}

export function deactivate(): void {}
