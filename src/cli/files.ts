/**
 * Which files a `check` covers: named files, folders walked honouring `.gitignore` (nested ones too) and
 * always skipping `node_modules` and `.git`, and globs (tinyglobby). Problems with a path are returned as
 * notices, never thrown, so the other paths are still checked.
 */
import { type Dirent, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { GitignoreRules, ignoreBase, isInside, levelsBetween, toPosix } from './gitignore';

/**
 * A problem with one path. `fatal` ones (a path that does not exist, a glob that matches nothing, a file or
 * folder that cannot be read) mean something the user asked for was not checked: they count like an error
 * for the exit status. The others (skipped files, symbolic-link loops) are said and change nothing.
 */
export interface Notice {
  /** The path as shown to the user (relative to the working directory when inside it). */
  path: string;
  message: string;
  fatal: boolean;
}

export interface Collected {
  /** Absolute paths of the files to check, each once, in the order found. */
  files: string[];
  notices: Notice[];
}

/** Folders never entered, whatever the `.gitignore` files say. */
export const ALWAYS_SKIPPED = new Set(['node_modules', '.git']);

const GLOB_CHARS = /[*?[\]{}]/;

export async function collectFiles(
  operands: readonly string[],
  cwd: string,
  isCheckable: (fileName: string) => boolean,
): Promise<Collected> {
  const walker = new Walker(cwd, isCheckable);
  for (const operand of operands) {
    await walker.operand(operand);
  }
  return { files: walker.files, notices: walker.notices };
}

/** How a path is shown: relative to `cwd` with forward slashes when inside it, else absolute. */
export function displayPath(abs: string, cwd: string): string {
  if (!isInside(abs, cwd)) return abs;
  const rel = toPosix(path.relative(cwd, abs));
  return rel === '' ? '.' : rel;
}

class Walker {
  readonly files: string[] = [];
  readonly notices: Notice[] = [];
  private readonly seenFiles = new Set<string>();
  private readonly walkedDirs = new Set<string>();
  private readonly gitignore = new GitignoreRules();

  constructor(
    private readonly cwd: string,
    private readonly isCheckable: (fileName: string) => boolean,
  ) {}

  async operand(operand: string): Promise<void> {
    const abs = path.resolve(this.cwd, operand);
    let stats;
    try {
      stats = statSync(abs);
    } catch (error) {
      if (isGlob(operand) && errorCode(error) === 'ENOENT') return this.globOperand(operand);
      this.notice(operand, describeFsError(error, 'path'), errorCode(error) !== 'ELOOP');
      return;
    }
    if (stats.isDirectory()) {
      const before = this.files.length;
      const noticesBefore = this.notices.length;
      const alreadyWalked = this.walkedDirs.has(safeRealpath(abs));
      const base = ignoreBase(abs, this.cwd);
      let levels = levelsBetween(base, abs);
      // A folder named on the command line is walked even if a .gitignore above it ignores it; the
      // .gitignore files inside it still apply.
      if (this.ignoredOnTheWay(levels)) levels = [abs];
      this.walk(abs, levels, new Set());
      if (!alreadyWalked && this.files.length === before && !this.notices.slice(noticesBefore).some((n) => n.fatal)) {
        this.notice(operand, 'no checkable files in this folder (after .gitignore)', false);
      }
      return;
    }
    if (stats.isFile()) {
      // A file named on the command line is checked even if a .gitignore lists it.
      if (this.isCheckable(abs)) this.addFile(abs);
      else this.notice(operand, 'not a file type initlens checks: skipped', false);
      return;
    }
    this.notice(operand, 'not a regular file or folder: skipped', false);
  }

  private async globOperand(pattern: string): Promise<void> {
    let matches: string[];
    try {
      matches = await glob(toPosix(pattern), {
        cwd: this.cwd,
        absolute: true,
        onlyFiles: true,
        expandDirectories: false,
        followSymbolicLinks: true,
        ignore: ['**/node_modules/**', '**/.git/**'],
      });
    } catch (error) {
      this.notice(pattern, `cannot expand this pattern: ${messageOf(error)}`, true);
      return;
    }
    const checkable = matches
      .map((m) => path.resolve(m))
      .filter((m) => this.isCheckable(m))
      .sort(compareNames);
    let added = 0;
    for (const file of checkable) {
      const levels = levelsBetween(ignoreBase(path.dirname(file), this.cwd), path.dirname(file));
      if (this.ignoredOnTheWay(levels) || this.gitignore.isIgnored(levels, file, false)) continue;
      this.addFile(file);
      added++;
    }
    if (added === 0) {
      const why = matches.length === 0 ? 'no files match this pattern' : 'no checkable files match this pattern (after .gitignore)';
      this.notice(pattern, why, true);
    }
  }

  /** Whether one of the folders of `levels` (below the first) is ignored by the .gitignore files above it. */
  private ignoredOnTheWay(levels: readonly string[]): boolean {
    for (let k = 1; k < levels.length; k++) {
      if (this.gitignore.isIgnored(levels.slice(0, k), levels[k], true)) return true;
    }
    return false;
  }

  /**
   * Walks `dir`. `levels` are the folders whose .gitignore files apply (ending with `dir`); `chain` holds the
   * real paths of the folders being walked above this one, to recognize a symbolic-link loop.
   */
  private walk(dir: string, levels: readonly string[], chain: ReadonlySet<string>): void {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch (error) {
      this.notice(this.show(dir), describeFsError(error, 'folder'), errorCode(error) !== 'ELOOP');
      return;
    }
    if (chain.has(real)) {
      this.notice(this.show(dir), `symbolic link loop (leads back to ${this.show(real)}): not followed`, false);
      return;
    }
    if (this.walkedDirs.has(real)) return;
    this.walkedDirs.add(real);

    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      this.notice(this.show(dir), describeFsError(error, 'folder'), true);
      return;
    }
    entries.sort((a, b) => compareNames(a.name, b.name));
    const inner = new Set(chain).add(real);

    for (const entry of entries) {
      if (ALWAYS_SKIPPED.has(entry.name)) continue;
      const full = path.join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const target = statSync(full);
          isDir = target.isDirectory();
          isFile = target.isFile();
        } catch (error) {
          const code = errorCode(error);
          if (code === 'ELOOP') this.notice(this.show(full), 'symbolic link loop: not followed', false);
          else if (this.isCheckable(full)) this.notice(this.show(full), describeFsError(error, 'link'), false);
          continue;
        }
      }
      if (!isDir && !(isFile && this.isCheckable(full))) continue;
      if (this.gitignore.isIgnored(levels, full, isDir)) continue;
      if (isDir) this.walk(full, [...levels, full], inner);
      else this.addFile(full);
    }
  }

  private addFile(abs: string): void {
    const key = safeRealpath(abs);
    if (this.seenFiles.has(key)) return;
    this.seenFiles.add(key);
    this.files.push(abs);
  }

  private show(abs: string): string {
    return displayPath(abs, this.cwd);
  }

  private notice(p: string, message: string, fatal: boolean): void {
    this.notices.push({ path: p, message, fatal });
  }
}

function safeRealpath(abs: string): string {
  try {
    return realpathSync(abs);
  } catch {
    return abs; // reading it will say what is wrong
  }
}

function isGlob(operand: string): boolean {
  return GLOB_CHARS.test(operand) || operand.startsWith('!');
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** One sentence for a file-system error, without the errno noise. */
export function describeFsError(error: unknown, what: 'path' | 'file' | 'folder' | 'link'): string {
  switch (errorCode(error)) {
    case 'ENOENT':
      return what === 'link' ? 'broken symbolic link: skipped' : 'no such file or folder';
    case 'ENOTDIR':
      return 'no such file or folder (a part of the path is a file)';
    case 'EACCES':
    case 'EPERM':
      return `cannot read this ${what === 'path' ? 'path' : what}: permission denied`;
    case 'ELOOP':
      return 'symbolic link loop: not followed';
    case 'ENAMETOOLONG':
      return 'path too long';
    case 'EISDIR':
      return 'is a folder, not a file';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    case 'EIO':
      return 'input/output error while reading';
    default:
      return `cannot read: ${messageOf(error)}`;
  }
}
