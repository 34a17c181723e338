/**
 * The live preview page (the webview of the `initlens.preview` panel). It receives a model description from the
 * extension host, rebuilds it in TensorFlow.js with each framework's initializer semantics (src/rebuild, never
 * the user's code), measures a forward and a backward pass on a synthetic batch, and draws the measurement
 * beside the analytic prediction, for the current initializers and the alternatives. Everything it asks of the
 * host is a validated message (src/preview/logic/messages.ts).
 *
 * The selected alternative's chart comes progressively: when its run would show it later than about a second after
 * the request, a quick look (a real but smaller measurement, marked as such) is drawn first and the full run
 * replaces it (src/preview/logic/run.ts). `data-first-chart-ms` (the first real chart, quick look or full run) and
 * `data-full-chart-ms` on the body say when, for bench/preview-page.ts and the tests.
 *
 * State (controls, selected alternative, which document and model) is kept with setState/getState, so the panel
 * restores after a reload without retainContextWhenHidden.
 */
import type { FixIntent } from '../src/core/findings';
import type { Model } from '../src/core/model';
import { propagate } from '../src/core/propagate';
import {
  DEFAULT_CONTROLS,
  sanitizePageState,
  validateHostMessage,
  type HostMessage,
  type LsuvLayerRequest,
  type PageControls,
  type PageState,
  type PreviewPayload,
  type WebviewMessage,
} from '../src/preview/logic/messages';
import { Backends, BACKEND_LABEL, tf, type ActiveBackend } from './backend';
import { ALTERNATIVES, alternativeModel, hasKernels, type AlternativeId } from '../src/preview/logic/alternatives';
import type { SignalRow } from './lib/charts';
import { shortOp } from './lib/charts';
import type { RunData } from '../src/preview/logic/data';
import { lsuvOfModel, lsuvStds as lsuvStdsOf } from '../src/preview/logic/lsuv';
import { Cancelled, DEFAULT_MAX_MACS, inputAssumption, predictedFor, runPreview } from '../src/preview/logic/run';
import { altLabel, PreviewView, type AltState, type ViewModel } from './ui';
import { el } from './dom';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: PageState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const restored = sanitizePageState(vscode.getState());

let controls: PageControls = restored.controls ?? { ...DEFAULT_CONTROLS };
let selected: AlternativeId = (ALTERNATIVES.some((a) => a.id === restored.alternative) ? restored.alternative : 'current') as AlternativeId;
let payload: PreviewPayload | undefined;
let runKey = -1;
let generation = 0;
let requestAt = performance.now();
let firstChartMs: number | undefined;
let fullChartMs: number | undefined;
/** Whether the first chart of the request was a quick look (then replaced by the full run) or the full run. */
let firstChartKind: 'quick' | 'full' | undefined;
let firstPredictionMs: number | undefined;
let active: ActiveBackend | undefined;
let status: ViewModel['status'] = { busy: false, text: 'waiting for the model…' };
let toast: ViewModel['toast'];
let selectedLayer: number | undefined;
let lsuvState: ViewModel['lsuv'];
let lsuvStds: LsuvLayerRequest[] | undefined;
let pumping = false;
let controlsTimer: ReturnType<typeof setTimeout> | undefined;
const alts = new Map<AlternativeId, AltState>();

/**
 * Progressive runs: when the selected alternative's run is estimated to show its chart later than this after the
 * request (or after the start of its run, for an alternative selected later), a quick look is measured first
 * (src/preview/logic/run.ts) so that a real chart is on screen within about a second; the full run then replaces it.
 */
const QUICK_DEADLINE_MS = 600;
/** When the quick look should be on screen (what it can afford: gradients, a larger batch). */
const QUICK_TARGET_MS = 750;

const post = (m: WebviewMessage) => vscode.postMessage(m);
const log = (level: 'info' | 'warn' | 'error', message: string) => post({ type: 'log', level, message: message.slice(0, 3900) });

const root = document.getElementById('app') ?? document.body.appendChild(el('main', { attrs: { id: 'app' } }));
const backends = new Backends(document.body.dataset.wasmBase, (name, reason) => {
  log('warn', `${BACKEND_LABEL[name]} backend failed: ${reason}; falling back`);
  if (payload) void restart();
});

