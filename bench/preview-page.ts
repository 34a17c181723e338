/**
 * Time from request to first chart in the preview page, per model and TensorFlow.js backend, in headless
 * Chromium (Debian's, through playwright-core; WebGL on SwiftShader, no WebGPU adapter there). Not a test.
 *
 *   node --import tsx bench/preview-page.ts [--backends webgl,wasm,cpu] [--only NAME] [--out bench/preview-page-results.json]
 *
 * For each case a fresh page is opened (the backend initializes as in a newly opened panel) and sent the model
 * the extension host would send; "prediction" is the analytic chart, drawn at once; "first chart" is the first
 * measured chart (rebuild, forward + backward pass, statistics: the current initializers), both measured by the
 * page from the arrival of the request. When the run is estimated to take longer than about half a second, the
 * page first shows a quick look (a smaller real measurement: smaller batch, one seed, recurrent layers over fewer
 * time steps, weight histograms deferred) and then the full run: "first chart" is then the quick look and "full
 * chart" the full run (equal when there is no quick look). Models: the examples (their first model), a 50-layer
 * 1024-wide ReLU MLP and a ResNet-18-sized convolutional net (11.7 M parameters), both written as tfjs source and
 * analyzed.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import type { PageControls } from '../src/preview/logic/messages';
import { buildPage, launch, payloadFor, REPO, sendToPage, servePage } from '../test/preview/browser/harness';

export function mlpSource(depth: number, width: number): string {
  const lines = [`import * as tf from '@tensorflow/tfjs';`, `const model = tf.sequential({ name: 'mlp${depth}x${width}' });`];
  for (let i = 0; i < depth; i++) {
    const shape = i === 0 ? `inputShape: [${width}], ` : '';
    lines.push(`model.add(tf.layers.dense({ ${shape}units: ${width}, activation: 'relu', kernelInitializer: 'heUniform' }));`);
  }
  return `${lines.join('\n')}\n`;
}

/** ResNet-18 (He et al. 2016) for 224×224×3 inputs, unrolled, tfjs functional API. */
export function resnet18Source(): string {
  const L: string[] = [`import * as tf from '@tensorflow/tfjs';`, `const input = tf.input({ shape: [224, 224, 3] });`];
  let n = 0;
  const v = () => `t${n++}`;
  const conv = (x: string, filters: number, k: number, s: number) => {
    const y = v();
    L.push(`const ${y} = tf.layers.conv2d({ filters: ${filters}, kernelSize: ${k}, strides: ${s}, padding: 'same', useBias: false, kernelInitializer: 'heNormal' }).apply(${x}) as tf.SymbolicTensor;`);
    return y;
  };
  const bn = (x: string) => {
    const y = v();
    L.push(`const ${y} = tf.layers.batchNormalization().apply(${x}) as tf.SymbolicTensor;`);
    return y;
  };
  const relu = (x: string) => {
    const y = v();
    L.push(`const ${y} = tf.layers.activation({ activation: 'relu' }).apply(${x}) as tf.SymbolicTensor;`);
    return y;
  };
  let x = relu(bn(conv('input', 64, 7, 2)));
  const p = v();
  L.push(`const ${p} = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }).apply(${x}) as tf.SymbolicTensor;`);
  x = p;
  let channels = 64;
  for (const [stage, filters] of [64, 128, 256, 512].entries()) {
    for (let b = 0; b < 2; b++) {
      const stride = stage > 0 && b === 0 ? 2 : 1;
      const y = bn(conv(relu(bn(conv(x, filters, 3, stride))), filters, 3, 1));
      const short = stride !== 1 || channels !== filters ? bn(conv(x, filters, 1, stride)) : x;
      const s = v();
      L.push(`const ${s} = tf.layers.add().apply([${y}, ${short}]) as tf.SymbolicTensor;`);
      x = relu(s);
      channels = filters;
    }
  }
  const g = v();
  L.push(`const ${g} = tf.layers.globalAveragePooling2d({}).apply(${x}) as tf.SymbolicTensor;`);
  const o = v();
  L.push(`const ${o} = tf.layers.dense({ units: 1000, activation: 'softmax' }).apply(${g}) as tf.SymbolicTensor;`);
  L.push(`export const resnet18 = tf.model({ inputs: input, outputs: ${o}, name: 'resnet18' });`);
  return `${L.join('\n')}\n`;
}

