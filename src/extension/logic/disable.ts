/**
 * Suppression comments written by the "Disable <rule> for this line / for the entire file" code actions, in the
 * syntax src/core/suppress.ts reads:
 *   JS/TS   `// initlens-disable-next-line <rule>` above the line, `// initlens-disable <rule>` at the top
 *   Python  `# initlens: disable=<rule>` above the line,        `# initlens: disable-file=<rule>` at the top
 * The comment takes the indentation of the line it disables and the file's line ending. When the line above
 * already disables other rules, the rule is added to that comment instead of stacking a second one.
 *
 * The engine suppresses a finding by the line its span starts on, so the comment goes above that line.
 *
 * Pure: no vscode import.
 */
import type { TextEdit } from '../../core/findings';
import type { CommentStyle } from './languages';

function eolOf(text: string): string {
  const i = text.indexOf('\n');
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}

function lineStartOf(text: string, offset: number): number {
  let i = Math.min(offset, text.length);
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

/** The line ending at `lineStart` (exclusive of its terminator): [start, end). */
function previousLine(text: string, lineStart: number): { start: number; end: number } | undefined {
  if (lineStart === 0) return undefined;
  let end = lineStart - 1;
  if (text[end] === '\n' && end > 0 && text[end - 1] === '\r') end--;
  return { start: lineStartOf(text, end), end };
}

const NEXT_LINE = {
  js: /^(\s*\/\/\s*initlens-disable-next-line)(\s+[a-z][a-z0-9-]*(?:\s*,\s*[a-z][a-z0-9-]*)*)\s*$/,
  python: /^(\s*#\s*initlens:\s*disable=)([\w-]+(?:\s*,\s*[\w-]+)*)\s*$/,
};

const FILE_LEVEL = {
  js: /^(\s*\/\/\s*initlens-disable)(\s+[a-z][a-z0-9-]*(?:\s*,\s*[a-z][a-z0-9-]*)*)\s*$/,
  python: /^(\s*#\s*initlens:\s*disable-file=)([\w-]+(?:\s*,\s*[\w-]+)*)\s*$/,
};

function listHas(list: string, ruleId: string): boolean {
  return list
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .includes(ruleId);
}

/**
 * `ruleId` added to the rule list of a disable comment (`m`: its prefix and its list, matched on the line from
 * `line.start`); an empty edit at the line's end when the list has it already.
 */
function addToList(line: { start: number; end: number }, m: RegExpExecArray, ruleId: string): TextEdit {
  if (listHas(m[2], ruleId)) return { span: { start: line.end, end: line.end }, newText: '' };
  const endOfList = line.start + m[1].length + m[2].length;
  return { span: { start: endOfList, end: endOfList }, newText: `, ${ruleId}` };
}

/** Disables `ruleId` for the line holding `offset`. */
export function disableLineEdit(text: string, offset: number, ruleId: string, style: CommentStyle): TextEdit {
  const start = lineStartOf(text, offset);
  const indent = /^[ \t]*/.exec(text.slice(start))![0];
  const prev = previousLine(text, start);
  if (prev) {
    const line = text.slice(prev.start, prev.end);
    const m = NEXT_LINE[style].exec(line);
    if (m) return addToList(prev, m, ruleId);
  }
  const comment = style === 'python' ? `# initlens: disable=${ruleId}` : `// initlens-disable-next-line ${ruleId}`;
  return { span: { start, end: start }, newText: `${indent}${comment}${eolOf(text)}` };
}

/**
 * Disables `ruleId` for the whole file: a comment on the first line (after a `#!` line and, for Python, an encoding
 * declaration), or the rule added to an existing file-level comment among the leading comment lines.
 */
export function disableFileEdit(text: string, ruleId: string, style: CommentStyle): TextEdit {
  const eol = eolOf(text);
  let pos = 0;
  const lineAt = (p: number) => {
    const nl = text.indexOf('\n', p);
    const end = nl < 0 ? text.length : nl > 0 && text[nl - 1] === '\r' ? nl - 1 : nl;
    return { start: p, end, next: nl < 0 ? text.length : nl + 1 };
  };
  // Skip a BOM, a shebang, and a Python encoding declaration: they must stay first.
  if (text.charCodeAt(0) === 0xfeff) pos = 1;
  let line = lineAt(pos);
  if (text.startsWith('#!', pos)) {
    pos = line.next;
    line = lineAt(pos);
  }
  if (style === 'python' && /^#.*coding[:=]/.test(text.slice(line.start, line.end))) {
    pos = line.next;
    line = lineAt(pos);
  }
  // Merge into an existing file-level comment among the leading comment lines.
  const leadingComment = style === 'python' ? /^\s*(#.*)?$/ : /^\s*(\/\/.*)?$/;
  for (let p = pos, guard = 0; p < text.length && guard < 200; guard++) {
    const l = lineAt(p);
    const s = text.slice(l.start, l.end);
    const m = FILE_LEVEL[style].exec(s);
    if (m) return addToList(l, m, ruleId);
    if (!leadingComment.test(s)) break;
    p = l.next;
  }
  const comment = style === 'python' ? `# initlens: disable-file=${ruleId}` : `// initlens-disable ${ruleId}`;
  return { span: { start: pos, end: pos }, newText: `${comment}${eol}` };
}
