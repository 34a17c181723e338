/**
 * `.gitignore` handling for the file walk: every `.gitignore` from the repository root down to a file's
 * directory applies, each to paths relative to its own directory, and a deeper file overrides a shallower
 * one (`!pattern` re-includes), as in git. A path inside an ignored directory is never reached, because the
 * walk does not descend into it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';

export class GitignoreRules {
  private readonly cache = new Map<string, Ignore | null>();
  private readonly ignoreCase = process.platform === 'darwin' || process.platform === 'win32';

  /** The rules of `dir/.gitignore`, or null when there is none (or it cannot be read). */
  rulesIn(dir: string): Ignore | null {
    let rules = this.cache.get(dir);
    if (rules === undefined) {
      rules = null;
      try {
        const text = readFileSync(path.join(dir, '.gitignore'), 'utf8');
        rules = ignore({ ignorecase: this.ignoreCase }).add(text);
      } catch {
        // No .gitignore here, or an unreadable one: nothing is ignored by it.
      }
      this.cache.set(dir, rules);
    }
    return rules;
  }

  /**
   * Whether `target` is ignored by the `.gitignore` files of `levels`: directories listed from the top down,
   * each an ancestor of `target`.
   */
  isIgnored(levels: readonly string[], target: string, isDir: boolean): boolean {
    let ignored = false;
    for (const level of levels) {
      const rules = this.rulesIn(level);
      if (!rules) continue;
      const rel = toPosix(path.relative(level, target));
      if (rel === '' || rel.startsWith('../') || rel === '..' || path.isAbsolute(rel)) continue;
      const result = rules.test(isDir ? `${rel}/` : rel);
      if (result.ignored) ignored = true;
      else if (result.unignored) ignored = false;
    }
    return ignored;
  }
}

/**
 * Where `.gitignore` files start to apply for a path: the root of the git work tree that holds it (a folder
 * with a `.git` folder or file), else `cwd` when the path lies inside it, else the path's own folder.
 */
export function ignoreBase(dir: string, cwd: string): string {
  for (let d = dir; ; ) {
    if (existsSync(path.join(d, '.git'))) return d;
    const parent = path.dirname(d);
    if (parent === d) break;
    d = parent;
  }
  return isInside(dir, cwd) ? cwd : dir;
}

/** The directories from `base` down to `dir` (both included); `[dir]` when `dir` is not inside `base`. */
export function levelsBetween(base: string, dir: string): string[] {
  if (!isInside(dir, base)) return [dir];
  const levels = [dir];
  for (let d = dir; d !== base; ) {
    d = path.dirname(d);
    levels.unshift(d);
  }
  return levels;
}

export function isInside(target: string, dir: string): boolean {
  const rel = path.relative(dir, target);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

export function toPosix(p: string): string {
  return path.sep === '\\' ? p.replace(/\\/g, '/') : p;
}