interface Case {
  name: string;
  text: string;
  file: string;
  big?: boolean;
}

interface Result {
  model: string;
  backend: string;
  layers: number;
  params?: number;
  pageReadyMs?: number;
  predictionMs?: number;
  /** The first real chart: the quick look when there is one, else the full run. */
  firstChartMs?: number;
  firstChartKind?: 'quick' | 'full';
  /** The full run's chart. */
  fullChartMs?: number;
  /** The first chart from the page's navigation start (page load, backend start and the host round trip included). */
  firstChartFromNavigationMs?: number;
  /** The quick look, when there was one: its batch, time steps and measuring time. */
  quick?: { batch: number; timeSteps?: string; backward: boolean; startedMs?: number; buildMs?: number; measureMs: number; estimatedMs?: number; estimatedFullMs: number };
  runMs?: number;
  buildMs?: number;
  passMs?: number;
  statsMs?: number;
  batch?: number;
  error?: string;
  notes?: string[];
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const opt = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const backends = (opt('--backends') ?? 'webgpu,webgl,wasm,cpu').split(',');
  const only = opt('--only');
  const out = opt('--out') ?? path.join(REPO, 'bench', 'preview-page-results.json');
  const examples = readdirSync(path.join(REPO, 'examples')).filter((f) => /\.(ts|js)$/.test(f)).sort();
  const cases: Case[] = [
    ...examples.map((f) => ({ name: f, file: `examples/${f}`, text: readFileSync(path.join(REPO, 'examples', f), 'utf8') })),
    { name: 'mlp 50×1024', file: 'mlp50x1024.ts', text: mlpSource(50, 1024), big: true },
    { name: 'resnet-18', file: 'resnet18.ts', text: resnet18Source(), big: true },
  ].filter((c) => !only || c.name.includes(only));

