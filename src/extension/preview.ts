/**
 * `initlens.preview`: the CodeLens "Preview" and the command palette run it. The preview panel (src/preview) plugs
 * in with `registerPreviewHandler`, which activate() hands it as part of its `PreviewHost` (and returns as the
 * extension's API); until a handler is registered, the command says plainly that the preview is not available.
 */
import * as vscode from 'vscode';
import type { PreviewHandler } from '../preview/host';

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
