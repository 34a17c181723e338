/**
 * Preview forward pass (issue 6, item 4): the time per forward and per forward+backward pass of the preview's
 * rebuild (src/rebuild: buildModel + measure, exactly what the panel and `initlens report` run) on each
 * TensorFlow.js backend available in Node, against PyTorch on the CPU doing the same work in the same run
 * (bench/torch_forward.py under Debian's python3 with python3-torch), and against the machine's measured
 * matrix-multiply peak. A benchmark, not a test: it asserts nothing and writes no file.
 *
 *   node --import tsx bench/forward.ts [--only mlp10,resnet] [--reps N] [--profile] [--json] [--json-out FILE]
 *
 * Workloads (FLOPs are 2 × the multiply-adds of every dense and convolution layer, from the rebuilt shapes;
 * forward+backward counts the forward and the gradient w.r.t. each layer's input, i.e. 2 × forward, for every
 * engine alike, whatever extra work an engine does):
 * - a 10-layer 512-wide ReLU MLP, batch 512;
 * - a 50-layer 1024-wide ReLU MLP, batch 512;
 * - ResNet-18 (He et al. 2016: 7×7/2 stem, max pool, 4 stages of 2 basic blocks, 64-512 channels, 1000-way
 *   softmax; 11.7 M parameters) at 56×56×3 instead of 224×224×3 (1/16 of the FLOPs), batch 16.
 *
 * Engines, each in its own process, driven one at a time (never two at once) and interleaved rep by rep so that
 * the load of this shared machine drifts over all of them alike:
 * - tfjs-wasm: the WASM backend (XNNPACK, SIMD), single-threaded: what Node gives (tfjs 4.22 reports no thread
 *   support under Node, tfjs issue #3830);
 * - tfjs-wasm-threads: the threaded SIMD binary forced on in Node (see enableWasmThreadsInNode below);
 * - tfjs-cpu: the plain JavaScript backend, on the small MLP only (the others take minutes on it);
 * - torch: PyTorch's eager CPU path with torch.set_num_threads(cores); plus, for the MLPs, the forward pass
 *   through oneDNN (torch.utils.mkldnn), which is what PyTorch does with an optimized BLAS.
 *
 * Each timed pass of the tfjs engines is `measure()`'s passMs (forward, or forward + backward, including the wait
 * for the result); the statistics that the panel then computes (statsMs) are reported beside it.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { format } from 'node:util';
import type { Model } from '../src/core/model';
import type { BuildOptions, BuiltModel } from '../src/rebuild/build';
import { act, model, ref, type NodeSpec } from '../test/rebuild/helpers';

// -------------------------------------------------------------------------------------------------------------
// Workloads

export interface Workload {
  id: string;
  title: string;
  kind: 'mlp' | 'resnet18';
  depth?: number;
  width?: number;
  /** Spatial input size (ResNet). */
  size?: number;
  batch: number;
  /** Timed passes per engine and mode (fewer when one pass exceeds the time budget). */
  reps: number;
  /** Run the JavaScript cpu backend on it. */
  cpu: boolean;
}

export const WORKLOADS: Workload[] = [
  { id: 'mlp10x512', title: 'MLP 10×512, batch 512', kind: 'mlp', depth: 10, width: 512, batch: 512, reps: 5, cpu: true },
  { id: 'mlp50x1024', title: 'MLP 50×1024, batch 512', kind: 'mlp', depth: 50, width: 1024, batch: 512, reps: 3, cpu: false },
  { id: 'resnet18', title: 'ResNet-18 56×56, batch 16', kind: 'resnet18', size: 56, batch: 16, reps: 5, cpu: false },
];