  const loadAtStart = loadavg().map((l) => Number(l.toFixed(2)));
  const { dir, cleanup } = await buildPage();
  const server = await servePage(dir);
  const browser = await launch();
  const results: Result[] = [];
  try {
    for (const backend of backends) {
      let unavailable: string | undefined;
      for (const c of cases) {
        if (unavailable) {
          results.push({ model: c.name, backend, layers: 0, error: unavailable });
          continue;
        }
        if (backend === 'cpu' && c.big) {
          results.push({ model: c.name, backend, layers: 0, error: 'skipped: the JavaScript CPU backend takes minutes on this size' });
          continue;
        }
        const payload = payloadFor(c.text, c.file);
        const controls: PageControls = { batch: 128, input: { kind: 'gaussian', mean: 0, std: 1 }, customInput: false, seed: 1, seeds: 1, spatialSize: 16, backend: backend as PageControls['backend'] };
        const page = await browser.newPage();
        const r: Result = { model: c.name, backend, layers: payload.model.layers.length };
        try {
          const t0 = Date.now();
          await page.goto(server.url({ state: { controls } }));
          await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'));
          r.pageReadyMs = Date.now() - t0;
          await sendToPage(page, { type: 'load', runKey: 1, payload });
          await page.waitForFunction(
            () => document.body.dataset.fullChartMs || document.querySelector('[data-testid="failure"]'),
            undefined,
            { timeout: 300_000 },
          );
          const info = await page.evaluate(() => ({
            first: document.body.dataset.firstChartMs,
            firstKind: document.body.dataset.firstChartKind,
            full: document.body.dataset.fullChartMs,
            requestAt: document.body.dataset.requestAt,
            logs: (window as unknown as { __posted: { type: string; message?: string }[] }).__posted.filter((m) => m.type === 'log').map((m) => m.message ?? ''),
            pred: document.body.dataset.firstPredictionMs,
            backend: document.body.dataset.backend,
            failure: document.querySelector('[data-testid="failure"]')?.textContent ?? undefined,
            summary: document.querySelector('[data-testid="signal-summary"]')?.textContent ?? '',
            subtitle: document.querySelector('.subtitle')?.textContent ?? '',
            notes: Array.from(document.querySelectorAll('.notice li')).map((e) => e.textContent ?? ''),
          }));
          if (info.backend && info.backend !== backend && backend !== 'auto') {
            const why = (await page.getAttribute('[data-testid="backend"]', 'title')) ?? '';
            r.error = `ran on ${info.backend} (${backend} unavailable: ${why})`;
            unavailable = `${backend} unavailable: ${why}`;
          }
          r.predictionMs = info.pred ? Number(info.pred) : undefined;
          r.firstChartMs = info.first ? Number(info.first) : undefined;
          r.firstChartKind = info.firstKind === 'quick' || info.firstKind === 'full' ? info.firstKind : undefined;
          r.fullChartMs = info.full ? Number(info.full) : undefined;
          if (info.first && info.requestAt) r.firstChartFromNavigationMs = Number(info.requestAt) + Number(info.first);
          const ql = info.logs.find((l) => l.startsWith('quick look '));
          if (ql) {
            const num = (re: RegExp) => (re.exec(ql) ? Number(re.exec(ql)![1]) : undefined);
            r.quick = {
              batch: num(/\(batch (\d+)/)!,
              timeSteps: /, (\d+ of \d+) time steps/.exec(ql)?.[1],
              backward: !/forward only/.test(ql),
              startedMs: num(/run started after (\d+) ms/),
              buildMs: num(/build (\d+) ms/),
              measureMs: num(/measured in (\d+) ms/)!,
              estimatedMs: num(/measured in \d+ ms, estimated (\d+) ms/),
              estimatedFullMs: num(/estimated at (\d+) ms/)!,
            };
          }
          const timing = /Run: (\d+) ms \(build (\d+), passes (\d+), statistics (\d+)/.exec(info.summary);
          r.runMs = Number(timing?.[1] ?? NaN);
          r.buildMs = timing ? Number(timing[2]) : undefined;
          r.passMs = timing ? Number(timing[3]) : undefined;
          r.statsMs = timing ? Number(timing[4]) : undefined;
          r.batch = Number(/batch (\d+)/.exec(info.summary)?.[1] ?? NaN);
          r.params = Number((/([\d,]+) parameters/.exec(info.subtitle)?.[1] ?? '').replace(/,/g, '')) || undefined;
          r.notes = info.notes.filter((n) => /reduced|raised|same' padding|cap/.test(n));
          if (info.failure) r.error = info.failure;
        } catch (e) {
          r.error = (e as Error).message.split('\n')[0];
        } finally {
          await page.close();
        }
        results.push(r);
        const fmt = (v?: number) => (v === undefined || Number.isNaN(v) ? '–' : `${v}`);
        const q = r.quick
          ? `  quick look: batch ${r.quick.batch}${r.quick.timeSteps ? `, ${r.quick.timeSteps} steps` : ''}${r.quick.backward ? '' : ', forward only'}, started ${fmt(r.quick.startedMs)} + build ${fmt(r.quick.buildMs)} + ${r.quick.measureMs} ms (est. ${fmt(r.quick.estimatedMs)})`
          : '';
        console.log(
          `${backend.padEnd(6)} ${c.name.padEnd(28)} prediction ${fmt(r.predictionMs).padStart(5)} ms  first chart ${fmt(r.firstChartMs).padStart(6)} ms (${r.firstChartKind ?? '–'}; ${fmt(r.firstChartFromNavigationMs)} ms from navigation)  full chart ${fmt(r.fullChartMs).padStart(6)} ms  (run ${fmt(r.runMs)} ms: build ${fmt(r.buildMs)}, passes ${fmt(r.passMs)}, stats ${fmt(r.statsMs)}; batch ${fmt(r.batch)})${q}${r.error ? `  ${r.error}` : ''}`,
        );
      }
    }
  } finally {
    await browser.close();
    await server.close();
    cleanup();
  }
  const load = loadavg().map((l) => Number(l.toFixed(2)));
  writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), chromium: '/usr/bin/chromium --headless', cpus: cpus().length, loadAverageAtStart: loadAtStart, loadAverageAtEnd: load, results }, null, 2)}\n`);
  console.log(`load average (1, 5, 15 min) at the start ${loadAtStart.join(', ')}, at the end ${load.join(', ')}, on ${cpus().length} cores`);
  console.log(`wrote ${path.relative(REPO, out)}`);
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
