/**
 * `initlens.preview`: the CodeLens "Preview" and the command palette run it. The preview panel is built
 * elsewhere and plugs in with `registerPreviewHandler` (also returned by `activate` as the extension's API); until
 * a handler is registered, the command says plainly that the preview is not available in this build.
 */
import * as vscode from 'vscode';
import type { ModelReport } from '../core/report';

export interface PreviewRequest {
  /** The document holding the model. */
  uri: vscode.Uri;
  /** Index of the model in the document's report, and its name. */
  modelIndex: number;
  modelName: string;
  /** The model and its prediction, from the document's latest check (absent if the document is not checked). */
  model?: ModelReport;
}

export type PreviewHandler = (request: PreviewRequest) => unknown;

let handler: PreviewHandler | undefined;

export function registerPreviewHandler(h: PreviewHandler): vscode.Disposable {
  handler = h;
  return new vscode.Disposable(() => {
    if (handler === h) handler = undefined;
  });
}

export function previewHandler(): PreviewHandler | undefined {
  return handler;
}

/** The argument the CodeLens passes (plain data, so it survives serialization between hosts). */
export interface PreviewArgs {
  uri: string;
  modelIndex: number;
  modelName: string;
}

export function isPreviewArgs(x: unknown): x is PreviewArgs {
  const a = x as PreviewArgs | undefined;
  return !!a && typeof a.uri === 'string' && typeof a.modelIndex === 'number' && typeof a.modelName === 'string';
}
