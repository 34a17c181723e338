/** Shared by the robustness tests and `npm run fuzz`: the example corpus, edit application and checks. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { TextEdit } from '../../src/core/findings';
import type { FileReport } from '../../src/core/report';
import { checkText, isCheckable } from '../../src/engine/check';
import { analyzerFor } from '../../src/engine/languages';
import { mulberry32 as rng } from '../helpers/rng';
export { rng };

export const ROOT = join(__dirname, '..', '..');

/** The corpus the robustness tests type and mutate: the examples, and the analyzers' test fixtures (other styles). */
export function corpusFiles(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const f of readdirSync(dir).sort()) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (isCheckable(p)) out.push({ name: relative(ROOT, p), text: readFileSync(p, 'utf8') });
    }
  };
  walk(join(ROOT, 'examples'));
  walk(join(ROOT, 'test', 'fixtures'));
  return out;
}

export function applyEdits(text: string, edits: TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.span.start - a.span.start)) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

/** Syntax problems the analyzer reports for a text (the same parser the analysis uses). */
export function syntaxProblems(text: string, name: string): string[] {
  const analyzer = analyzerFor(name);
  if (!analyzer) return [];
  return analyzer.analyze(text, name).problems.map((p) => p.message).filter((m) => /syntax/i.test(m));
}

/** Every invariant a report must satisfy whatever the input: spans inside the text, finite numbers in messages. */
export function assertSane(report: FileReport, text: string): string | undefined {
  for (const f of report.findings) {
    if (!(f.span.start >= 0 && f.span.end <= text.length && f.span.start <= f.span.end)) return `span outside the text: ${f.ruleId}`;
    if (/\bNaN\b|Infinity/.test(f.message)) return `non-finite number in a message: ${f.message}`;
    for (const fix of f.fixes) {
      if (/\bNaN\b|Infinity/.test(fix.title)) return `non-finite number in a fix title: ${fix.title}`;
      for (const e of fix.edits ?? []) {
        if (e.span.start < 0 || e.span.end > text.length) return `edit outside the text: ${f.ruleId}`;
        if (/\bNaN\b|Infinity/.test(e.newText) && !/\bNaN\b|Infinity/.test(text)) return `non-finite number written by a fix: ${e.newText}`;
      }
    }
  }
  return undefined;
}

export function check(text: string, name: string): FileReport {
  return checkText(text, name);
}


/** Characters a half-typed or mistyped edit leaves behind: brackets, quotes, operators, comment starts, line breaks. */
const STRAY = `()[]{},.:;'"\`=*/#\n-+0`;

/**
 * Random edits: delete, duplicate or swap tokens (split on word boundaries and punctuation), or delete one
 * character or insert a stray one inside a token (an unterminated string, a cut number, a broken comment).
 */
export function mutate(text: string, random: () => number, edits: number): string {
  const tokens = text.split(/(\s+|[()[\]{},;:.'"`])/).filter((t) => t !== '');
  for (let k = 0; k < edits && tokens.length > 2; k++) {
    const i = Math.floor(random() * tokens.length);
    const op = random();
    if (op < 0.3) tokens.splice(i, 1);
    else if (op < 0.5) tokens.splice(i, 0, tokens[i]);
    else if (op < 0.7) {
      const j = Math.floor(random() * tokens.length);
      [tokens[i], tokens[j]] = [tokens[j], tokens[i]];
    } else {
      const t = tokens[i];
      const at = Math.floor(random() * (t.length + 1));
      tokens[i] = op < 0.85 ? t.slice(0, at) + t.slice(at + 1) : t.slice(0, at) + STRAY[Math.floor(random() * STRAY.length)] + t.slice(at);
    }
  }
  return tokens.join('');
}

/**
 * One random edit as a user makes them: type one of the characters of `typed`, delete a few, paste a line
 * elsewhere, cut a line (the editor's re-check sessions are tested over sequences of these).
 */
export function userEdit(text: string, random: () => number, typed = " ab1(),.'\n"): string {
  const at = Math.floor(random() * (text.length + 1));
  const op = random();
  if (op < 0.4) return text.slice(0, at) + typed[Math.floor(random() * typed.length)] + text.slice(at);
  if (op < 0.7) return text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 4));
  const lines = text.split('\n');
  const i = Math.floor(random() * lines.length);
  if (op < 0.85) lines.splice(Math.floor(random() * lines.length), 0, lines[i]);
  else lines.splice(i, 1);
  return lines.join('\n');
}

/** What one file's typing simulation did (see typeAndMutate). */
export interface TypingRun {
  prefixes: number;
  mutants: number;
  /** Longest single check (ms). */
  longest: number;
  /** The first insane report, said as "<input>: <what is wrong>". */
  problem?: string;
}

/**
 * Checks `text` at its prefixes as if typed (every prefix when `long`, else ~60) and `mutants` seeded token mutants;
 * `before` hears each input before its check (the fuzz's watchdog keeps the last one, to say which input hung).
 */
export function typeAndMutate(name: string, text: string, long: boolean, mutants: number, before?: (input: string, what: string) => void): TypingRun {
  let longest = 0;
  const run = (input: string, what: string): string | undefined => {
    before?.(input, what);
    const t0 = performance.now();
    const r = check(input, name);
    longest = Math.max(longest, performance.now() - t0);
    const bad = assertSane(r, input);
    return bad && `${name} ${what}: ${bad}`;
  };
  const step = long ? 1 : Math.max(3, Math.ceil(text.length / 60));
  let prefixes = 0;
  for (let cut = 0; cut <= text.length; cut += step) {
    prefixes++;
    const problem = run(text.slice(0, cut), `prefix ${cut}`);
    if (problem) return { prefixes, mutants: 0, longest, problem };
  }
  const random = rng(name.length * 7919);
  for (let k = 0; k < mutants; k++) {
    const problem = run(mutate(text, random, 1 + (k % 5)), `mutant ${k}`);
    if (problem) return { prefixes, mutants: k + 1, longest, problem };
  }
  return { prefixes, mutants, longest };
}
