/**
 * In-host benchmark suite (runs inside VS Code's extension host through the e2e driver; bench/editor-latency.ts
 * starts it, once with the checks in the worker thread and once with INITLENS_CHECK_IN_WORKER=0). Measures, in
 * this order, on a fresh host:
 *
 * 1. activation: `ext.activate()` before any model file is open (require of dist/extension.js + activate());
 * 2. memory: process.memoryUsage() of the extension host (after a forced GC) before and after opening the 50
 *    files of many/ and waiting for their diagnostics, and the check worker's heap;
 * 3. keystroke-to-diagnostics latency: one-character edits of an activation string ('relu' ↔ 'selu') in the
 *    files of INITLENS_BENCH_FILES, from the edit to the diagnostics of the new text (debounce included), and the
 *    engine's time of each re-check (the document's incremental session);
 * 4. event-loop blocks of the extension host while the 10,000-line file is opened (first check) and then edited:
 *    INITLENS_BENCH_EDITS one-character insertions into a comment in its middle, 30–50 ms apart (typed with the
 *    browser's keyboard when INITLENS_BENCH_KEYBOARD is set, see typeWithKeyboard), until the
 *    diagnostics of the last version are published; INITLENS_BENCH_SESSIONS such typing sessions (the longest
 *    block of each, and their median). perf_hooks.monitorEventLoopDelay (1 ms resolution) and a 2 ms setInterval
 *    drift probe. Then the same typing again under V8's CPU profiler, to say whose code the
 *    long tasks were: InitLens', another extension's (VS Code's TypeScript features share the host), VS Code's
 *    own, or the garbage collector.
 *
 * Results are written (after each step) to the JSON file INITLENS_BENCH_OUT.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as vscode from 'vscode';

const EXTENSION_ID = 'initlens.initlens';

interface Api {
  checkerInfo(): Promise<{ mode: string; threadId?: number; startupMs?: number; workerHeapUsed?: number; workerHeapTotal?: number }>;
  checkOf(uri: vscode.Uri): { version: number; durationMs: number; publishMs?: number; findings: number } | undefined;
}

const results: Record<string, unknown> = {};
const save = () => writeFileSync(process.env.INITLENS_BENCH_OUT!, JSON.stringify(results));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));
const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'initlens');
const folder = () => vscode.workspace.workspaceFolders![0].uri;
const round = (x: number, digits = 1) => Number(x.toFixed(digits));
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

function api(): Api {
  return vscode.extensions.getExtension(EXTENSION_ID)!.exports as Api;
}

/**
 * INITLENS_BENCH_BASELINE=1: the same steps with InitLens turned off (`initlens.enable: false`), to measure what
 * VS Code and the other extensions block the host for on their own. Nothing is checked, so instead of waiting
 * for diagnostics the steps wait as long as a check of the 10,000-line file takes.
 */
const BASELINE = process.env.INITLENS_BENCH_BASELINE === '1';

async function checked(doc: vscode.TextDocument, what: string): Promise<void> {
  if (BASELINE) await sleep(1500);
  else await until(what, () => api().checkOf(doc.uri)?.version === doc.version, 300_000);
}

async function until(what: string, ok: () => boolean, ms: number): Promise<void> {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(20);
  }
}

/** A `gc()` for the memory figures (V8's flag set at run time; the host runs without --expose-gc). */
function gcFunction(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}

function memory() {
  const m = process.memoryUsage();
  const mb = (x: number) => round(x / 1024 / 1024);
  return { rssMB: mb(m.rss), heapUsedMB: mb(m.heapUsed), heapTotalMB: mb(m.heapTotal), externalMB: mb(m.external) };
}

async function activation(): Promise<void> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
  const wasActive = ext.isActive;
  const t0 = performance.now();
  await ext.activate();
  results.activation = { activateMs: wasActive ? null : round(performance.now() - t0), wasActive };
  save();
}

