/**
 * The expressions of the tfjs interpreter: literals, identifiers, object and array literals, operators (with
 * JavaScript semantics), assignments and calls. Functions of the interpreter (interpreter.ts), which they take as
 * `ip`.
 */
import { ts } from 'ts-morph';
import { stripOuter } from './syntax';
import { tfjsModulePath } from './tables';
import {
  type ArrV,
  type ObjV,
  SPREAD,
  Scope,
  TDZ,
  type V,
  NULL,
  UNDEF,
  UNKNOWN,
  bool,
  isPrimitive,
  joinValues,
  newArr,
  newObj,
  nullish,
  num,
  str,
  strictEq,
  truthy,
  unknown,
} from './values';
import { type Interpreter, LIMITS, GLOBAL_NAMES, GLOBAL_OBJECTS } from './interpreter';
import { bindPattern, nameValue } from './statements';

const { isArrayLiteralExpression, isComputedPropertyName, isElementAccessExpression, isExpression, isGetAccessorDeclaration, isIdentifier, isMethodDeclaration, isNoSubstitutionTemplateLiteral, isNumericLiteral, isObjectLiteralExpression, isOmittedExpression, isPrivateIdentifier, isPropertyAccessExpression, isPropertyAssignment, isSetAccessorDeclaration, isShorthandPropertyAssignment, isSpreadAssignment, isSpreadElement, isStringLiteral, isVariableDeclarationList, SyntaxKind: SK, NodeFlags: NF } = ts;

export function evalInner(ip: Interpreter, n0: ts.Expression, scope: Scope): V {
  const n = stripOuter(n0);
  switch (n.kind) {
    case SK.NumericLiteral:
      return num(Number((n as ts.NumericLiteral).text), n);
    case SK.StringLiteral:
    case SK.NoSubstitutionTemplateLiteral:
      return str((n as ts.StringLiteral).text, n);
    case SK.TemplateExpression: {
      const t = n as ts.TemplateExpression;
      let out = t.head.text;
      for (const sp of t.templateSpans) {
        const v = ip.eval(sp.expression, scope);
        if (!isPrimitive(v)) return UNKNOWN;
        out += String(prim(ip, v)) + sp.literal.text;
      }
      return str(out, n);
    }
    case SK.TrueKeyword:
      return bool(true, n);
    case SK.FalseKeyword:
      return bool(false, n);
    case SK.NullKeyword:
      return NULL;
    case SK.Identifier:
      return lookupIdentifier(ip, n as ts.Identifier, scope);
    case SK.ThisKeyword: {
      const b = scope.lookup('this');
      return b && b.v !== TDZ ? b.v : UNKNOWN;
    }
    case SK.ObjectLiteralExpression:
      return evalObject(ip, n as ts.ObjectLiteralExpression, scope);
    case SK.ArrayLiteralExpression:
      return evalArray(ip, n as ts.ArrayLiteralExpression, scope);
    case SK.PropertyAccessExpression: {
      const pa = n as ts.PropertyAccessExpression;
      const o = ip.eval(pa.expression, scope);
      if (pa.questionDotToken && nullish(o) === true) return UNDEF;
      return ip.getProp(o, pa.name.text, pa);
    }
    case SK.ElementAccessExpression: {
      const ea = n as ts.ElementAccessExpression;
      const o = ip.eval(ea.expression, scope);
      const k = ip.eval(ea.argumentExpression, scope);
      if (ea.questionDotToken && nullish(o) === true) return UNDEF;
      if (k.k === 'num' && (o.k === 'arr' || o.k === 'str')) return ip.getIndex(o, k.v);
      if (k.k === 'str' || k.k === 'num') return ip.getProp(o, String(k.v), ea);
      return UNKNOWN;
    }
    case SK.CallExpression:
      return evalCall(ip, n as ts.CallExpression, scope);
    case SK.NewExpression:
      return ip.evalNew(n as ts.NewExpression, scope);
    case SK.ArrowFunction:
    case SK.FunctionExpression:
      return ip.makeFn(n as ts.FunctionLikeDeclaration, scope);
    case SK.ClassExpression:
      return ip.evalClass(n as ts.ClassExpression, scope);
    case SK.ConditionalExpression: {
      const c = n as ts.ConditionalExpression;
      const t = truthy(ip.eval(c.condition, scope));
      if (t === true) return ip.eval(c.whenTrue, scope);
      if (t === false) return ip.eval(c.whenFalse, scope);
      let a: V = UNKNOWN;
      let b: V = UNKNOWN;
      ip.branches(ip.line(c), [
        () => {
          a = ip.eval(c.whenTrue, scope);
          return undefined;
        },
        () => {
          b = ip.eval(c.whenFalse, scope);
          return undefined;
        },
      ]);
      return joinValues([a, b]);
    }
    case SK.BinaryExpression:
      return evalBinary(ip, n as ts.BinaryExpression, scope);
    case SK.PrefixUnaryExpression:
      return evalPrefix(ip, n as ts.PrefixUnaryExpression, scope);
    case SK.PostfixUnaryExpression: {
      const p = n as ts.PostfixUnaryExpression;
      const old = ip.eval(p.operand, scope);
      const nv = old.k === 'num' ? num(old.v + (p.operator === SK.PlusPlusToken ? 1 : -1)) : UNKNOWN;
      assignTo(ip, p.operand, nv, scope);
      return old.k === 'num' ? old : UNKNOWN;
    }
    case SK.TypeOfExpression: {
      const v = ip.eval((n as ts.TypeOfExpression).expression, scope);
      const t = typeOf(ip, v);
      return t ? str(t) : UNKNOWN;
    }
    case SK.VoidExpression:
      ip.eval((n as ts.VoidExpression).expression, scope);
      return UNDEF;
    case SK.AwaitExpression:
      return ip.eval((n as ts.AwaitExpression).expression, scope);
    case SK.DeleteExpression:
      return UNKNOWN;
    case SK.RegularExpressionLiteral:
      return newObj();
    default:
      return UNKNOWN;
  }
}

