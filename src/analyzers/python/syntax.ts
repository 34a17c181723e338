/**
 * Python syntax for the analyzer: parsing with @lezer/python and small helpers over its tree.
 *
 * Why @lezer/python: it is pure JavaScript (no native module, no WASM, so it runs in the CLI, in the VS Code
 * extension host and in the web extension alike), it is error-tolerant (half-typed code gives a full tree with
 * error nodes instead of an exception, which an as-you-type linter needs), its LR parser keeps its own stack
 * (deeply nested code cannot overflow the JS call stack), and it parses incrementally: given the previous text
 * and tree of the same document, `parsePython` reuses the unchanged parts of the tree (TreeFragment), so a
 * re-check after a keystroke re-parses only around the edit (see incremental.ts).
 *
 * Offsets of lezer nodes are UTF-16 offsets into the text, as core/model.ts requires.
 */
import { parser } from '@lezer/python';
import { type SyntaxNode, type Tree, TreeFragment } from '@lezer/common';
import type { Span } from '../../core/model';

export type Node = SyntaxNode;

// -------------------------------------------------------------------------------------------------------------
// Parsing (incremental when given the previous text and tree of the same document)

/** A parsed version of a document: what an incremental re-parse starts from. */
export interface Parsed {
  text: string;
  tree: Tree;
}