async function memoryOf50Files(): Promise<void> {
  const gc = gcFunction();
  gc?.();
  const before = memory();
  const infoBefore = await api().checkerInfo();
  const uris = (await vscode.workspace.findFiles('many/*.ts')).sort((a, b) => a.toString().localeCompare(b.toString()));
  const t0 = performance.now();
  const docs = await Promise.all(uris.map((u) => vscode.workspace.openTextDocument(u)));
  await until('diagnostics of the 50 files', () => docs.every((d) => api().checkOf(d.uri)?.version === d.version), 600_000);
  const allCheckedMs = performance.now() - t0;
  await sleep(1000);
  gc?.();
  const after = memory();
  const info = await api().checkerInfo();
  const lines = docs.reduce((a, d) => a + d.lineCount, 0);
  const findings = docs.reduce((a, d) => a + (api().checkOf(d.uri)?.findings ?? 0), 0);
  results.memory = {
    files: docs.length,
    lines,
    findings,
    allCheckedMs: round(allCheckedMs),
    gcForced: !!gc,
    before,
    after,
    deltaRssMB: round(after.rssMB - before.rssMB),
    deltaHeapUsedMB: round(after.heapUsedMB - before.heapUsedMB),
    checker: { mode: info.mode, workerHeapUsedMB: info.workerHeapUsed === undefined ? null : round(info.workerHeapUsed / 1024 / 1024) },
    checkerBefore: infoBefore.mode,
  };
  save();
}

async function keystrokeLatency(file: string, edits: number): Promise<{ latencyMs: number[]; recheckMs: number[] }> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder(), file));
  await vscode.window.showTextDocument(doc);
  // The first check (engine load included) before timing keystrokes.
  await until(`the first check of ${file}`, () => api().checkOf(doc.uri)?.version === doc.version && ours(doc.uri).length > 0, 120_000);
  const latencyMs: number[] = [];
  const recheckMs: number[] = [];
  // Toggle one activation string 'relu' ↔ 'selu': each edit changes the findings.
  const at = doc.getText().indexOf("'relu'") + 1;
  for (let k = 0; k < edits; k++) {
    const pos = doc.positionAt(at);
    const next = doc.getText().charAt(at) === 'r' ? 's' : 'r';
    // Done when the diagnostics describe the new text: a selu-needs-lecun finding appears ('selu') or goes ('relu').
    const wantSelu = next === 's';
    const settled = () => ours(doc.uri).some((d) => codeOf(d) === 'selu-needs-lecun') === wantSelu;
    const changed = new Promise<number>((resolve) => {
      const sub = vscode.languages.onDidChangeDiagnostics((e) => {
        if (e.uris.some((u) => u.toString() === doc.uri.toString()) && settled()) {
          sub.dispose();
          resolve(performance.now());
        }
      });
    });
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(pos, pos.translate(0, 1)), next);
    const t0 = performance.now();
    await vscode.workspace.applyEdit(edit);
    latencyMs.push((await changed) - t0);
    const check = api().checkOf(doc.uri);
    if (check?.version === doc.version) recheckMs.push(check.durationMs);
  }
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  return { latencyMs, recheckMs };
}

interface Loop {
  maxMs: number;
  p99Ms: number;
  p50Ms: number;
  meanMs: number;
  /** The longest gap between two ticks of a 2 ms setInterval. */
  probeMaxGapMs: number;
  /** Gaps of that probe longer than 50 ms. */
  probeGapsOver50: number;
  /** Garbage collections of this thread meanwhile: how many, the longest pause, the longest major (mark-compact). */
  gc: { count: number; maxMs: number; majorMaxMs: number };
}

/** Watches the event loop of this (the extension host's) thread until stop(). */
function watchLoop() {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const gcs: { ms: number; major: boolean }[] = [];
  const observer = new PerformanceObserver((list) => {
    // detail.kind: 1 minor (scavenge), 2 major (mark-compact), 4 incremental marking, 8 weak callbacks.
    for (const e of list.getEntries()) gcs.push({ ms: e.duration, major: ((e as { detail?: { kind?: number } }).detail?.kind ?? 0) === 2 });
  });
  observer.observe({ entryTypes: ['gc'] });
  let last = performance.now();
  const gaps: number[] = [];
  const probe = setInterval(() => {
    const now = performance.now();
    gaps.push(now - last);
    last = now;
  }, 2);
  return {
    stop(): Loop {
      h.disable();
      clearInterval(probe);
      observer.disconnect();
      const ms = (ns: number) => round(ns / 1e6);
      return {
        maxMs: ms(h.max),
        p99Ms: ms(h.percentile(99)),
        p50Ms: ms(h.percentile(50)),
        meanMs: ms(h.mean),
        probeMaxGapMs: round(Math.max(0, ...gaps)),
        probeGapsOver50: gaps.filter((g) => g > 50).length,
        gc: {
          count: gcs.length,
          maxMs: round(Math.max(0, ...gcs.map((g) => g.ms))),
          majorMaxMs: round(Math.max(0, ...gcs.filter((g) => g.major).map((g) => g.ms))),
        },
      };
    },
  };
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

function inspectorPost<T>(session: Session, method: string, params: object = {}): Promise<T> {
  return new Promise((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r as T))));
}

