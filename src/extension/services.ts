/** What the extension's parts share: the lazily loaded engine, settings, the log, the manifest's facts. */
import type * as vscode from 'vscode';
import type { Settings } from './logic/settings';

export type Engine = typeof import('./engine');

export interface Services {
  /** Loads the engine on first use (Node: dist/engine.js; web: bundled in). */
  engine(): Promise<Engine>;
  /** Settings for a resource (per workspace folder), validated. */
  settings(uri?: vscode.Uri): Settings;
  log: vscode.LogOutputChannel;
  /** The manifest's `repository` (for documentation links). */
  repository: unknown;
  /** VS Code language ids served (from the manifest's onLanguage activation events). */
  languages: readonly string[];
}
