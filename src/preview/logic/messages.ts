/**
 * The messages between the preview panel's controller (extension host) and its page (the webview), and their
 * validation. Every message the webview sends is checked against a strict schema before the host uses it
 * (unknown types, extra or missing properties, wrong types, non-finite or out-of-range numbers, oversized strings
 * and arrays are all rejected); the page checks the host's messages too (defence in depth).
 *
 * The webview can ask for fixes only by id: the host looks the id up among the fixes the analyzer offered for
 * the current text of the document. LSUV fixes carry a standard deviation per layer, which the host turns into
 * a setInitializer intent itself (the webview never sends an intent, an edit or a file path).
 *
 * Pure: no vscode or DOM import.
 */
import type { FixIntent } from '../../core/findings';
import type { Model } from '../../core/model';

// -------------------------------------------------------------------------------------------------------------
// The data the page needs for one model.

export interface PreviewSuggestion {
  /** Stable id of the fix (see src/preview/logic/fixes.ts `fixIdOf`): all the webview may send back. */
  fixId: string;
  title: string;
  ruleId: string;
  layer?: number;
  intent: FixIntent;
}

export interface PreviewFinding {
  ruleId: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  layer?: number;
}

export interface RememberedSizes {
  /** Model input shape without the batch dimension. */
  inputShape?: number[];
  timeSteps?: number;
}

export interface PreviewPayload {
  /** The document's URI (kept in the page state so that the panel can be restored after a reload). */
  uri: string;
  /** File name for display (workspace-relative); text only. */
  file: string;
  modelIndex: number;
  modelName: string;
  model: Model;
  findings: PreviewFinding[];
  /** The fixes the engine offers for this model (with edits), in text order. */
  suggestions: PreviewSuggestion[];
  /** Whether the host can write LSUV initializers into the source. */
  lsuvFixes: boolean;
  /** The input distribution of the analytic prediction (setting initlens.input). */
  input: { mean: number; std: number };
  thresholds: { vanishing: number; exploding: number };
  /** Sizes the user gave earlier for this model (the description did not know them). */
  sizes?: RememberedSizes;
  /** Version of the document the model was read from; fix requests quote it back. */
  docVersion: number;
}

export type HostMessage =
  | { type: 'load'; runKey: number; payload: PreviewPayload }
  | { type: 'unavailable'; message: string }
  | { type: 'applied'; what: 'suggested' | 'lsuv'; ok: boolean; message: string }
  | { type: 'exported'; ok: boolean; message: string };

// -------------------------------------------------------------------------------------------------------------
// What the page may ask the host.

export type ExportFormat = 'svg' | 'png' | 'csv';

export interface LsuvLayerRequest {
  layer: number;
  slot: 'kernel' | 'pointwise';
  std: number;
}

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'reveal'; layer: number }
  | { type: 'applySuggested'; docVersion: number; fixIds: string[] }
  | { type: 'applyLsuv'; docVersion: number; layers: LsuvLayerRequest[] }
  | { type: 'rememberSizes'; sizes: RememberedSizes }
  | { type: 'export'; format: ExportFormat; name: string; data: string }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };

export const LIMITS = {
  maxLayerIndex: 100_000,
  maxFixIds: 2_000,
  fixIdLength: 300,
  maxLsuvLayers: 5_000,
  /** LSUV std: a positive finite number; anything larger than this is a computation gone wrong. */
  maxStd: 1e4,
  minStd: 1e-12,
  maxDims: 5,
  maxDim: 1_000_000,
  maxTimeSteps: 100_000,
  exportNameLength: 120,
  /** Exported data (an SVG, a PNG data URL or a CSV): 32 MB of text. */
  exportDataLength: 32 * 1024 * 1024,
  logLength: 4_000,
} as const;

// -------------------------------------------------------------------------------------------------------------
// A tiny strict schema checker.

export type Validation<T> = { ok: true; value: T } | { ok: false; error: string };

class Invalid extends Error {}

function fail(path: string, what: string): never {
  throw new Invalid(`${path}: ${what}`);
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** An object with exactly these keys (optional ones may be absent); own, enumerable, no accessors. */
function obj(x: unknown, path: string, required: readonly string[], optional: readonly string[] = []): Record<string, unknown> {
  if (!isPlainObject(x)) fail(path, 'not an object');
  const allowed = new Set([...required, ...optional]);
  for (const k of Reflect.ownKeys(x)) {
    if (typeof k !== 'string' || !allowed.has(k)) fail(path, `unexpected property ${String(k).slice(0, 40)}`);
    const d = Object.getOwnPropertyDescriptor(x, k);
    if (!d || !('value' in d)) fail(path, `property ${k} is an accessor`);
  }
  for (const k of required) if (!Object.prototype.hasOwnProperty.call(x, k)) fail(path, `missing ${k}`);
  return x;
}

function int(x: unknown, path: string, min: number, max: number): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < min || x > max) fail(path, `not an integer in [${min}, ${max}]`);
  return x;
}