const view = new PreviewView(root, {
  reveal(layer) {
    selectedLayer = layer;
    post({ type: 'reveal', layer });
    render();
  },
  select(id) {
    if (!alts.has(id) || alts.get(id)?.state === 'unavailable') return;
    selected = id;
    persist();
    render();
    void pump(generation);
    // Keep keyboard focus on the selected radio.
    (root.querySelector(`[data-alternative="${id}"]`) as HTMLElement | null)?.focus();
  },
  controls(c) {
    const backendChanged = c.backend !== controls.backend;
    controls = c;
    persist();
    if (controlsTimer) clearTimeout(controlsTimer);
    controlsTimer = setTimeout(() => void restart(), backendChanged ? 0 : 250);
  },
  applySuggested() {
    if (!payload) return;
    post({ type: 'applySuggested', docVersion: payload.docVersion, fixIds: payload.suggestions.map((s) => s.fixId) });
  },
  lsuv() {
    void computeLsuv();
  },
  applyLsuv() {
    if (!payload || !lsuvState?.summary) return;
    const layers = lsuvStdsOf(lsuvState.summary);
    if (layers.length) post({ type: 'applyLsuv', docVersion: payload.docVersion, layers });
  },
  sizes(s) {
    if (!payload) return;
    payload = { ...payload, sizes: { ...payload.sizes, ...s } };
    post({ type: 'rememberSizes', sizes: payload.sizes! });
    void restart();
  },
  save(format, name, data) {
    post({ type: 'export', format, name, data });
  },
});

function persist(): void {
  vscode.setState({ uri: payload?.uri ?? restored.uri, modelIndex: payload?.modelIndex ?? restored.modelIndex, modelName: payload?.modelName ?? restored.modelName, controls, alternative: selected });
}

function suggestionIntents(p: PreviewPayload): FixIntent[] {
  return p.suggestions.map((s) => s.intent);
}

function modelFor(id: AlternativeId): Model | undefined {
  if (!payload) return undefined;
  return alternativeModel(payload.model, id, { suggestions: suggestionIntents(payload), lsuv: lsuvStds });
}

const SPATIAL_KINDS = new Set(['conv', 'convTranspose', 'depthwiseConv', 'separableConv', 'pooling', 'globalPooling']);

function predictionRows(id: AlternativeId): { rows: SignalRow[]; reference: number } | undefined {
  const m = modelFor(id);
  if (!m) return undefined;
  try {
    const input = controls.input;
    const prediction = propagate(m, inputAssumption(input));
    const rows = m.layers.map((node, i) => {
      const p = predictedFor(prediction, i);
      return {
        index: node.index,
        label: `layer ${node.index} (${node.op}${node.name ? ` '${node.name}'` : ''})`,
        short: shortOp(node),
        predicted: p.std,
        predictedLo: p.stdLo,
        predictedHi: p.stdHi,
        gradientPredicted: p.gradStd,
        gradientPredictedLo: p.gradLo,
        gradientPredictedHi: p.gradHi,
      };
    });
    return { rows, reference: prediction.input.secondMoment };
  } catch {
    return undefined;
  }
}

function render(): void {
  if (!payload) {
    view.render(emptyVm());
    return;
  }
  const sel = alts.get(selected);
  const pred = sel?.state === 'done' || (sel?.state === 'running' && sel.quick) ? undefined : predictionRows(selected);
  if (pred && firstPredictionMs === undefined) {
    firstPredictionMs = performance.now() - requestAt;
    document.body.dataset.firstPredictionMs = String(Math.round(firstPredictionMs));
  }
  view.render({
    mode: 'live',
    file: payload.file,
    modelName: payload.modelName,
    framework: payload.model.framework,
    layerCount: payload.model.layers.length,
    controls,
    spatial: payload.model.layers.some((l) => SPATIAL_KINDS.has(l.kind)),
    backend: active ? { name: BACKEND_LABEL[active.name], detail: active.detail, fallbacks: active.attempts.filter((a) => !a.ok).map((a) => `${BACKEND_LABEL[a.name]}: ${a.reason}`) } : undefined,
    status,
    findings: payload.findings,
    suggestions: payload.suggestions,
    canApplySuggested: payload.suggestions.length > 0,
    alternatives: alts,
    selected,
    predictionRows: pred?.rows,
    predictionReference: pred?.reference,
    thresholds: payload.thresholds,
    lsuv: lsuvState,
    sizes: payload.sizes,
    selectedLayer,
    toast,
    firstChartMs,
  });
}

