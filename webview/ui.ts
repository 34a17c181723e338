/**
 * The preview page's DOM: header, controls, alternatives strip, repair, notices and the charts, rendered from a
 * view model. Shared by the live panel (webview/main.ts) and the self-contained report (webview/report.ts).
 * Workspace text (file, model and layer names, finding messages) only ever goes in as text.
 */
import type { PageControls, PreviewFinding, PreviewSuggestion, RememberedSizes } from '../src/preview/logic/messages';
import { ALTERNATIVES, type AlternativeId, type AlternativeInfo } from '../src/preview/logic/alternatives';
import { activationHistogram, signalChart, signalRows, smallMultiplesSvg, sparkline, weightHistogram, type SignalRow } from './lib/charts';
import { runsToCsv, lsuvToCsv } from './lib/csv';
import { quickLookDifferences, type LayerData, type LsuvSummary, type QuickLookInfo, type RunData } from '../src/preview/logic/data';
import { formatNumber, formatPercent } from '../src/preview/logic/scale';
import { el, setChildren, standaloneSvg, svgToPng, toDom } from './dom';

export type AltState =
  | { state: 'pending' | 'unavailable'; reason?: string }
  /** `quick`: a quick look (a smaller real measurement) shown while the full run goes on. */
  | { state: 'running'; reason?: string; quick?: RunData }
  | { state: 'done'; run: RunData }
  | { state: 'failed'; reason: string; need?: string; layer?: number };

export interface ViewModel {
  mode: 'live' | 'report';
  file: string;
  modelName: string;
  framework: string;
  layerCount: number;
  controls: PageControls;
  /** Show the spatial-size control (convolutional inputs). */
  spatial: boolean;
  backend?: { name: string; detail: string; fallbacks: string[] };
  status: { busy: boolean; text: string };
  findings: PreviewFinding[];
  suggestions: PreviewSuggestion[];
  canApplySuggested: boolean;
  alternatives: Map<AlternativeId, AltState>;
  selected: AlternativeId;
  /** The analytic prediction of the selected alternative, drawn before the measurement arrives. */
  predictionRows?: SignalRow[];
  predictionReference?: number;
  thresholds: { vanishing: number; exploding: number };
  lsuv?: { state: 'running' | 'done' | 'failed'; summary?: LsuvSummary; message?: string; canApply: boolean; alternative?: AlternativeId };
  sizes?: RememberedSizes;
  selectedLayer?: number;
  /** A one-line message (result of an apply or an export). */
  toast?: { text: string; kind: 'info' | 'warn' | 'error' };
  /** Timings for the status line. */
  firstChartMs?: number;
}

export interface ViewHandlers {
  reveal(layer: number): void;
  select(id: AlternativeId): void;
  controls(c: PageControls): void;
  applySuggested(): void;
  lsuv(): void;
  applyLsuv(): void;
  sizes(s: RememberedSizes): void;
  /** Save exported data (live: the host's save dialog; report: a download). */
  save(format: 'svg' | 'png' | 'csv', name: string, data: string): void;
}

const BACKEND_CHOICES: [PageControls['backend'], string][] = [
  ['auto', 'Automatic'],
  ['webgpu', 'WebGPU'],
  ['webgl', 'WebGL'],
  ['wasm', 'WASM'],
  ['cpu', 'CPU'],
];

function slug(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'model';
}

export class PreviewView {
  private readonly header = el('header');
  private readonly controlsBox = el('section', { class: 'controls-section', attrs: { 'aria-label': 'Run settings' } });
  private readonly findingsBox = el('section', { attrs: { 'aria-label': 'Findings' } });
  private readonly altBox = el('section', { attrs: { 'aria-label': 'Initializers' } });
  private readonly repairBox = el('section', { attrs: { 'aria-label': 'Repair' } });
  private readonly noticeBox = el('section', { attrs: { 'aria-live': 'polite' } });
  private readonly signalBox = el('section', { attrs: { 'aria-label': 'Signal scale per layer' } });
  private readonly histBox = el('section', { attrs: { 'aria-label': 'Activation histograms' } });
  private readonly weightBox = el('section', { attrs: { 'aria-label': 'Weight histograms' } });
  private readonly tableBox = el('section', { attrs: { 'aria-label': 'Numbers' } });
  private readonly toastBox = el('div', { class: 'toast', attrs: { role: 'status', 'aria-live': 'polite' } });
  private controlsKey = '';
  private vm?: ViewModel;
  private tableOpen = false;

  constructor(
    private readonly root: HTMLElement,
    private readonly handlers: ViewHandlers,
  ) {
    root.replaceChildren(
      this.header,
      this.controlsBox,
      this.findingsBox,
      this.altBox,
      this.repairBox,
      this.noticeBox,
      this.signalBox,
      this.histBox,
      this.weightBox,
      this.tableBox,
      this.toastBox,
    );
  }

