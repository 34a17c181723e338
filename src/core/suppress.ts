/**
 * Suppression comments:
 *   // initlens-disable-next-line [rule, rule]     the next line (all rules when none is named)
 *   // initlens-disable-line [rule]                 the same line
 *   // initlens-disable [rule, rule]                the whole file
 *   (block comments work too: /* initlens-disable relu-needs-he *\/)
 *   # initlens: disable=rule[,rule]                 Python: this line, or the next when the comment stands alone
 *   # initlens: disable-file=rule[,rule]            Python: the whole file
 * Comments are found by scanning for the marker, so a marker inside a string literal also counts; the marker is
 * specific enough that this does not happen by accident.
 */
import type { Finding } from './findings';
import { computeLineStarts, lineColAt } from './model';

export interface Suppressions {
  /** Rules disabled for the whole file ('*' = all). */
  file: Set<string>;
  /** 1-based line → rules disabled on it ('*' = all). */
  lines: Map<number, Set<string>>;
}

const JS_MARKER = /(?:\/\/|\/\*)\s*initlens-disable(-next-line|-line)?\b([^\n*]*)/g;
const PY_MARKER = /#\s*initlens:\s*disable(-file)?=([\w\-, ]+)/g;

function ruleSet(list: string): Set<string> {
  const ids = list
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter((s) => /^[a-z][a-z0-9-]*$/.test(s));
  return new Set(ids.length ? ids : ['*']);
}

export function parseSuppressions(text: string): Suppressions {
  const result: Suppressions = { file: new Set(), lines: new Map() };
  if (!text.includes('initlens')) return result;
  const starts = computeLineStarts(text);
  const add = (line: number, rules: Set<string>) => {
    const set = result.lines.get(line) ?? new Set<string>();
    for (const r of rules) set.add(r);
    result.lines.set(line, set);
  };
  for (const m of text.matchAll(JS_MARKER)) {
    const rules = ruleSet(m[2] ?? '');
    const line = lineColAt(text, m.index!, starts).line;
    if (m[1] === '-next-line') add(line + 1, rules);
    else if (m[1] === '-line') add(line, rules);
    else for (const r of rules) result.file.add(r);
  }
  for (const m of text.matchAll(PY_MARKER)) {
    const rules = ruleSet(m[2]);
    if (m[1] === '-file') {
      for (const r of rules) result.file.add(r);
      continue;
    }
    const { line, column } = lineColAt(text, m.index!, starts);
    const before = text.slice(starts[line - 1], starts[line - 1] + column - 1);
    add(before.trim() === '' ? line + 1 : line, rules);
  }
  return result;
}

function covers(set: Set<string> | undefined, ruleId: string): boolean {
  return !!set && (set.has('*') || set.has(ruleId));
}

export function isSuppressed(s: Suppressions, finding: Finding, text: string, lineStarts: number[]): boolean {
  if (covers(s.file, finding.ruleId)) return true;
  if (!s.lines.size) return false;
  const line = lineColAt(text, finding.span.start, lineStarts).line;
  return covers(s.lines.get(line), finding.ruleId);
}