function emptyVm(): ViewModel {
  return {
    mode: 'live',
    file: '',
    modelName: restored.modelName ?? '',
    framework: '',
    layerCount: 0,
    controls,
    spatial: false,
    status,
    findings: [],
    suggestions: [],
    canApplySuggested: false,
    alternatives: new Map(),
    selected,
    thresholds: { vanishing: 0.01, exploding: 100 },
    toast,
  };
}

function resetAlternatives(): void {
  alts.clear();
  if (!payload) return;
  const kernels = hasKernels(payload.model);
  for (const a of ALTERNATIVES) {
    if (a.id === 'current') alts.set(a.id, { state: 'pending' });
    else if (a.id === 'suggested') alts.set(a.id, payload.suggestions.some((s) => s.intent.kind === 'setInitializer' || s.intent.kind === 'setLayerOption' || s.intent.kind === 'fixFalsyArg') ? { state: 'pending' } : { state: 'unavailable', reason: 'no suggestion' });
    else if (a.id === 'lsuv') alts.set(a.id, lsuvStds?.length ? { state: 'pending' } : { state: 'unavailable', reason: 'compute LSUV first' });
    else alts.set(a.id, kernels ? { state: 'pending' } : { state: 'unavailable', reason: 'no kernels' });
  }
  if (!alts.has(selected) || alts.get(selected)?.state === 'unavailable') selected = 'current';
}

async function restart(): Promise<void> {
  generation++;
  requestAt = performance.now();
  firstChartMs = undefined;
  fullChartMs = undefined;
  firstChartKind = undefined;
  firstPredictionMs = undefined;
  delete document.body.dataset.firstChartMs;
  delete document.body.dataset.fullChartMs;
  delete document.body.dataset.firstChartKind;
  delete document.body.dataset.firstPredictionMs;
  // The request's time on the page's clock (from the navigation start), for benchmarks from the panel's opening.
  document.body.dataset.requestAt = String(Math.round(requestAt));
  delete document.body.dataset.allDone;
  resetAlternatives();
  render();
  await pump(generation);
}