  render(vm: ViewModel): void {
    this.vm = vm;
    const focusKey = (document.activeElement as HTMLElement | null)?.dataset?.key;
    this.renderHeader(vm);
    this.renderControls(vm);
    this.renderFindings(vm);
    this.renderAlternatives(vm);
    this.renderRepair(vm);
    this.renderNotices(vm);
    this.renderSignal(vm);
    this.renderHistograms(vm);
    this.renderWeights(vm);
    this.renderTable(vm);
    setChildren(this.toastBox, vm.toast ? el('div', { class: `notice ${vm.toast.kind === 'info' ? '' : vm.toast.kind}`, text: vm.toast.text }) : undefined);
    if (focusKey) {
      const again = this.root.querySelector<HTMLElement>(`[data-key="${CSS.escape(focusKey)}"]`);
      if (again && document.activeElement !== again) again.focus();
    }
    const run = this.selectedRun(vm);
    document.body.dataset.phase = vm.status.busy ? 'running' : run ? 'ready' : 'idle';
    // What the signal chart shows: the full measurement, a quick look, or the prediction alone.
    document.body.dataset.chart = run ? (run.quickLook ? 'quick' : 'full') : vm.predictionRows ? 'prediction' : 'none';
    document.body.dataset.alternative = vm.selected;
    if (run) document.body.dataset.backend = run.backend;
  }

  /** The run on screen: the full run, or while it goes on, its quick look. */
  private selectedRun(vm: ViewModel): RunData | undefined {
    const s = vm.alternatives.get(vm.selected);
    return s?.state === 'done' ? s.run : s?.state === 'running' ? s.quick : undefined;
  }

  // -----------------------------------------------------------------------------------------------------------

  private renderHeader(vm: ViewModel): void {
    const run = this.selectedRun(vm);
    const bits = [vm.file, frameworkLabel(vm.framework), `${vm.layerCount} layer${vm.layerCount === 1 ? '' : 's'}`];
    if (run) bits.push(`${run.params.toLocaleString('en-US')} parameters`);
    const chips: HTMLElement[] = [];
    if (vm.backend) {
      chips.push(
        el('span', { class: `chip${vm.backend.fallbacks.length ? ' warn' : ''}`, attrs: { 'data-testid': 'backend', title: vm.backend.fallbacks.length ? `Fell back: ${vm.backend.fallbacks.join('; ')}` : 'TensorFlow.js backend' } },
          el('span', { class: 'dot' }),
          `${vm.backend.name}${vm.backend.detail ? ` · ${vm.backend.detail}` : ''}`,
        ),
      );
    }
    chips.push(el('span', { class: `chip${vm.status.busy ? ' busy' : ''}`, attrs: { 'data-testid': 'status' } }, el('span', { class: 'dot' }), vm.status.text));
    setChildren(
      this.header,
      el('h1', {}, vm.modelName ? 'InitLens preview: ' : 'InitLens preview', vm.modelName ? el('span', { class: 'model-name', text: `'${vm.modelName}'` }) : undefined),
      el('p', { class: 'subtitle', text: bits.join(' · ') }),
      el('div', { class: 'status-bar' }, chips),
    );
  }