function num(x: unknown, path: string, min: number, max: number): number {
  if (typeof x !== 'number' || !Number.isFinite(x) || x < min || x > max) fail(path, `not a finite number in [${min}, ${max}]`);
  return x;
}

function str(x: unknown, path: string, maxLength: number, pattern?: RegExp): string {
  if (typeof x !== 'string' || x.length > maxLength) fail(path, `not a string of at most ${maxLength} characters`);
  if (pattern && !pattern.test(x)) fail(path, 'has a form that is not allowed');
  return x;
}

function arr(x: unknown, path: string, maxLength: number): unknown[] {
  if (!Array.isArray(x) || x.length > maxLength) fail(path, `not an array of at most ${maxLength} items`);
  return x;
}

function oneOf<T extends string>(x: unknown, path: string, values: readonly T[]): T {
  if (typeof x !== 'string' || !(values as readonly string[]).includes(x)) fail(path, `not one of ${values.join(', ')}`);
  return x as T;
}

function run<T>(f: () => T): Validation<T> {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, error: e.message };
    return { ok: false, error: `invalid message (${e instanceof Error ? e.message : String(e)})` };
  }
}

/** Fix ids: the characters `fixIdOf` produces. */
export const FIX_ID_PATTERN = /^[A-Za-z0-9_.:|=-]+$/;
/** Export file names: a plain base name with an extension, no path. */
export const EXPORT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_. ()-]*\.(svg|png|csv)$/;
const PNG_DATA_URL = /^data:image\/png;base64,[A-Za-z0-9+/]+={0,2}$/;

function sizes(x: unknown, path: string): RememberedSizes {
  const o = obj(x, path, [], ['inputShape', 'timeSteps']);
  const out: RememberedSizes = {};
  if (o.inputShape !== undefined) {
    const dims = arr(o.inputShape, `${path}.inputShape`, LIMITS.maxDims);
    if (dims.length === 0) fail(`${path}.inputShape`, 'empty');
    out.inputShape = dims.map((d, i) => int(d, `${path}.inputShape[${i}]`, 1, LIMITS.maxDim));
  }
  if (o.timeSteps !== undefined) out.timeSteps = int(o.timeSteps, `${path}.timeSteps`, 1, LIMITS.maxTimeSteps);
  return out;
}

/** Validates a message from the webview. Anything that does not match exactly is rejected. */
export function validateWebviewMessage(x: unknown): Validation<WebviewMessage> {
  return run((): WebviewMessage => {
    if (!isPlainObject(x)) fail('message', 'not an object');
    const type = oneOf(x.type, 'message.type', ['ready', 'reveal', 'applySuggested', 'applyLsuv', 'rememberSizes', 'export', 'log'] as const);
    switch (type) {
      case 'ready':
        obj(x, 'ready', ['type']);
        return { type };
      case 'reveal': {
        const o = obj(x, 'reveal', ['type', 'layer']);
        return { type, layer: int(o.layer, 'reveal.layer', 0, LIMITS.maxLayerIndex) };
      }
      case 'applySuggested': {
        const o = obj(x, 'applySuggested', ['type', 'docVersion', 'fixIds']);
        const ids = arr(o.fixIds, 'applySuggested.fixIds', LIMITS.maxFixIds).map((id, i) =>
          str(id, `applySuggested.fixIds[${i}]`, LIMITS.fixIdLength, FIX_ID_PATTERN),
        );
        return { type, docVersion: int(o.docVersion, 'applySuggested.docVersion', 0, Number.MAX_SAFE_INTEGER), fixIds: ids };
      }
      case 'applyLsuv': {
        const o = obj(x, 'applyLsuv', ['type', 'docVersion', 'layers']);
        const layers = arr(o.layers, 'applyLsuv.layers', LIMITS.maxLsuvLayers).map((l, i) => {
          const p = `applyLsuv.layers[${i}]`;
          const e = obj(l, p, ['layer', 'slot', 'std']);
          return {
            layer: int(e.layer, `${p}.layer`, 0, LIMITS.maxLayerIndex),
            slot: oneOf(e.slot, `${p}.slot`, ['kernel', 'pointwise'] as const),
            std: num(e.std, `${p}.std`, LIMITS.minStd, LIMITS.maxStd),
          };
        });
        if (layers.length === 0) fail('applyLsuv.layers', 'empty');
        return { type, docVersion: int(o.docVersion, 'applyLsuv.docVersion', 0, Number.MAX_SAFE_INTEGER), layers };
      }
      case 'rememberSizes': {
        const o = obj(x, 'rememberSizes', ['type', 'sizes']);
        return { type, sizes: sizes(o.sizes, 'rememberSizes.sizes') };
      }
      case 'export': {
        const o = obj(x, 'export', ['type', 'format', 'name', 'data']);
        const format = oneOf(o.format, 'export.format', ['svg', 'png', 'csv'] as const);
        const name = str(o.name, 'export.name', LIMITS.exportNameLength, EXPORT_NAME_PATTERN);
        if (!name.endsWith(`.${format}`)) fail('export.name', `does not end with .${format}`);
        const data = str(o.data, 'export.data', LIMITS.exportDataLength);
        if (format === 'png' && !PNG_DATA_URL.test(data)) fail('export.data', 'not a PNG data URL');
        if (format === 'svg' && !/^<svg[\s>]/.test(data)) fail('export.data', 'not an SVG document');
        return { type, format, name, data };
      }
      case 'log': {
        const o = obj(x, 'log', ['type', 'level', 'message']);
        return {
          type,
          level: oneOf(o.level, 'log.level', ['info', 'warn', 'error'] as const),
          message: str(o.message, 'log.message', LIMITS.logLength),
        };
      }
    }
  });
}

