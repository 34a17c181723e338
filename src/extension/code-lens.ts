/** The CodeLens above each model: layer count and predicted signal scale, and "Preview" (initlens.preview). */
import * as vscode from 'vscode';
import { modelLenses, type ModelLens } from './logic/codelens';
import { optionsKey } from './logic/settings';
import type { PreviewArgs } from './preview';
import type { Services } from './services';
import type { DocState, Validator } from './validator';

export const PREVIEW_COMMAND = 'initlens.preview';

export class InitLensCodeLens implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  /** The lenses of a check, for the thresholds they were made with (VS Code asks again after every edit). */
  private readonly made = new WeakMap<DocState, { thresholds: string; lenses: ModelLens[] }>();

  constructor(
    private readonly validator: Validator,
    private readonly services: Services,
  ) {}

  refresh(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }

  async provideCodeLenses(doc: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    const settings = this.services.settings(doc.uri);
    if (!settings.enable || !settings.codeLens) return [];
    // Lenses follow the last published check (typing does not make them jump); ask for one if there is none yet.
    let state = this.validator.state(doc.uri);
    if (!state) state = await this.validator.ensure(doc);
    if (!state || token.isCancellationRequested) return [];
    // Made by the check (for the thresholds of its options, the current ones when the check is current), or here.
    const thresholds = JSON.stringify(settings.thresholds);
    let made = this.made.get(state);
    if (!made || made.thresholds !== thresholds) {
      const current = state.lenses && state.optionsKey === optionsKey(settings);
      made = { thresholds, lenses: current ? state.lenses! : modelLenses(state.report, settings.thresholds) };
      this.made.set(state, made);
    }
    const lenses: vscode.CodeLens[] = [];
    const len = doc.getText().length;
    for (const lens of made.lenses) {
      if (lens.span.start > len) continue;
      const at = doc.positionAt(lens.span.start);
      const range = new vscode.Range(at, at);
      lenses.push(new vscode.CodeLens(range, { title: `InitLens: ${lens.title}`, command: '', tooltip: 'Predicted second moment of the signal entering the read-out layer, relative to the input' }));
      const args: PreviewArgs = { uri: doc.uri.toString(), modelIndex: lens.preview.modelIndex, modelName: lens.preview.modelName };
      lenses.push(new vscode.CodeLens(range, { title: 'Preview', command: PREVIEW_COMMAND, arguments: [args], tooltip: `Preview the activations of model '${lens.preview.modelName}' layer by layer` }));
    }
    return lenses;
  }
}