export function typeOf(ip: Interpreter, v: V): string | undefined {
  switch (v.k) {
    case 'num':
      return 'number';
    case 'str':
      return 'string';
    case 'bool':
      return 'boolean';
    case 'undef':
      return 'undefined';
    case 'null':
    case 'obj':
    case 'arr':
      return 'object';
    case 'fn':
    case 'class':
      return 'function';
    default:
      return undefined;
  }
}

export function prim(ip: Interpreter, v: V): number | string | boolean | null | undefined {
  switch (v.k) {
    case 'num':
    case 'str':
    case 'bool':
      return v.v;
    case 'null':
      return null;
    default:
      return undefined;
  }
}

export function lookupIdentifier(ip: Interpreter, id: ts.Identifier, scope: Scope): V {
  const name = id.text;
  const b = scope.lookup(name);
  if (b) {
    if (b.v === TDZ) return unknown(`${name} is used before its declaration.`);
    return b.v;
  }
  switch (name) {
    case 'undefined':
      return UNDEF;
    case 'NaN':
      return num(NaN);
    case 'Infinity':
      return num(Infinity);
    case 'tf':
      // A global `tf` (script tag) when nothing in the file declares it.
      return { k: 'ns', path: [], node: id };
    case 'require':
      return { k: 'builtin', name: 'require' };
  }
  if (GLOBAL_NAMES.has(name)) return { k: 'global', name };
  if (GLOBAL_OBJECTS.has(name)) return { k: 'global', name: 'window' };
  return UNKNOWN;
}

export function propKey(ip: Interpreter, name: ts.PropertyName, scope: Scope): string | undefined {
  if (isIdentifier(name) || isPrivateIdentifier(name) || isStringLiteral(name) || isNoSubstitutionTemplateLiteral(name)) return name.text;
  if (isNumericLiteral(name)) return String(Number(name.text));
  if (isComputedPropertyName(name)) {
    const v = ip.eval(name.expression, scope);
    if (v.k === 'str') return v.v;
    if (v.k === 'num') return String(v.v);
  }
  return undefined;
}