/**
 * Validates a message from the host, in the page. Lighter than the webview's (the host is trusted) but strict on
 * the envelope, so that a stray `postMessage` from anything else on the page is ignored.
 */
export function validateHostMessage(x: unknown): Validation<HostMessage> {
  return run((): HostMessage => {
    if (!isPlainObject(x)) fail('message', 'not an object');
    const type = oneOf(x.type, 'message.type', ['load', 'unavailable', 'applied', 'exported'] as const);
    switch (type) {
      case 'load': {
        const o = obj(x, 'load', ['type', 'runKey', 'payload']);
        const p = obj(o.payload, 'load.payload', ['uri', 'file', 'modelIndex', 'modelName', 'model', 'findings', 'suggestions', 'lsuvFixes', 'input', 'thresholds', 'docVersion'], ['sizes']);
        str(p.uri, 'payload.uri', 8192);
        str(p.file, 'payload.file', 4096);
        int(p.modelIndex, 'payload.modelIndex', 0, LIMITS.maxLayerIndex);
        str(p.modelName, 'payload.modelName', 4096);
        const m = obj(p.model, 'payload.model', ['name', 'framework', 'span', 'layers', 'notes'], ['outputs']);
        oneOf(m.framework, 'payload.model.framework', ['tfjs', 'keras', 'pytorch'] as const);
        arr(m.layers, 'payload.model.layers', LIMITS.maxLayerIndex).forEach((l, i) => {
          if (!isPlainObject(l)) fail(`payload.model.layers[${i}]`, 'not an object');
          int(l.index, `payload.model.layers[${i}].index`, 0, LIMITS.maxLayerIndex);
          str(l.kind, `payload.model.layers[${i}].kind`, 40);
        });
        arr(p.findings, 'payload.findings', 100_000);
        arr(p.suggestions, 'payload.suggestions', 100_000).forEach((s, i) => {
          const e = obj(s, `payload.suggestions[${i}]`, ['fixId', 'title', 'ruleId', 'intent'], ['layer']);
          str(e.fixId, `payload.suggestions[${i}].fixId`, LIMITS.fixIdLength, FIX_ID_PATTERN);
        });
        if (typeof p.lsuvFixes !== 'boolean') fail('payload.lsuvFixes', 'not a boolean');
        const input = obj(p.input, 'payload.input', ['mean', 'std']);
        num(input.mean, 'payload.input.mean', -1e6, 1e6);
        num(input.std, 'payload.input.std', 1e-12, 1e6);
        const th = obj(p.thresholds, 'payload.thresholds', ['vanishing', 'exploding']);
        num(th.vanishing, 'payload.thresholds.vanishing', 1e-300, 1e300);
        num(th.exploding, 'payload.thresholds.exploding', 1e-300, 1e300);
        if (p.sizes !== undefined) sizes(p.sizes, 'payload.sizes');
        int(p.docVersion, 'payload.docVersion', 0, Number.MAX_SAFE_INTEGER);
        return { type, runKey: int(o.runKey, 'load.runKey', 0, Number.MAX_SAFE_INTEGER), payload: o.payload as PreviewPayload };
      }
      case 'unavailable': {
        const o = obj(x, 'unavailable', ['type', 'message']);
        return { type, message: str(o.message, 'unavailable.message', 10_000) };
      }
      case 'applied': {
        const o = obj(x, 'applied', ['type', 'what', 'ok', 'message']);
        if (typeof o.ok !== 'boolean') fail('applied.ok', 'not a boolean');
        return { type, what: oneOf(o.what, 'applied.what', ['suggested', 'lsuv'] as const), ok: o.ok, message: str(o.message, 'applied.message', 10_000) };
      }
      case 'exported': {
        const o = obj(x, 'exported', ['type', 'ok', 'message']);
        if (typeof o.ok !== 'boolean') fail('exported.ok', 'not a boolean');
        return { type, ok: o.ok, message: str(o.message, 'exported.message', 10_000) };
      }
    }
  });
}