/** Whose code a sample ran: the innermost extension on the stack, else the collector, VS Code, or idle. */
function categorize(profile: CpuProfile): (nodeId: number) => string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const memo = new Map<number, string>();
  return (leaf) => {
    const known = memo.get(leaf);
    if (known) return known;
    let cat = 'vscode';
    const first = byId.get(leaf)!.callFrame.functionName;
    if (first === '(idle)') cat = 'idle';
    else if (first === '(garbage collector)') cat = 'gc';
    else if (first === '(program)') cat = 'program';
    else {
      for (let id: number | undefined = leaf; id !== undefined; id = parent.get(id)) {
        const url = byId.get(id)!.callFrame.url;
        if (/initlens\.initlens-/.test(url)) cat = 'initlens';
        else if (/typescript-language-features/.test(url)) cat = 'typescript';
        else if (/initlens-e2e|[\\/]suite[\\/]suite\.js/.test(url)) cat = 'bench';
        else if (/[\\/]extensions[\\/][^\\/]+[\\/]/.test(url)) cat = url.replace(/^.*[\\/]extensions[\\/]([^\\/]+)[\\/].*$/, '$1');
        else continue;
        break;
      }
    }
    memo.set(leaf, cat);
    return cat;
  };
}

interface Task {
  ms: number;
  /** ms per category within the task. */
  by: Record<string, number>;
  /** InitLens' hottest function in the task (self time), if any. */
  initlensTop?: string;
}