/** Runs the pending alternatives, the selected one first, until none is left or a newer request cancels. */
async function pump(gen: number): Promise<void> {
  if (pumping || !payload) return;
  pumping = true;
  const cancelled = () => gen !== generation;
  try {
    while (!cancelled()) {
      const next = alts.get(selected)?.state === 'pending' ? selected : ALTERNATIVES.map((a) => a.id).find((id) => alts.get(id)?.state === 'pending');
      if (!next) break;
      const model = modelFor(next);
      if (!model) {
        alts.set(next, { state: 'unavailable', reason: 'not available' });
        continue;
      }
      status = { busy: true, text: `measuring ${altLabel(next)}…` };
      try {
        active = await backends.ensure(controls.backend);
      } catch (e) {
        if (cancelled()) return;
        status = { busy: false, text: 'no backend' };
        alts.set(next, { state: 'failed', reason: (e as Error).message });
        render();
        break;
      }
      // A newer request may have reset the alternatives while the backend started: this run is stale.
      if (cancelled()) return;
      alts.set(next, { state: 'running' });
      render();
      const p = payload;
      const runStart = performance.now();
      const be = active;
      try {
        const outcome = await runPreview(tf, model, {
          alternative: next,
          input: controls.input,
          batch: controls.batch,
          seed: controls.seed,
          seeds: controls.seeds,
          spatialSize: controls.spatialSize,
          inputShape: p.sizes?.inputShape,
          timeSteps: p.sizes?.timeSteps,
          thresholds: p.thresholds,
          maxElements: be.name === 'cpu' ? 2 ** 24 : 2 ** 26,
          // About a second of work on each backend: WASM (SIMD) does ~5 G multiply-adds a second on one core,
          // software WebGL and the CPU backend ~0.1-0.2 G.
          maxMacs: controls.customBatch ? undefined : be.slow ? DEFAULT_MAX_MACS / 25 : DEFAULT_MAX_MACS,
          cancelled,
          // Only the alternative on screen gets a quick look; the others are measured in the background.
          quickLook:
            next === selected
              ? {
                  deadline: (firstChartMs === undefined ? requestAt : runStart) + QUICK_DEADLINE_MS,
                  target: (firstChartMs === undefined ? requestAt : runStart) + QUICK_TARGET_MS,
                  // Measured on this page's bench against WASM: the CPU backend about 5× slower, software WebGL
                  // about 10× (more for convolutions, less for large matrix products).
                  speed: be.name === 'cpu' ? 1 / 5 : be.slow ? 1 / 10 : 1,
                  show: (data) => showQuickLook(next, data, p.modelName, be, runStart, cancelled),
                }
              : undefined,
        });
        if (cancelled()) return;
        if (outcome.ok) alts.set(next, { state: 'done', run: outcome.data });
        else alts.set(next, { state: 'failed', reason: outcome.reason, need: outcome.need, layer: outcome.layer });
        if (next === selected && outcome.ok) {
          const ms = performance.now() - requestAt;
          if (firstChartMs === undefined) {
            firstChartMs = ms;
            firstChartKind = 'full';
            document.body.dataset.firstChartMs = String(Math.round(ms));
            document.body.dataset.firstChartKind = firstChartKind;
          }
          if (fullChartMs === undefined) {
            fullChartMs = ms;
            document.body.dataset.fullChartMs = String(Math.round(ms));
            const q = outcome.data.afterQuickLook;
            log('info', `${q ? 'full chart (after a quick look)' : 'first chart'} of '${p.modelName}' after ${Math.round(ms)} ms on ${be.name} (${be.detail}); run ${Math.round(outcome.data.timing.totalMs)} ms`);
          }
        }
      } catch (e) {
        if (e instanceof Cancelled || cancelled()) return;
        const reason = (e as Error).message || String(e);
        log('warn', `${BACKEND_LABEL[be.name]} failed while measuring (${reason}); trying the next backend`);
        backends.fail(be.name, reason);
        active = undefined;
        alts.set(next, { state: 'pending' });
        continue;
      }
      render();
      // Let the browser paint between alternatives.
      await new Promise((r) => setTimeout(r, 0));
    }
  } finally {
    pumping = false;
    if (!cancelled()) {
      status = {
        busy: false,
        text:
          firstChartMs === undefined
            ? 'done'
            : firstChartKind === 'quick' && fullChartMs !== undefined
              ? `done · quick look after ${Math.round(firstChartMs)} ms, full run after ${Math.round(fullChartMs)} ms`
              : `done · first chart after ${Math.round(firstChartMs)} ms`,
      };
      document.body.dataset.allDone = 'true';
      render();
    } else if (payload) {
      // A newer request started while this one ran: it waits for the pump to be free.
      void pump(generation);
    }
  }
}

/** Shows a quick look of an alternative while its full run goes on, and lets the browser paint it. */
async function showQuickLook(id: AlternativeId, data: RunData, modelName: string, be: ActiveBackend, runStart: number, cancelled: () => boolean): Promise<void> {
  if (cancelled()) return;
  alts.set(id, { state: 'running', quick: data });
  if (id === selected && firstChartMs === undefined) {
    firstChartMs = performance.now() - requestAt;
    firstChartKind = 'quick';
    document.body.dataset.firstChartMs = String(Math.round(firstChartMs));
    document.body.dataset.firstChartKind = firstChartKind;
    const q = data.quickLook!;
    log(
      'info',
      `quick look of '${modelName}' after ${Math.round(firstChartMs)} ms on ${be.name} (batch ${q.batch}${q.timeSteps ? `, ${q.timeSteps.used} of ${q.timeSteps.of} time steps` : ''}${q.backward ? '' : ', forward only'}; ` +
        `run started after ${Math.round(runStart - requestAt)} ms, build ${Math.round(data.timing.buildMs)} ms, measured in ${q.measureMs} ms, estimated ${q.estimatedMs} ms; the full run estimated at ${q.estimatedFullMs} ms)`,
    );
  }
  status = { busy: true, text: `quick look · measuring the full run of ${altLabel(id)}…` };
  render();
  await paint();
  // A seam for the browser tests (test/preview/browser/harness.ts), absent in the panel: holds the page on the quick
  // look, with its main thread free, until released (screenshots, a newer request arriving meanwhile).
  await (window as unknown as { __initlensHoldQuickLook?: () => Promise<void> }).__initlensHoldQuickLook?.();
}

