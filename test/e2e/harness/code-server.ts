import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, type Dirent } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { provision } from './provision';

export interface StartCodeServerOptions {
  /** The folder the workbench opens (code-server's positional argument and `?folder=`). */
  workspace: string;
  /** .vsix files installed (`--install-extension`) before the server starts. */
  vsix?: string[];
  /**
   * Unpacked extension folders (each with a package.json: publisher, name, version, main), e.g. a
   * dev build. They are symlinked into the fresh extensions dir, so node_modules is not copied.
   */
  extensionDirs?: string[];
  /** User settings, merged over the harness defaults (see DEFAULT_SETTINGS). */
  settings?: Record<string, unknown>;
  /** Extra environment for code-server; the extension hosts it starts inherit it. */
  env?: Record<string, string>;
  /** Keep VS Code's workspace trust on (default: off, `--disable-workspace-trust`). */
  workspaceTrust?: boolean;
  /** Extra code-server arguments. */
  args?: string[];
  /** How long to wait for the HTTP server (default 60 s). */
  startTimeoutMs?: number;
  /** Keep the temp folder (user data, extensions, logs) after stop(); also INITLENS_E2E_KEEP=1. */
  keepTemp?: boolean;
}

export interface CodeServer {
  /** Base URL, e.g. http://127.0.0.1:41234/ */
  url: string;
  port: number;
  /** The opened folder (absolute). */
  workspace: string;
  /** `url?folder=<workspace>`: what openWorkbench loads. */
  workbenchUrl: string;
  /** Temp folder holding user-data/, extensions/ and config.yaml. */
  tempDir: string;
  userDataDir: string;
  extensionsDir: string;
  /** code-server's stdout+stderr so far. */
  logs(): string;
  /** Extension host / renderer logs VS Code wrote under user-data/logs (read now). */
  vscodeLogs(): string;
  /** Resolves when the process exits (with its exit code / signal). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Kills code-server's whole process group (extension hosts included) and removes the temp folder. */
  stop(): Promise<void>;
}

/**
 * Settings every harness server starts with (user settings override them). They keep the workbench
 * quiet and deterministic: no welcome page, no chat panel, no telemetry or update checks, and the
 * colour theme follows the browser's prefers-color-scheme (openWorkbench's `theme`) unless
 * `workbench.colorTheme` is given.
 */
export const DEFAULT_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'npm.fetchOnlinePackageInfo': false,
  'typescript.disableAutomaticTypeAcquisition': true,
  'window.autoDetectColorScheme': true,
  'workbench.preferredLightColorTheme': 'Default Light Modern',
  'workbench.preferredDarkColorTheme': 'Default Dark Modern',
};

const live = new Set<ChildProcess>();
let hooksInstalled = false;

/** Never leave servers behind: kill every live process group when this process goes. */
function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  const killAll = () => {
    for (const child of live) killGroup(child, 'SIGKILL');
    live.clear();
  };
  process.on('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      killAll();
      process.kill(process.pid, sig); // the handler is gone now: the default action follows
    });
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is gone already
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function cleanEnv(extra: Record<string, string> | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // A VS Code terminal's variables would make the CLI talk to that VS Code; code-server reads
    // PORT / PASSWORD / HASHED_PASSWORD / GITHUB_TOKEN from the environment.
    if (/^(VSCODE_|ELECTRON_RUN_AS_NODE$|PORT$|PASSWORD$|HASHED_PASSWORD$|GITHUB_TOKEN$|CODE_SERVER_)/.test(k)) continue;
    // node --test marks its children; an extension host must not think it is a test runner child.
    if (k === 'NODE_TEST_CONTEXT' || k === 'NODE_OPTIONS') continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const out = `${stdout}${stderr}`;
      if (err) reject(new Error(`${path.basename(file)} ${args.join(' ')} failed: ${err.message}\n${out}`));
      else resolve(out);
    });
  });
}

interface Manifest {
  publisher: string;
  name: string;
  version: string;
}

function readManifest(dir: string): Manifest {
  const file = path.join(dir, 'package.json');
  if (!existsSync(file)) throw new Error(`extension folder without package.json: ${dir}`);
  const m = JSON.parse(readFileSync(file, 'utf8')) as Partial<Manifest>;
  if (!m.publisher || !m.name || !m.version) throw new Error(`${file}: publisher, name and version are required`);
  return m as Manifest;
}

function readAllLogs(dir: string): string {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.log')) {
        try {
          out.push(`===== ${path.relative(dir, p)}\n${readFileSync(p, 'utf8')}`);
        } catch {
          // rotated away
        }
      }
    }
  };
  walk(dir);
  return out.join('\n');
}

/**
 * Starts code-server on 127.0.0.1 (a free port chosen by the OS) with a fresh user-data-dir and
 * extensions dir in a temp folder, `--auth none`, telemetry and update checks off. The vsix files
 * are installed and the unpacked extensions linked first. Resolves once /healthz answers.
 */