  private renderControls(vm: ViewModel): void {
    if (vm.mode === 'report') {
      const c = vm.controls;
      const input = c.input.kind === 'uniform01' ? 'uniform [0, 1]' : `N(${c.input.mean}, ${c.input.std}²)`;
      const key = `report:${JSON.stringify(c)}`;
      if (key === this.controlsKey) return;
      this.controlsKey = key;
      setChildren(
        this.controlsBox,
        el('p', { class: 'muted', text: `Batch ${c.batch} · input ${input} · seed ${c.seed} · ${c.seeds} seed${c.seeds === 1 ? '' : 's'} averaged${vm.spatial ? ` · spatial size ${c.spatialSize}` : ''}. Computed by initlens report with TensorFlow.js.` }),
      );
      return;
    }
    // Rebuilt only when the values change from outside (never while the user types).
    const key = JSON.stringify([vm.controls, vm.spatial]);
    if (key === this.controlsKey && this.controlsBox.firstChild) return;
    this.controlsKey = key;
    const c = vm.controls;
    const emit = (patch: Partial<PageControls>) => this.handlers.controls({ ...this.vm!.controls, ...patch });
    const numberInput = (keyName: string, value: number, min: number, max: number, step: number, onValue: (v: number) => void, label: string) =>
      el('input', {
        attrs: { type: 'number', min, max, step, value, 'data-key': keyName, 'aria-label': label },
        on: {
          change: (e) => {
            const v = Number((e.target as HTMLInputElement).value);
            if (Number.isFinite(v) && v >= min && v <= max) onValue(v);
            else (e.target as HTMLInputElement).value = String(value);
          },
        },
      });
    const inputSel = el(
      'select',
      {
        attrs: { 'data-key': 'input-kind', 'aria-label': 'Input distribution' },
        on: {
          change: (e) => {
            const v = (e.target as HTMLSelectElement).value;
            if (v === 'uniform01') emit({ input: { kind: 'uniform01' }, customInput: true });
            else if (v === 'unit') emit({ input: { kind: 'gaussian', mean: 0, std: 1 }, customInput: true });
            else emit({ input: { kind: 'gaussian', mean: c.input.kind === 'gaussian' ? c.input.mean : 0, std: c.input.kind === 'gaussian' ? c.input.std : 1 }, customInput: true });
          },
        },
      },
      el('option', { attrs: { value: 'unit', selected: c.input.kind === 'gaussian' && c.input.mean === 0 && c.input.std === 1 } }, 'Unit Gaussian N(0, 1)'),
      el('option', { attrs: { value: 'uniform01', selected: c.input.kind === 'uniform01' } }, 'Uniform [0, 1] (images)'),
      el('option', { attrs: { value: 'custom', selected: c.input.kind === 'gaussian' && !(c.input.mean === 0 && c.input.std === 1) } }, 'Gaussian with mean / std…'),
    );
    const custom =
      c.input.kind === 'gaussian'
        ? el(
            'span',
            { class: 'row' },
            'mean',
            numberInput('input-mean', c.input.mean, -1e6, 1e6, 0.1, (v) => emit({ input: { kind: 'gaussian', mean: v, std: c.input.kind === 'gaussian' ? c.input.std : 1 }, customInput: true }), 'Input mean'),
            'std',
            numberInput('input-std', c.input.std, 1e-6, 1e6, 0.1, (v) => emit({ input: { kind: 'gaussian', mean: c.input.kind === 'gaussian' ? c.input.mean : 0, std: v }, customInput: true }), 'Input standard deviation'),
          )
        : undefined;
    const field = (label: string, ...control: (Node | undefined)[]) => el('label', { class: 'field' }, el('span', { text: label }), el('span', { class: 'row' }, control));
    setChildren(
      this.controlsBox,
      el(
        'form',
        { class: 'controls', attrs: { 'aria-label': 'Run settings' }, on: { submit: (e) => e.preventDefault() } },
        field('Batch size', numberInput('batch', c.batch, 1, 4096, 1, (v) => emit({ batch: Math.round(v), customBatch: true }), 'Batch size')),
        field('Input', inputSel, custom),
        field('Seed', numberInput('seed', c.seed, 0, 2 ** 31 - 1, 1, (v) => emit({ seed: Math.round(v) }), 'Seed')),
        field('Seeds to average', numberInput('seeds', c.seeds, 1, 16, 1, (v) => emit({ seeds: Math.round(v) }), 'Seeds to average')),
        vm.spatial ? field('Spatial size', numberInput('spatial', c.spatialSize, 4, 256, 1, (v) => emit({ spatialSize: Math.round(v) }), 'Spatial size of convolutional inputs')) : undefined,
        field(
          'Backend',
          el(
            'select',
            { attrs: { 'data-key': 'backend', 'aria-label': 'TensorFlow.js backend' }, on: { change: (e) => emit({ backend: (e.target as HTMLSelectElement).value as PageControls['backend'] }) } },
            BACKEND_CHOICES.map(([v, label]) => el('option', { attrs: { value: v, selected: c.backend === v } }, label)),
          ),
        ),
        vm.spatial
          ? el('p', { class: 'hint', text: `Convolutional inputs are reduced to ${c.spatialSize}×${c.spatialSize}: per-pixel statistics do not depend on the image size away from the borders, and the run is much cheaper.` })
          : undefined,
      ),
    );
  }

  private renderFindings(vm: ViewModel): void {
    if (vm.findings.length === 0) {
      setChildren(this.findingsBox);
      return;
    }
    const items = vm.findings.map((f) =>
      el(
        'li',
        {},
        el('span', { class: `sev ${f.severity}`, text: f.severity }),
        f.layer !== undefined ? el('button', { class: 'link', text: `layer ${f.layer}`, attrs: { 'data-key': `finding-${f.ruleId}-${f.layer}`, title: 'Reveal in the editor' }, on: { click: () => this.handlers.reveal(f.layer!) } }) : undefined,
        f.layer !== undefined ? ': ' : '',
        el('span', { text: f.message }),
        ' ',
        el('span', { class: 'muted mono', text: f.ruleId }),
      ),
    );
    const d = el('details', { attrs: { open: vm.findings.length <= 4 } }, el('summary', { text: `${vm.findings.length} finding${vm.findings.length === 1 ? '' : 's'} in this model` }), el('ul', { class: 'findings' }, items));
    setChildren(this.findingsBox, d);
  }

  private renderAlternatives(vm: ViewModel): void {
    const infos = ALTERNATIVES.filter((a) => {
      const s = vm.alternatives.get(a.id);
      return s && !(s.state === 'unavailable' && (a.id === 'suggested' || a.id === 'lsuv'));
    });
    const buttons = infos.map((a) => this.altButton(vm, a));
    const group = el('div', { class: 'alternatives', attrs: { role: 'radiogroup', 'aria-label': 'Initializers to compare' } }, buttons);
    group.addEventListener('keydown', (e) => {
      const keys = ['ArrowRight', 'ArrowLeft', 'ArrowDown', 'ArrowUp', 'Home', 'End'];
      if (!keys.includes(e.key)) return;
      e.preventDefault();
      const ids = infos.map((a) => a.id);
      const i = ids.indexOf(vm.selected);
      const next = e.key === 'Home' ? 0 : e.key === 'End' ? ids.length - 1 : (i + (e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : -1) + ids.length) % ids.length;
      this.handlers.select(ids[next]);
    });
    setChildren(
      this.altBox,
      el('h2', {}, 'Initializers', el('span', { class: 'muted', text: '— the same model, side by side; click one to show it below' })),
      group,
    );
  }