export function evalObject(ip: Interpreter, node: ts.ObjectLiteralExpression, scope: Scope): V {
  const o = newObj(node);
  for (const el of node.properties) {
    if (isPropertyAssignment(el)) {
      const key = propKey(ip, el.name, scope);
      const v = ip.eval(el.initializer, scope);
      if (key === undefined) o.open = true;
      else o.props.set(key, { v, el });
    } else if (isShorthandPropertyAssignment(el)) {
      o.props.set(el.name.text, { v: lookupIdentifier(ip, el.name, scope), el });
    } else if (isSpreadAssignment(el)) {
      const s = ip.eval(el.expression, scope);
      if (s.k === 'obj') {
        for (const [k, p] of s.props) o.props.set(k, p);
        if (s.open) openObject(ip, o);
      } else if (s.k === 'arr') {
        s.items.forEach((it, i) => o.props.set(String(i), { v: it }));
        if (s.open) openObject(ip, o);
      } else if (s.k !== 'undef' && s.k !== 'null' && !isPrimitive(s)) openObject(ip, o);
    } else if (isMethodDeclaration(el)) {
      const key = propKey(ip, el.name, scope);
      if (key !== undefined && el.body) o.props.set(key, { v: ip.makeFn(el, scope, o), el });
    } else if (isGetAccessorDeclaration(el) || isSetAccessorDeclaration(el)) {
      const key = propKey(ip, el.name, scope);
      if (key !== undefined) o.props.set(key, { v: UNKNOWN, el });
    }
  }
  return o;
}

/** An unknown spread: later properties are known, earlier ones may have been overridden. */
export function openObject(ip: Interpreter, o: ObjV): void {
  o.open = true;
  for (const [k, p] of o.props) o.props.set(k, { v: UNKNOWN, el: p.el });
}

export function evalArray(ip: Interpreter, node: ts.ArrayLiteralExpression, scope: Scope): V {
  const a = newArr([], false, node);
  for (const el of node.elements) {
    if (isSpreadElement(el)) {
      const s = ip.eval(el.expression, scope);
      if (s.k === 'arr') {
        a.items.push(...s.items);
        if (s.open) a.open = true;
        if (s.notes) (a.notes ??= []).push(...s.notes);
      } else if (s.k === 'str') a.items.push(...[...s.v].map((c) => str(c)));
      else {
        a.items.push(unknown(SPREAD));
        a.open = true;
      }
    } else if (isOmittedExpression(el)) a.items.push(UNDEF);
    else a.items.push(ip.eval(el, scope));
  }
  return a;
}

