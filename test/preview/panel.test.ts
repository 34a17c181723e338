/**
 * The panel controller (src/preview/panel.ts) against a small fake of the `vscode` API: the page gets the model
 * after it says 'ready', edits are sent again (debounced), every message is validated, fix ids resolve against
 * the current text only, LSUV standard deviations become randomNormal initializers through the analyzer's
 * fixer, exports are written where the user chose, and a serialized panel is restored.
 */
import assert from 'node:assert/strict';
import Module from 'node:module';
import { describe, it } from 'node:test';
import { computeLineStarts, lineColAt } from '../../src/core/model';
import type { FixIntent } from '../../src/core/findings';
import type { Model } from '../../src/core/model';
import { checkText } from '../../src/engine/check';
import { analyzerFor } from '../../src/engine/languages';
import type { PreviewHandler, PreviewSettings } from '../../src/preview/host';
import type { HostMessage, PreviewPayload } from '../../src/preview/logic/messages';

// ---------------------------------------------------------------------------------------------------------------
// A fake `vscode`, just what the panel uses.

type Listener<T> = (e: T) => unknown;
class Emitter<T> {
  private ls: Listener<T>[] = [];
  event = (l: Listener<T>) => {
    this.ls.push(l);
    return { dispose: () => (this.ls = this.ls.filter((x) => x !== l)) };
  };
  fire(e: T) {
    for (const l of [...this.ls]) l(e);
  }
}
class Disposable {
  constructor(private readonly fn: () => void) {}
  dispose() {
    this.fn();
  }
  static from(...ds: { dispose(): unknown }[]) {
    return new Disposable(() => ds.forEach((d) => d.dispose()));
  }
}
class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}
class Range {
  constructor(
    readonly start: Position,
    readonly end: Position,
  ) {}
}
class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
  ) {}
  static parse(s: string) {
    const m = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(s);
    if (!m) throw new Error(`bad uri ${s}`);
    return new Uri(m[1], m[2].replace(/^[^/]*/, ''));
  }
  static file(p: string) {
    return new Uri('file', p);
  }
  static joinPath(u: Uri, ...parts: string[]) {
    const segs = u.path.split('/');
    for (const p of parts) for (const s of p.split('/')) s === '..' ? segs.pop() : s && segs.push(s);
    return new Uri(u.scheme, segs.join('/'));
  }
  toString() {
    return `${this.scheme}://${this.path}`;
  }
}
class WorkspaceEdit {
  readonly edits: { uri: Uri; range: Range; text: string }[] = [];
  replace(uri: Uri, range: Range, text: string) {
    this.edits.push({ uri, range, text });
  }
}

class Doc {
  version = 1;
  isClosed = false;
  constructor(
    readonly uri: Uri,
    public text: string,
  ) {}
  get fileName() {
    return this.uri.path;
  }
  getText() {
    return this.text;
  }
  positionAt(offset: number) {
    const lc = lineColAt(this.text, offset);
    return new Position(lc.line - 1, lc.column - 1);
  }
  offsetAt(p: Position) {
    return computeLineStarts(this.text)[p.line] + p.character;
  }
}

interface FakePanel {
  posted: HostMessage[];
  html: string;
  title: string;
  disposed: boolean;
  receive(m: unknown): Promise<void>;
}