  private altButton(vm: ViewModel, a: AlternativeInfo): HTMLElement {
    const s = vm.alternatives.get(a.id)!;
    const selected = vm.selected === a.id;
    let body: Node;
    let summary = '';
    let bad = false;
    const shown = s.state === 'done' ? s.run : s.state === 'running' ? s.quick : undefined;
    if (shown) {
      body = toDom(sparkline(signalRows(shown), { thresholds: vm.thresholds, reference: shown.reference }));
      const last = lastSignal(shown);
      if (last) {
        summary = `${last.what} ×${formatNumber(last.ratio)}`;
        bad = last.ratio < Math.sqrt(vm.thresholds.vanishing) || last.ratio > Math.sqrt(vm.thresholds.exploding) || !Number.isFinite(last.ratio);
      }
      if (shown.firstNonFinite) {
        summary = `NaN/Inf at layer ${shown.firstNonFinite.layer}`;
        bad = true;
      }
      if (shown.quickLook) summary = `quick look${summary ? ` · ${summary}` : ''}`;
    } else {
      const text = s.state === 'running' ? 'measuring…' : s.state === 'pending' ? 'queued' : s.state === 'failed' ? 'cannot rebuild' : s.state === 'unavailable' ? (s.reason ?? 'not available') : 'not available';
      body = el('div', { class: 'alt-placeholder', text });
      if (s.state === 'failed') {
        summary = 'see the message below';
        bad = true;
      }
    }
    return el(
      'button',
      {
        class: 'alt',
        attrs: {
          role: 'radio',
          'aria-checked': selected ? 'true' : 'false',
          tabindex: selected ? 0 : -1,
          title: a.title,
          'data-key': `alt-${a.id}`,
          'data-alternative': a.id,
          'data-state': s.state,
          disabled: s.state === 'unavailable',
        },
        on: { click: () => this.handlers.select(a.id) },
      },
      el('span', { class: 'alt-name', text: a.label }),
      body,
      el('span', { class: `alt-summary${bad ? ' bad' : ''}`, text: summary || '\u00a0' }),
    );
  }

  private renderRepair(vm: ViewModel): void {
    const parts: (Node | undefined)[] = [];
    if (vm.mode === 'live') {
      const n = vm.suggestions.length;
      parts.push(
        el('button', {
          class: 'primary',
          text: n ? `Apply suggested initializers (${n} fix${n === 1 ? '' : 'es'})` : 'No suggested fixes',
          attrs: { disabled: !vm.canApplySuggested || n === 0, 'data-key': 'apply-suggested', 'data-testid': 'apply-suggested', title: vm.suggestions.map((s) => s.title).join('\n') },
          on: { click: () => this.handlers.applySuggested() },
        }),
        el('button', {
          text: vm.lsuv?.state === 'running' ? 'Computing LSUV…' : 'Compute LSUV',
          attrs: { disabled: vm.lsuv?.state === 'running' || vm.status.busy, 'data-key': 'lsuv', 'data-testid': 'lsuv', title: 'Layer-sequential unit variance (Mishkin & Matas 2015): rescale each kernel until its output variance is 1 on the synthetic batch' },
          on: { click: () => this.handlers.lsuv() },
        }),
      );
    }
    const l = vm.lsuv;
    let lsuvBlock: Node | undefined;
    if (l?.state === 'failed') lsuvBlock = el('div', { class: 'notice error', text: `LSUV failed: ${l.message ?? ''}` });
    if (l?.state === 'done' && l.summary) {
      const s = l.summary;
      const rows = s.layers.map((r) =>
        el(
          'tr',
          { attrs: { 'data-layer': r.layer, 'data-std': r.std, 'data-variance': r.variance } },
          el('td', {}, el('button', { class: 'link', text: r.label, attrs: { 'data-key': `lsuv-${r.layer}` }, on: { click: () => this.handlers.reveal(r.layer) } })),
          el('td', { text: formatNumber(r.stdBefore, 4) }),
          el('td', { text: formatNumber(r.std, 4) }),
          el('td', { text: formatNumber(r.varianceBefore) }),
          el('td', { text: formatNumber(r.variance) }),
          el('td', { text: String(r.iterations) }),
          el('td', { class: 'text', text: r.note ?? (r.converged ? 'converged' : 'not converged') }),
        ),
      );
      lsuvBlock = el(
        'div',
        { class: 'chart-card' },
        el('h3', { text: `LSUV: kernel std per layer for output variance 1 ± ${s.tolerance}${l.alternative && l.alternative !== 'current' ? ` (from ${altLabel(l.alternative)})` : ''}` }),
        el('div', { class: 'table-wrap' }, el('table', { attrs: { 'data-testid': 'lsuv-table' } }, el('thead', {}, el('tr', {}, ['layer', 'std before', 'std', 'Var before', 'Var after', 'iterations', ''].map((t) => el('th', { text: t })))), el('tbody', {}, rows))),
        s.skipped.length ? el('p', { class: 'muted', text: `Not rescaled: ${s.skipped.map((k) => `${k.label} (${k.reason})`).join('; ')}` }) : undefined,
        ...s.notes.map((n) => el('p', { class: 'muted', text: n })),
        el(
          'div',
          { class: 'repair' },
          vm.mode === 'live'
            ? el('button', {
                class: 'primary',
                text: 'Apply LSUV initializers',
                attrs: { disabled: !l.canApply || s.layers.length === 0, 'data-key': 'apply-lsuv', 'data-testid': 'apply-lsuv', title: l.canApply ? 'Write N(0, std²) kernel initializers with these standard deviations into the source' : 'This file cannot be edited from the preview' },
                on: { click: () => this.handlers.applyLsuv() },
              })
            : undefined,
          el('button', { class: 'small', text: 'CSV', attrs: { 'data-key': 'lsuv-csv', title: 'Export the LSUV table as CSV' }, on: { click: () => this.handlers.save('csv', `${slug(vm.modelName)}-lsuv.csv`, lsuvToCsv(s)) } }),
          el('span', { class: 'muted', text: 'Shown as the LSUV column above.' }),
        ),
      );
    }
    setChildren(this.repairBox, parts.length ? el('div', { class: 'repair' }, parts) : undefined, lsuvBlock);
  }

