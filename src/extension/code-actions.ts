/**
 * Code actions, built from the finding stored with each published diagnostic (for the document's current
 * version): the rule's fixes as Quick Fixes, "Fix all <rule> problems", "Disable <rule> for this line / for the
 * entire file", "Show documentation for <rule>"; and `source.fixAll.initlens`, which applies the safe fixes only
 * (initializer swaps too with `initlens.fixAll.includeInitializerSwaps`).
 */
import * as vscode from 'vscode';
import type { Finding, TextEdit } from '../core/findings';
import { SOURCE, docsUrl } from './logic/diagnostics';
import { disableFileEdit, disableLineEdit } from './logic/disable';
import { fixableCount, fixAllPlan, quickFixesOf } from './logic/fixes';
import { commentStyleOf } from './logic/languages';
import type { Services } from './services';
import { diagnosticKey, type DocState, type Validator } from './validator';

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('initlens');

export const SHOW_DOCS_COMMAND = 'initlens.showRuleDocumentation';

function workspaceEdit(doc: vscode.TextDocument, edits: readonly TextEdit[]): vscode.WorkspaceEdit {
  const we = new vscode.WorkspaceEdit();
  for (const e of edits) {
    we.replace(doc.uri, new vscode.Range(doc.positionAt(e.span.start), doc.positionAt(e.span.end)), e.newText);
  }
  return we;
}

function ruleOf(d: vscode.Diagnostic): string | undefined {
  if (d.source !== SOURCE) return undefined;
  return typeof d.code === 'object' && d.code !== null ? String(d.code.value) : typeof d.code === 'string' ? d.code : undefined;
}

export class InitLensCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND],
  };

  constructor(
    private readonly validator: Validator,
    private readonly services: Services,
  ) {}

  async provideCodeActions(
    doc: vscode.TextDocument,
    _range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.CodeAction[]> {
    const only = context.only;
    const wantsFixAll = !!only && (FIX_ALL_KIND.contains(only) || only.contains(FIX_ALL_KIND));
    const wantsQuickFix = !only || vscode.CodeActionKind.QuickFix.contains(only) || only.contains(vscode.CodeActionKind.QuickFix);
    const ours = context.diagnostics.filter((d) => d.source === SOURCE);
    if (!wantsFixAll && (!wantsQuickFix || ours.length === 0)) return [];

    // The lightbulb asks on every cursor move while typing (Automatic): answer from a check of this very version
    // only, so typing keeps its debounce (and "onSave" mode its quiet); VS Code asks again when the diagnostics
    // change. Ctrl+. (Invoke) and fix-all (also on save) check the current text if need be.
    const explicit = wantsFixAll || context.triggerKind === vscode.CodeActionTriggerKind.Invoke;
    const state = explicit ? await this.validator.ensure(doc) : this.validator.current(doc);
    if (!state || token.isCancellationRequested || state.version !== doc.version) return [];
    const settings = this.services.settings(doc.uri);
    const actions: vscode.CodeAction[] = [];

    if (wantsFixAll) {
      const action = this.fixAllAction(doc, state, settings.fixAll.includeInitializerSwaps);
      if (action) actions.push(action);
      if (!wantsQuickFix) return actions;
    }

    const fixes: vscode.CodeAction[] = [];
    const fixAllOfRule: vscode.CodeAction[] = [];
    const disables: vscode.CodeAction[] = [];
    const docs: vscode.CodeAction[] = [];
    const seenRules = new Set<string>();
    for (const diag of ours) {
      const ruleId = ruleOf(diag);
      const finding = state.findings.get(diagnosticKey(diag));
      if (!ruleId || !finding) continue;
      for (const fix of quickFixesOf(finding)) {
        const a = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        a.edit = workspaceEdit(doc, fix.edits);
        a.diagnostics = [diag];
        a.isPreferred = fix.isPreferred;
        fixes.push(a);
      }
      if (seenRules.has(ruleId)) continue;
      seenRules.add(ruleId);
      if (fixableCount(state.report.findings, ruleId) > 1) {
        const plan = fixAllPlan(state.report.findings, { includeUnsafe: true, ruleId });
        if (plan.edits.length) {
          const a = new vscode.CodeAction(`Fix all ${ruleId} problems`, vscode.CodeActionKind.QuickFix);
          a.edit = workspaceEdit(doc, plan.edits);
          a.diagnostics = ours.filter((d) => ruleOf(d) === ruleId);
          fixAllOfRule.push(a);
        }
      }
      if (settings.codeAction.disableRuleComment) {
        disables.push(this.disableAction(doc, state, finding, diag, 'line'));
        disables.push(this.disableAction(doc, state, finding, diag, 'file'));
      }
      if (settings.codeAction.showDocumentation) {
        const href = docsUrl(this.services.repository, ruleId);
        if (href) {
          const a = new vscode.CodeAction(`Show documentation for ${ruleId}`, vscode.CodeActionKind.QuickFix);
          a.command = { title: `Show documentation for ${ruleId}`, command: SHOW_DOCS_COMMAND, arguments: [ruleId] };
          docs.push(a);
        }
      }
    }
    return [...actions, ...fixes, ...fixAllOfRule, ...disables, ...docs];
  }

  private disableAction(doc: vscode.TextDocument, state: DocState, finding: Finding, diag: vscode.Diagnostic, where: 'line' | 'file'): vscode.CodeAction {
    const style = commentStyleOf(doc.uri.path || doc.fileName);
    const edit = where === 'line' ? disableLineEdit(state.text, finding.span.start, finding.ruleId, style) : disableFileEdit(state.text, finding.ruleId, style);
    const title = where === 'line' ? `Disable ${finding.ruleId} for this line` : `Disable ${finding.ruleId} for the entire file`;
    const a = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
    a.edit = workspaceEdit(doc, [edit]);
    a.diagnostics = [diag];
    return a;
  }

  /** `source.fixAll.initlens`: safe fixes, and initializer swaps only when the user opted in. */
  fixAllAction(doc: vscode.TextDocument, state: DocState, includeUnsafe: boolean): vscode.CodeAction | undefined {
    const plan = fixAllPlan(state.report.findings, { includeUnsafe });
    if (!plan.edits.length) return undefined;
    const a = new vscode.CodeAction('Fix all auto-fixable InitLens problems', FIX_ALL_KIND);
    a.edit = workspaceEdit(doc, plan.edits);
    return a;
  }
}
