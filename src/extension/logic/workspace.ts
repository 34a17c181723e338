/**
 * The workspace check's file selection: the analyzers' extensions as the include glob, and an exclude glob made of
 * `files.exclude` and `search.exclude` (the entries set to `true`) plus the folders no one wants checked.
 *
 * Pure: no vscode import.
 */

/** Always excluded: dependencies, build output, VCS folders. */
export const ALWAYS_EXCLUDED: readonly string[] = ['**/node_modules', '**/.git', '**/dist', '**/out', '**/build', '**/.venv', '**/__pycache__'];

/** Files above this size are skipped (minified bundles and generated code, not model definitions). */
export const MAX_FILE_BYTES = 1024 * 1024;

/** One glob `{a,a/**,b,b/**}` from exclude maps (`{pattern: true}`; conditional `{when}` entries are left out). */
export function excludeGlobOf(maps: (Record<string, unknown> | undefined)[], always: readonly string[] = ALWAYS_EXCLUDED): string {
  const patterns = new Set<string>();
  const add = (p: string) => {
    const clean = p.replace(/\/+$/, '');
    if (!clean || clean.includes('{') || clean.includes('}')) {
      // A glob with its own braces cannot be nested in one brace list: keep it whole.
      if (clean) patterns.add(clean);
      return;
    }
    patterns.add(clean);
    if (!clean.endsWith('/**')) patterns.add(`${clean}/**`);
  };
  for (const p of always) add(p);
  for (const map of maps) {
    if (!map) continue;
    for (const [pattern, on] of Object.entries(map)) if (on === true) add(pattern);
  }
  const list = [...patterns];
  return list.length === 1 ? list[0] : `{${list.join(',')}}`;
}

/** Decodes a file's bytes as UTF-8, or undefined when they are not UTF-8 (the file is skipped and said so). */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    return undefined;
  }
}

export interface WorkspaceSummary {
  files: number;
  checked: number;
  models: number;
  findings: number;
  skipped: number;
  cancelled: boolean;
  ms: number;
}

export function workspaceSummaryText(s: WorkspaceSummary): string {
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const head = s.cancelled ? `InitLens: check cancelled after ${plural(s.checked, 'file')}` : `InitLens checked ${plural(s.checked, 'file')}`;
  const skipped = s.skipped ? `, ${s.skipped} skipped (see the output)` : '';
  return `${head}: ${plural(s.models, 'model')}, ${plural(s.findings, 'finding')}${skipped}.`;
}
