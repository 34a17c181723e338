/**
 * The built preview page in headless Chromium (Debian's, through playwright-core), served from a loopback
 * server with the panel's CSP and a stub of acquireVsCodeApi that feeds it models the way the extension host
 * does. WebGL runs on SwiftShader here; WebGPU has no adapter, so the automatic choice falls back to WebGL, and
 * a test forces WASM. The charts' numbers (data-* attributes) are checked against the analytic prediction. A long
 * recurrent model shows a quick look before its full run (held there by the harness, with no timing assumed).
 *
 *   node --import tsx --test test/preview/preview.browser.test.ts
 * Screenshots go to test-artifacts/preview/; with INITLENS_UPDATE_MEDIA=1 also to media/preview-{light,dark}.png.
 *
 * Tolerance of the MLP comparison: for a ReLU net of width n, log E[x²] performs a random walk with variance
 * ≈ 3.3/n per layer for fixed inputs (measured in test/rebuild/montecarlo.test.ts; Hanin & Rolnick 2018); on the
 * std that is half, averaged over S seeds: sd_l ≈ √(3.3 (l + 1) / n / S) / 2. We allow 4 sd plus the O(1/n)
 * mean-field bias per layer and 0.02.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { runReport } from '../../src/cli/report';
import type { PageControls } from '../../src/preview/logic/messages';
import {
  buildPage,
  exampleText,
  holdQuickLooks,
  launch,
  payloadFor,
  posted,
  releaseQuickLook,
  REPO,
  sendToPage,
  servePage,
  waitAllDone,
  waitQuickLookHeld,
  type PageServer,
} from './browser/harness';

const ARTIFACTS = path.join(REPO, 'test-artifacts', 'preview');
const UPDATE_MEDIA = process.env.INITLENS_UPDATE_MEDIA === '1';

let browser: Browser;
let server: PageServer;
let cleanup: () => void = () => {};

const controls = (o: Partial<PageControls> = {}): PageControls => ({
  batch: 128,
  input: { kind: 'gaussian', mean: 0, std: 1 },
  customInput: false,
  seed: 3,
  seeds: 2,
  spatialSize: 12,
  backend: 'auto',
  ...o,
});

/** Records WebGL contexts so a test can lose them (tfjs draws on an OffscreenCanvas for WebGL 2). */
const GL_HOOK = `
(() => {
  window.__gl = [];
  for (const C of [self.HTMLCanvasElement, self.OffscreenCanvas]) {
    if (!C) continue;
    const orig = C.prototype.getContext;
    C.prototype.getContext = function (type, ...rest) {
      const ctx = orig.call(this, type, ...rest);
      if (ctx && /webgl/.test(String(type))) window.__gl.push(ctx);
      return ctx;
    };
  }
  window.__dialogs = 0;
  window.alert = () => { window.__dialogs++; };
})();
`;

async function openPage(o: { theme?: 'vscode-light' | 'vscode-dark'; controls?: PageControls } = {}): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1180, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => {
    errors.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  await page.addInitScript(GL_HOOK);
  await page.goto(server.url({ theme: o.theme ?? 'vscode-dark', state: { controls: o.controls ?? controls() } }));
  return { page, errors };
}

interface Point {
  series: string;
  layer: number;
  value: number;
}

async function points(page: Page): Promise<Point[]> {
  return page.$$eval('[data-testid="signal-chart"] [data-series]', (els) =>
    els.map((e) => ({ series: e.getAttribute('data-series')!, layer: Number(e.getAttribute('data-layer')), value: Number(e.getAttribute('data-value')) })),
  );
}

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  if (UPDATE_MEDIA) copyFileSync(file, path.join(REPO, 'media', `${name}.png`));
}

before(async () => {
  const built = await buildPage();
  cleanup = built.cleanup;
  server = await servePage(built.dir);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
  cleanup();
});

