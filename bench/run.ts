/**
 * `npm run bench`: every benchmark of issue 6 in one run on this machine, each part in a fresh process (bench/part.ts)
 * one after the other, then bench/results.json (all figures) and bench/RESULTS.md (the table the README shows, with
 * each target met or missed). A benchmark, not a test: it asserts nothing, and a part that cannot run (no PyTorch,
 * no code-server yet) is reported as such while the others go on.
 *
 *   npm run bench                    all parts
 *   npm run bench -- lint python     only these parts (names below)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';

const ROOT = path.join(__dirname, '..');

interface Part {
  name: string;
  what: string;
  /** Module and exported function run by bench/part.ts, or a command line writing JSON to the file given as $OUT. */
  module?: string;
  fn?: string;
  command?: (out: string) => string[];
}

const PARTS: Part[] = [
  { name: 'lint', what: 'TypeScript lint latency vs the parser floor, and re-check after an edit', module: 'bench/lint-latency.ts', fn: 'runLintLatency' },
  { name: 'python', what: 'Python lint latency vs the parser floor, and re-check after an edit', module: 'bench/python-latency.ts', fn: 'runPythonLatency' },
  { name: 'scan', what: 'workspace scan: 2,000 files, 1 and 2 worker threads, against ESLint', module: 'bench/scan.ts', fn: 'runScanBench' },
  { name: 'forward', what: 'preview forward/backward pass: tfjs WASM and CPU against PyTorch CPU and the matmul peak', module: 'bench/forward.ts', fn: 'runForwardBench' },
  {
    name: 'firstChart',
    what: 'time to first chart in the webview (headless Chromium), examples and two large models',
    command: (out) => ['--import', 'tsx', 'bench/preview-page.ts', '--backends', 'wasm,webgl', '--out', out],
  },
  { name: 'editor', what: 'the extension in code-server: activation, event-loop blocks while editing, host memory', module: 'bench/editor-latency.ts', fn: 'runEditorBench' },
  { name: 'bundles', what: 'bundle sizes (extension, engine, worker, web, webview, vsix)', module: 'bench/run.ts', fn: 'bundleSizes' },
];