/** The description the analyzers would produce for the workload (framework tfjs, He-normal kernels, ReLU). */
export function workloadModel(w: Workload): { model: Model; buildOptions: BuildOptions } {
  const he = ref('tfjs', 'heNormal');
  if (w.kind === 'mlp') {
    const nodes: NodeSpec[] = [];
    for (let i = 0; i < w.depth!; i++) {
      nodes.push({ kind: 'dense', inFeatures: w.width, outFeatures: w.width, inputShape: i === 0 ? [w.width!] : undefined, kernel: he, activation: act('relu') });
    }
    // 50 × 1024² is 52.5 M parameters: over the rebuild's default cap of 50 M (the panel raises it to 80 M).
    return { model: model('tfjs', nodes, w.id), buildOptions: { seed: 1, maxParams: 100_000_000 } };
  }
  const nodes: NodeSpec[] = [];
  const add = (n: NodeSpec) => nodes.push(n) - 1;
  const conv = (x: number, cin: number, f: number, k: number, s: number) =>
    add({
      kind: 'conv',
      op: 'conv2d',
      inputs: x < 0 ? [] : [x],
      inputShape: x < 0 ? [w.size!, w.size!, 3] : undefined,
      inFeatures: cin,
      outFeatures: f,
      kernelSize: [k, k],
      strides: [s, s],
      useBias: false,
      kernel: he,
    });
  const bn = (x: number, c: number) => add({ kind: 'batchNorm', inputs: [x], inFeatures: c });
  const relu = (x: number) => add({ kind: 'activation', inputs: [x], activation: act('relu') });
  let x = relu(bn(conv(-1, 3, 64, 7, 2), 64));
  x = add({ kind: 'pooling', pooling: 'max', inputs: [x], poolSize: [3, 3], strides: [2, 2] });
  let c = 64;
  for (const [stage, f] of [64, 128, 256, 512].entries()) {
    for (let b = 0; b < 2; b++) {
      const s = stage > 0 && b === 0 ? 2 : 1;
      const y = bn(conv(relu(bn(conv(x, c, f, 3, s), f)), f, f, 3, 1), f);
      const short = s !== 1 || c !== f ? bn(conv(x, c, f, 1, s), f) : x;
      x = relu(add({ kind: 'add', inputs: [y, short] }));
      c = f;
    }
  }
  x = add({ kind: 'globalPooling', pooling: 'average', inputs: [x] });
  add({ kind: 'dense', inputs: [x], inFeatures: 512, outFeatures: 1000, activation: act('softmax') });
  return { model: model('tfjs', nodes, 'resnet18'), buildOptions: { seed: 1, padding: 'same', spatialSize: w.size } };
}

/** 2 × multiply-adds of the dense and convolution layers of one forward pass, from the rebuilt shapes. */
export function forwardFlops(built: BuiltModel, batch: number): number {
  let f = 0;
  for (const l of built.layers) {
    const out = l.outputShape;
    const cin = l.inputShapes[0]?.[l.inputShapes[0].length - 1] ?? 0;
    const cout = out[out.length - 1];
    const positions = out.slice(0, -1).reduce((a, b) => a * b, 1);
    if (l.kind === 'dense') f += 2 * batch * positions * cin * cout;
    else if (l.kind === 'conv') f += 2 * batch * positions * (l.node.kernelSize ?? []).reduce((a, b) => a * b, 1) * cin * cout;
  }
  return f;
}

// -------------------------------------------------------------------------------------------------------------
// WASM threads in Node

/**
 * Makes tfjs-backend-wasm 4.22 start its threaded SIMD binary under Node. Must run before tf.setBackend('wasm');
 * returns a function undoing the temporary patches (call it once the backend is ready). Three obstacles:
 * 1. the WASM_HAS_MULTITHREAD_SUPPORT flag is hard-wired to false under Node (tfjs issue #3830): set it;
 * 2. the pthread worker script is handed to Emscripten as a Blob URL, which Node's worker_threads refuse
 *    (ERR_WORKER_PATH): the worker text is written to a temporary file instead, with its `importScripts` of the
 *    main script pointed at the package's own wasm-out/tfjs-backend-wasm-threaded-simd.js;
 * 3. the C++ side caps the pool at emscripten_num_logical_cores() / 2 ("many x86-64 processors have 2 threads
 *    per core"), i.e. 1 thread on a 2-core machine without SMT: os.cpus() is doubled while the module starts.
 * `threads` is then passed to setThreadsCount. Worker threads keep Node alive: the caller exits explicitly.
 */
export function enableWasmThreadsInNode(tf: typeof import('@tensorflow/tfjs'), wasm: typeof import('@tensorflow/tfjs-backend-wasm'), threads: number): () => void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'initlens-wasm-threads-'));
  const mainScript = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '..', 'wasm-out', 'tfjs-backend-wasm-threaded-simd.js');
  const g = globalThis as unknown as { Blob: typeof Blob };
  const OrigBlob = g.Blob;
  const origCreate = URL.createObjectURL;
  const origCpus = os.cpus;
  class TextBlob extends OrigBlob {
    readonly text0: string;
    constructor(parts: BlobPart[], opts?: BlobPropertyBag) {
      super(parts, opts);
      this.text0 = parts.map((p) => (typeof p === 'string' ? p : '')).join('');
    }
  }
  g.Blob = TextBlob as typeof Blob;
  URL.createObjectURL = (b: Blob) => {
    if (b instanceof TextBlob && b.text0.includes('worker_threads') && b.text0.includes('importScripts(objectUrl)')) {
      const file = path.join(dir, 'tfjs-backend-wasm-threaded-simd.worker.js');
      writeFileSync(file, b.text0.replace('importScripts(objectUrl)', `importScripts(${JSON.stringify(mainScript)})`));
      return file;
    }
    return origCreate(b);
  };
  os.cpus = () => {
    const c = origCpus();
    return [...c, ...c];
  };
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  wasm.setThreadsCount(threads);
  return () => {
    g.Blob = OrigBlob;
    URL.createObjectURL = origCreate;
    os.cpus = origCpus;
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  };
}