export function evalBinary(ip: Interpreter, b: ts.BinaryExpression, scope: Scope): V {
  const op = b.operatorToken.kind;
  const K = SK;
  if (op === K.EqualsToken) {
    const v = ip.eval(b.right, scope);
    assignTo(ip, b.left, v, scope);
    const l = stripOuter(b.left);
    if (isIdentifier(l)) nameValue(ip, v, l);
    return v;
  }
  if (op === K.AmpersandAmpersandToken || op === K.BarBarToken || op === K.QuestionQuestionToken) {
    const l = ip.eval(b.left, scope);
    const decide = op === K.QuestionQuestionToken ? (nullish(l) === undefined ? undefined : !nullish(l)) : truthy(l);
    // decide: true = left decides (for ||, ??) / evaluate right (for &&)
    if (op === K.AmpersandAmpersandToken) {
      if (decide === false) return l;
      if (decide === true) return ip.eval(b.right, scope);
    } else {
      if (decide === true) return l;
      if (decide === false) return ip.eval(b.right, scope);
    }
    // Left operand unknown: the right one may or may not run.
    ip.branches(ip.line(b), [
      () => {
        ip.eval(b.right, scope);
        return undefined;
      },
      () => undefined,
    ]);
    return UNKNOWN;
  }
  if (op >= K.FirstCompoundAssignment && op <= K.LastCompoundAssignment) {
    const cur = ip.eval(b.left, scope);
    let v: V;
    if (op === K.QuestionQuestionEqualsToken || op === K.BarBarEqualsToken || op === K.AmpersandAmpersandEqualsToken) {
      const t = op === K.QuestionQuestionEqualsToken ? (nullish(cur) === undefined ? undefined : !nullish(cur)) : truthy(cur);
      const keep = op === K.AmpersandAmpersandEqualsToken ? t === false : t === true;
      const replace = op === K.AmpersandAmpersandEqualsToken ? t === true : t === false;
      if (keep) return cur;
      v = replace ? ip.eval(b.right, scope) : UNKNOWN;
    } else {
      const r = ip.eval(b.right, scope);
      v = arith(ip, compoundToBinary(ip, op), cur, r);
    }
    assignTo(ip, b.left, v, scope);
    return v;
  }
  if (op === K.CommaToken) {
    ip.eval(b.left, scope);
    return ip.eval(b.right, scope);
  }
  const l = ip.eval(b.left, scope);
  const r = ip.eval(b.right, scope);
  return arith(ip, op, l, r);
}

export function compoundToBinary(ip: Interpreter, op: ts.SyntaxKind): ts.SyntaxKind {
  const K = SK;
  const m: Partial<Record<ts.SyntaxKind, ts.SyntaxKind>> = {
    [K.PlusEqualsToken]: K.PlusToken,
    [K.MinusEqualsToken]: K.MinusToken,
    [K.AsteriskEqualsToken]: K.AsteriskToken,
    [K.SlashEqualsToken]: K.SlashToken,
    [K.PercentEqualsToken]: K.PercentToken,
    [K.AsteriskAsteriskEqualsToken]: K.AsteriskAsteriskToken,
    [K.LessThanLessThanEqualsToken]: K.LessThanLessThanToken,
    [K.GreaterThanGreaterThanEqualsToken]: K.GreaterThanGreaterThanToken,
    [K.GreaterThanGreaterThanGreaterThanEqualsToken]: K.GreaterThanGreaterThanGreaterThanToken,
    [K.AmpersandEqualsToken]: K.AmpersandToken,
    [K.BarEqualsToken]: K.BarToken,
    [K.CaretEqualsToken]: K.CaretToken,
  };
  return m[op] ?? K.Unknown;
}

export function arith(ip: Interpreter, op: ts.SyntaxKind, l: V, r: V): V {
  const K = SK;
  if (op === K.EqualsEqualsEqualsToken || op === K.ExclamationEqualsEqualsToken) {
    const eq = strictEq(l, r);
    return eq === undefined ? UNKNOWN : bool(op === K.EqualsEqualsEqualsToken ? eq : !eq);
  }
  if (op === K.InKeyword) {
    if (r.k === 'obj' && !r.open && !r.cls && (l.k === 'str' || l.k === 'num')) return bool(r.props.has(String(l.v)));
    return UNKNOWN;
  }
  if (!isPrimitive(l) || !isPrimitive(r)) {
    if ((op === K.EqualsEqualsToken || op === K.ExclamationEqualsToken) && l.k !== 'unknown' && r.k !== 'unknown') {
      // object == null / undefined
      const ln = nullish(l);
      const rn = nullish(r);
      if (ln !== undefined && rn !== undefined && (ln || rn)) {
        const eq = ln && rn;
        return bool(op === K.EqualsEqualsToken ? eq : !eq);
      }
      const eq = strictEq(l, r);
      if (eq !== undefined) return bool(op === K.EqualsEqualsToken ? eq : !eq);
    }
    return UNKNOWN;
  }
  const a = prim(ip, l) as never;
  const b = prim(ip, r) as never;
  let out: unknown;
  switch (op) {
    case K.PlusToken:
      out = (a as number) + (b as number);
      break;
    case K.MinusToken:
      out = (a as number) - (b as number);
      break;
    case K.AsteriskToken:
      out = (a as number) * (b as number);
      break;
    case K.SlashToken:
      out = (a as number) / (b as number);
      break;
    case K.PercentToken:
      out = (a as number) % (b as number);
      break;
    case K.AsteriskAsteriskToken:
      out = (a as number) ** (b as number);
      break;
    case K.EqualsEqualsToken:
      out = a == b;
      break;
    case K.ExclamationEqualsToken:
      out = a != b;
      break;
    case K.LessThanToken:
      out = a < b;
      break;
    case K.GreaterThanToken:
      out = a > b;
      break;
    case K.LessThanEqualsToken:
      out = a <= b;
      break;
    case K.GreaterThanEqualsToken:
      out = a >= b;
      break;
    case K.LessThanLessThanToken:
      out = (a as number) << (b as number);
      break;
    case K.GreaterThanGreaterThanToken:
      out = (a as number) >> (b as number);
      break;
    case K.GreaterThanGreaterThanGreaterThanToken:
      out = (a as number) >>> (b as number);
      break;
    case K.AmpersandToken:
      out = (a as number) & (b as number);
      break;
    case K.BarToken:
      out = (a as number) | (b as number);
      break;
    case K.CaretToken:
      out = (a as number) ^ (b as number);
      break;
    default:
      return UNKNOWN;
  }
  return fromJs(ip, out);
}

