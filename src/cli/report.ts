/**
 * `initlens report <file> [--model NAME] --out report.html`: the preview page as one self-contained HTML file, for
 * CI artifacts. The model is rebuilt and measured here, in Node, with TensorFlow.js on its WASM backend (CPU if
 * WASM cannot start), for the current initializers and the alternatives (and LSUV); the page's script and style
 * are inlined and the numbers embedded as JSON, so the file opens anywhere without a server or network.
 *
 * Needs @tensorflow/tfjs and @tensorflow/tfjs-backend-wasm (loaded only by this command), and the page bundle
 * dist/webview/report.js + preview.css (`npm run build`); from a source checkout without a build the bundle is
 * made in memory with esbuild.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Model } from '../core/model';
import { checkText } from '../engine/check';
import { suggestionsFor } from '../preview/logic/fixes';
import { reportHtml } from '../preview/logic/html';
import { ALTERNATIVES, alternativeModel, hasKernels, type AlternativeId } from '../preview/logic/alternatives';
import type { LsuvSummary, ReportData, RunOutcome } from '../preview/logic/data';
import { lsuvOfModel, lsuvStds } from '../preview/logic/lsuv';
import { DEFAULT_MAX_MACS, inputSummary, runPreview, type InputDistribution, type TF } from '../preview/logic/run';
import { themeCss } from '../preview/logic/themes';
import { displayPath, messageOf } from './files';
import { VERSION } from './meta';
import { readSource } from './read';
import { formatDuration } from '../core/format';

export interface ReportIO {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  cwd: string;
  env?: Record<string, string | undefined>;
}

export interface ReportArgs {
  file: string;
  model?: string;
  out: string;
  batch: number;
  seed: number;
  seeds: number;
  spatialSize: number;
  input: InputDistribution;
  inputShape?: number[];
  timeSteps?: number;
  alternatives: AlternativeId[];
  lsuv: boolean;
  backend: 'wasm' | 'cpu';
  /** Work cap (multiply-adds per pass) when the batch size was not given. */
  maxMacs?: number;
}

export const REPORT_USAGE = `Usage: initlens report <file> [--model NAME] --out report.html [options]

Rebuilds a model of <file> in TensorFlow.js (WASM backend), measures a forward and a backward pass on a
synthetic batch for its initializers and the alternatives, and writes the preview page as one self-contained
HTML file (scripts inlined, data embedded).

Options:
  --model NAME           the model to report (default: the first in the file)
  --out FILE, -o FILE    where to write the HTML (required)
  --batch N              batch size (default 128, reduced for large models to cap the work; given, it is used as is)
  --seed N               first seed (default 1)
  --seeds N              seeds to average, 1-16 (default 1)
  --input DIST           'gaussian' (N(0, 1)), 'uniform' (U[0, 1]) or MEAN,STD (default gaussian)
  --spatial-size N       reduced spatial size of convolutional inputs (default 16)
  --input-shape A,B,C    input shape without the batch dimension, when the code does not say
  --time-steps N         sequence length for recurrent models, when the code does not say
  --alternatives LIST    comma-separated: current,suggested,glorot,he,lecun,normal-0.01,normal-1 or 'all' (default all)
  --no-lsuv              do not compute LSUV
  --backend wasm|cpu     TensorFlow.js backend (default wasm)
`;

class UsageError extends Error {}