// -------------------------------------------------------------------------------------------------------------
// Engine processes: JSON lines, each reply prefixed so that stray output of a library cannot be mistaken for one.

const MARK = '@@initlens-bench ';

type Reply = Record<string, unknown> & { ok?: boolean; error?: string };

class EngineProcess {
  private proc: ChildProcessWithoutNullStreams;
  private waiting: ((r: Reply) => void)[] = [];
  private stderr: string[] = [];
  readonly hello: Promise<Reply>;
  exited = false;

  constructor(
    readonly name: string,
    cmd: string,
    args: string[],
  ) {
    this.proc = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, PYTHONUNBUFFERED: '1' } });
    const rl = readline.createInterface({ input: this.proc.stdout });
    rl.on('line', (line) => {
      if (!line.startsWith(MARK)) return;
      const r = JSON.parse(line.slice(MARK.length)) as Reply;
      this.waiting.shift()?.(r);
    });
    this.proc.stderr.on('data', (d: Buffer) => {
      this.stderr.push(d.toString());
      if (this.stderr.length > 50) this.stderr.shift();
    });
    this.proc.on('error', (e) => this.fail(`cannot start: ${e.message}`));
    this.proc.on('exit', (code, sig) => {
      this.exited = true;
      this.fail(`exited (${sig ?? code})${this.tail()}`);
    });
    this.hello = new Promise((res) => this.waiting.push(res));
  }

  private tail(): string {
    const t = this.stderr.join('').trim().split('\n').slice(-3).join(' | ');
    return t ? `: ${t.slice(0, 400)}` : '';
  }

  private fail(error: string) {
    for (const w of this.waiting.splice(0)) w({ ok: false, ready: false, error });
  }

  send(msg: Record<string, unknown>): Promise<Reply> {
    if (this.exited) return Promise.resolve({ ok: false, error: `${this.name} has exited${this.tail()}` });
    return new Promise((res) => {
      this.waiting.push(res);
      this.proc.stdin.write(`${JSON.stringify(msg)}\n`);
    });
  }

  async close(): Promise<void> {
    if (this.exited) return;
    const done = new Promise<void>((res) => this.proc.once('exit', () => res()));
    this.proc.stdin.end(`${JSON.stringify({ op: 'exit' })}\n`);
    const timer = setTimeout(() => this.proc.kill(), 5000);
    await done;
    clearTimeout(timer);
  }
}