describe('preview page in headless Chromium', { timeout: 120_000 }, () => {
  const mnist = payloadFor(exampleText('mnist-mlp-default-init.ts'), 'examples/mnist-mlp-default-init.ts');

  it('WebGL (SwiftShader): measures every alternative and agrees with the prediction; a lost context falls back to WASM', async () => {
    const { page, errors } = await openPage({ controls: controls({ backend: 'webgl' }) });
    const t0 = Date.now();
    await sendToPage(page, { type: 'load', runKey: 1, payload: mnist });
    await waitAllDone(page);
    const elapsed = Date.now() - t0;
    assert.deepEqual(errors, []);
    assert.equal(await page.evaluate(() => document.body.dataset.backend), 'webgl');
    assert.match((await page.textContent('[data-testid="backend"]')) ?? '', /WebGL.*SwiftShader/);
    assert.deepEqual(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations), [], 'no CSP violation');
    const states = await page.$$eval('.alt[data-alternative]', (els) => els.map((e) => `${e.getAttribute('data-alternative')}:${e.getAttribute('data-state')}`));
    assert.deepEqual(states, ['current:done', 'suggested:done', 'glorot:done', 'he:done', 'lecun:done', 'normal-0.01:done', 'normal-1:done']);

    const pts = await points(page);
    const S = 2;
    const n = 256;
    let compared = 0;
    for (const dir of ['forward', 'gradient'] as const) {
      const measured = pts.filter((p) => p.series === dir);
      const predicted = new Map(pts.filter((p) => p.series === `${dir}-predicted`).map((p) => [p.layer, p.value]));
      for (const m of measured) {
        const p = predicted.get(m.layer);
        // Layers 1-8 are 256 wide; layer 0 is the flatten of the input, 9 the 10-unit read-out.
        if (p === undefined || m.layer < 1 || m.layer > 8) continue;
        const depth = dir === 'forward' ? m.layer : 9 - m.layer;
        const tol = 4 * (Math.sqrt((3.3 * (depth + 1)) / n / S) / 2) + (depth + 1) / n + 0.02;
        const lr = Math.log(m.value / p);
        assert.ok(Math.abs(lr) <= tol, `${dir} layer ${m.layer}: measured ${m.value.toPrecision(4)} vs predicted ${p.toPrecision(4)} (|log| ${Math.abs(lr).toFixed(3)} > ${tol.toFixed(3)})`);
        compared++;
      }
    }
    assert.ok(compared >= 14, `compared ${compared} points`);
    // The vanishing signal is the point of this example: ×0.028 std at the read-out.
    const fwd = pts.filter((p) => p.series === 'forward');
    assert.ok(fwd[8].value / fwd[0].value < 0.05);
    // Weight cards: realized std within 2% of the intended for 256×256 kernels.
    const w = await page.$$eval('[data-testid="weight-cards"] [data-realized-std]', (els) => els.map((e) => [Number(e.getAttribute('data-realized-std')), Number(e.getAttribute('data-intended-std'))]));
    assert.equal(w.length, 9);
    for (const [r, i] of w.slice(1, 8)) assert.ok(Math.abs(r / i - 1) < 0.02, `realized ${r} vs intended ${i}`);
    const firstChart = Number(await page.evaluate(() => document.body.dataset.firstChartMs));
    assert.ok(firstChart > 0 && firstChart < elapsed);
    console.log(`[browser] mnist on WebGL: first chart ${firstChart} ms, all 7 alternatives ${elapsed} ms`);

    await screenshot(page, 'preview-dark');
    await page.evaluate(() => document.body.classList.replace('vscode-dark', 'vscode-light'));
    await screenshot(page, 'preview-light');

    // Switch initializer with the keyboard and with a click: He keeps the scale through the ReLU layers.
    await page.focus('.alt[data-alternative="current"]');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate(() => document.body.dataset.alternative), 'suggested');
    await page.click('.alt[data-alternative="he"]');
    assert.equal(await page.evaluate(() => document.body.dataset.alternative), 'he');
    const he = (await points(page)).filter((p) => p.series === 'forward' && p.layer >= 1 && p.layer <= 8);
    for (const p of he) assert.ok(Math.abs(Math.log(p.value / he[0].value)) < 0.35, `He keeps the std: layer ${p.layer} ${p.value}`);

    // A layer click (or Enter on it) asks the host to reveal it.
    await page.click('[data-testid="signal-chart"] .layer-hit[data-layer="4"]');
    await page.focus('[data-testid="signal-chart"] .layer-hit[data-layer="6"]');
    await page.keyboard.press('Enter');
    const reveals = (await posted(page)).filter((m) => m.type === 'reveal').map((m) => m.layer);
    assert.deepEqual(reveals, [4, 6]);

    // Apply the suggestion: the page sends the offered fix ids and nothing else.
    await page.click('[data-testid="apply-suggested"]');
    const apply = (await posted(page)).find((m) => m.type === 'applySuggested');
    assert.deepEqual(apply, { type: 'applySuggested', docVersion: 1, fixIds: mnist.suggestions.map((s) => s.fixId) });

    // LSUV: computed in the page, shown as a column, applied as per-layer standard deviations.
    await page.click('[data-testid="lsuv"]');
    await page.waitForSelector('[data-testid="lsuv-table"] tbody tr');
    const rows = await page.$$eval('[data-testid="lsuv-table"] tbody tr', (els) => els.map((e) => [Number(e.getAttribute('data-layer')), Number(e.getAttribute('data-variance'))]));
    assert.equal(rows.length, 9);
    for (const [, v] of rows) assert.ok(Math.abs(v - 1) < 0.1, `LSUV variance ${v}`);
    await waitAllDone(page);
    assert.equal(await page.evaluate(() => document.body.dataset.alternative), 'lsuv');
    await page.click('[data-testid="apply-lsuv"]');
    const lsuv = (await posted(page)).find((m) => m.type === 'applyLsuv') as { layers: { layer: number; slot: string; std: number }[] } | undefined;
    assert.ok(lsuv && lsuv.layers.length === 9 && lsuv.layers.every((l) => l.slot === 'kernel' && l.std > 0));

    // CSV export goes to the host.
    await page.click('[data-key$="-signal-csv"]');
    const csv = (await posted(page)).find((m) => m.type === 'export') as { format: string; name: string; data: string } | undefined;
    assert.equal(csv?.format, 'csv');
    assert.match(csv!.data, /^alternative,layer,kind,op,name,/);

    // A stray message is ignored and logged, not acted on.
    await sendToPage(page, { type: 'load', runKey: 99, payload: { model: 'evil' } });
    await page.waitForTimeout(50);
    assert.equal(await page.evaluate(() => document.body.dataset.runKey), '1');
    assert.ok((await posted(page)).some((m) => m.type === 'log' && /ignored a message/.test(String(m.message))));
    assert.deepEqual(errors, []);

    // A lost WebGL context fails the backend; the next run falls back to WASM.
    await page.evaluate(() => {
      for (const gl of (window as unknown as { __gl: WebGLRenderingContext[] }).__gl) gl.getExtension('WEBGL_lose_context')?.loseContext();
    });
    await page.waitForFunction(() => document.body.dataset.backend === 'wasm' && document.body.dataset.firstChartMs, undefined, { timeout: 60_000 });
    assert.match((await page.textContent('[data-testid="backend"]')) ?? '', /WASM/);
    assert.ok((await posted(page)).some((m) => m.type === 'log' && /WebGL backend failed: the WebGL context was lost/.test(String(m.message))));
    await page.close();
  });

  it('forced WASM: a convolutional model, per-pixel statistics against the prediction', async () => {
    const src = `import * as tf from '@tensorflow/tfjs';
const net = tf.sequential({ name: 'small_cnn' });
net.add(tf.layers.conv2d({ inputShape: [28, 28, 8], filters: 64, kernelSize: 3, activation: 'relu', kernelInitializer: 'heUniform' }));
net.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu', kernelInitializer: 'heUniform' }));
net.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'tanh' }));
net.add(tf.layers.globalAveragePooling2d({}));
net.add(tf.layers.dense({ units: 10 }));
`;
    const { page, errors } = await openPage({ theme: 'vscode-light', controls: controls({ backend: 'wasm', batch: 16, seeds: 2 }) });
    const t0 = Date.now();
    await sendToPage(page, { type: 'load', runKey: 1, payload: payloadFor(src, 'cnn.ts') });
    await page.waitForFunction(() => document.body.dataset.firstChartMs, undefined, { timeout: 60_000 });
    console.log(`[browser] small CNN on WASM: first chart ${await page.evaluate(() => document.body.dataset.firstChartMs)} ms`);
    assert.equal(await page.evaluate(() => document.body.dataset.backend), 'wasm');
    assert.match((await page.textContent('[data-testid="backend"]')) ?? '', /WASM/);
    assert.match((await page.textContent('.controls')) ?? '', /per-pixel statistics do not depend on the image size/);
    const pts = await points(page);
    for (const layer of [0, 1, 2]) {
      const m = pts.find((p) => p.series === 'forward' && p.layer === layer)!;
      const p = pts.find((q) => q.series === 'forward-predicted' && q.layer === layer)!;
      // 64 channels, 2 seeds: sd of the log std ≈ √(3.3 (l + 1) / 64 / 2) / 2.
      const tol = 4 * (Math.sqrt((3.3 * (layer + 1)) / 64 / 2) / 2) + 0.05;
      assert.ok(Math.abs(Math.log(m.value / p.value)) <= tol, `conv layer ${layer}: ${m.value} vs ${p.value}`);
    }
    assert.deepEqual(errors, []);
    await waitAllDone(page);
    console.log(`[browser] small CNN on WASM: all alternatives ${Date.now() - t0} ms`);
    // PNG and SVG exports: theme colours resolved, sent to the host for saving.
    await page.click('[data-key$="-signal-png"]');
    await page.click('[data-key$="-activations-svg"]');
    await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === 'export').length === 2);
    const exports = (await posted(page)).filter((m) => m.type === 'export') as unknown as { format: string; name: string; data: string }[];
    assert.deepEqual(exports.map((e) => [e.format, e.name]), [['png', 'small_cnn-current-signal.png'], ['svg', 'small_cnn-current-activations.svg']]);
    assert.match(exports[0].data, /^data:image\/png;base64,iVBORw0KGgo/);
    assert.ok(exports[0].data.length > 20_000, 'a real image');
    assert.match(exports[1].data, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.ok(!/var\(--vscode/.test(exports[1].data) && /fill="rgb\(/.test(exports[1].data), 'colours resolved');
    await page.evaluate(() => document.body.classList.replace('vscode-light', 'vscode-high-contrast'));
    await screenshot(page, 'preview-high-contrast');
    await page.close();
  });

  it('automatic backend, hostile names rendered as text, and a newer model cancels the run in progress', async () => {
    const { page, errors } = await openPage({ controls: controls({ backend: 'auto', batch: 32, seeds: 1 }) });
    const xss = payloadFor(readFileSync(path.join(REPO, 'test/preview/fixtures/xss-model.ts'), 'utf8'), '</script><img src=x onerror=alert(1)>.ts');
    await sendToPage(page, { type: 'load', runKey: 1, payload: mnist });
    await sendToPage(page, { type: 'load', runKey: 2, payload: xss });
    await waitAllDone(page);
    assert.equal(await page.evaluate(() => document.body.dataset.runKey), '2');
    // No WebGPU adapter here, and WebGL is software-rendered: the automatic choice is WASM, and says why.
    assert.equal(await page.evaluate(() => document.body.dataset.backend), 'wasm');
    assert.match((await page.getAttribute('[data-testid="backend"]', 'title')) ?? '', /WebGPU: .*adapter.*; WebGL: software-rendered/);
    const title = await page.textContent('h1');
    assert.equal(title, "InitLens preview: '</script><img src=x onerror=alert(1)>'");
    const text = await page.evaluate(() => document.body.innerText);
    for (const s of ['<img src=x onerror=alert(1)>', '</script><script>alert(2)</script>', '"><svg onload=alert(3)>', '</script><img src=x onerror=alert(1)>.ts']) assert.ok(text.includes(s), `${s} in ${text.slice(0, 3000)}`);
    const injected = await page.evaluate(() => ({
      img: document.querySelectorAll('img').length,
      scripts: document.querySelectorAll('script').length,
      handlers: Array.from(document.querySelectorAll('*')).filter((e) => Array.from(e.attributes).some((a) => /^on/i.test(a.name))).length,
      svgOnload: document.querySelectorAll('svg[onload]').length,
      dialogs: (window as unknown as { __dialogs: number }).__dialogs,
    }));
    assert.deepEqual(injected, { img: 0, scripts: 2, handlers: 0, svgOnload: 0, dialogs: 0 });
    assert.deepEqual(errors, []);
    await page.close();
  });

  // A recurrent model over 200 time steps: its full run takes seconds on WASM, so the page shows a quick look first.
  const longLstm = payloadFor(
    `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential({ name: 'long_lstm' });
model.add(tf.layers.embedding({ inputDim: 500, outputDim: 16, inputLength: 200 }));
model.add(tf.layers.lstm({ units: 16 }));
model.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
`,
    'long-lstm.ts',
  );

  /** What the page shows, read in one go (the page may move on between two reads). */
  const snapshot = (page: Page) =>
    page.evaluate(() => {
      // (No function literals in here: tsx would name them with a helper the page does not have.)
      const d = document.body.dataset;
      const q = document.querySelector.bind(document);
      return {
        chart: d.chart,
        firstChartKind: d.firstChartKind,
        firstChartMs: d.firstChartMs,
        fullChartMs: d.fullChartMs,
        runKey: d.runKey,
        title: q('h1')?.textContent ?? undefined,
        status: q('[data-testid="status"]')?.textContent ?? undefined,
        quickNotice: q('[data-testid="quick-look"]')?.textContent ?? undefined,
        summary: q('[data-testid="signal-summary"]')?.textContent ?? undefined,
        weightsDeferred: !!document.querySelector('[data-testid="weights-deferred"]'),
        weightCards: document.querySelectorAll('[data-testid="weight-cards"] .card').length,
        forward: document.querySelectorAll('[data-testid="signal-chart"] [data-series="forward"]').length,
        currentState: document.querySelector('.alt[data-alternative="current"]')?.getAttribute('data-state'),
        currentSummary: q('.alt[data-alternative="current"] .alt-summary')?.textContent ?? undefined,
      };
    });

  it('a long recurrent model: a quick look first, marked as such, then the full run replaces it', async () => {
    const { page, errors } = await openPage({ controls: controls({ backend: 'wasm', batch: 64, seeds: 2 }) });
    await holdQuickLooks(page);
    await sendToPage(page, { type: 'load', runKey: 1, payload: longLstm });
    await waitQuickLookHeld(page);
    const quick = await snapshot(page);
    assert.equal(quick.chart, 'quick');
    assert.equal(quick.firstChartKind, 'quick');
    assert.ok(Number(quick.firstChartMs) > 0);
    assert.equal(quick.fullChartMs, undefined, 'the full run has not been shown yet');
    // Said in the notice, the status, the summary and the strip; the weights come later.
    assert.match(quick.quickNotice ?? '', /^Quick look: /);
    assert.match(quick.quickNotice ?? '', /1 of 2 seeds/);
    assert.match(quick.quickNotice ?? '', /recurrent layers over 20 of 200 time steps/);
    assert.match(quick.quickNotice ?? '', /weight histograms deferred/);
    assert.match(quick.quickNotice ?? '', /Measuring the full run/);
    assert.match(quick.status ?? '', /quick look · measuring the full run/);
    assert.match(quick.summary ?? '', /^Quick look: measured on WASM with batch \d+, 1 seed, 20 of 200 time steps/);
    assert.equal(quick.currentState, 'running');
    assert.match(quick.currentSummary ?? '', /^quick look/);
    assert.ok(quick.weightsDeferred);
    assert.equal(quick.weightCards, 0);
    assert.equal(quick.forward, 3, 'a measured point per layer');
    await screenshot(page, 'preview-quick-look-dark');
    await page.evaluate(() => document.body.classList.replace('vscode-dark', 'vscode-light'));
    await screenshot(page, 'preview-quick-look-light');

    await releaseQuickLook(page, true);
    await page.waitForFunction(() => document.body.dataset.fullChartMs, undefined, { timeout: 120_000 });
    const full = await snapshot(page);
    assert.equal(full.chart, 'full');
    assert.equal(full.quickNotice, undefined, 'the quick look is gone');
    assert.equal(full.weightsDeferred, false);
    assert.ok(full.weightCards > 0, 'weight histograms of the full run');
    assert.match(full.summary ?? '', /^Measured on WASM with batch 64, 2 seeds, input/);
    assert.match(full.summary ?? '', /a quick look first/);
    assert.equal(full.currentState, 'done');
    assert.equal(full.firstChartKind, 'quick', 'the first chart stays the quick look');
    assert.equal(full.firstChartMs, quick.firstChartMs);
    assert.ok(Number(full.fullChartMs) >= Number(full.firstChartMs));
    const logs = (await posted(page)).filter((m) => m.type === 'log').map((m) => String(m.message));
    const qi = logs.findIndex((l) => l.startsWith("quick look of 'long_lstm'"));
    const fi = logs.findIndex((l) => l.startsWith("full chart (after a quick look) of 'long_lstm'"));
    assert.ok(qi >= 0 && fi > qi, logs.join('\n'));
    await waitAllDone(page, 120_000);
    assert.match((await snapshot(page)).status ?? '', /^done · quick look after \d+ ms, full run after \d+ ms$/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('a newer request during the quick look cancels the run it belongs to', async () => {
    const { page, errors } = await openPage({ controls: controls({ backend: 'wasm', batch: 64, seeds: 1 }) });
    await holdQuickLooks(page);
    await sendToPage(page, { type: 'load', runKey: 1, payload: longLstm });
    await waitQuickLookHeld(page);
    assert.equal((await snapshot(page)).chart, 'quick');
    await sendToPage(page, { type: 'load', runKey: 2, payload: mnist });
    // At once: the new model's prediction, the old quick look gone.
    const waiting = await snapshot(page);
    assert.equal(waiting.runKey, '2');
    assert.equal(waiting.chart, 'prediction');
    assert.equal(waiting.quickNotice, undefined);
    assert.equal(waiting.firstChartMs, undefined);
    await releaseQuickLook(page, true);
    await waitAllDone(page, 120_000);
    const done = await snapshot(page);
    assert.equal(done.runKey, '2');
    assert.match(done.title ?? '', /mnist/i);
    assert.equal(done.chart, 'full');
    assert.equal(done.forward, mnist.model.layers.length);
    assert.equal(done.quickNotice, undefined);
    const logs = (await posted(page)).filter((m) => m.type === 'log').map((m) => String(m.message));
    assert.ok(!logs.some((l) => /^(full|first) chart .*'long_lstm'/.test(l)), `the cancelled run never finished: ${logs.join('\n')}`);
    assert.ok(logs.some((l) => l.includes(`'${mnist.modelName}'`)), logs.join('\n'));
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('the self-contained report renders the same page from embedded data', async () => {
    const out = path.join(ARTIFACTS, 'report-xss.html');
    mkdirSync(ARTIFACTS, { recursive: true });
    const sink = { write: () => true };
    const code = await runReport(['test/preview/fixtures/xss-model.ts', '--out', out, '--alternatives', 'current,he', '--batch', '32'], { stdout: sink, stderr: sink, cwd: REPO });
    assert.equal(code, 0);
    const page = await browser.newPage({ viewport: { width: 1180, height: 900 }, colorScheme: 'light' });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`file://${out}`);
    await page.waitForSelector('[data-testid="signal-chart"]');
    assert.ok(await page.evaluate(() => document.body.classList.contains('vscode-light')));
    const alts = await page.$$eval('.alt[data-alternative]', (els) => els.map((e) => e.getAttribute('data-alternative')));
    assert.deepEqual(alts, ['current', 'he', 'lsuv']);
    await page.click('.alt[data-alternative="he"]');
    assert.equal(await page.evaluate(() => document.body.dataset.alternative), 'he');
    assert.equal(await page.evaluate(() => document.querySelectorAll('img, [onerror], [onload]').length), 0);
    assert.ok((await page.evaluate(() => document.body.innerText)).includes('<img src=x onerror=alert(1)>'));
    assert.deepEqual(errors, []);
    await page.close();
  });
});
