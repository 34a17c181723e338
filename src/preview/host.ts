/**
 * Where the extension and the preview meet, the one interface between them. The extension (the composition root,
 * src/extension/extension.ts) calls `registerPreview(context, host)` with a `PreviewHost`; the preview imports
 * nothing from src/extension. The direction is extension → preview: the preview says what it needs (a document's
 * report, the settings it shows, the analyzer's fixer, a log, and a way to answer `initlens.preview`), the
 * extension provides it.
 */
import type * as vscode from 'vscode';
import type { FixIntent, TextEdit } from '../core/findings';
import type { Model } from '../core/model';
import type { FileReport, ModelReport } from '../core/report';
import type { PreviewPayload } from './logic/messages';

/** What `initlens.preview` asks for (the CodeLens "Preview", the command palette, the editor title). */
export interface PreviewRequest {
  /** The document holding the model. */
  uri: vscode.Uri;
  /** Index of the model in the document's report, and its name. */
  modelIndex: number;
  modelName: string;
  /** The model and its prediction, from the document's latest check (absent if the document is not checked). */
  model?: ModelReport;
}

/** Answers `initlens.preview` (returns the panel it opened or revealed). */
export type PreviewHandler = (request: PreviewRequest) => unknown;

/** The settings the page's prediction and badges follow (initlens.input, initlens.thresholds). */
export type PreviewSettings = Pick<PreviewPayload, 'input' | 'thresholds'>;

export interface PreviewHost {
  /** The report of the document's current text (it may be async; undefined while there is none). */
  report(doc: vscode.TextDocument): FileReport | undefined | Promise<FileReport | undefined>;
  /** The settings that apply to a document. */
  settings(uri: vscode.Uri): PreviewSettings;
  /**
   * Turns a fix intent into text edits with the analyzer's fixer, for the LSUV initializers. Without it, LSUV
   * values are shown but cannot be written into the source.
   */
  fixEdits?(text: string, fileName: string, model: Model, intent: FixIntent): TextEdit[] | undefined | Promise<TextEdit[] | undefined>;
  /** Where the panel logs (validation failures, backend fallbacks, timings). */
  log?: Pick<vscode.LogOutputChannel, 'info' | 'warn' | 'error'>;
  /** Plugs the preview's handler into `initlens.preview`; the disposable unplugs it. */
  registerHandler(handler: PreviewHandler): vscode.Disposable;
}