/** The child side of a tfjs engine: `node --import tsx bench/forward.ts --engine wasm|cpu [--threads N]`. */
async function serveTfjs(backend: string, threads: number): Promise<void> {
  // Protocol on stdout only: everything a library logs goes to stderr.
  const toErr = (...a: unknown[]) => process.stderr.write(`${format(...a)}\n`);
  console.log = toErr;
  console.info = toErr;
  console.warn = toErr;
  const out = (r: Reply) => process.stdout.write(`${MARK}${JSON.stringify(r)}\n`);
  const tf = await import('@tensorflow/tfjs');
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const { buildModel } = await import('../src/rebuild/build');
  const { measure } = await import('../src/rebuild/measure');
  const info: Record<string, unknown> = { backend, tfjs: tf.version.tfjs };
  try {
    let restore: (() => void) | undefined;
    if (backend === 'wasm' && threads > 1) restore = enableWasmThreadsInNode(tf, wasm, threads);
    const t0 = performance.now();
    const ok = await tf.setBackend(backend);
    await tf.ready();
    restore?.();
    info.initMs = Math.round(performance.now() - t0);
    if (!ok || tf.getBackend() !== backend) throw new Error(`tf.setBackend('${backend}') failed`);
    if (backend === 'wasm') {
      info.simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
      info.threads = wasm.getThreadsCount();
      info.binary = threads > 1 ? 'tfjs-backend-wasm-threaded-simd.wasm' : info.simd ? 'tfjs-backend-wasm-simd.wasm' : 'tfjs-backend-wasm.wasm';
    }
    out({ ready: true, info });
  } catch (e) {
    out({ ready: false, info, error: (e as Error).message });
    process.exit(0);
  }

  let built: BuiltModel | undefined;
  let work: Workload | undefined;
  const input = { kind: 'gaussian' as const, mean: 0, std: 1 };
  const measureOptions = (backward: boolean, seed: number) => ({
    batch: work!.batch,
    seed,
    input,
    backward,
    skipWeights: true,
    maxElements: 2 ** 31, // the batch as asked, not reduced to the panel's memory cap
  });
  let seed = 0;
  const rl = readline.createInterface({ input: process.stdin });
  for await (const line of rl) {
    if (!line.trim()) continue;
    const msg = JSON.parse(line) as { op: string; workload?: Workload; mode?: string };
    try {
      if (msg.op === 'exit') break;
      if (msg.op === 'setup') {
        built?.dispose();
        built = undefined;
        work = msg.workload!;
        const { model: m, buildOptions } = workloadModel(work);
        const t0 = performance.now();
        const b = buildModel(tf, m, buildOptions);
        if (!b.ok) throw new Error(b.reason);
        built = b;
        out({ ok: true, buildMs: performance.now() - t0, params: b.params, flops: { forward: forwardFlops(b, work.batch) }, notes: b.notes });
      } else if (msg.op === 'run') {
        const r = await measure(tf, built!, measureOptions(msg.mode === 'backward', ++seed));
        if (r.batch !== work!.batch) throw new Error(`batch reduced to ${r.batch}`);
        out({ ok: true, ms: r.timing.passMs, statsMs: r.timing.statsMs, notes: r.notes });
      } else if (msg.op === 'profile') {
        let r: Awaited<ReturnType<typeof measure>> | undefined;
        const p = await tf.profile(async () => {
          r = await measure(tf, built!, measureOptions(msg.mode === 'backward', ++seed));
        });
        const byKernel = new Map<string, { ms: number; calls: number }>();
        for (const k of p.kernels) {
          if (k.name.endsWith('__op')) continue; // an op wrapping kernels (fused ops' customGrad): counted in them
          const e = byKernel.get(k.name) ?? { ms: 0, calls: 0 };
          e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
          e.calls++;
          byKernel.set(k.name, e);
        }
        const kernels = [...byKernel.entries()].map(([name, v]) => ({ name, ...v })).sort((a, b) => b.ms - a.ms);
        out({ ok: true, ms: r!.timing.passMs, kernelMs: kernels.reduce((a, k) => a + k.ms, 0), kernels });
      } else if (msg.op === 'matmul') {
        // The backend's matmul kernel alone (n³, float32): the ceiling for the MLPs.
        const n = (msg as { n?: number }).n ?? 1024;
        const a = tf.randomNormal([n, n]);
        const b = tf.randomNormal([n, n]);
        const ts: number[] = [];
        let cpu0: number[] = [];
        for (let i = 0; i < 6; i++) {
          if (i === 2) cpu0 = threadCpuMs();
          const t0 = performance.now();
          const c = tf.matMul(a, b);
          await c.data();
          c.dispose();
          if (i >= 2) ts.push(performance.now() - t0);
        }
        // CPU time per thread of this process during the timed matmuls: with XNNPACK threads at work, the pool's
        // worker shows about as much as the main thread.
        const cpu1 = threadCpuMs();
        const perThread = cpu1.map((v, i) => v - (cpu0[i] ?? 0)).filter((v) => v > 0).sort((x, y) => y - x);
        a.dispose();
        b.dispose();
        out({ ok: true, n, gflops: (2 * n ** 3) / median(ts) / 1e6, wallMs: ts.reduce((x, y) => x + y, 0), threadCpuMs: perThread });
      } else throw new Error(`unknown op ${msg.op}`);
    } catch (e) {
      out({ ok: false, error: (e as Error).message });
    }
  }
  built?.dispose();
  process.exit(0);
}