/** Resolves after the next frame is painted (or after 50 ms when the page does not paint, e.g. while hidden). */
function paint(): Promise<void> {
  return new Promise((resolve) => {
    const fallback = setTimeout(resolve, 50);
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(fallback);
        resolve();
      }, 0),
    );
  });
}

async function computeLsuv(): Promise<void> {
  if (!payload) return;
  const gen = generation;
  const from: AlternativeId = selected === 'lsuv' ? 'current' : selected;
  const model = modelFor(from);
  if (!model) return;
  lsuvState = { state: 'running', canApply: payload.lsuvFixes, alternative: from };
  render();
  try {
    active = await backends.ensure(controls.backend);
    const r = await lsuvOfModel(
      tf,
      model,
      { seed: controls.seed, spatialSize: controls.spatialSize, inputShape: payload.sizes?.inputShape, timeSteps: payload.sizes?.timeSteps, maxParams: 80_000_000 },
      { batch: controls.batch, seed: controls.seed, input: controls.input, cancelled: () => gen !== generation },
    );
    if (!r.ok) throw new Error(r.reason);
    const summary = r.summary;
    if (gen !== generation) return;
    lsuvState = { state: 'done', summary, canApply: payload.lsuvFixes, alternative: from };
    lsuvStds = lsuvStdsOf(summary);
    if (lsuvStds.length) {
      alts.set('lsuv', { state: 'pending' });
      selected = 'lsuv';
      persist();
    }
    render();
    void pump(generation);
  } catch (e) {
    if (gen !== generation) return;
    lsuvState = { state: 'failed', message: (e as Error).message, canApply: false };
    render();
  }
}

function onHostMessage(m: HostMessage): void {
  switch (m.type) {
    case 'load': {
      const first = !payload;
      const sameModel = payload && payload.uri === m.payload.uri && payload.modelName === m.payload.modelName;
      payload = m.payload;
      runKey = m.runKey;
      document.body.dataset.runKey = String(runKey);
      if (!controls.customInput) controls = { ...controls, input: { kind: 'gaussian', mean: payload.input.mean, std: payload.input.std } };
      if (!sameModel) {
        lsuvState = undefined;
        lsuvStds = undefined;
        if (!first) selected = 'current';
      } else if (lsuvStds) {
        // The model changed under LSUV's numbers: keep them only while the layers still match.
        const p = payload;
        if (lsuvStds.some((s) => !p.model.layers[s.layer])) {
          lsuvStds = undefined;
          lsuvState = undefined;
        }
      }
      toast = undefined;
      persist();
      void restart();
      break;
    }
    case 'unavailable':
      payload = undefined;
      generation++;
      alts.clear();
      status = { busy: false, text: m.message };
      render();
      break;
    case 'applied':
    case 'exported':
      toast = { text: m.message, kind: m.ok ? 'info' : 'error' };
      render();
      setTimeout(() => {
        if (toast?.text === m.message) {
          toast = undefined;
          render();
        }
      }, 8000);
      break;
  }
}

window.addEventListener('message', (event: MessageEvent) => {
  const v = validateHostMessage(event.data);
  if (!v.ok) {
    log('warn', `ignored a message: ${v.error}`);
    return;
  }
  onHostMessage(v.value);
});

render();
post({ type: 'ready' });
// Start the backend (download and compile WASM, or the GPU context) while the host prepares the model; the first
// run waits for it. A failure here is retried and reported by that run.
void backends.ensure(controls.backend).then(
  (b) => {
    active = b;
    if (payload) render();
  },
  () => undefined,
);