  private renderNotices(vm: ViewModel): void {
    const s = vm.alternatives.get(vm.selected);
    const out: Node[] = [];
    if (s?.state === 'failed') {
      const box = el('div', { class: 'notice error', attrs: { 'data-testid': 'failure' } }, el('p', { text: `The model cannot be rebuilt with ${altLabel(vm.selected)} initializers: ${s.reason}` }));
      if (s.need === 'inputShape' || s.need === 'timeSteps' || s.need === 'size') box.appendChild(this.sizesForm(vm, s.need));
      else if (s.need === 'smaller') box.appendChild(el('p', { text: 'The preview caps the work it does; reduce the model (or preview a smaller variant) to see it.' }));
      if (s.layer !== undefined) box.appendChild(el('button', { class: 'link', text: `Reveal layer ${s.layer}`, attrs: { 'data-key': 'failure-reveal' }, on: { click: () => this.handlers.reveal(s.layer!) } }));
      out.push(box);
    }
    const run = this.selectedRun(vm);
    if (run?.quickLook) out.push(quickLookNotice(run.quickLook, vm.mode === 'live' && vm.status.busy));
    if (run?.firstNonFinite) {
      const l = run.layers[run.firstNonFinite.layer];
      out.push(
        el(
          'div',
          { class: 'notice error', attrs: { 'data-testid': 'overflow' } },
          el('p', {}, `Values overflow to NaN/Inf ${run.firstNonFinite.direction === 'forward' ? 'in the forward pass from ' : 'in the backward pass at '}`, el('button', { class: 'link', text: l?.label ?? `layer ${run.firstNonFinite.layer}`, attrs: { 'data-key': 'overflow-reveal' }, on: { click: () => this.handlers.reveal(run.firstNonFinite!.layer) } }), ' on. This is a finding about the initialization, not an error of the preview: the charts show where the signal goes.'),
        ),
      );
    }
    if (run && run.notes.length) {
      out.push(el('div', { class: 'notice' }, el('p', { class: 'muted', text: 'How this run differs from the model as written:' }), el('ul', {}, run.notes.map((n) => el('li', { text: n })))));
    }
    setChildren(this.noticeBox, out);
  }

  private sizesForm(vm: ViewModel, need: string): HTMLElement {
    const wantsSteps = need === 'timeSteps';
    const shape = el('input', {
      class: 'shape',
      attrs: { type: 'text', 'data-key': 'sizes-shape', placeholder: 'e.g. 28, 28, 1', 'aria-label': 'Input shape without the batch dimension', value: vm.sizes?.inputShape?.join(', ') ?? '' },
    });
    const steps = el('input', { attrs: { type: 'number', min: 1, max: 100000, 'data-key': 'sizes-steps', 'aria-label': 'Time steps', value: vm.sizes?.timeSteps ?? '' } });
    const error = el('span', { class: 'muted', attrs: { role: 'alert' } });
    const form = el(
      'form',
      {
        on: {
          submit: (e) => {
            e.preventDefault();
            const sizes: RememberedSizes = {};
            const dims = shape.value.split(/[\s,×x]+/).filter(Boolean).map(Number);
            if (dims.length) {
              if (dims.length > 5 || dims.some((d) => !Number.isInteger(d) || d < 1 || d > 1_000_000)) {
                error.textContent = 'The shape is a list of 1 to 5 positive integers.';
                return;
              }
              sizes.inputShape = dims;
            }
            if (steps.value) {
              const t = Number(steps.value);
              if (!Number.isInteger(t) || t < 1 || t > 100000) {
                error.textContent = 'Time steps is a positive integer.';
                return;
              }
              sizes.timeSteps = t;
            }
            if (!sizes.inputShape && !sizes.timeSteps) {
              error.textContent = 'Enter a shape or a number of time steps.';
              return;
            }
            this.handlers.sizes(sizes);
          },
        },
      },
      el('label', {}, 'Input shape ', shape),
      wantsSteps || vm.sizes?.timeSteps ? el('label', {}, 'Time steps ', steps) : undefined,
      el('button', { class: 'primary', text: vm.mode === 'live' ? 'Use and remember' : 'Use', attrs: { type: 'submit', 'data-key': 'sizes-submit' } }),
      error,
    );
    return el('div', {}, el('p', { text: 'InitLens reads sizes from the code; this one is not written there. Give it here (without the batch dimension)' + (vm.mode === 'live' ? '; the preview remembers it for this model.' : '.') }), form);
  }