function createFake() {
  const docs: Doc[] = [];
  const panels: FakePanel[] = [];
  const onChange = new Emitter<{ document: Doc; contentChanges: unknown[] }>();
  const onConfig = new Emitter<{ affectsConfiguration(s: string): boolean }>();
  const written = new Map<string, Uint8Array>();
  const state = new Map<string, unknown>();
  let serializer: { deserializeWebviewPanel(p: unknown, s: unknown): Promise<void> } | undefined;
  let saveTo: Uri | undefined;
  const shown: { uri: string; selection: Range }[] = [];
  const makePanel = () => {
    const receive = new Emitter<unknown>();
    const dispose = new Emitter<void>();
    const pending: Promise<unknown>[] = [];
    const p: FakePanel & Record<string, unknown> = {
      posted: [],
      html: '',
      title: '',
      disposed: false,
      viewColumn: 2,
      visible: true,
      webview: {
        options: {},
        cspSource: 'https://fake.vscode-cdn.net',
        asWebviewUri: (u: Uri) => ({ toString: () => `https://fake.vscode-cdn.net${u.path}` }),
        onDidReceiveMessage: receive.event,
        postMessage: async (m: HostMessage) => {
          p.posted.push(m);
          return true;
        },
        set html(v: string) {
          p.html = v;
        },
        get html() {
          return p.html;
        },
      },
      onDidDispose: dispose.event,
      onDidChangeViewState: new Emitter<unknown>().event,
      reveal: () => undefined,
      dispose: () => {
        if (p.disposed) return;
        p.disposed = true;
        dispose.fire();
      },
      async receive(m: unknown) {
        receive.fire(m);
        await Promise.all(pending);
        await new Promise((r) => setTimeout(r, 20));
      },
    };
    panels.push(p);
    return p;
  };
  const vscode = {
    Uri,
    Range,
    Position,
    WorkspaceEdit,
    Disposable,
    ViewColumn: { One: 1, Two: 2, Beside: -2 },
    TextEditorRevealType: { InCenterIfOutsideViewport: 2 },
    window: {
      createWebviewPanel: () => makePanel(),
      registerWebviewPanelSerializer: (_t: string, s: typeof serializer) => {
        serializer = s;
        return new Disposable(() => (serializer = undefined));
      },
      visibleTextEditors: [] as unknown[],
      showTextDocument: async (doc: Doc, o: { selection: Range }) => {
        shown.push({ uri: doc.uri.toString(), selection: o.selection });
        return { revealRange: () => undefined };
      },
      showSaveDialog: async () => saveTo,
    },
    workspace: {
      get textDocuments() {
        return docs;
      },
      openTextDocument: async (u: Uri) => {
        const d = docs.find((x) => x.uri.toString() === u.toString());
        if (!d) throw new Error('not found');
        return d;
      },
      onDidChangeTextDocument: onChange.event,
      onDidChangeConfiguration: onConfig.event,
      asRelativePath: (u: Uri) => u.path.replace(/^\/ws\//, ''),
      getWorkspaceFolder: () => ({ uri: Uri.file('/ws') }),
      applyEdit: async (e: WorkspaceEdit) => {
        for (const doc of docs) {
          const mine = e.edits.filter((x) => x.uri.toString() === doc.uri.toString());
          if (!mine.length) continue;
          const spans = mine.map((x) => ({ s: doc.offsetAt(x.range.start), e: doc.offsetAt(x.range.end), t: x.text })).sort((a, b) => b.s - a.s);
          for (const sp of spans) doc.text = doc.text.slice(0, sp.s) + sp.t + doc.text.slice(sp.e);
          doc.version++;
          onChange.fire({ document: doc, contentChanges: [{}] });
        }
        return true;
      },
      fs: { writeFile: async (u: Uri, b: Uint8Array) => void written.set(u.toString(), b) },
    },
  };
  const context = {
    extensionUri: Uri.file('/ext'),
    subscriptions: [] as { dispose(): unknown }[],
    workspaceState: { get: (k: string) => state.get(k), update: async (k: string, v: unknown) => void state.set(k, v) },
  };
  return {
    vscode,
    context,
    docs,
    panels,
    written,
    state,
    shown,
    serializer: () => serializer,
    setSaveTarget: (u: Uri | undefined) => (saveTo = u),
    edit(doc: Doc, text: string) {
      doc.text = text;
      doc.version++;
      onChange.fire({ document: doc, contentChanges: [{}] });
    },
  };
}

const fake = createFake();
// Resolve `vscode` to the fake for the modules loaded below.
const M = Module as unknown as { _load(request: string, parent: unknown, isMain: boolean): unknown };
const origLoad = M._load;
M._load = function (request: string, parent: unknown, isMain: boolean) {
  if (request === 'vscode') return fake.vscode;
  return origLoad.call(this, request, parent, isMain);
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { registerPreview } = require('../../src/preview/panel') as typeof import('../../src/preview/panel');

const TEXT = `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential({ name: 'net' });
model.add(tf.layers.dense({ inputShape: [64], units: 64, activation: 'relu' }));
model.add(tf.layers.dense({ units: 64, activation: 'relu' }));
model.add(tf.layers.dense({ units: 10 }));
`;

const doc = new Doc(Uri.parse('file:///ws/net.ts'), TEXT);
fake.docs.push(doc);
const logs: string[] = [];
// The host the extension gives the preview (src/preview/host.ts), with settings that are not the defaults.
const SETTINGS: PreviewSettings = { input: { mean: 0.5, std: 0.29 }, thresholds: { vanishing: 0.02, exploding: 50 } };
let handler: PreviewHandler | undefined;
registerPreview(
  fake.context as never,
  {
    report: (d) => checkText(d.getText(), d.fileName),
    settings: () => SETTINGS,
    fixEdits: (text: string, fileName: string, model: Model, intent: FixIntent) => analyzerFor(fileName)?.fixEdits(text, model, intent),
    log: { info: (m: string) => logs.push(`info ${m}`), warn: (m: string) => logs.push(`warn ${m}`), error: (m: string) => logs.push(`error ${m}`) },
    registerHandler: (h) => {
      handler = h;
      return { dispose: () => (handler = undefined) } as never;
    },
  },
  { debounceMs: 10 },
);
const previewHandler = () => handler;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const loads = (p: FakePanel) => p.posted.filter((m): m is Extract<HostMessage, { type: 'load' }> => m.type === 'load');
const lastPayload = (p: FakePanel): PreviewPayload => loads(p).at(-1)!.payload;

describe('preview panel controller', () => {
  let panel: FakePanel;

  it('opens a panel with a strict page and sends the model once the page is ready', async () => {
    const handler = previewHandler();
    assert.ok(handler, 'registered with the extension’s initlens.preview');
    handler!({ uri: doc.uri as never, modelIndex: 0, modelName: 'net' });
    panel = fake.panels[0];
    assert.match(panel.html, /Content-Security-Policy" content="default-src 'none'; script-src 'nonce-[\w-]+' 'wasm-unsafe-eval'/);
    assert.match(panel.html, /src="https:\/\/fake\.vscode-cdn\.net\/ext\/dist\/webview\/preview\.js"/);
    assert.match(panel.html, /data-wasm-base="https:\/\/fake\.vscode-cdn\.net\/ext\/dist\/webview\/"/);
    await sleep(20);
    assert.equal(loads(panel).length, 0, 'nothing before ready');
    await panel.receive({ type: 'ready' });
    const p = lastPayload(panel);
    assert.equal(p.modelName, 'net');
    assert.equal(p.file, 'net.ts');
    assert.deepEqual({ input: p.input, thresholds: p.thresholds }, SETTINGS, 'the host’s settings');
    assert.equal(p.model.layers.length, 3);
    assert.ok(p.suggestions.length >= 1 && p.lsuvFixes);
    assert.equal(panel.title, 'InitLens: net');
    // The same model again reveals the same panel.
    handler!({ uri: doc.uri as never, modelIndex: 0, modelName: 'net' });
    assert.equal(fake.panels.length, 1);
  });

  it('rejects invalid messages and logs them', async () => {
    const replies = () => panel.posted.filter((m) => m.type !== 'load').length;
    const before = replies();
    await panel.receive({ type: 'applySuggested', docVersion: 1, fixIds: ['<img src=x>'] });
    await panel.receive({ type: 'runCommand', command: 'x' });
    await panel.receive({ type: 'export', format: 'csv', name: '../../x.csv', data: 'a' });
    assert.equal(replies(), before);
    assert.equal(logs.filter((l) => l.startsWith('warn preview: rejected a message')).length, 3);
    assert.equal(doc.version, 1);
  });

  it('reveals a layer at its span', async () => {
    await panel.receive({ type: 'reveal', layer: 1 });
    const span = lastPayload(panel).model.layers[1].span;
    const at = doc.positionAt(span.start);
    assert.deepEqual(fake.shown.at(-1), { uri: doc.uri.toString(), selection: new Range(at, at) });
  });

  it('applies only the offered fixes, then sends the edited model', async () => {
    const ids = lastPayload(panel).suggestions.map((s) => s.fixId);
    await panel.receive({ type: 'applySuggested', docVersion: 1, fixIds: [...ids, 'relu-needs-he|0|set:kernel:zeros'] });
    const applied = panel.posted.filter((m) => m.type === 'applied').at(-1);
    assert.ok(applied && applied.type === 'applied' && applied.ok, JSON.stringify(applied));
    assert.match(applied.message, /Applied \d+ suggested fix(es)? \(1 no longer offered\)/);
    assert.match(doc.text, /heUniform/);
    assert.doesNotMatch(doc.text, /zeros/);
    await sleep(60);
    assert.equal(lastPayload(panel).docVersion, doc.version, 'the edit is sent again (debounced)');
    assert.equal(lastPayload(panel).suggestions.length, 0);
  });

  it('LSUV: writes randomNormal initializers, refuses a stale version or a layer without a kernel', async () => {
    const applied = () => panel.posted.filter((m): m is Extract<HostMessage, { type: 'applied' }> => m.type === 'applied').at(-1)!;
    const v = doc.version;
    await panel.receive({ type: 'applyLsuv', docVersion: v - 1, layers: [{ layer: 0, slot: 'kernel', std: 0.17 }] });
    assert.match(applied().message, /changed since LSUV/);
    await panel.receive({ type: 'applyLsuv', docVersion: v, layers: [{ layer: 7, slot: 'kernel', std: 0.17 }] });
    assert.match(applied().message, /layer 7 is not in model/);
    await panel.receive({ type: 'applyLsuv', docVersion: v, layers: [{ layer: 0, slot: 'kernel', std: 0.176777 }, { layer: 1, slot: 'kernel', std: 0.18 }] });
    const m = applied();
    assert.ok(m.ok, m.message);
    assert.match(m.message, /Wrote 2 LSUV initializers/);
    const re = checkText(doc.text, 'net.ts').models[0].model.layers;
    assert.deepEqual([re[0].kernel?.id, re[0].kernel?.args.stddev, re[1].kernel?.args.stddev], ['randomNormal', 0.1768, 0.18]);
  });

  it('remembers sizes per model and exports where the user chose', async () => {
    await panel.receive({ type: 'rememberSizes', sizes: { inputShape: [28, 28, 1] } });
    assert.deepEqual(fake.state.get('initlens.preview.sizes:file:///ws/net.ts#net'), { inputShape: [28, 28, 1] });
    fake.setSaveTarget(Uri.file('/ws/out/chart.png'));
    await panel.receive({ type: 'export', format: 'png', name: 'chart.png', data: 'data:image/png;base64,iVBORw0KGgo=' });
    assert.deepEqual([...(fake.written.get('file:///ws/out/chart.png') ?? [])].slice(0, 4), [0x89, 0x50, 0x4e, 0x47]);
    fake.setSaveTarget(undefined);
    const n = fake.written.size;
    await panel.receive({ type: 'export', format: 'csv', name: 'x.csv', data: 'a,b' });
    assert.equal(fake.written.size, n, 'cancelled dialog: nothing written');
  });

  it('edits are debounced: a burst sends one new model', async () => {
    await sleep(50);
    const n = loads(panel).length;
    for (let i = 0; i < 5; i++) fake.edit(doc, `${doc.text}\n// edit ${i}`);
    await sleep(80);
    assert.equal(loads(panel).length, n + 1);
    assert.equal(lastPayload(panel).docVersion, doc.version);
  });

  it('restores a serialized panel, and refuses a state that is not a model file', async () => {
    const s = fake.serializer();
    assert.ok(s);
    const before = fake.panels.length;
    const restored = (fake.vscode.window.createWebviewPanel as () => FakePanel)();
    await s!.deserializeWebviewPanel(restored, { uri: 'file:///ws/net.ts', modelIndex: 0, modelName: 'net', controls: { batch: 64 } });
    assert.ok(restored.html.includes('preview.js'));
    await restored.receive({ type: 'ready' });
    assert.equal(lastPayload(restored).modelName, 'net');
    const bad = (fake.vscode.window.createWebviewPanel as () => FakePanel)();
    await s!.deserializeWebviewPanel(bad, { uri: 'file:///etc/passwd' });
    assert.ok(bad.disposed);
    assert.equal(fake.panels.length, before + 2);
  });

  it('disposes with the extension', () => {
    for (const d of fake.context.subscriptions) d.dispose();
    assert.ok(fake.panels.filter((p) => !p.disposed && p.html).length === 0);
    M._load = origLoad;
  });
});