function intArg(name: string, v: string | undefined, min: number, max: number): number {
  const n = Number(v);
  if (v === undefined || !Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} needs an integer between ${min} and ${max}`);
  return n;
}

export function parseReportArgs(argv: readonly string[]): ReportArgs {
  const a: Partial<ReportArgs> & { alternatives?: AlternativeId[] } = {};
  const files: string[] = [];
  const all: AlternativeId[] = ALTERNATIVES.map((x) => x.id).filter((id) => id !== 'lsuv');
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const next = () => {
      if (eq > 0) return arg.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${name} needs a value`);
      return v;
    };
    switch (name) {
      case '--model':
        a.model = next();
        break;
      case '--out':
      case '-o':
        a.out = next();
        break;
      case '--batch':
        a.batch = intArg('--batch', next(), 1, 4096);
        break;
      case '--seed':
        a.seed = intArg('--seed', next(), 0, 2 ** 31 - 1);
        break;
      case '--seeds':
        a.seeds = intArg('--seeds', next(), 1, 16);
        break;
      case '--spatial-size':
        a.spatialSize = intArg('--spatial-size', next(), 4, 256);
        break;
      case '--time-steps':
        a.timeSteps = intArg('--time-steps', next(), 1, 100_000);
        break;
      case '--input-shape': {
        const dims = next().split(/[\s,x×]+/).filter(Boolean).map(Number);
        if (dims.length === 0 || dims.length > 5 || dims.some((d) => !Number.isInteger(d) || d < 1 || d > 1_000_000)) throw new UsageError('--input-shape needs 1 to 5 positive integers, e.g. 28,28,1');
        a.inputShape = dims;
        break;
      }
      case '--input': {
        const v = next();
        if (v === 'gaussian' || v === 'normal') a.input = { kind: 'gaussian', mean: 0, std: 1 };
        else if (v === 'uniform' || v === 'uniform01') a.input = { kind: 'uniform01' };
        else {
          const [m, s] = v.split(',').map(Number);
          if (!Number.isFinite(m) || !(s > 0) || !Number.isFinite(s)) throw new UsageError("--input needs 'gaussian', 'uniform' or MEAN,STD with STD > 0");
          a.input = { kind: 'gaussian', mean: m, std: s };
        }
        break;
      }
      case '--alternatives': {
        const v = next();
        const ids = v === 'all' ? all : v.split(',').map((s) => s.trim()).filter(Boolean);
        for (const id of ids) if (!all.includes(id as AlternativeId)) throw new UsageError(`--alternatives: unknown '${id}' (one of ${all.join(', ')}, or all)`);
        a.alternatives = ids as AlternativeId[];
        if (!a.alternatives.includes('current')) a.alternatives.unshift('current');
        break;
      }
      case '--no-lsuv':
        a.lsuv = false;
        break;
      case '--backend': {
        const v = next();
        if (v !== 'wasm' && v !== 'cpu') throw new UsageError("--backend is 'wasm' or 'cpu'");
        a.backend = v;
        break;
      }
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
        files.push(arg);
    }
  }
  if (files.length !== 1) throw new UsageError(files.length ? 'report takes one file' : 'report needs a file');
  if (!a.out) throw new UsageError('report needs --out FILE');
  return {
    file: files[0],
    model: a.model,
    out: a.out,
    batch: a.batch ?? 128,
    seed: a.seed ?? 1,
    seeds: a.seeds ?? 1,
    spatialSize: a.spatialSize ?? 16,
    input: a.input ?? { kind: 'gaussian', mean: 0, std: 1 },
    inputShape: a.inputShape,
    timeSteps: a.timeSteps,
    alternatives: a.alternatives ?? all,
    lsuv: a.lsuv ?? true,
    backend: a.backend ?? 'wasm',
    maxMacs: a.batch === undefined ? DEFAULT_MAX_MACS : undefined,
  };
}

