/**
 * The self-contained HTML report (`initlens report`): the preview page fed with precomputed data, embedded in the
 * page as JSON (<script type="application/json" id="initlens-data">). No TensorFlow.js here: the numbers were
 * measured by the CLI. Exports download directly. The theme follows the system (prefers-color-scheme).
 */
import type { RememberedSizes } from '../src/preview/logic/messages';
import type { AlternativeId } from '../src/preview/logic/alternatives';
import type { ReportData } from '../src/preview/logic/data';
import { PreviewView, type AltState, type ViewModel } from './ui';
import { el } from './dom';

function readData(): ReportData | undefined {
  const node = document.getElementById('initlens-data');
  if (!node?.textContent) return undefined;
  try {
    return JSON.parse(node.textContent) as ReportData;
  } catch {
    return undefined;
  }
}

function applyTheme(): void {
  const q = window.matchMedia?.('(prefers-color-scheme: light)');
  const hc = window.matchMedia?.('(forced-colors: active)');
  const set = () => {
    const forced = document.body.dataset.theme;
    const kind = forced ?? (hc?.matches ? 'vscode-high-contrast' : q?.matches ? 'vscode-light' : 'vscode-dark');
    document.body.classList.remove('vscode-light', 'vscode-dark', 'vscode-high-contrast');
    document.body.classList.add(kind);
  };
  set();
  q?.addEventListener?.('change', set);
  hc?.addEventListener?.('change', set);
}

function download(name: string, data: string, type: string): void {
  const blob = data.startsWith('data:') ? dataUrlToBlob(data) : new Blob([data], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.download = name;
  a.href = url;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function dataUrlToBlob(u: string): Blob {
  const [head, body] = u.split(',', 2);
  const type = /^data:([^;]+)/.exec(head)?.[1] ?? 'application/octet-stream';
  const bin = atob(body);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Blob([bytes], { type });
}

function main(): void {
  applyTheme();
  const root = document.getElementById('app') ?? document.body.appendChild(el('main', { attrs: { id: 'app' } }));
  const data = readData();
  if (!data) {
    root.replaceChildren(el('p', { text: 'This report holds no data.' }));
    return;
  }
  const alts = new Map<AlternativeId, AltState>();
  for (const r of data.runs) {
    if (r.ok) alts.set(r.data.alternative, { state: 'done', run: r.data });
    else alts.set(r.alternative, { state: 'failed', reason: r.reason, need: r.need, layer: r.layer });
  }
  let selected: AlternativeId = alts.has('current') ? 'current' : ([...alts.keys()][0] ?? 'current');
  let selectedLayer: number | undefined;
  const first = data.runs.find((r) => r.ok);
  const vm = (): ViewModel => ({
    mode: 'report',
    file: data.file,
    modelName: data.modelName,
    framework: data.framework,
    layerCount: first?.ok ? first.data.layers.length : 0,
    controls: {
      batch: data.controls.batch,
      input: data.controls.input.kind === 'uniform01' ? { kind: 'uniform01' } : { kind: 'gaussian', mean: data.controls.input.mean, std: data.controls.input.std },
      customInput: true,
      seed: data.controls.seed,
      seeds: data.controls.seeds,
      spatialSize: data.controls.spatialSize,
      backend: 'auto',
    },
    spatial: first?.ok ? first.data.spatial : false,
    backend: first?.ok ? { name: first.data.backend.toUpperCase(), detail: 'precomputed', fallbacks: [] } : undefined,
    status: { busy: false, text: `generated ${data.createdAt} by ${data.generator}` },
    findings: data.findings.map((f) => ({ ruleId: f.ruleId, severity: f.severity === 'error' || f.severity === 'info' ? f.severity : 'warning', message: f.message, layer: f.layer })),
    suggestions: [],
    canApplySuggested: false,
    alternatives: alts,
    selected,
    thresholds: data.thresholds,
    lsuv: data.lsuv ? { state: 'done', summary: data.lsuv, canApply: false } : undefined,
    selectedLayer,
  });
  const view: PreviewView = new PreviewView(root, {
    reveal(layer) {
      selectedLayer = layer;
      view.render(vm());
    },
    select(id) {
      if (!alts.has(id)) return;
      selected = id;
      view.render(vm());
      (root.querySelector(`[data-alternative="${id}"]`) as HTMLElement | null)?.focus();
    },
    controls() {},
    applySuggested() {},
    lsuv() {},
    applyLsuv() {},
    sizes(_s: RememberedSizes) {},
    save(format, name, d) {
      download(name, d, format === 'csv' ? 'text/csv' : format === 'svg' ? 'image/svg+xml' : 'image/png');
    },
  });
  view.render(vm());
}

main();