  private exportButtons(name: string, svg: () => SVGSVGElement | null, csv?: () => string): HTMLElement {
    const save = this.handlers.save;
    return el(
      'span',
      { class: 'row' },
      el('button', {
        class: 'small',
        text: 'SVG',
        attrs: { title: 'Export as SVG', 'data-key': `${name}-svg` },
        on: {
          click: () => {
            const s = svg();
            if (s) save('svg', `${name}.svg`, standaloneSvg(s));
          },
        },
      }),
      el('button', {
        class: 'small',
        text: 'PNG',
        attrs: { title: 'Export as PNG', 'data-key': `${name}-png` },
        on: {
          click: async () => {
            const s = svg();
            if (!s) return;
            const vb = s.viewBox.baseVal;
            save('png', `${name}.png`, await svgToPng(standaloneSvg(s), vb.width || s.clientWidth, vb.height || s.clientHeight));
          },
        },
      }),
      csv ? el('button', { class: 'small', text: 'CSV', attrs: { title: 'Export the numbers as CSV', 'data-key': `${name}-csv` }, on: { click: () => save('csv', `${name}.csv`, csv()) } }) : undefined,
    );
  }

  private renderSignal(vm: ViewModel): void {
    const run = this.selectedRun(vm);
    const rows = run ? signalRows(run) : vm.predictionRows;
    const base = slug(`${vm.modelName}-${vm.selected}`);
    if (!rows) {
      setChildren(this.signalBox);
      return;
    }
    const reference = run ? run.reference : (vm.predictionReference ?? 1);
    const chart = toDom(
      signalChart(rows, {
        thresholds: vm.thresholds,
        reference,
        measured: !!run,
        firstNonFinite: run?.firstNonFinite,
        title: `Signal scale per layer: ${altLabel(vm.selected)} initializers${run?.quickLook ? ' (quick look)' : ''}`,
      }),
    ) as SVGSVGElement;
    chart.setAttribute('data-testid', 'signal-chart');
    for (const hit of Array.from(chart.querySelectorAll<SVGRectElement>('.layer-hit'))) {
      const layer = Number(hit.getAttribute('data-layer'));
      hit.setAttribute('data-key', `hit-${layer}`);
      if (layer === vm.selectedLayer) hit.classList.add('selected');
      hit.addEventListener('click', () => this.handlers.reveal(layer));
      hit.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          this.handlers.reveal(layer);
        }
      });
    }
    const doneRuns = [...vm.alternatives.values()].filter((s): s is { state: 'done'; run: RunData } => s.state === 'done').map((s) => s.run);
    const summary = run ? signalSummary(run) : 'Analytic prediction (mean-field); the measurement is running…';
    setChildren(
      this.signalBox,
      el('h2', {}, 'Signal scale per layer', el('span', { class: 'spacer' }), this.exportButtons(`${base}-signal`, () => chart, doneRuns.length ? () => runsToCsv(doneRuns) : undefined)),
      el('p', { class: 'muted', text: 'Activation std forward (blue) and gradient std backward from a unit-variance output gradient (orange), measured in TensorFlow.js on the synthetic batch (solid) beside the analytic prediction (dashed). The band is where neither has vanished nor exploded. Click a layer to reveal it in the editor.' }),
      el('div', { class: `chart-card${run?.quickLook ? ' quick' : ''}` }, chart),
      el('p', { class: 'muted', attrs: { 'data-testid': 'signal-summary' }, text: summary }),
    );
  }

  private renderHistograms(vm: ViewModel): void {
    const run = this.selectedRun(vm);
    if (!run) {
      setChildren(this.histBox);
      return;
    }
    const cards: HTMLElement[] = [];
    const svgItems: { title: string; chart: ReturnType<typeof activationHistogram> & object; lines: string[] }[] = [];
    for (const l of run.layers) {
      if (l.kind === 'input') continue;
      const chartV = activationHistogram(l);
      const lines = activationLines(l);
      if (chartV) svgItems.push({ title: l.label, chart: chartV, lines: lines.map((x) => x.join(' ')) });
      cards.push(this.card(vm, l, chartV ? toDom(chartV) : el('p', { class: 'muted', text: 'no finite values' }), lines, {
        'data-std': l.output.std,
        'data-mean': l.output.mean,
        'data-zero-fraction': l.output.zeroFraction,
        'data-saturated-fraction': l.output.saturatedFraction,
        'data-predicted-std': l.predicted.std,
      }));
    }
    const base = slug(`${vm.modelName}-${vm.selected}`);
    setChildren(
      this.histBox,
      el('h2', {}, 'Activation histograms', el('span', { class: 'spacer' }), this.exportButtons(`${base}-activations`, () => toDom(smallMultiplesSvg(svgItems, { title: `Activation histograms: ${vm.modelName} (${altLabel(vm.selected)})` })) as SVGSVGElement & Node)),
      el('p', { class: 'muted', text: `Each layer's output on the batch (seed ${run.seeds[0]}${run.seeds.length > 1 ? `–${run.seeds[run.seeds.length - 1]}, merged` : ''}); the solid line is the mean, the dashed ones mean ± std. Badges: dead ≥ 70% of a ReLU's outputs are 0; saturated > 50% on the flat part; vanishing / exploding relative to the input.` }),
      el('div', { class: 'grid-cards', attrs: { 'data-testid': 'activation-cards' } }, cards),
    );
  }

  private renderWeights(vm: ViewModel): void {
    const run = this.selectedRun(vm);
    if (!run) {
      setChildren(this.weightBox);
      return;
    }
    if (run.quickLook?.weightsDeferred) {
      setChildren(
        this.weightBox,
        el('h2', { text: 'Weight histograms' }),
        el('p', { class: 'muted', attrs: { 'data-testid': 'weights-deferred' }, text: `Deferred: the statistics of the ${run.params.toLocaleString('en-US')} weights come with the full run.` }),
      );
      return;
    }
    const cards: HTMLElement[] = [];
    const constants = new Map<string, number[]>();
    const svgItems: { title: string; chart: NonNullable<ReturnType<typeof weightHistogram>>; lines: string[] }[] = [];
    for (const l of run.layers) {
      for (const w of l.weights) {
        if (!(w.realized.std > 0)) {
          const key = `${w.slot} = ${formatNumber(w.realized.mean)}`;
          constants.set(key, [...(constants.get(key) ?? []), l.index]);
          continue;
        }
        const chartV = weightHistogram(w);
        const ratio = w.intended && w.intended.std > 0 ? w.realized.std / w.intended.std : undefined;
        const lines: string[][] = [
          [`${w.slot} · ${w.initializer ?? 'unknown'}${w.sampledBy !== run.framework ? ` (drawn as ${w.sampledBy})` : ''} · ${w.shape.join('×')}`],
          [`realized std ${formatNumber(w.realized.std, 4)}`, w.intended ? `intended ${formatNumber(w.intended.std, 4)}` : 'intended: unknown', ratio !== undefined ? `(×${formatNumber(ratio)})` : ''],
        ];
        if (w.intended?.note || w.note) lines.push([w.intended?.note ?? w.note ?? '']);
        if (chartV) svgItems.push({ title: l.label, chart: chartV, lines: lines.map((x) => x.join(' ')) });
        cards.push(
          this.card(vm, l, chartV ? toDom(chartV) : el('p', { class: 'muted', text: 'no values' }), lines, {
            'data-slot': w.slot,
            'data-realized-std': w.realized.std,
            'data-intended-std': w.intended?.std,
          }, false),
        );
      }
    }
    const base = slug(`${vm.modelName}-${vm.selected}`);
    setChildren(
      this.weightBox,
      el('h2', {}, 'Weight histograms', el('span', { class: 'spacer' }), this.exportButtons(`${base}-weights`, () => toDom(smallMultiplesSvg(svgItems, { title: `Weight histograms: ${vm.modelName} (${altLabel(vm.selected)})` })) as SVGSVGElement & Node)),
      el(
        'p',
        { class: 'legend-html' },
        el('span', {}, el('span', { class: 'swatch realized' }), 'realized ± std'),
        el('span', {}, el('span', { class: 'swatch intended' }), 'intended ± std (what the initializer promises)'),
        el('span', {}, el('span', { class: 'swatch density' }), 'intended density'),
      ),
      el('div', { class: 'grid-cards', attrs: { 'data-testid': 'weight-cards' } }, cards),
      constants.size ? el('p', { class: 'muted', text: `Constant weights: ${[...constants].map(([k, layers]) => `${k} in layer${layers.length === 1 ? '' : 's'} ${layers.join(', ')}`).join('; ')}.` }) : undefined,
    );
  }

  private card(vm: ViewModel, l: LayerData, chart: Node, lines: string[][], data: Record<string, number | string | undefined>, badges = true): HTMLElement {
    const attrs: Record<string, string | number | undefined> = { 'data-layer': l.index };
    for (const [k, v] of Object.entries(data)) if (v !== undefined) attrs[k] = v;
    const nonFinite = l.output.nanCount + l.output.infCount > 0;
    return el(
      'div',
      { class: `card${vm.selectedLayer === l.index ? ' selected' : ''}${nonFinite && badges ? ' nonfinite' : ''}`, attrs },
      el(
        'div',
        { class: 'card-head' },
        el('button', { class: 'link card-title', text: l.label, attrs: { title: `${l.label}: reveal in the editor`, 'data-key': `card-${badges ? 'a' : 'w'}-${l.index}-${String(data['data-slot'] ?? '')}` }, on: { click: () => this.handlers.reveal(l.index) } }),
        el('span', { class: 'muted', text: l.activation ?? '' }),
      ),
      badges && l.badges.length ? el('div', { class: 'badges' }, l.badges.map((b) => el('span', { class: `badge badge-${b.kind}`, text: b.label, attrs: { title: b.detail, 'aria-label': `${b.label}: ${b.detail}` } }))) : undefined,
      chart,
      el('div', { class: 'stats' }, lines.map((parts) => el('div', { text: parts.filter(Boolean).join(' · ') }))),
    );
  }

  private renderTable(vm: ViewModel): void {
    const run = this.selectedRun(vm);
    if (!run) {
      setChildren(this.tableBox);
      return;
    }
    const head = ['layer', 'output shape', 'std', 'predicted', 'grad std', 'predicted', 'mean', 'zeros', 'saturated', 'badges'];
    const rows = run.layers.map((l) =>
      el(
        'tr',
        { attrs: { 'data-layer': l.index } },
        el('td', { class: 'text', text: l.label }),
        el('td', { text: l.outputShape.join('×') }),
        el('td', { text: formatNumber(l.output.std) }),
        el('td', { text: formatNumber(l.predicted.std) }),
        el('td', { text: formatNumber(l.gradient?.std) }),
        el('td', { text: formatNumber(l.predicted.gradStd) }),
        el('td', { text: formatNumber(l.output.mean) }),
        el('td', { text: formatPercent(l.output.zeroFraction) }),
        el('td', { text: formatPercent(l.output.saturatedFraction) }),
        el('td', { class: 'text', text: l.badges.map((b) => b.label).join(', ') }),
      ),
    );
    const details = el(
      'details',
      { attrs: { open: this.tableOpen } },
      el('summary', { text: 'Numbers per layer (table)' }),
      el('div', { class: 'table-wrap' }, el('table', { attrs: { 'data-testid': 'numbers' } }, el('thead', {}, el('tr', {}, head.map((t) => el('th', { text: t })))), el('tbody', {}, rows))),
    );
    details.addEventListener('toggle', () => (this.tableOpen = details.open));
    setChildren(this.tableBox, details);
  }
}

