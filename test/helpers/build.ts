/** Whether build outputs are older than the sources, and the esbuild run that refreshes them (tests and benches). */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** The latest modification time of the files under `dir`. */
function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Whether any of `files` is missing or older than the newest file under src/. */
export function olderThanSources(files: readonly string[]): boolean {
  const sources = newest(join(ROOT, 'src'));
  return files.some((f) => !existsSync(f) || statSync(f).mtimeMs < sources);
}

/** Runs esbuild.js when any of `files` (bundles in dist/) is missing or older than the sources. */
export function buildIfStale(files: readonly string[]): void {
  if (olderThanSources(files)) execFileSync(process.execPath, ['esbuild.js'], { cwd: ROOT, stdio: 'inherit' });
}