export async function startCodeServer(opts: StartCodeServerOptions): Promise<CodeServer> {
  const { codeServer } = await provision();
  installExitHooks();

  const workspace = path.resolve(opts.workspace);
  if (!existsSync(workspace)) throw new Error(`workspace does not exist: ${workspace}`);
  const keep = opts.keepTemp ?? process.env.INITLENS_E2E_KEEP === '1';
  const tempDir = mkdtempSync(path.join(os.tmpdir(), 'initlens-cs-'));
  const userDataDir = path.join(tempDir, 'user-data');
  const extensionsDir = path.join(tempDir, 'extensions');
  const configFile = path.join(tempDir, 'config.yaml');
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  // An explicit config file: otherwise code-server writes ~/.config/code-server/config.yaml.
  writeFileSync(configFile, 'auth: none\ncert: false\n');

  const settings: Record<string, unknown> = { ...DEFAULT_SETTINGS, ...opts.settings };
  if (opts.settings && 'workbench.colorTheme' in opts.settings && !('window.autoDetectColorScheme' in opts.settings)) {
    settings['window.autoDetectColorScheme'] = false; // an explicit theme wins over the browser's scheme
  }
  writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));

  // code-server keeps a heartbeat file and logs under $XDG_DATA_HOME/code-server: keep them in the
  // temp folder too (not ~/.local/share), unless the caller chose.
  const env = cleanEnv({ XDG_DATA_HOME: path.join(tempDir, 'xdg-data'), ...opts.env });
  const common = ['--config', configFile, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];

  try {
    // Unpacked extensions first: while extensions.json does not exist, VS Code builds it by scanning
    // the folder; the vsix install below then adds to it.
    const expectIds: string[] = [];
    for (const dir of opts.extensionDirs ?? []) {
      const abs = path.resolve(dir);
      const m = readManifest(abs);
      const id = `${m.publisher}.${m.name}`;
      symlinkSync(abs, path.join(extensionsDir, `${id}-${m.version}`.toLowerCase()), 'dir');
      expectIds.push(id.toLowerCase());
    }
    if (opts.vsix?.length) {
      const args = [...common, '--force'];
      for (const v of opts.vsix) {
        if (!existsSync(v)) throw new Error(`no such vsix: ${v}`);
        args.push('--install-extension', path.resolve(v));
      }
      const out = await run(codeServer, args, env);
      for (const v of opts.vsix) {
        if (!out.includes(`'${path.basename(v)}' was successfully installed`)) {
          throw new Error(`installing ${v} failed:\n${out}`);
        }
      }
    }
    if (expectIds.length) {
      const listed = (await run(codeServer, [...common, '--list-extensions'], env)).toLowerCase();
      const missing = expectIds.filter((id) => !listed.split(/\s+/).includes(id));
      if (missing.length) throw new Error(`unpacked extensions not picked up: ${missing.join(', ')}\n${listed}`);
    }
  } catch (e) {
    if (!keep) rmSync(tempDir, { recursive: true, force: true });
    throw e;
  }

  const args = [
    ...common,
    '--bind-addr',
    '127.0.0.1:0',
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']),
    ...(opts.args ?? []),
    workspace,
  ];
  // detached: its own process group, so stop() reaches the extension hosts, pty host, file watcher.
  const child = spawn(codeServer, args, { cwd: workspace, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);

  const chunks: string[] = [];
  let size = 0;
  const collect = (b: Buffer) => {
    const s = b.toString('utf8');
    size += s.length;
    chunks.push(s);
    while (size > 4 * 1024 * 1024 && chunks.length > 1) size -= chunks.shift()!.length; // keep the tail
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const logs = () => chunks.join('');

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
    child.once('error', (err) => {
      collect(Buffer.from(`spawn error: ${err.message}\n`));
      live.delete(child);
      resolve({ code: -1, signal: null });
    });
  });

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    const pid = child.pid;
    if (pid !== undefined && child.exitCode === null && child.signalCode === null) {
      killGroup(child, 'SIGTERM');
      await Promise.race([exited, delay(5000)]);
    }
    if (pid !== undefined) {
      // The main process may be gone while an extension host of its group is not.
      for (let i = 0; i < 20 && groupAlive(pid); i++) {
        if (i === 4) killGroup(child, 'SIGKILL');
        await delay(100);
      }
      killGroup(child, 'SIGKILL');
    }
    live.delete(child);
    if (!keep) rmSync(tempDir, { recursive: true, force: true });
  };

  try {
    const timeout = opts.startTimeoutMs ?? 60_000;
    const port = await waitForPort(logs, exited, timeout);
    const url = `http://127.0.0.1:${port}/`;
    await waitForHealth(url, exited, logs, timeout);
    return {
      url,
      port,
      workspace,
      workbenchUrl: `${url}?folder=${encodeURIComponent(workspace)}`,
      tempDir,
      userDataDir,
      extensionsDir,
      logs,
      vscodeLogs: () => readAllLogs(path.join(userDataDir, 'logs')),
      exited,
      stop,
    };
  } catch (e) {
    await stop();
    throw new Error(`${(e as Error).message}\n--- code-server output ---\n${logs()}`);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function waitForPort(logs: () => string, exited: Promise<unknown>, timeoutMs: number): Promise<number> {
  let done = false;
  void exited.then(() => (done = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const m = /HTTP server listening on https?:\/\/127\.0\.0\.1:(\d+)/.exec(logs());
    if (m) return Number(m[1]);
    if (done) throw new Error('code-server exited before listening');
    await delay(50);
  }
  throw new Error(`code-server did not listen within ${timeoutMs} ms`);
}

async function waitForHealth(url: string, exited: Promise<unknown>, logs: () => string, timeoutMs: number) {
  let done = false;
  void exited.then(() => (done = true));
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (done) throw new Error('code-server exited while starting');
    try {
      const res = await fetch(new URL('healthz', url), { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await delay(100);
  }
  throw new Error(`code-server at ${url} did not answer within ${timeoutMs} ms (${last})`);
}
