/**
 * A small in-memory stand-in for the `vscode` module: enough of the API for the extension's bundles to activate,
 * validate documents, publish diagnostics and answer code actions, hovers and CodeLens. It lets the built bundles
 * (dist/extension.js with dist/engine.js, and dist/web/extension.js in a context without Node globals) run in the
 * unit tests; the real VS Code runs them in test/e2e.
 */
import { computeLineStarts, lineColAt } from '../../src/core/model';

type Listener<T> = (e: T) => unknown;

export class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  event = (l: Listener<T>) => {
    this.listeners.push(l);
    return { dispose: () => (this.listeners = this.listeners.filter((x) => x !== l)) };
  };
  fire(e: T) {
    for (const l of [...this.listeners]) l(e);
  }
  dispose() {
    this.listeners = [];
  }
}

export class Disposable {
  constructor(private readonly fn: () => void) {}
  dispose() {
    this.fn();
  }
  static from(...ds: { dispose(): unknown }[]) {
    return new Disposable(() => ds.forEach((d) => d.dispose()));
  }
}

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
  isBefore(o: Position) {
    return this.line < o.line || (this.line === o.line && this.character < o.character);
  }
  isAfter(o: Position) {
    return o.isBefore(this);
  }
  isEqual(o: Position) {
    return this.line === o.line && this.character === o.character;
  }
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(start: Position, end: Position);
  constructor(startLine: number, startCharacter: number, endLine: number, endCharacter: number);
  constructor(a: Position | number, b: Position | number, c?: number, d?: number) {
    this.start = typeof a === 'number' ? new Position(a, b as number) : a;
    this.end = typeof a === 'number' ? new Position(c!, d!) : (b as Position);
  }
  contains(p: Position | Range): boolean {
    if (p instanceof Range) return this.contains(p.start) && this.contains(p.end);
    return !p.isBefore(this.start) && !p.isAfter(this.end);
  }
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly authority: string,
    readonly path: string,
  ) {}
  static parse(s: string) {
    const m = /^([a-z][\w+.-]*):(?:\/\/([^/]*))?(.*)$/i.exec(s);
    return m ? new Uri(m[1], m[2] ?? '', m[3] || '/') : new Uri('file', '', s);
  }
  static file(p: string) {
    return new Uri('file', '', p);
  }
  get fsPath() {
    return this.path;
  }
  toString() {
    if (this.scheme === 'untitled') return `untitled:${this.path}`;
    return `${this.scheme}://${this.authority}${this.path}`;
  }
}

export enum DiagnosticSeverity {
  Error = 0,
  Warning = 1,
  Information = 2,
  Hint = 3,
}
export enum DiagnosticTag {
  Unnecessary = 1,
  Deprecated = 2,
}
export enum LanguageStatusSeverity {
  Information = 0,
  Warning = 1,
  Error = 2,
}
export enum CodeActionTriggerKind {
  Invoke = 1,
  Automatic = 2,
}
export enum ProgressLocation {
  SourceControl = 1,
  Window = 10,
  Notification = 15,
}

export class Location {
  constructor(
    readonly uri: Uri,
    readonly range: Range,
  ) {}
}
export class DiagnosticRelatedInformation {
  constructor(
    readonly location: Location,
    readonly message: string,
  ) {}
}
export class Diagnostic {
  source?: string;
  code?: string | number | { value: string | number; target: Uri };
  relatedInformation?: DiagnosticRelatedInformation[];
  tags?: DiagnosticTag[];
  constructor(
    readonly range: Range,
    readonly message: string,
    readonly severity: DiagnosticSeverity = DiagnosticSeverity.Error,
  ) {}
}

export class CodeActionKind {
  static readonly Empty = new CodeActionKind('');
  static readonly QuickFix = new CodeActionKind('quickfix');
  static readonly Source = new CodeActionKind('source');
  static readonly SourceFixAll = new CodeActionKind('source.fixAll');
  constructor(readonly value: string) {}
  append(part: string) {
    return new CodeActionKind(this.value ? `${this.value}.${part}` : part);
  }
  contains(other: CodeActionKind) {
    return this.value === '' || other.value === this.value || other.value.startsWith(`${this.value}.`);
  }
  intersects(other: CodeActionKind) {
    return this.contains(other) || other.contains(this);
  }
}

export class WorkspaceEdit {
  readonly edits: { uri: Uri; range: Range; newText: string }[] = [];
  replace(uri: Uri, range: Range, newText: string) {
    this.edits.push({ uri, range, newText });
  }
  insert(uri: Uri, position: Position, newText: string) {
    this.edits.push({ uri, range: new Range(position, position), newText });
  }
}

export class CodeAction {
  edit?: WorkspaceEdit;
  diagnostics?: Diagnostic[];
  isPreferred?: boolean;
  command?: { title: string; command: string; arguments?: unknown[] };
  constructor(
    readonly title: string,
    readonly kind?: CodeActionKind,
  ) {}
}

