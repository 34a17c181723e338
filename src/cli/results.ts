/**
 * What one `initlens check` run produced, as the formatters see it: each checked file with its text and
 * report, and each path that could not be checked with the reason.
 */
import type { Severity } from '../core/findings';
import { computeLineStarts, lineColAt, type Span } from '../core/model';
import type { FileReport } from '../core/report';

export interface PathNotice {
  message: string;
  /** Counts for the exit status (something asked for was not checked). */
  fatal: boolean;
}

export interface CheckedFile {
  /** Absolute path ('' for a pattern that matched nothing). */
  abs: string;
  /** Path as shown: relative to the working directory with forward slashes, or absolute outside it. */
  path: string;
  /** The text that was checked; absent when the file could not be read. */
  text?: string;
  /** The engine's report; absent when the file could not be read. */
  report?: FileReport;
  /** Problems with the path itself (unreadable, skipped, missing), said on stderr too. */
  notices: PathNotice[];
}

export interface RunResult {
  cwd: string;
  files: CheckedFile[];
  /** Set when the engine failed on a file: the run ends with exit status 2. */
  internalError: boolean;
}

/** A 1-based range; `endColumn` is the column just after the last character (ESLint and SARIF). */
export interface Range {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

const lineStartsCache = new WeakMap<CheckedFile, number[]>();

export function rangeOf(file: CheckedFile, span: Span): Range {
  const text = file.text ?? '';
  let starts = lineStartsCache.get(file);
  if (!starts) {
    starts = computeLineStarts(text);
    lineStartsCache.set(file, starts);
  }
  const clamp = (n: number) => Math.max(0, Math.min(text.length, Number.isFinite(n) ? n : 0));
  const start = clamp(span.start);
  const end = Math.max(start, clamp(span.end));
  const a = lineColAt(text, start, starts);
  const b = lineColAt(text, end, starts);
  return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
}

export interface Counts {
  errors: number;
  warnings: number;
  infos: number;
}

export function countFindings(files: readonly CheckedFile[]): Counts {
  const counts: Counts = { errors: 0, warnings: 0, infos: 0 };
  for (const file of files) {
    for (const finding of file.report?.findings ?? []) counts[COUNT_KEY[finding.severity]]++;
  }
  return counts;
}

const COUNT_KEY: Record<Severity, keyof Counts> = { error: 'errors', warning: 'warnings', info: 'infos' };