export function fromJs(ip: Interpreter, x: unknown): V {
  if (typeof x === 'number') return num(x);
  if (typeof x === 'string') return str(x);
  if (typeof x === 'boolean') return bool(x);
  if (x === null) return NULL;
  if (x === undefined) return UNDEF;
  return UNKNOWN;
}

export function evalPrefix(ip: Interpreter, p: ts.PrefixUnaryExpression, scope: Scope): V {
  const K = SK;
  if (p.operator === K.PlusPlusToken || p.operator === K.MinusMinusToken) {
    const old = ip.eval(p.operand, scope);
    const nv = old.k === 'num' ? num(old.v + (p.operator === K.PlusPlusToken ? 1 : -1)) : UNKNOWN;
    assignTo(ip, p.operand, nv, scope);
    return nv;
  }
  const v = ip.eval(p.operand, scope);
  switch (p.operator) {
    case K.ExclamationToken: {
      const t = truthy(v);
      return t === undefined ? UNKNOWN : bool(!t);
    }
    case K.MinusToken:
      return isPrimitive(v) ? { ...num(-(prim(ip, v) as number)), node: p } : UNKNOWN;
    case K.PlusToken:
      return isPrimitive(v) ? num(+(prim(ip, v) as number)) : UNKNOWN;
    case K.TildeToken:
      return isPrimitive(v) ? num(~(prim(ip, v) as number)) : UNKNOWN;
    default:
      return UNKNOWN;
  }
}