/** The changed range between two versions of a text (common prefix and suffix kept). */
export function changedRange(a: string, b: string): { fromA: number; toA: number; fromB: number; toB: number } {
  const max = Math.min(a.length, b.length);
  let p = 0;
  while (p < max && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  let s = 0;
  while (s < max - p && a.charCodeAt(a.length - 1 - s) === b.charCodeAt(b.length - 1 - s)) s++;
  return { fromA: p, toA: a.length - s, fromB: p, toB: b.length - s };
}

/**
 * Parses `text`. With `previous` (an earlier version of the same document and its tree), the parts of that tree
 * outside the changed range are reused (lezer's TreeFragment), which gives the tree a fresh parse gives.
 *
 * Except around syntax errors: lezer's error recovery makes different choices when it starts from reused nodes,
 * and an incremental re-parse from a tree with error nodes, or one that ends with error nodes, can differ from a
 * fresh parse (a decorated class that swallows the classes after it, once an unterminated string elsewhere is
 * closed). So the re-parse is incremental only from an error-free tree, and its result is kept only when it is
 * error-free too; otherwise the text is parsed afresh. (Seeded typing sequences over the examples: no difference
 * in tens of thousands of re-parses under this rule, against ~1% without it; test/analyzers/python/incremental.)
 */
export function parsePython(text: string, previous?: Parsed): Tree {
  if (previous) {
    if (previous.text === text) return previous.tree;
    if (!hasErrorNodes(previous.tree)) {
      try {
        const fragments = TreeFragment.applyChanges(TreeFragment.addTree(previous.tree), [changedRange(previous.text, text)]);
        const tree = parser.parse(text, fragments);
        if (!hasErrorNodes(tree)) return tree;
      } catch {
        // A fresh parse below decides.
      }
    }
  }
  return parser.parse(text);
}

const HAS_ERRORS = new WeakMap<Tree, boolean>();

/** Whether a tree has error nodes (remembered per tree). */
export function hasErrorNodes(tree: Tree): boolean {
  let has = HAS_ERRORS.get(tree);
  if (has === undefined) {
    has = false;
    tree.iterate({
      enter(n) {
        if (has) return false;
        if (n.type.isError) {
          has = true;
          return false;
        }
        return undefined;
      },
    });
    HAS_ERRORS.set(tree, has);
  }
  return has;
}

/**
 * A float written with a trailing dot (`2.`, `1.e-3`): valid Python that @lezer/python 1.1 parses as a member
 * access on a number (with an error node). `trailingDotFloat` reads such a node's value.
 */
const TRAILING_DOT_FLOAT = /^\d[\d_]*\.(?:[eE][+-]?\d+)?$/;

export function trailingDotFloat(text: string, n: Node): number | undefined {
  if (n.name !== 'MemberExpression' && n.name !== 'BinaryExpression') return undefined;
  // Such a float starts with a digit (a cheap test before looking at the children).
  const c0 = text.charCodeAt(n.from);
  if (!(c0 >= 48 && c0 <= 57)) return undefined;
  if (n.to - n.from > 40 || n.firstChild?.name !== 'Number' && n.firstChild?.firstChild?.name !== 'Number') return undefined;
  const raw = text.slice(n.from, n.to);
  return TRAILING_DOT_FLOAT.test(raw) ? Number(raw.replace(/_/g, '')) : undefined;
}

/** Syntax errors (error nodes) of a tree, the first `max` of them, and how many there are in all. */
export function syntaxErrors(tree: Tree, max = 10, text?: string): { spans: Span[]; count: number } {
  const spans: Span[] = [];
  let count = 0;
  tree.iterate({
    enter(n) {
      if (n.type.isError) {
        const p = n.node.parent;
        if (text !== undefined && p && trailingDotFloat(text, p) !== undefined) return false;
        count++;
        if (spans.length < max) spans.push({ start: n.from, end: Math.max(n.to, n.from) });
        return false;
      }
      return undefined;
    },
  });
  return { spans, count };
}

// -------------------------------------------------------------------------------------------------------------
// Tree helpers

export function kids(n: Node): Node[] {
  const out: Node[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

export const spanOf = (n: Node): Span => ({ start: n.from, end: n.to });

export function textOf(text: string, n: Node | Span): string {
  return 'from' in n ? text.slice(n.from, n.to) : text.slice(n.start, n.end);
}

/** Punctuation and keyword tokens that are not expressions. */
const TOKENS = new Set([
  '(', ')', '[', ']', '{', '}', ',', ':', '.', ';', '*', '**', 'AssignOp', 'for', 'in', 'if', 'else', 'elif', 'async',
  'lambda', 'not', 'is', 'and', 'or', 'as', 'from', 'import', 'def', 'class', 'return', 'with', 'while', 'try',
  'except', 'finally', 'pass', 'break', 'continue', 'del', 'global', 'nonlocal', 'assert', 'raise', 'yield', 'await',
  'At', 'Comment', 'TypeDef', 'UpdateOp', 'CompareOp', 'ArithOp', 'BitOp',
]);

export function isToken(n: Node): boolean {
  return TOKENS.has(n.name) || n.type.isError;
}

/** Children that are expressions (tokens, comments and error nodes dropped). */
export function exprKids(n: Node): Node[] {
  return kids(n).filter((c) => !isToken(c));
}

/** The ArgList of a CallExpression (normally its last child). */
export function argListOf(call: Node): Node | undefined {
  const last = call.lastChild;
  if (last?.name === 'ArgList') return last;
  for (let c = call.firstChild; c; c = c.nextSibling) if (c.name === 'ArgList') return c;
  return undefined;
}

export interface Arg {
  kind: 'pos' | 'kw' | 'star' | 'kwstar';
  name?: string;
  nameNode?: Node;
  value: Node;
}

/**
 * The arguments of an ArgList: positional, keyword (`name=value`), `*x`, `**x`. `generator` is set for
 * `f(x for x in y)` (the whole list is one generator expression; `value` is the ArgList itself).
 */
export function splitArgs(text: string, argList: Node | null | undefined): { args: Arg[]; generator: boolean } {
  const args: Arg[] = [];
  if (!argList) return { args, generator: false };
  const cs = kids(argList);
  if (cs.some((c) => c.name === 'for')) return { args: [{ kind: 'pos', value: argList }], generator: true };
  let i = 0;
  while (i < cs.length) {
    const c = cs[i];
    if (c.name === '(' || c.name === ')' || c.name === ',' || c.name === 'Comment' || c.type.isError) {
      i++;
      continue;
    }
    if (c.name === '*' || c.name === '**') {
      const v = cs[i + 1];
      if (v && !isToken(v)) args.push({ kind: c.name === '*' ? 'star' : 'kwstar', value: v });
      i += 2;
      continue;
    }
    if (c.name === 'VariableName' && cs[i + 1]?.name === 'AssignOp' && cs[i + 2] && !isToken(cs[i + 2])) {
      args.push({ kind: 'kw', name: textOf(text, c), nameNode: c, value: cs[i + 2] });
      i += 3;
      continue;
    }
    if (!isToken(c)) args.push({ kind: 'pos', value: c });
    i++;
  }
  return { args, generator: false };
}

export interface Param {
  name: string;
  node: Node;
  dflt?: Node;
  kind: 'normal' | 'star' | 'kwstar';
  kwOnly: boolean;
}

/** The parameters of a ParamList (def or lambda). */
export function splitParams(text: string, list: Node | null | undefined): Param[] {
  const out: Param[] = [];
  if (!list) return out;
  const cs = kids(list);
  let kwOnly = false;
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i];
    if (c.name === '*' || c.name === '**') {
      const v = cs[i + 1];
      if (v?.name === 'VariableName') {
        out.push({ name: textOf(text, v), node: v, kind: c.name === '*' ? 'star' : 'kwstar', kwOnly });
        i++;
      }
      if (c.name === '*') kwOnly = true;
      continue;
    }
    if (c.name !== 'VariableName') continue;
    const p: Param = { name: textOf(text, c), node: c, kind: 'normal', kwOnly };
    let j = i + 1;
    if (cs[j]?.name === 'TypeDef') j++;
    if (cs[j]?.name === 'AssignOp' && cs[j + 1] && !isToken(cs[j + 1])) {
      p.dflt = cs[j + 1];
      j++;
    }
    out.push(p);
    i = j;
  }
  return out;
}

/** The statements of a Body (or of the Script). */
export function statements(body: Node | null | undefined): Node[] {
  if (!body) return [];
  const out: Node[] = [];
  for (let c = body.firstChild; c; c = c.nextSibling) {
    if (c.name === ':' || c.name === 'Comment' || c.type.isError) continue;
    if (c.name === 'StatementGroup') {
      for (let d = c.firstChild; d; d = d.nextSibling) if (d.name !== ';' && d.name !== 'Comment' && !d.type.isError) out.push(d);
    } else out.push(c);
  }
  return out;
}

/** The string value of a String literal (prefixes and escapes handled; f-strings are not literals). */
export function stringValue(raw: string): string | undefined {
  const m = /^([rRbBuU]{0,2})('''|"""|'|")([\s\S]*)$/.exec(raw);
  if (!m) return undefined;
  const prefix = m[1].toLowerCase();
  if (prefix.includes('f')) return undefined;
  const q = m[2];
  let body = m[3];
  if (!body.endsWith(q)) return undefined;
  body = body.slice(0, body.length - q.length);
  if (prefix.includes('r')) return body;
  return body.replace(/\\(n|t|r|\\|'|"|\n)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c === '\n' ? '' : c));
}

/** The span of a string literal's contents (without prefix and quotes). */
export function stringContentSpan(text: string, n: Node): Span | undefined {
  const raw = text.slice(n.from, n.to);
  const m = /^([rRbBuU]{0,2})('''|"""|'|")/.exec(raw);
  if (!m) return undefined;
  const open = m[0].length;
  const q = m[2].length;
  if (raw.length < open + q) return undefined;
  return { start: n.from + open, end: n.to - q };
}

export function numberValue(raw: string): number | undefined {
  const s = raw.replace(/_/g, '');
  if (/[jJ]$/.test(s)) return undefined;
  if (/^0[xX]/.test(s)) return parseInt(s.slice(2), 16);
  if (/^0[oO]/.test(s)) return parseInt(s.slice(2), 8);
  if (/^0[bB]/.test(s)) return parseInt(s.slice(2), 2);
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

/** The statement node that contains `n` (the child of a Body or of the Script). */
export function enclosingStatement(n: Node): Node | undefined {
  let cur: Node | null = n;
  while (cur && cur.parent) {
    const p: Node = cur.parent;
    if (p.name === 'Body' || p.name === 'Script') return cur;
    if (p.name === 'StatementGroup') return cur;
    cur = p;
  }
  return undefined;
}

/** The name a call's result is assigned to (`x = call(...)`, `self.x = call(...)`), or undefined. */
export function assignedName(text: string, call: Node): string | undefined {
  let n: Node = call;
  while (n.parent && n.parent.name === 'ParenthesizedExpression') n = n.parent;
  const p = n.parent;
  if (!p || p.name !== 'AssignStatement') return undefined;
  const cs = kids(p);
  const ops = cs.filter((c) => c.name === 'AssignOp');
  if (ops.length !== 1 || cs[cs.length - 1] !== n) return undefined;
  const target = cs[0];
  if (cs[1]?.name !== 'AssignOp' && cs[1]?.name !== 'TypeDef') return undefined;
  if (target.name === 'VariableName') return textOf(text, target);
  if (target.name === 'MemberExpression') {
    const last = target.lastChild;
    if (last?.name === 'PropertyName') return textOf(text, last);
  }
  return undefined;
}