export function altLabel(id: AlternativeId): string {
  return ALTERNATIVES.find((a) => a.id === id)?.label ?? id;
}

function frameworkLabel(f: string): string {
  return f === 'tfjs' ? 'TensorFlow.js' : f === 'keras' ? 'Keras' : f === 'pytorch' ? 'PyTorch' : f;
}

/** The std at the last layer relative to the input's, for the strip. */
function lastSignal(run: RunData): { ratio: number; what: string } | undefined {
  const ref = Math.sqrt(run.reference);
  // The read-out input: the output of the last layer before the last weighted layer, else the last layer.
  let readout = -1;
  for (let i = run.layers.length - 1; i >= 0; i--) if (run.layers[i].weighted && run.layers[i].kind !== 'embedding') {
    readout = i;
    break;
  }
  const l = readout > 0 ? run.layers[readout - 1] : run.layers[run.layers.length - 1];
  if (!l || !(ref > 0)) return undefined;
  return { ratio: Math.sqrt(l.output.secondMoment) / ref, what: readout > 0 ? 'read-out' : 'output' };
}

function signalSummary(run: RunData): string {
  const last = lastSignal(run);
  const first = run.layers.find((l) => l.gradient);
  const q = run.quickLook;
  const after = run.afterQuickLook;
  const steps = q?.timeSteps ? `, ${q.timeSteps.used} of ${q.timeSteps.of} time steps` : '';
  const parts = [
    `${q ? 'Quick look: measured' : 'Measured'} on ${run.backend.toUpperCase()} with batch ${run.batch}, ${run.seeds.length} seed${run.seeds.length === 1 ? '' : 's'}${steps}, input ${run.input.label}.`,
    last ? `RMS entering the ${last.what}: ×${formatNumber(last.ratio)} of the input's.` : '',
    first?.gradient ? `Gradient std at the first layer: ${formatNumber(first.gradient.std)} (predicted ${formatNumber(first.predicted.gradStd)}).` : '',
    `${q ? 'It took' : 'Run:'} ${Math.round(run.timing.totalMs)} ms (build ${Math.round(run.timing.buildMs)}, passes ${Math.round(run.timing.passMs)}, statistics ${Math.round(run.timing.statsMs)}${after?.measureMs !== undefined ? `; a quick look first, ${after.measureMs} ms` : ''}).`,
  ];
  return parts.filter(Boolean).join(' ');
}

