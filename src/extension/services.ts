/** What the extension's parts share: the checker, the lazily loaded engine, settings, the log, the manifest's facts. */
import type * as vscode from 'vscode';
import type { Checker } from './checker';
import type { Settings } from './logic/settings';

export type Engine = typeof import('./engine');

export interface Services {
  /** Loads the engine on this thread on first use (Node: dist/engine.js; web: bundled in). */
  engine(): Promise<Engine>;
  /** Runs the checks: in a worker thread (Node) or on this thread (web, fallback). */
  checker: Checker;
  /** Settings for a resource (per workspace folder), validated. */
  settings(uri?: vscode.Uri): Settings;
  log: vscode.LogOutputChannel;
  /** The manifest's `repository` (for documentation links). */
  repository: unknown;
  /** VS Code language ids served (from the manifest's onLanguage activation events). */
  languages: readonly string[];
}