/** Sizes of what ships: built in production mode and packaged first. */
export function bundleSizes(): Record<string, number> {
  const run = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.slice(-500)}`);
  };
  run('npm', ['run', 'package']);
  const size = (p: string) => (existsSync(path.join(ROOT, p)) ? statSync(path.join(ROOT, p)).size : NaN);
  return {
    'dist/extension.js': size('dist/extension.js'),
    'dist/engine.js': size('dist/engine.js'),
    'dist/check-worker.js': size('dist/check-worker.js'),
    'dist/web/extension.js': size('dist/web/extension.js'),
    'dist/webview/main.js': size('dist/webview/main.js'),
    'dist/cli.js': size('dist/cli.js'),
    'initlens.vsix': size('initlens.vsix'),
  };
}

interface Outcome {
  ok: boolean;
  seconds: number;
  result?: unknown;
  error?: string;
}

function runPart(part: Part, dir: string): Outcome {
  const out = path.join(dir, `${part.name}.json`);
  const args = part.command ? part.command(out) : ['--import', 'tsx', 'bench/part.ts', part.module!, part.fn!, out];
  const t0 = Date.now();
  // Progress and errors go straight to the terminal; the figures come back in the file.
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  const seconds = (Date.now() - t0) / 1000;
  if (r.status !== 0 || !existsSync(out)) return { ok: false, seconds, error: r.error?.message ?? `exit status ${r.status} (its output is above)` };
  return { ok: true, seconds, result: JSON.parse(readFileSync(out, 'utf8')) };
}

// -------------------------------------------------------------------------------------------------------------
// Targets (issue 6): each reads the figures it needs; a figure that is missing is "not measured", never a pass.

export interface TargetRow {
  target: string;
  value: string;
  met: boolean | undefined;
}

type Results = Record<string, unknown>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

function fmt(v: number, digits = 3): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(digits))) : '–';
}

export function targets(results: Results): TargetRow[] {
  const rows: TargetRow[] = [];
  const add = (target: string, f: () => { value: string; met: boolean | undefined } | undefined) => {
    try {
      const r = f();
      rows.push(r ? { target, ...r } : { target, value: 'not measured', met: undefined });
    } catch {
      rows.push({ target, value: 'not measured', met: undefined });
    }
  };
  const lint = results.lint as Any;
  add('TypeScript full check ≤ 1.5× the bare parse (1,000 lines)', () => {
    const r = lint.rows.find((x: Any) => x.name === 'generated 1000 lines');
    return { value: `${fmt(r.ratio)}× (${fmt(r.checkMs)} ms vs ${fmt(r.parseMs)} ms)`, met: r.ratio <= 1.5 };
  });
  add('TypeScript check grows linearly (ms per line, 1,000 → 10,000 lines)', () => {
    const a = lint.rows.find((x: Any) => x.name === 'generated 1000 lines');
    const b = lint.rows.find((x: Any) => x.name === 'generated 10000 lines');
    const per = (x: Any) => (x.checkMs / x.lines) * 1000;
    const growth = per(b) / per(a);
    return { value: `${fmt(per(a))} → ${fmt(per(b))} µs/line (×${fmt(growth, 2)})`, met: growth <= 1.5 };
  });
  add('TypeScript re-check after a one-character edit ≤ 10 ms p95 (1,000 lines)', () => {
    const s = lint.recheck.session;
    return { value: `p95 ${fmt(s.p95Ms)} ms, median ${fmt(s.medianMs)} ms (full check median ${fmt(lint.recheck.full.medianMs)} ms)`, met: s.p95Ms <= 10 };
  });
  const py = results.python as Any;
  add('Python full check ≤ 1.5× the bare parse (2,000 lines)', () => {
    const r = py.rows.find((x: Any) => x.name === 'generated 2000 lines');
    return { value: `${fmt(r.checkMs / r.parseMs)}× (${fmt(r.checkMs)} ms vs ${fmt(r.parseMs)} ms)`, met: r.checkMs / r.parseMs <= 1.5 };
  });
  add('Python 2,000-line parse + check well under 50 ms', () => {
    const r = py.rows.find((x: Any) => x.name === 'generated 2000 lines');
    return { value: `${fmt(r.checkMs)} ms`, met: r.checkMs < 40 };
  });
  add('Python re-check after a one-character edit ≤ 10 ms p95 (1,000 lines)', () => {
    const s = py.recheck.checkSession;
    return { value: `p95 ${fmt(s.p95Ms)} ms, median ${fmt(s.medianMs)} ms (full check median ${fmt(py.recheck.checkFull.medianMs)} ms)`, met: s.p95Ms <= 10 };
  });
  const fwd = results.forward as Any;
  for (const [field, against] of [
    ['wasmOverTorchForward', 'PyTorch CPU as Debian ships it (eager)'],
    ['wasmOverTorchOnednnForward', 'PyTorch CPU with oneDNN linear layers (MLPs)'],
  ] as const) {
    add(`Preview forward pass on WASM within 3× of ${against}`, () => {
      const rows = (fwd.target.results as Any[]).filter((r) => typeof r[field] === 'number');
      if (!rows.length) return undefined;
      const worst = Math.max(...rows.map((r) => r[field]));
      return { value: rows.map((r) => `${r.workload} ${fmt(r[field], 2)}×`).join(', '), met: worst <= 3 };
    });
  }
  const fc = results.firstChart as Any;
  add('First chart of an example under 1 s (WASM, headless Chromium)', () => {
    const ex = fc.results.filter((r: Any) => r.backend === 'wasm' && /\.(ts|js)$/.test(r.model) && typeof r.firstChartMs === 'number');
    if (!ex.length) return undefined;
    const slow = ex.filter((r: Any) => r.firstChartMs >= 1000);
    const worst = ex.reduce((a: Any, b: Any) => (b.firstChartMs > a.firstChartMs ? b : a));
    return {
      value: `${ex.length - slow.length}/${ex.length} under 1 s; slowest ${worst.model} ${fmt(worst.firstChartMs)} ms${worst.firstChartKind === 'quick' ? ' (quick look)' : ''}${slow.length ? `; over 1 s: ${slow.map((r: Any) => r.model).join(', ')}` : ''}`,
      met: slow.length === 0,
    };
  });
  add('First chart of an example under 1 s, counted from opening the page (load and backend start included)', () => {
    const ex = fc.results.filter((r: Any) => r.backend === 'wasm' && /\.(ts|js)$/.test(r.model) && typeof r.firstChartFromNavigationMs === 'number');
    if (!ex.length) return undefined;
    const slow = ex.filter((r: Any) => r.firstChartFromNavigationMs >= 1000);
    return { value: `${ex.length - slow.length}/${ex.length} under 1 s`, met: slow.length === 0 };
  });
  const ed = results.editor as Any;
  add('Extension activation under 50 ms (as the host reports it; activate() itself)', () => {
    const w = ed.codeServer.worker;
    const host = w.activation.hostReportedMs;
    return typeof host === 'number' ? { value: `${fmt(host)} ms (activate() ${fmt(w.activation.activateMs)} ms)`, met: host < 50 } : undefined;
  });
  add('InitLens\' own work in one extension-host task < 50 ms while a 10,000-line file is typed into (CPU profile)', () => {
    const own = ed.codeServer.worker.largeFile.profiledEditing?.longestInitLensMs;
    const inThread = ed.codeServer['in-thread']?.largeFile?.profiledEditing?.longestInitLensMs;
    if (typeof own !== 'number') return undefined;
    return { value: `${fmt(own)} ms with the worker${typeof inThread === 'number' ? `; ${fmt(inThread)} ms checking on the host thread` : ''}`, met: own < 50 };
  });
  add('Longest extension-host event-loop block < 50 ms while a 10,000-line file is typed into (the whole host)', () => {
    const sessions = (x: Any) => x.editing.maxMsBySession.map((v: number) => fmt(v)).join('/');
    const w = ed.codeServer.worker.largeFile;
    const off = ed.codeServer.off?.largeFile;
    return {
      value: `${fmt(w.editing.loop.maxMs)} ms with InitLens (sessions ${sessions(w)})${off ? `; ${fmt(off.editing.loop.maxMs)} ms with InitLens turned off (sessions ${sessions(off)})` : ''}`,
      met: w.editing.loop.maxMs < 50,
    };
  });
  add('Memory of the extension host after opening 50 model files (no target)', () => {
    const m = ed.codeServer.worker.memory;
    return { value: `rss ${m.before.rssMB} → ${m.after.rssMB} MB, host heap ${m.before.heapUsedMB} → ${m.after.heapUsedMB} MB, worker heap ${m.checker?.workerHeapUsedMB} MB`, met: undefined };
  });
  const b = results.bundles as Any;
  add('vsix under 10 MB', () => ({ value: `${fmt(b['initlens.vsix'] / 1e6)} MB`, met: b['initlens.vsix'] < 10e6 }));
  return rows;
}

/** Figures without a target, for the README: scan throughput and scaling, matmul peak. */
export function facts(results: Results): string[] {
  const out: string[] = [];
  const tryAdd = (f: () => string) => {
    try {
      out.push(f());
    } catch {
      // not measured
    }
  };
  const scan = results.scan as Any;
  tryAdd(() => {
    const row = (t: string) => scan.rows.find((r: Any) => r.tool === t);
    const j1 = row('initlens --jobs 1');
    const j2 = row('initlens --jobs 2');
    return `Workspace scan of ${scan.repository.files} generated files (${scan.repository.lines.toLocaleString('en-US')} lines): initlens ${fmt(j1.filesPerSecond)} files/s, peak ${fmt(j1.maxRssMB)} MB with 1 thread; ${fmt(j2.filesPerSecond)} files/s, ${fmt(j2.maxRssMB)} MB with 2 (×${fmt(scan.scaling.speedupJobs2, 2)}); ESLint with @typescript-eslint/parser is ${fmt(scan.eslint.ratioFilesPerSecond, 2)}× slower per file (1 thread).`;
  });
  const fwd = results.forward as Any;
  tryAdd(() => `Matrix-multiply peak measured: ${fmt(fwd.peak.peakGflops)} GFLOP/s (torch ${fmt(fwd.peak.torchMatmul)}, numpy ${fmt(fwd.peak.numpyMatmul)}, oneDNN linear ${fmt(fwd.peak.onednnLinear)}).`);
  return out;
}

export function markdown(machine: Record<string, unknown>, rows: TargetRow[], parts: Record<string, Outcome>, notes: string[] = []): string {
  const lines = [
    `Measured ${String(machine.date).slice(0, 10)} on ${machine.cpu} (${machine.cores} cores, ${machine.memoryGiB} GiB), Node ${machine.node}; shared machine, load average at start ${machine.loadAverage}.`,
    '',
    '| target | measured | |',
    '|---|---|---|',
    ...rows.map((r) => `| ${r.target} | ${r.value} | ${r.met === undefined ? '–' : r.met ? 'met' : '**missed**'} |`),
    '',
    ...notes.map((n) => `- ${n}`),
    ...(notes.length ? [''] : []),
    `Parts: ${Object.entries(parts)
      .map(([n, o]) => `${n} ${o.ok ? `${Math.round(o.seconds)} s` : `failed (${o.error})`}`)
      .join(' · ')}.`,
    '',
  ];
  return lines.join('\n');
}

function main(): void {
  const only = process.argv.slice(2);
  const dir = mkdtempSync(path.join(tmpdir(), 'initlens-bench-'));
  const machine = {
    date: new Date().toISOString(),
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadAverage: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
  };
  const previous = existsSync(path.join(ROOT, 'bench', 'results.json')) ? (JSON.parse(readFileSync(path.join(ROOT, 'bench', 'results.json'), 'utf8')) as Any) : undefined;
  const parts: Record<string, Outcome> = {};
  const results: Results = {};
  try {
    for (const part of PARTS) {
      if (only.length && !only.includes(part.name)) {
        // Keep the figures of parts not run this time (said in the table by their own date).
        if (previous?.results?.[part.name]) {
          results[part.name] = previous.results[part.name];
          parts[part.name] = { ...previous.parts[part.name], result: undefined };
        }
        continue;
      }
      console.log(`\n== ${part.name}: ${part.what}`);
      const o = runPart(part, dir);
      parts[part.name] = { ok: o.ok, seconds: o.seconds, error: o.error };
      if (o.ok) results[part.name] = o.result;
      else console.log(`   ${part.name} did not run: ${o.error}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const rows = targets(results);
  writeFileSync(path.join(ROOT, 'bench', 'results.json'), `${JSON.stringify({ machine, parts, targets: rows, results }, null, 2)}\n`);
  const md = markdown(machine, rows, parts, facts(results));
  writeFileSync(path.join(ROOT, 'bench', 'RESULTS.md'), md);
  console.log(`\n${md}`);
  console.log('wrote bench/results.json and bench/RESULTS.md');
}

if (require.main === module) main();
