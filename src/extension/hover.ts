/** Hover on a layer, an initializer or a model's construction: the numbers behind the findings (./logic/hover). */
import * as vscode from 'vscode';
import { layerAt, layerHoverMarkdown, modelAt, modelHoverMarkdown, reportAround } from './logic/hover';
import type { Services } from './services';
import type { Validator } from './validator';

export class InitLensHover implements vscode.HoverProvider {
  constructor(
    private readonly validator: Validator,
    private readonly services: Services,
  ) {}

  async provideHover(doc: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const settings = this.services.settings(doc.uri);
    if (!settings.enable || !settings.hover) return undefined;
    const state = await this.validator.ensure(doc);
    if (!state || token.isCancellationRequested || state.version !== doc.version) return undefined;
    const offset = doc.offsetAt(position);
    const report = reportAround(state.report, state.modelIndex, offset);
    const hit = layerAt(report, offset);
    let text: string | undefined;
    let range: vscode.Range | undefined;
    if (hit) {
      text = layerHoverMarkdown(hit, { input: settings.input });
      range = new vscode.Range(doc.positionAt(hit.layer.span.start), doc.positionAt(hit.layer.span.end));
    } else {
      const model = modelAt(report, offset);
      if (!model) return undefined;
      text = modelHoverMarkdown(model, report, settings.thresholds);
      range = new vscode.Range(doc.positionAt(model.model.span.start), doc.positionAt(model.model.span.end));
    }
    const md = new vscode.MarkdownString(text);
    md.supportThemeIcons = false;
    md.isTrusted = false;
    // A hover on an initializer shared through a variable would otherwise underline the layer far away.
    return new vscode.Hover(md, range && range.contains(position) ? range : undefined);
  }
}