/** CPU time (user + system, ms) of each thread of this process, by thread id order (Linux; [] elsewhere). */
function threadCpuMs(): number[] {
  try {
    const tick = 10; // USER_HZ = 100 on Linux
    return readdirSync('/proc/self/task')
      .sort((a, b) => Number(a) - Number(b))
      .map((t) => {
        const stat = readFileSync(`/proc/self/task/${t}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return (Number(f[11]) + Number(f[12])) * tick;
      });
  } catch {
    return [];
  }
}

/** Cores' worth of CPU busy on the whole machine over `ms` (Linux /proc/stat; undefined elsewhere). */
async function machineBusyCores(ms: number): Promise<number | undefined> {
  const sample = () => {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = f[3] + (f[4] ?? 0);
    return { idle, total: f.reduce((a, b) => a + b, 0) };
  };
  try {
    const a = sample();
    await new Promise((r) => setTimeout(r, ms));
    const b = sample();
    return ((b.total - b.idle - (a.total - a.idle)) / (b.total - a.total)) * os.cpus().length;
  } catch {
    return undefined;
  }
}

// -------------------------------------------------------------------------------------------------------------
// The run

export interface PassResult {
  /** Median time of one pass, ms. */
  ms: number;
  /** Fastest pass, ms: the least disturbed by the rest of the machine. */
  best: number;
  samples: number[];
  gflops: number;
  /** GFLOP/s as a fraction of the measured matmul peak. */
  ofPeak?: number;
  /** Median time of the panel's statistics after the pass (tfjs engines). */
  statsMs?: number;
}

export interface EngineWorkloadResult {
  forward?: PassResult;
  backward?: PassResult;
  skipped?: string;
  error?: string;
}

export interface ForwardBenchOptions {
  /** Workload ids (or substrings) to run; default all. */
  only?: string[];
  /** Override the reps of every workload. */
  reps?: number;
  /** Time budget per engine, workload and mode: fewer reps when one pass is long (default 20 s). */
  budgetMs?: number;
  /** Per-kernel profile of the wasm passes. */
  profile?: boolean;
  log?: (line: string) => void;
}

const ENGINE_TITLES: Record<string, string> = {
  'tfjs-wasm': 'tfjs wasm (SIMD, 1 thread)',
  'tfjs-wasm-threads': 'tfjs wasm (SIMD, threads)',
  'tfjs-cpu': 'tfjs cpu (JavaScript)',
  torch: 'PyTorch CPU (eager)',
  'torch-onednn': 'PyTorch CPU (oneDNN linear)',
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

function findPython(): { cmd?: string; note?: string } {
  for (const cmd of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(cmd, ['-c', 'import torch'], { encoding: 'utf8', timeout: 120_000 });
    if (r.error) continue;
    if (r.status === 0) return { cmd };
    const last = (r.stderr ?? '').trim().split('\n').pop() ?? '';
    if (cmd === 'python3' || !/No module named/.test(last)) return { note: `${cmd}: ${last}` };
  }
  return { note: 'no python3' };
}

export async function runForwardBench(options: ForwardBenchOptions = {}): Promise<Record<string, unknown>> {
  const log = options.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  const budget = options.budgetMs ?? 20_000;
  const workloads = WORKLOADS.filter((w) => !options.only?.length || options.only.some((o) => w.id.includes(o)));
  const self = __filename;
  const nodeArgs = ['--import', 'tsx', self, '--engine'];

  const engines = new Map<string, EngineProcess>();
  const engineInfo: Record<string, Record<string, unknown>> = {};
  const start = (name: string, cmd: string, args: string[]) => engines.set(name, new EngineProcess(name, cmd, args));
  start('tfjs-wasm', process.execPath, [...nodeArgs, 'wasm', '--threads', '1']);
  start('tfjs-wasm-threads', process.execPath, [...nodeArgs, 'wasm', '--threads', String(os.cpus().length)]);
  start('tfjs-cpu', process.execPath, [...nodeArgs, 'cpu']);
  const py = findPython();
  if (py.cmd) start('torch', py.cmd, [path.join(__dirname, 'torch_forward.py'), '--serve']);
  else engineInfo.torch = { ready: false, error: `absent: apt-get install python3-torch (${py.note})` };

  for (const [name, e] of engines) {
    const h = await e.hello;
    engineInfo[name] = h.ready ? { ready: true, ...(h.info as object) } : { ready: false, error: h.error ?? 'not ready' };
    if (!h.ready) {
      log(`${name}: ${engineInfo[name].error}`);
      await e.close();
      engines.delete(name);
    }
  }
  if (engineInfo['tfjs-wasm-threads']?.ready && engineInfo['tfjs-wasm-threads'].threads === 1) {
    engineInfo['tfjs-wasm-threads'].note = 'the threaded binary started but XNNPACK has 1 thread';
  }
  const torch = engines.get('torch');
  for (const n of ['tfjs-wasm', 'tfjs-wasm-threads']) {
    const e = engines.get(n);
    if (!e) continue;
    const r = await e.send({ op: 'matmul', n: 1024 });
    if (r.ok) {
      engineInfo[n].matmulGflops = r.gflops;
      engineInfo[n].matmulWallMs = r.wallMs;
      engineInfo[n].matmulThreadCpuMs = r.threadCpuMs;
    }
  }

  // The machine's matmul peak (before and after the workloads; the better of the two).
  const peaks: Record<string, number>[] = [];
  const measurePeak = async () => {
    if (!torch) return;
    log('matmul peak (torch and numpy 1024³, oneDNN 2048³, float32)…');
    const p = await torch.send({ op: 'peak', n: 2048, reps: 5 });
    if (p.ok) peaks.push(p as unknown as Record<string, number>);
    else log(`peak: ${p.error}`);
  };
  // Load of the rest of the machine (every engine idle): this machine is shared, timings drift with it.
  const busyBefore = await machineBusyCores(2000);
  await measurePeak();

  const results: Record<string, unknown>[] = [];
  for (const w of workloads) {
    log(`${w.title}…`);
    const participants = [...engines.keys()].filter((n) => n !== 'tfjs-cpu' || w.cpu);
    const per: Record<string, EngineWorkloadResult & { info?: Reply }> = {};
    if (!w.cpu && engineInfo['tfjs-cpu']?.ready) {
      per['tfjs-cpu'] = { skipped: 'the JavaScript cpu backend takes minutes per pass at this size (see its GFLOP/s on the small MLP)' };
    }
    const setups: Record<string, Reply> = {};
    for (const n of participants) {
      const r = await engines.get(n)!.send({ op: 'setup', workload: w });
      setups[n] = r;
      if (!r.ok) per[n] = { error: r.error };
    }
    const active = participants.filter((n) => setups[n].ok);
    // Variants: the oneDNN forward of torch on the MLPs.
    type Slot = { engine: string; key: string; mode: 'forward' | 'backward'; variant?: string };
    const slots: Slot[] = [];
    for (const mode of ['forward', 'backward'] as const) {
      for (const n of active) slots.push({ engine: n, key: n, mode });
      if (mode === 'forward' && w.kind === 'mlp' && active.includes('torch')) slots.push({ engine: 'torch', key: 'torch-onednn', mode, variant: 'onednn' });
    }
    const samples = new Map<Slot, { ms: number[]; statsMs: number[]; target: number }>();
    const run = async (s: Slot) => {
      const r = await engines.get(s.engine)!.send({ op: 'run', mode: s.mode, variant: s.variant });
      if (!r.ok) throw new Error(`${s.key} ${s.mode}: ${r.error}`);
      return r as { ms: number; statsMs?: number };
    };
    // Warm-up: until 2 passes or 5 s; a single pass over 5 s counts as a sample (no JIT or cache effect left).
    for (const s of slots) {
      const entry = { ms: [] as number[], statsMs: [] as number[], target: options.reps ?? w.reps };
      samples.set(s, entry);
      try {
        let spent = 0;
        for (let i = 0; i < 2 && spent < 5000; i++) {
          const r = await run(s);
          spent += r.ms;
          if (r.ms > 5000) {
            entry.ms.push(r.ms);
            if (r.statsMs !== undefined) entry.statsMs.push(r.statsMs);
          }
          entry.target = Math.max(1, Math.min(entry.target, Math.floor(budget / r.ms)));
        }
      } catch (e) {
        const slotResult = (per[s.key] ??= {});
        slotResult.error = (e as Error).message;
        entry.target = 0;
      }
    }
    // Timed passes, interleaved over the engines.
    for (let rep = 0; [...samples.values()].some((e) => e.ms.length < e.target); rep++) {
      for (const s of slots) {
        const e = samples.get(s)!;
        if (e.ms.length >= e.target) continue;
        try {
          const r = await run(s);
          e.ms.push(r.ms);
          if (r.statsMs !== undefined) e.statsMs.push(r.statsMs);
        } catch (err) {
          (per[s.key] ??= {}).error = (err as Error).message;
          e.target = e.ms.length;
        }
      }
    }
    const fwdFlops = Number((setups['tfjs-wasm']?.flops as { forward?: number } | undefined)?.forward ?? (setups.torch?.flops as { forward?: number } | undefined)?.forward ?? NaN);
    const torchFlops = (setups.torch?.flops as { forward?: number } | undefined)?.forward;
    for (const [s, e] of samples) {
      if (!e.ms.length) continue;
      const flops = fwdFlops * (s.mode === 'backward' ? 2 : 1);
      const ms = median(e.ms);
      const best = Math.min(...e.ms);
      const pr: PassResult = { ms, best, samples: e.ms.map((x) => Math.round(x * 10) / 10), gflops: flops / ms / 1e6 };
      if (e.statsMs.length) pr.statsMs = median(e.statsMs);
      (per[s.key] ??= {})[s.mode] = pr;
    }
    const t = (k: string, m: 'forward' | 'backward') => per[k]?.[m]?.ms;
    const tb = (k: string, m: 'forward' | 'backward') => per[k]?.[m]?.best;
    const ratio = (a?: number, b?: number) => (a !== undefined && b !== undefined ? a / b : undefined);
    const params = setups['tfjs-wasm']?.params ?? setups.torch?.params;
    results.push({
      id: w.id,
      title: w.title,
      batch: w.batch,
      params,
      flops: { forward: fwdFlops, backward: 2 * fwdFlops, torchForward: torchFlops },
      notes: setups['tfjs-wasm']?.notes,
      engines: per,
      ratios: {
        wasmOverTorchForward: ratio(t('tfjs-wasm', 'forward'), t('torch', 'forward')),
        wasmOverTorchForwardBest: ratio(tb('tfjs-wasm', 'forward'), tb('torch', 'forward')),
        wasmOverTorchOnednnForwardBest: ratio(tb('tfjs-wasm', 'forward'), tb('torch-onednn', 'forward')),
        wasmOverTorchBackward: ratio(t('tfjs-wasm', 'backward'), t('torch', 'backward')),
        wasmOverTorchOnednnForward: ratio(t('tfjs-wasm', 'forward'), t('torch-onednn', 'forward')),
        wasmThreadsOverWasmForward: ratio(t('tfjs-wasm-threads', 'forward'), t('tfjs-wasm', 'forward')),
        wasmThreadsOverWasmBackward: ratio(t('tfjs-wasm-threads', 'backward'), t('tfjs-wasm', 'backward')),
        cpuOverWasmForward: ratio(t('tfjs-cpu', 'forward'), t('tfjs-wasm', 'forward')),
      },
    });
    if (options.profile && engines.has('tfjs-wasm') && setups['tfjs-wasm']?.ok) {
      const prof: Record<string, unknown> = {};
      for (const mode of ['forward', 'backward']) {
        const r = await engines.get('tfjs-wasm')!.send({ op: 'profile', mode });
        prof[mode] = r.ok ? { ms: r.ms, kernelMs: r.kernelMs, top: (r.kernels as unknown[]).slice(0, 10) } : { error: r.error };
      }
      results[results.length - 1].profile = prof;
    }
  }
  await measurePeak();
  const busyAfter = await machineBusyCores(2000);
  for (const e of engines.values()) await e.close();

  // Peak: the best matmul throughput measured by any library, before or after.
  const best = (k: string) => Math.max(...peaks.map((p) => p[k] ?? 0), 0) || undefined;
  const peak = { torchMatmul: best('torchMatmul'), numpyMatmul: best('numpyMatmul'), onednnLinear: best('onednnLinear') } as Record<string, number | undefined>;
  const peakGflops = Math.max(peak.torchMatmul ?? 0, peak.numpyMatmul ?? 0, peak.onednnLinear ?? 0) || undefined;
  for (const r of results) {
    for (const e of Object.values(r.engines as Record<string, EngineWorkloadResult>)) {
      for (const p of [e.forward, e.backward]) if (p && peakGflops) p.ofPeak = p.gflops / peakGflops;
    }
  }
  const target = results.map((r) => {
    const q = r.ratios as Record<string, number | undefined>;
    const met = (x?: number) => (x !== undefined ? x <= 3 : undefined);
    return {
      workload: r.id,
      wasmOverTorchForward: q.wasmOverTorchForward,
      met: met(q.wasmOverTorchForward),
      wasmOverTorchForwardBest: q.wasmOverTorchForwardBest,
      metBest: met(q.wasmOverTorchForwardBest),
      wasmOverTorchOnednnForward: q.wasmOverTorchOnednnForward,
      metAgainstOnednn: met(q.wasmOverTorchOnednnForward),
      wasmOverTorchOnednnForwardBest: q.wasmOverTorchOnednnForwardBest,
      metAgainstOnednnBest: met(q.wasmOverTorchOnednnForwardBest),
    };
  });
  return {
    date: new Date().toISOString(),
    machine: {
      cpu: os.cpus()[0]?.model,
      cores: os.cpus().length,
      node: process.version,
      loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
      /** Cores busy with other work while every engine of the bench was idle, before and after the workloads. */
      otherLoadCores: [busyBefore, busyAfter].map((x) => (x === undefined ? undefined : Math.round(x * 100) / 100)),
    },
    engines: engineInfo,
    peak: { ...peak, peakGflops },
    workloads: results,
    target: { text: 'preview forward pass on WASM within 3× of PyTorch CPU for the same shapes', results: target },
  };
}

// -------------------------------------------------------------------------------------------------------------
// Table

export function printForwardBench(res: Record<string, unknown>): void {
  const f = (v: number | undefined, d = 0) => (v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(d));
  const engines = res.engines as Record<string, Record<string, unknown>>;
  const peak = res.peak as Record<string, number | undefined>;
  const machine = res.machine as { cpu?: string; cores: number; node: string; otherLoadCores: (number | undefined)[] };
  console.log('Preview forward pass: tfjs backends in Node vs PyTorch CPU, same shapes, same run');
  console.log(
    `  ${machine.cpu ?? '?'}, ${machine.cores} cores, Node ${machine.node}; other work on the machine: ${machine.otherLoadCores.map((x) => f(x, 2)).join(' / ')} cores busy (before / after)`,
  );
  for (const [n, e] of Object.entries(engines)) {
    let desc: string;
    if (!e.ready) desc = `unavailable: ${e.error}`;
    else if (n === 'torch') desc = `torch ${e.torch}, ${e.threads} threads, ${e.cpuCapability}, BLAS ${(e.blas as string[] | undefined)?.find((b) => /blas/.test(b)) ?? '?'}`;
    else {
      desc = `tfjs ${e.tfjs}`;
      if (e.simd !== undefined) desc += `, SIMD ${e.simd}, ${e.threads} thread(s), ${e.binary}`;
      if (e.matmulGflops) {
        const cpu = e.matmulThreadCpuMs as number[] | undefined;
        desc += `; tf.matMul 1024³ ${f(e.matmulGflops as number, 1)} GFLOP/s`;
        if (cpu?.length) desc += ` (thread CPU ${cpu.slice(0, 3).map((x) => f(x)).join('+')} ms in ${f(e.matmulWallMs as number)} ms)`;
      }
      if (e.note) desc += ` (${e.note})`;
    }
    console.log(`  ${n.padEnd(18)} ${desc}`);
  }
  console.log(
    `  matmul peak fp32: torch.matmul 1024³ ${f(peak.torchMatmul, 1)}, numpy 1024³ ${f(peak.numpyMatmul, 1)}, oneDNN 2048³ ${f(peak.onednnLinear, 1)} GFLOP/s → peak ${f(peak.peakGflops, 1)} GFLOP/s`,
  );
  console.log('  ms: median (best) of the timed passes; GFLOP/s and % of peak from the median; stats: the panel\'s statistics after the pass');
  console.log('');
  console.log(
    'engine'.padEnd(29),
    'forward ms'.padStart(15),
    'GFLOP/s'.padStart(8),
    '%peak'.padStart(6),
    'fwd+bwd ms'.padStart(15),
    'GFLOP/s'.padStart(8),
    '%peak'.padStart(6),
    'stats ms'.padStart(9),
  );
  const ms = (p?: PassResult) => (p ? `${f(p.ms)} (${f(p.best)})` : '–');
  for (const w of res.workloads as Record<string, unknown>[]) {
    const fl = w.flops as { forward: number };
    console.log(`${String(w.title)}: ${(fl.forward / 1e9).toFixed(2)} GFLOP forward, ${((2 * fl.forward) / 1e9).toFixed(2)} GFLOP forward+backward, ${Number(w.params).toLocaleString('en-US')} parameters`);
    for (const [n, e] of Object.entries(w.engines as Record<string, EngineWorkloadResult>)) {
      const a = e.forward;
      const b = e.backward;
      const pct = (p?: PassResult) => (p?.ofPeak !== undefined ? (100 * p.ofPeak).toFixed(0) : '–');
      const tail = e.skipped ? `skipped: ${e.skipped}` : e.error ? `error: ${e.error}` : '';
      console.log(
        `  ${(ENGINE_TITLES[n] ?? n).padEnd(27)}`,
        ms(a).padStart(15),
        f(a?.gflops, 1).padStart(8),
        pct(a).padStart(6),
        ms(b).padStart(15),
        f(b?.gflops, 1).padStart(8),
        pct(b).padStart(6),
        f(a?.statsMs ?? b?.statsMs).padStart(9),
        tail,
      );
    }
    const q = w.ratios as Record<string, number | undefined>;
    console.log(
      `  wasm / torch: forward ${f(q.wasmOverTorchForward, 2)}× (best ${f(q.wasmOverTorchForwardBest, 2)}×), fwd+bwd ${f(q.wasmOverTorchBackward, 2)}×` +
        (q.wasmOverTorchOnednnForward !== undefined ? `; wasm / torch oneDNN forward ${f(q.wasmOverTorchOnednnForward, 2)}× (best ${f(q.wasmOverTorchOnednnForwardBest, 2)}×)` : '') +
        `; wasm threads / 1 thread: fwd ${f(q.wasmThreadsOverWasmForward, 2)}×, fwd+bwd ${f(q.wasmThreadsOverWasmBackward, 2)}×`,
    );
    const prof = w.profile as Record<string, { ms?: number; kernelMs?: number; top?: { name: string; ms: number; calls: number }[] }> | undefined;
    if (prof) {
      for (const [mode, p] of Object.entries(prof)) {
        if (p.ms === undefined) continue;
        const top = (p.top ?? []).slice(0, 6).map((k) => `${k.name} ${k.ms.toFixed(0)} ms/${k.calls}`).join(', ');
        console.log(`  wasm ${mode} profile: pass ${f(p.ms)} ms, kernels ${f(p.kernelMs)} ms: ${top}`);
      }
    }
  }
  const t = res.target as { text: string; results: Record<string, number | boolean | string | undefined>[] };
  console.log('');
  console.log(`Target: ${t.text}`);
  const yes = (m: unknown) => (m === undefined ? 'not measured' : m ? 'met' : 'MISSED');
  for (const r of t.results) {
    let line = `  ${String(r.workload).padEnd(12)} vs torch eager: ${f(r.wasmOverTorchForward as number, 2)}× ${yes(r.met)} (best-of: ${f(r.wasmOverTorchForwardBest as number, 2)}× ${yes(r.metBest)})`;
    if (r.wasmOverTorchOnednnForward !== undefined) {
      line += `; vs torch oneDNN linear: ${f(r.wasmOverTorchOnednnForward as number, 2)}× ${yes(r.metAgainstOnednn)} (best-of: ${f(r.wasmOverTorchOnednnForwardBest as number, 2)}× ${yes(r.metAgainstOnednnBest)})`;
    }
    console.log(line);
  }
}

// -------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const opt = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const engine = opt('--engine');
  if (engine) return serveTfjs(engine, Number(opt('--threads') ?? 1));
  const res = await runForwardBench({
    only: opt('--only')?.split(','),
    reps: opt('--reps') ? Number(opt('--reps')) : undefined,
    profile: argv.includes('--profile'),
  });
  const jsonOut = opt('--json-out');
  if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify(res, null, 2)}\n`);
  if (argv.includes('--json')) console.log(JSON.stringify(res, null, 2));
  else printForwardBench(res);
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
