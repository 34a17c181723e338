/** The language status item: what InitLens did with the active editor's document (./logic/status). */
import * as vscode from 'vscode';
import { statusView } from './logic/status';
import type { Services } from './services';
import type { Validator } from './validator';

const SEVERITY: Record<string, vscode.LanguageStatusSeverity> = {
  information: vscode.LanguageStatusSeverity.Information,
  warning: vscode.LanguageStatusSeverity.Warning,
  error: vscode.LanguageStatusSeverity.Error,
};

export class StatusItem implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;

  constructor(
    selector: vscode.DocumentSelector,
    private readonly validator: Validator,
    private readonly services: Services,
  ) {
    this.item = vscode.languages.createLanguageStatusItem('initlens.status', selector);
    this.item.name = 'InitLens';
    this.item.text = 'InitLens';
    this.item.command = { title: 'Show Output', command: 'initlens.showOutput' };
  }

  dispose(): void {
    this.item.dispose();
  }

  update(): void {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc) return;
    const settings = this.services.settings(doc.uri);
    const state = this.validator.state(doc.uri);
    const skip = this.validator.skip(doc.uri);
    const view = statusView({
      skipped: !settings.enable ? 'disabled by "initlens.enable"' : skip?.reason,
      report: state?.report,
      durationMs: state?.durationMs,
      budget: settings.timeBudget,
      busy: this.validator.isBusy(doc.uri),
    });
    this.item.text = view.text;
    this.item.detail = view.detail;
    this.item.severity = SEVERITY[view.severity];
    this.item.busy = view.busy;
  }
}