// -------------------------------------------------------------------------------------------------------------
// The page's persisted state (vscode setState/getState), which the panel serializer reads after a reload.

export interface PageControls {
  batch: number;
  /** The user set the batch size (else the page may reduce it to cap the work, and says so). */
  customBatch?: boolean;
  input: { kind: 'gaussian'; mean: number; std: number } | { kind: 'uniform01' };
  /** Whether the Gaussian's mean/std were set by the user (else they follow the setting). */
  customInput: boolean;
  seed: number;
  seeds: number;
  spatialSize: number;
  backend: 'auto' | 'webgpu' | 'webgl' | 'wasm' | 'cpu';
}

export interface PageState {
  /** The document (URI string) and model the panel shows. */
  uri?: string;
  modelIndex?: number;
  modelName?: string;
  controls?: PageControls;
  alternative?: string;
}

export const DEFAULT_CONTROLS: PageControls = {
  batch: 128,
  input: { kind: 'gaussian', mean: 0, std: 1 },
  customInput: false,
  seed: 1,
  seeds: 1,
  spatialSize: 16,
  backend: 'auto',
};

/** Reads a persisted page state defensively (it comes from the webview): invalid parts are dropped. */
export function sanitizePageState(x: unknown): PageState {
  if (!isPlainObject(x)) return {};
  const out: PageState = {};
  if (typeof x.uri === 'string' && x.uri.length <= 8192 && /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(x.uri)) out.uri = x.uri;
  if (typeof x.modelIndex === 'number' && Number.isInteger(x.modelIndex) && x.modelIndex >= 0 && x.modelIndex <= LIMITS.maxLayerIndex) out.modelIndex = x.modelIndex;
  if (typeof x.modelName === 'string' && x.modelName.length <= 4096) out.modelName = x.modelName;
  if (typeof x.alternative === 'string' && /^[a-z0-9-]{1,40}$/.test(x.alternative)) out.alternative = x.alternative;
  const c = sanitizeControls(x.controls);
  if (c) out.controls = c;
  return out;
}

export function sanitizeControls(x: unknown): PageControls | undefined {
  if (!isPlainObject(x)) return undefined;
  const d = DEFAULT_CONTROLS;
  const intIn = (v: unknown, lo: number, hi: number, def: number) => (typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi ? v : def);
  const numIn = (v: unknown, lo: number, hi: number, def: number) => (typeof v === 'number' && Number.isFinite(v) && v >= lo && v <= hi ? v : def);
  let input: PageControls['input'] = d.input;
  if (isPlainObject(x.input)) {
    if (x.input.kind === 'uniform01') input = { kind: 'uniform01' };
    else if (x.input.kind === 'gaussian') input = { kind: 'gaussian', mean: numIn(x.input.mean, -1e6, 1e6, 0), std: numIn(x.input.std, 1e-12, 1e6, 1) };
  }
  const backends = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;
  return {
    batch: intIn(x.batch, 1, 4096, d.batch),
    customBatch: x.customBatch === true,
    input,
    customInput: x.customInput === true,
    seed: intIn(x.seed, 0, 2 ** 31 - 1, d.seed),
    seeds: intIn(x.seeds, 1, 16, d.seeds),
    spatialSize: intIn(x.spatialSize, 4, 256, d.spatialSize),
    backend: (backends as readonly unknown[]).includes(x.backend) ? (x.backend as PageControls['backend']) : 'auto',
  };
}