export function assignTo(ip: Interpreter, target: ts.Node, v: V, scope: Scope): void {
  const t = isExpression(target) ? stripOuter(target) : target;
  if (isIdentifier(t)) {
    const b = scope.lookup(t.text);
    if (b) ip.setBinding(b, v);
    else ip.moduleScope.declare(t.text, v, 'var', t);
    return;
  }
  if (isPropertyAccessExpression(t) || isElementAccessExpression(t)) {
    const o = ip.eval(t.expression, scope);
    let key: string | undefined;
    if (isPropertyAccessExpression(t)) key = t.name.text;
    else {
      const k = ip.eval(t.argumentExpression, scope);
      if (k.k === 'str' || k.k === 'num') key = String(k.v);
    }
    if (o.k === 'obj') {
      if (key === undefined) o.open = true;
      else ip.setProp(o, key, { v });
    } else if (o.k === 'arr' && key !== undefined) {
      if (/^\d+$/.test(key)) {
        const i = Number(key);
        if (i < LIMITS.layersPerModel) {
          while (o.items.length < i) o.items.push(UNDEF);
          o.items[i] = v;
        } else o.open = true;
      } else if (key === 'length' && v.k === 'num') o.items.length = Math.min(o.items.length, v.v);
      noteArrayMutation(ip, o);
    }
    return;
  }
  if (isArrayLiteralExpression(t)) {
    t.elements.forEach((el, i) => {
      if (!isOmittedExpression(el)) assignTo(ip, isSpreadElement(el) ? el.expression : el, isSpreadElement(el) ? UNKNOWN : ip.getIndex(v, i), scope);
    });
    return;
  }
  if (isObjectLiteralExpression(t)) {
    for (const el of t.properties) {
      if (isShorthandPropertyAssignment(el)) assignTo(ip, el.name, ip.getProp(v, el.name.text), scope);
      else if (isPropertyAssignment(el)) {
        const key = propKey(ip, el.name, scope);
        assignTo(ip, el.initializer, key === undefined ? UNKNOWN : ip.getProp(v, key), scope);
      }
    }
    return;
  }
  if (isVariableDeclarationList(t)) {
    const d = t.declarations[0];
    if (d) bindPattern(ip, d.name, v, scope, t.flags & NF.BlockScoped ? 'let' : 'var', true);
  }
}

export function noteArrayMutation(ip: Interpreter, a: ArrV): void {
  if (ip.uncertain.length) {
    const line = ip.uncertain[ip.uncertain.length - 1];
    const note = `Layers were added under a condition or loop at line ${line} that could not be evaluated; they are included.`;
    if (!(a.notes ??= []).includes(note)) a.notes.push(note);
  }
}

export function evalArgs(ip: Interpreter, args: ts.NodeArray<ts.Expression> | undefined, scope: Scope): V[] {
  const out: V[] = [];
  if (!args) return out;
  for (const a of args) {
    if (isSpreadElement(a)) {
      const s = ip.eval(a.expression, scope);
      if (s.k === 'arr' && !s.open) out.push(...s.items);
      else out.push(unknown(SPREAD));
    } else out.push(ip.eval(a, scope));
  }
  return out;
}

export function evalCall(ip: Interpreter, node: ts.CallExpression, scope: Scope): V {
  const callee = stripOuter(node.expression);
  if (callee.kind === SK.ImportKeyword) {
    const a = node.arguments[0] ? ip.eval(node.arguments[0], scope) : UNKNOWN;
    const path = a.k === 'str' ? tfjsModulePath(a.v) : undefined;
    return path ? { k: 'ns', path, node } : UNKNOWN;
  }
  if (callee.kind === SK.SuperKeyword) {
    const args = evalArgs(ip, node.arguments, scope);
    const cls = ip.ctorClass[ip.ctorClass.length - 1];
    const thisB = scope.lookup('this');
    if (cls && cls.base && cls.base.k === 'class' && thisB && thisB.v !== TDZ && thisB.v.k === 'obj') ip.construct(cls.base, thisB.v, args, node);
    return UNDEF;
  }
  if (isPropertyAccessExpression(callee) || isElementAccessExpression(callee)) {
    const recv = ip.eval(callee.expression, scope);
    if (callee.questionDotToken && nullish(recv) === true) return UNDEF;
    let key: string | undefined;
    let nameNode: ts.Node | undefined;
    if (isPropertyAccessExpression(callee)) {
      key = callee.name.text;
      nameNode = callee.name;
    } else {
      const k = ip.eval(callee.argumentExpression, scope);
      if (k.k === 'str' || k.k === 'num') key = String(k.v);
      nameNode = callee.argumentExpression;
    }
    const args = evalArgs(ip, node.arguments, scope);
    if (key === undefined) return ip.unknownCall(node, args);
    return ip.callMember(recv, key, args, node, nameNode);
  }
  const f = ip.eval(callee, scope);
  const args = evalArgs(ip, node.arguments, scope);
  return ip.callValue(f, args, undefined, node, callee);
}