/** The long tasks of a profile (runs of non-idle samples), longest first, with whose code they ran. */
function longTasks(profile: CpuProfile): {
  tasks: Task[];
  totals: Record<string, number>;
  longestInitLensMs: number;
  initlensTasks: { taskMs: number; initlensMs: number; top: string[] }[];
} {
  const cat = categorize(profile);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const tasks: Task[] = [];
  const totals: Record<string, number> = {};
  let cur: (Task & { fns: Map<string, number> }) | undefined;
  for (let i = 0; i < profile.samples.length; i++) {
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const c = cat(profile.samples[i]);
    totals[c] = (totals[c] ?? 0) + ms;
    if (c === 'idle') {
      if (cur) tasks.push(cur);
      cur = undefined;
      continue;
    }
    cur ??= { ms: 0, by: {}, fns: new Map() };
    cur.ms += ms;
    cur.by[c] = (cur.by[c] ?? 0) + ms;
    if (c === 'initlens') {
      const f = byId.get(profile.samples[i])!.callFrame;
      const name = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*[\\/]/, '')}:${f.lineNumber + 1}`;
      cur.fns.set(name, (cur.fns.get(name) ?? 0) + ms);
    }
  }
  if (cur) tasks.push(cur);
  tasks.sort((a, b) => b.ms - a.ms);
  const out = tasks.slice(0, 8).map((t) => {
    const fns = (t as Task & { fns?: Map<string, number> }).fns;
    const top = fns && [...fns.entries()].sort((a, b) => b[1] - a[1])[0];
    const by = Object.fromEntries(Object.entries(t.by).map(([k, v]) => [k, round(v)]));
    return { ms: round(t.ms), by, initlensTop: top ? `${top[0]} (${round(top[1])} ms)` : undefined };
  });
  const longestInitLensMs = round(Math.max(0, ...tasks.map((t) => t.by.initlens ?? 0)));
  // The tasks where InitLens' code ran longest, with its hottest functions there.
  const initlensTasks = [...tasks]
    .filter((t) => (t.by.initlens ?? 0) > 0)
    .sort((a, b) => (b.by.initlens ?? 0) - (a.by.initlens ?? 0))
    .slice(0, 5)
    .map((t) => {
      const fns = [...((t as Task & { fns?: Map<string, number> }).fns ?? new Map<string, number>()).entries()].sort((a, b) => b[1] - a[1]).slice(0, 4);
      return { taskMs: round(t.ms), initlensMs: round(t.by.initlens ?? 0), top: fns.map(([f, ms]) => `${f} ${round(ms)} ms`) };
    });
  return { tasks: out, totals: Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, round(v)])), longestInitLensMs, initlensTasks };
}

async function profiled(run: () => Promise<void>): Promise<ReturnType<typeof longTasks> | { error: string }> {
  const session = new Session();
  try {
    session.connect();
    await inspectorPost(session, 'Profiler.enable');
    await inspectorPost(session, 'Profiler.setSamplingInterval', { interval: 500 });
    await inspectorPost(session, 'Profiler.start');
  } catch (e) {
    await run();
    return { error: String(e) };
  }
  let profile: CpuProfile | undefined;
  try {
    await run();
  } finally {
    profile = (await inspectorPost<{ profile: CpuProfile }>(session, 'Profiler.stop')).profile;
    session.disconnect();
  }
  return longTasks(profile);
}

/**
 * INITLENS_BENCH_KEYBOARD: a folder through which this suite asks the bench (outside, driving the browser) to type
 * with the browser's keyboard, as a user does: the keystrokes reach the extension host as document changes from the
 * renderer, not as `workspace.applyEdit` calls made here.
 */
const KEYBOARD = process.env.INITLENS_BENCH_KEYBOARD;
let keyboardRequests = 0;

async function typeWithKeyboard(doc: vscode.TextDocument, line: number, edits: number): Promise<number> {
  await vscode.window.showTextDocument(doc, { preserveFocus: false });
  const id = ++keyboardRequests;
  const before = doc.lineAt(line).text;
  // The bench moves the cursor itself (Go to Line, End): a selection set from here reaches the renderer later.
  writeFileSync(`${KEYBOARD}/request.json`, JSON.stringify({ id, edits, line: line + 1 }));
  await until('the keyboard typing', () => existsSync(`${KEYBOARD}/typed-${id}.json`), 120_000);
  const { typedMs } = JSON.parse(readFileSync(`${KEYBOARD}/typed-${id}.json`, 'utf8')) as { typedMs: number };
  const expected = before + Array.from({ length: edits }, (_, k) => 'abcdefghij'[k % 10]).join('');
  await until(`the ${edits} keystrokes at the end of line ${line + 1}`, () => doc.lineAt(line).text === expected, 30_000);
  return typedMs;
}

/**
 * One-character insertions at the end of a line, 30–50 ms apart (with the browser's keyboard when the bench offers
 * it, else `workspace.applyEdit`); resolves when the last version is checked.
 */
async function typeInto(doc: vscode.TextDocument, line: number, edits: number): Promise<{ typedMs: number; settleMs: number }> {
  if (KEYBOARD) {
    const typedMs = await typeWithKeyboard(doc, line, edits);
    const lastEdit = performance.now();
    await checked(doc, 'the diagnostics of the last version');
    return { typedMs, settleMs: performance.now() - lastEdit };
  }
  const start = performance.now();
  let slot = start;
  for (let k = 0; k < edits; k++) {
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(line, doc.lineAt(line).text.length), 'abcdefghij'[k % 10]);
    await vscode.workspace.applyEdit(edit);
    slot += 30 + ((k * 7) % 21);
    await sleep(Math.max(0, slot - performance.now()));
  }
  const typedMs = performance.now() - start;
  const lastEdit = performance.now();
  await checked(doc, 'the diagnostics of the last version');
  return { typedMs, settleMs: performance.now() - lastEdit };
}

async function editLargeFile(file: string, edits: number, repeat: number): Promise<void> {
  const uri = vscode.Uri.joinPath(folder(), file);
  const open = watchLoop();
  const t0 = performance.now();
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  await checked(doc, `the first check of ${file}`);
  const firstCheckMs = performance.now() - t0;
  const openLoop = open.stop();
  const findings = ours(doc.uri).length;
  const first = BASELINE ? { durationMs: NaN, publishMs: NaN } : api().checkOf(doc.uri)!;

  // A comment line in the middle of the file, then one character at a time at its end, 30–50 ms apart.
  const line = Math.floor(doc.lineCount / 2);
  const opening = new vscode.WorkspaceEdit();
  opening.insert(doc.uri, new vscode.Position(line, 0), '// \n');
  await vscode.workspace.applyEdit(opening);
  await sleep(2000);
  const editing = watchLoop();
  const { typedMs, settleMs } = await typeInto(doc, line, edits);
  await sleep(500);
  const editLoop = editing.stop();
  const info = BASELINE ? { mode: 'off (initlens.enable: false)' } : await api().checkerInfo();
  const editedCheck = BASELINE ? { durationMs: NaN, publishMs: NaN } : api().checkOf(doc.uri)!;
  // More typing sessions: the longest block of one session is at the mercy of the machine's other work.
  const again: Loop[] = [];
  for (let r = 1; r < repeat; r++) {
    await sleep(1000);
    const w = watchLoop();
    await typeInto(doc, line, edits);
    await sleep(500);
    again.push(w.stop());
  }
  const maxima = [editLoop, ...again].map((l) => l.maxMs);
  // The same again under the CPU profiler: whose code the long tasks ran.
  await sleep(1000);
  const profile = await profiled(async () => {
    await typeInto(doc, line, edits);
    await sleep(500);
  });
  results.largeFile = {
    file,
    lines: doc.lineCount,
    findings,
    checker: info.mode,
    open: { firstCheckMs: round(firstCheckMs), engineMs: round(first.durationMs), publishMs: round(first.publishMs ?? NaN), loop: openLoop },
    editing: {
      edits,
      typedMs: round(typedMs),
      lastEditToDiagnosticsMs: round(settleMs),
      engineMs: round(editedCheck.durationMs),
      publishMs: round(editedCheck.publishMs ?? NaN),
      loop: editLoop,
      sessions: maxima.length,
      /** The longest block of each typing session, and their median. */
      maxMsBySession: maxima,
      medianMaxMs: quantile(maxima, 0.5),
      p99MsBySession: [editLoop, ...again].map((l) => l.p99Ms),
      gcMaxMsBySession: [editLoop, ...again].map((l) => l.gc.maxMs),
    },
    profiledEditing: profile,
  };
  save();
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
}

/** INITLENS_BENCH_ONLY=memory,largeFile runs those steps only (activation always runs). */
const only = (process.env.INITLENS_BENCH_ONLY ?? '').split(',').filter(Boolean);
const wanted = (step: string) => only.length === 0 || only.includes(step);

export const tests = [
  { name: 'activation', timeoutMs: 60_000, run: activation },
  { name: 'memory after opening 50 model files', timeoutMs: 900_000, run: () => (wanted('memory') ? memoryOf50Files() : undefined) },
  {
    name: 'keystroke-to-diagnostics latency',
    timeoutMs: 600_000,
    async run() {
      if (!wanted('latency')) return;
      const latency: Record<string, unknown> = {};
      for (const file of (process.env.INITLENS_BENCH_FILES ?? '').split(',').filter(Boolean)) {
        const { latencyMs, recheckMs } = await keystrokeLatency(file, Number(process.env.INITLENS_BENCH_KEYSTROKES ?? 30));
        latency[file] = {
          n: latencyMs.length,
          medianMs: round(quantile(latencyMs, 0.5)),
          p95Ms: round(quantile(latencyMs, 0.95)),
          recheck: recheckMs.length ? { n: recheckMs.length, medianMs: round(quantile(recheckMs, 0.5), 2), p95Ms: round(quantile(recheckMs, 0.95), 2) } : null,
          samplesMs: latencyMs.map((x) => round(x)),
        };
        results.latency = latency;
        save();
      }
    },
  },
  {
    name: 'event-loop blocks while a 10,000-line file is edited',
    timeoutMs: 900_000,
    async run() {
      const file = process.env.INITLENS_BENCH_BIG;
      if (file && wanted('largeFile')) await editLargeFile(file, Number(process.env.INITLENS_BENCH_EDITS ?? 100), Number(process.env.INITLENS_BENCH_SESSIONS ?? 3));
    },
  },
];