export class MarkdownString {
  supportThemeIcons?: boolean;
  isTrusted?: boolean;
  constructor(public value = '') {}
}
export class Hover {
  constructor(
    readonly contents: MarkdownString,
    readonly range?: Range,
  ) {}
}
export class CodeLens {
  constructor(
    readonly range: Range,
    readonly command?: { title: string; command: string; arguments?: unknown[]; tooltip?: string },
  ) {}
}

export class FakeDocument {
  version = 1;
  isClosed = false;
  constructor(
    readonly uri: Uri,
    public text: string,
    readonly languageId: string,
  ) {}
  get fileName() {
    return this.uri.path;
  }
  getText() {
    return this.text;
  }
  positionAt(offset: number) {
    const o = Math.max(0, Math.min(offset, this.text.length));
    const { line, column } = lineColAt(this.text, o, computeLineStarts(this.text));
    return new Position(line - 1, column - 1);
  }
  offsetAt(p: Position) {
    const starts = computeLineStarts(this.text);
    const line = Math.max(0, Math.min(p.line, starts.length - 1));
    return Math.min(starts[line] + p.character, line + 1 < starts.length ? starts[line + 1] : this.text.length);
  }
}

const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) };

export interface FakeHost {
  vscode: Record<string, unknown>;
  /** Published diagnostics by URI string. */
  diagnostics: Map<string, Diagnostic[]>;
  commands: Map<string, (...args: unknown[]) => unknown>;
  messages: string[];
  opened: string[];
  log: string[];
  statusItems: Record<string, unknown>[];
  /** Registered providers. */
  codeActions: { provider: any; metadata: any }[];
  hovers: any[];
  lenses: any[];
  config: Record<string, unknown>;
  files: Map<string, string>;
  setConfig(values: Record<string, unknown>): void;
  open(path: string, text: string, languageId: string): FakeDocument;
  edit(doc: FakeDocument, text: string): void;
  save(doc: FakeDocument): void;
  close(doc: FakeDocument): void;
  applyEdit(edit: WorkspaceEdit): boolean;
  context: { subscriptions: { dispose(): unknown }[]; extension: { packageJSON: unknown } };
}

