/**
 * Which VS Code languages and files the extension serves, derived from the engine's analyzers (their file
 * extensions), so that a new analyzer (Python) brings its languages along. The manifest's `activationEvents` are
 * static; test/extension/manifest.test.ts fails when they disagree with what is derived here.
 *
 * Pure: no vscode import, no engine import (the engine is loaded lazily, after activation).
 */

/** VS Code language id of each file extension an analyzer may claim. */
export const LANGUAGE_OF_EXTENSION: Readonly<Record<string, string>> = {
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'typescriptreact',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascriptreact',
  '.py': 'python',
  '.pyi': 'python',
};

/** The extension an untitled (or extension-less) document of a language is analyzed as. */
const EXTENSION_OF_LANGUAGE: Readonly<Record<string, string>> = {
  typescript: '.ts',
  typescriptreact: '.tsx',
  javascript: '.js',
  javascriptreact: '.jsx',
  python: '.py',
};

/** Language ids for a list of file extensions, in a stable order, without duplicates. */
export function languageIdsOf(extensions: readonly string[]): string[] {
  const ids = new Set<string>();
  for (const e of extensions) {
    const id = LANGUAGE_OF_EXTENSION[e.toLowerCase()];
    if (id) ids.add(id);
  }
  return [...ids].sort();
}

/** The manifest activation events for those languages. */
export function activationEventsOf(extensions: readonly string[]): string[] {
  return languageIdsOf(extensions).map((id) => `onLanguage:${id}`);
}

/** Languages named by `onLanguage:` activation events (the runtime document selector is read from the manifest). */
export function languagesOfActivationEvents(events: readonly string[] | undefined): string[] {
  return (events ?? []).filter((e) => e.startsWith('onLanguage:')).map((e) => e.slice('onLanguage:'.length));
}

function extensionOf(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot).toLowerCase() : '';
}

/**
 * The file name the engine analyzes a document as: its path when the extension is one an analyzer claims
 * (`.d.ts` included: the engine skips it), else the path with the extension of the document's language (untitled
 * documents, `Dockerfile`-style names, a `.es6` file the user associated with JavaScript).
 */
export function engineFileName(path: string, languageId: string, claimed: readonly string[]): string {
  const lower = path.toLowerCase();
  if (claimed.some((e) => lower.endsWith(e))) return path;
  const ext = EXTENSION_OF_LANGUAGE[languageId];
  return ext ? `${path}${ext}` : path;
}

/** `**∕*.{ts,tsx,…}` for the workspace check. */
export function includeGlobOf(extensions: readonly string[]): string {
  const exts = [...new Set(extensions.map((e) => e.replace(/^\./, '').toLowerCase()))].sort();
  return exts.length === 1 ? `**/*.${exts[0]}` : `**/*.{${exts.join(',')}}`;
}

/** Whether a path has one of the extensions (for files found by the workspace check). */
export function hasExtension(path: string, extensions: readonly string[]): boolean {
  const lower = path.toLowerCase();
  return !lower.endsWith('.d.ts') && extensions.includes(extensionOf(path));
}

/**
 * URI schemes whose documents are views of something else (diffs, output, search results, settings): never
 * validated, so the Problems panel does not list the same finding twice.
 */
export const SKIPPED_SCHEMES: ReadonlySet<string> = new Set([
  'git',
  'gitfs',
  'output',
  'debug',
  'vscode',
  'vscode-scm',
  'vscode-userdata',
  'vscode-settings',
  'search-editor',
  'walkThroughSnippet',
  'chat-editing-text-model',
  'comment',
]);

/** Comment syntax for suppression comments, by the analyzed file's extension. */
export type CommentStyle = 'js' | 'python';

export function commentStyleOf(fileName: string): CommentStyle {
  const ext = extensionOf(fileName);
  return ext === '.py' || ext === '.pyi' ? 'python' : 'js';
}