function quickLookNotice(q: QuickLookInfo, measuring: boolean): HTMLElement {
  const eta = q.estimatedFullMs >= 1500 ? ` (about ${Math.round(q.estimatedFullMs / 1000)} s)` : '';
  return el(
    'div',
    { class: 'notice quick', attrs: { 'data-testid': 'quick-look', role: 'status' } },
    el('p', {}, el('strong', { text: 'Quick look' }), `: ${quickLookDifferences(q).join(' · ')}. `, el('span', { class: 'muted', text: measuring ? `Measuring the full run${eta}…` : 'The full run did not finish.' })),
  );
}

function activationLines(l: LayerData): string[][] {
  const o = l.output;
  const lines: string[][] = [[`mean ${formatNumber(o.mean)}`, `std ${formatNumber(o.std)}`, l.predicted.std !== undefined ? `predicted ${formatNumber(l.predicted.std)}` : '']];
  const second: string[] = [];
  const relu = l.activation === 'relu' || l.activation === 'relu6';
  if (relu || o.zeroFraction > 0.01) second.push(`${relu ? 'dead' : 'zeros'} ${formatPercent(o.zeroFraction)}${o.deadUnitFraction ? ` (units ${formatPercent(o.deadUnitFraction)})` : ''}`);
  if (o.saturatedFraction !== undefined) second.push(`saturated ${formatPercent(o.saturatedFraction)}`);
  if (l.gradient) second.push(`grad std ${formatNumber(l.gradient.std)}`);
  if (o.nanCount + o.infCount) second.push(`${o.nanCount} NaN, ${o.infCount} Inf`);
  if (second.length) lines.push(second);
  return lines;
}