export function createFakeVscode(packageJSON: unknown, config: Record<string, unknown> = {}): FakeHost {
  const diagnostics = new Map<string, Diagnostic[]>();
  const commands = new Map<string, (...args: unknown[]) => unknown>();
  const messages: string[] = [];
  const opened: string[] = [];
  const log: string[] = [];
  const statusItems: Record<string, unknown>[] = [];
  const codeActions: { provider: any; metadata: any }[] = [];
  const hovers: any[] = [];
  const lenses: any[] = [];
  const files = new Map<string, string>();
  const docs: FakeDocument[] = [];
  const ev = {
    open: new EventEmitter<FakeDocument>(),
    change: new EventEmitter<{ document: FakeDocument; contentChanges: unknown[] }>(),
    save: new EventEmitter<FakeDocument>(),
    close: new EventEmitter<FakeDocument>(),
    config: new EventEmitter<{ affectsConfiguration(s: string): boolean }>(),
    active: new EventEmitter<unknown>(),
    del: new EventEmitter<unknown>(),
    rename: new EventEmitter<unknown>(),
  };
  const window = {
    activeTextEditor: undefined as undefined | { document: FakeDocument },
    createOutputChannel: (_name: string) => {
      const line = (level: string) => (m: string) => log.push(`[${level}] ${m}`);
      return { info: line('info'), warn: line('warn'), error: line('error'), debug: line('debug'), trace: line('trace'), show() {}, dispose() {} };
    },
    onDidChangeActiveTextEditor: ev.active.event,
    showInformationMessage: (m: string) => {
      messages.push(m);
      return Promise.resolve(undefined);
    },
    showWarningMessage: (m: string) => {
      messages.push(m);
      return Promise.resolve(undefined);
    },
    withProgress: (_o: unknown, task: (p: unknown, t: unknown) => unknown) => Promise.resolve(task({ report() {} }, token)),
    // The preview panel registers its serializer at activation; panels themselves are tested in code-server.
    registerWebviewPanelSerializer: (_viewType: string, _serializer: unknown) => new Disposable(() => undefined),
  };
  const host: FakeHost = {
    vscode: {},
    diagnostics,
    commands,
    messages,
    opened,
    log,
    statusItems,
    codeActions,
    hovers,
    lenses,
    config: { ...config },
    files,
    setConfig(values) {
      host.config = { ...values };
      ev.config.fire({ affectsConfiguration: (s: string) => s === 'initlens' || s.startsWith('initlens.') });
    },
    open(path, text, languageId) {
      const doc = new FakeDocument(Uri.file(path), text, languageId);
      docs.push(doc);
      files.set(doc.uri.toString(), text);
      window.activeTextEditor = { document: doc };
      ev.open.fire(doc);
      ev.active.fire(window.activeTextEditor);
      return doc;
    },
    edit(doc, text) {
      doc.text = text;
      doc.version++;
      ev.change.fire({ document: doc, contentChanges: [{}] });
    },
    save(doc) {
      files.set(doc.uri.toString(), doc.text);
      ev.save.fire(doc);
    },
    close(doc) {
      doc.isClosed = true;
      docs.splice(docs.indexOf(doc), 1);
      ev.close.fire(doc);
    },
    applyEdit(edit) {
      const byUri = new Map<string, typeof edit.edits>();
      for (const e of edit.edits) byUri.set(e.uri.toString(), [...(byUri.get(e.uri.toString()) ?? []), e]);
      for (const [uri, edits] of byUri) {
        const doc = docs.find((d) => d.uri.toString() === uri);
        if (!doc) return false;
        let text = doc.text;
        const spans = edits.map((e) => ({ start: doc.offsetAt(e.range.start), end: doc.offsetAt(e.range.end), newText: e.newText }));
        for (const s of spans.sort((a, b) => b.start - a.start)) text = text.slice(0, s.start) + s.newText + text.slice(s.end);
        host.edit(doc, text);
      }
      return true;
    },
    context: { subscriptions: [], extension: { packageJSON } },
  };
  const get = (key: string) => {
    const full = `initlens.${key}`;
    if (full in host.config) return host.config[full];
    return undefined;
  };
  host.vscode = {
    EventEmitter,
    Disposable,
    Position,
    Range,
    Uri,
    Location,
    Diagnostic,
    DiagnosticRelatedInformation,
    DiagnosticSeverity,
    DiagnosticTag,
    LanguageStatusSeverity,
    ProgressLocation,
    CodeActionTriggerKind,
    CodeActionKind,
    CodeAction,
    WorkspaceEdit,
    MarkdownString,
    Hover,
    CodeLens,
    window,
    env: { openExternal: (u: Uri) => (opened.push(u.toString()), Promise.resolve(true)) },
    commands: {
      registerCommand: (id: string, fn: (...args: unknown[]) => unknown) => {
        if (commands.has(id)) throw new Error(`command '${id}' already exists`);
        commands.set(id, fn);
        return { dispose: () => commands.delete(id) };
      },
      executeCommand: async (id: string, ...args: unknown[]) => commands.get(id)?.(...args),
    },
    languages: {
      createDiagnosticCollection: () => ({
        set: (uri: Uri, ds: Diagnostic[]) => diagnostics.set(uri.toString(), ds),
        delete: (uri: Uri) => diagnostics.delete(uri.toString()),
        clear: () => diagnostics.clear(),
        get: (uri: Uri) => diagnostics.get(uri.toString()),
        has: (uri: Uri) => diagnostics.has(uri.toString()),
        dispose: () => diagnostics.clear(),
      }),
      createLanguageStatusItem: (id: string, selector: unknown) => {
        const item: Record<string, unknown> = { id, selector, dispose() {} };
        statusItems.push(item);
        return item;
      },
      registerCodeActionsProvider: (_s: unknown, provider: unknown, metadata: unknown) => (codeActions.push({ provider, metadata }), { dispose() {} }),
      registerHoverProvider: (_s: unknown, provider: unknown) => (hovers.push(provider), { dispose() {} }),
      registerCodeLensProvider: (_s: unknown, provider: unknown) => (lenses.push(provider), { dispose() {} }),
    },
    workspace: {
      get textDocuments() {
        return [...docs];
      },
      workspaceFolders: [{ uri: Uri.file('/work'), name: 'work', index: 0 }],
      getWorkspaceFolder: () => undefined,
      getConfiguration: (section?: string) => ({
        get: (key: string) => (section === 'initlens' ? get(key) : undefined),
      }),
      onDidOpenTextDocument: ev.open.event,
      onDidChangeTextDocument: ev.change.event,
      onDidSaveTextDocument: ev.save.event,
      onDidCloseTextDocument: ev.close.event,
      onDidChangeConfiguration: ev.config.event,
      onDidDeleteFiles: ev.del.event,
      onDidRenameFiles: ev.rename.event,
      asRelativePath: (u: Uri) => u.path,
      applyEdit: async (e: WorkspaceEdit) => host.applyEdit(e),
      findFiles: async (include: string) => {
        const exts = /\{([^}]+)\}/.exec(include)?.[1].split(',') ?? [include.replace('**/*.', '')];
        return [...files.keys()].filter((k) => exts.some((e) => k.endsWith(`.${e}`))).map((k) => Uri.parse(k));
      },
      fs: {
        stat: async (u: Uri) => ({ size: files.get(u.toString())?.length ?? 0 }),
        readFile: async (u: Uri) => new TextEncoder().encode(files.get(u.toString()) ?? ''),
      },
    },
  };
  return host;
}

export const cancellationToken = token;

/** Waits until `predicate` holds (the extension's timers run in between), or fails after `ms`. */
export async function until(predicate: () => boolean, ms = 10000, what = 'condition'): Promise<void> {
  const t0 = Date.now();
  while (!predicate()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