/** TensorFlow.js on WASM (or CPU), quiet. */
async function loadTf(backend: 'wasm' | 'cpu', warn: (m: string) => void): Promise<TF> {
  let tf: TF;
  try {
    tf = (await import('@tensorflow/tfjs')) as unknown as TF;
  } catch (e) {
    throw new Error(`initlens report runs the model in TensorFlow.js, which is not installed (${messageOf(e).split('\n')[0]}): npm install --save-dev @tensorflow/tfjs @tensorflow/tfjs-backend-wasm`);
  }
  // No "install tfjs-node" banner and no debug checks.
  tf.env().set('PROD', true);
  if (backend === 'wasm') {
    try {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      // Bundled or not, the .wasm files are read from the installed package.
      const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
      wasm.setWasmPaths(`${path.join(dir, 'dist')}${path.sep}`);
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      if (await tf.setBackend('wasm')) {
        await tf.ready();
        return tf;
      }
      warn('the WASM backend did not start: using the CPU backend (slower)');
    } catch (e) {
      warn(`the WASM backend failed (${messageOf(e)}): using the CPU backend (slower)`);
    }
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return tf;
}

const here = typeof __dirname !== 'undefined' ? __dirname : process.cwd();

/** The page bundle: dist/webview/report.js + preview.css, built in memory from the sources if absent. */
async function pageAssets(): Promise<{ script: string; style: string }> {
  const dirs = [path.join(here, 'webview'), path.join(here, '..', '..', 'dist', 'webview'), path.join(here, '..', 'dist', 'webview')];
  for (const d of dirs) {
    const js = path.join(d, 'report.js');
    const css = path.join(d, 'preview.css');
    if (existsSync(js) && existsSync(css)) return { script: readFileSync(js, 'utf8'), style: readFileSync(css, 'utf8') };
  }
  const root = [path.join(here, '..', '..'), path.join(here, '..')].find((r) => existsSync(path.join(r, 'webview', 'build.js')));
  if (!root) throw new Error('the report page bundle (dist/webview/report.js) is missing: run `npm run build`');
  const esbuild = require('esbuild') as typeof import('esbuild');
  const { webviewBuilds } = require(path.join(root, 'webview', 'build.js')) as { webviewBuilds(o: { production: boolean; outdir: string }): import('esbuild').BuildOptions[] };
  const [, reportBuild, cssBuild] = webviewBuilds({ production: true, outdir: path.join(root, 'dist', 'webview') });
  const [r, c] = await Promise.all([esbuild.build({ ...reportBuild, write: false }), esbuild.build({ ...cssBuild, write: false })]);
  return { script: r.outputFiles![0].text, style: c.outputFiles![0].text };
}

export interface ReportResult {
  html: string;
  data: ReportData;
}

/** Computes the report data and HTML for one model (exported for tests). */
export async function buildReport(text: string, fileName: string, args: ReportArgs, warn: (m: string) => void, tfIn?: TF): Promise<ReportResult> {
  const report = checkText(text, fileName);
  if (report.models.length === 0) {
    const why = report.problems[0]?.message;
    throw new UsageError(`no model found in ${fileName}${why ? ` (${why})` : ''}`);
  }
  const index = args.model === undefined ? 0 : report.models.findIndex((m) => m.model.name === args.model);
  if (index < 0) throw new UsageError(`no model named '${args.model}' in ${fileName} (models: ${report.models.map((m) => `'${m.model.name}'`).join(', ')})`);
  if (args.model === undefined && report.models.length > 1) {
    warn(`${fileName} has ${report.models.length} models; reporting '${report.models[0].model.name}' (choose with --model: ${report.models.map((m) => m.model.name).join(', ')})`);
  }
  const model: Model = report.models[index].model;
  const { suggestions, findings } = suggestionsFor(report, model);
  const intents = suggestions.map((s) => s.intent);
  const tf = tfIn ?? (await loadTf(args.backend, warn));
  const thresholds = { vanishing: 0.01, exploding: 100 };
  const runs: RunOutcome[] = [];
  const kernels = hasKernels(model);
  let lsuvSummary: LsuvSummary | undefined;
  const common = {
    input: args.input,
    batch: args.batch,
    seed: args.seed,
    seeds: args.seeds,
    spatialSize: args.spatialSize,
    inputShape: args.inputShape,
    timeSteps: args.timeSteps,
    thresholds,
    maxMacs: args.maxMacs,
  };
  for (const id of args.alternatives) {
    if (id !== 'current' && !kernels) continue;
    const m = alternativeModel(model, id, { suggestions: intents });
    if (!m) continue;
    runs.push(await runPreview(tf, m, { ...common, alternative: id }));
  }
  const current = runs.find((r) => r.ok && r.data.alternative === 'current');
  if (args.lsuv && current && kernels) {
    const r = await lsuvOfModel(tf, model, { seed: args.seed, spatialSize: args.spatialSize, inputShape: args.inputShape, timeSteps: args.timeSteps }, { batch: args.batch, seed: args.seed, input: args.input });
    if (r.ok) {
      lsuvSummary = r.summary;
      const stds = lsuvStds(lsuvSummary);
      const m = stds.length ? alternativeModel(model, 'lsuv', { lsuv: stds }) : undefined;
      if (m) runs.push(await runPreview(tf, m, { ...common, alternative: 'lsuv' }));
    }
  }
  const data: ReportData = {
    generator: `InitLens ${VERSION}`,
    createdAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    file: fileName,
    modelName: model.name,
    framework: model.framework,
    findings,
    runs,
    controls: { batch: args.batch, seed: args.seed, seeds: args.seeds, spatialSize: args.spatialSize, input: inputSummary(args.input) },
    thresholds,
    lsuv: lsuvSummary,
  };
  const assets = await pageAssets();
  const html = reportHtml({ title: `InitLens report: ${model.name} (${fileName})`, script: assets.script, style: assets.style, themeStyle: themeCss(), data });
  return { html, data };
}

/** `initlens report …`: returns the exit status (0 written, 1 the model could not be reported, 2 usage). */
export async function runReport(argv: readonly string[], io: ReportIO): Promise<number> {
  const say = (m: string) => io.stderr.write(`initlens: ${m}\n`);
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(REPORT_USAGE);
    return 0;
  }
  let args: ReportArgs;
  try {
    args = parseReportArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    say(`report: ${e.message}`);
    io.stderr.write('Run `initlens report --help` for the options.\n');
    return 2;
  }
  const cwd = path.resolve(io.cwd);
  const abs = path.resolve(cwd, args.file);
  const shown = displayPath(abs, cwd);
  const read = readSource(abs);
  if (!read.ok) {
    say(`${shown}: ${read.message}`);
    return read.fatal ? 2 : 1;
  }
  const t0 = Date.now();
  let result: ReportResult;
  try {
    result = await buildReport(read.text, shown, args, (m) => say(m));
  } catch (e) {
    if (e instanceof UsageError) {
      say(e.message);
      return 1;
    }
    say(`report: ${messageOf(e)}`);
    if (io.env?.INITLENS_DEBUG && e instanceof Error && e.stack) io.stderr.write(`${e.stack}\n`);
    return 2;
  }
  const target = path.resolve(cwd, args.out);
  try {
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, result.html);
  } catch (e) {
    say(`${args.out}: cannot write the report: ${messageOf(e)}`);
    return 2;
  }
  const ok = result.data.runs.filter((r) => r.ok);
  const failed = result.data.runs.filter((r) => !r.ok);
  const backend = ok[0]?.ok ? ok[0].data.backend : '–';
  io.stdout.write(
    `wrote ${displayPath(target, cwd)}: model '${result.data.modelName}', ${ok.length} initializer variant${ok.length === 1 ? '' : 's'} measured on ${backend} in ${formatDuration(Date.now() - t0)}${failed.length ? `, ${failed.length} could not be rebuilt (${failed.map((f) => (f.ok ? '' : f.reason)).filter(Boolean)[0]})` : ''}\n`,
  );
  return ok.length > 0 ? 0 : 1;
}
