/**
 * Turns evaluated initializer and activation values into the model's InitializerRef / ActivationRef,
 * exactly as tfjs 4.x `getInitializer` / `getActivation` would read them (reference §1.1, §1.5).
 */
import { ts } from 'ts-morph';
import type { ActivationRef, InitializerArgs, InitializerForm, InitializerRef, Span } from '../../core/model';
import { resolveActivation } from '../../core/activations';
import { resolveInitializer } from '../../core/initializers';
import {
  FALSY_ARGS,
  INITIALIZER_ARG_KEYS,
  INITIALIZER_ARGS_REQUIRED,
  INITIALIZER_ID_BY_CLASS,
  samplesNormal,
  VALID_DISTRIBUTIONS,
  VALID_MODES,
} from './tables';
import { type InitV, type Prop, type V, spanOf } from './values';

// Bound once: the `ts` namespace exposes its members through getters.
const { isAsExpression, isNewExpression, isNoSubstitutionTemplateLiteral, isNonNullExpression, isObjectLiteralExpression, isParenthesizedExpression, isPropertyAssignment, isStringLiteral, isStringLiteralLike } = ts;


export interface Ctx {
  sf: ts.SourceFile;
  problem(message: string, node?: ts.Node): void;
}

const ALL_ARG_KEYS: (keyof InitializerArgs)[] = [
  'scale', 'mode', 'distribution', 'minval', 'maxval', 'mean', 'stddev', 'value', 'gain', 'seed',
];

/** The contents of a string literal without its quotes. */
export function stringContentSpan(node: ts.Node | undefined, sf: ts.SourceFile): Span | undefined {
  if (!node || !(isStringLiteral(node) || isNoSubstitutionTemplateLiteral(node))) return undefined;
  const s = spanOf(node, sf);
  return { start: s.start + 1, end: s.end - 1 };
}

function text(node: ts.Node | undefined, sf: ts.SourceFile): string | undefined {
  if (!node) return undefined;
  const t = node.getText(sf);
  return t.length > 200 ? t.slice(0, 197) + '...' : t;
}

function baseRef(form: InitializerForm, node: ts.Node | undefined, prop: Prop | undefined, ctx: Ctx): InitializerRef {
  const ref: InitializerRef = {
    framework: 'tfjs',
    id: undefined,
    args: {},
    unknownArgs: [],
    falsyArgs: [],
    explicit: true,
    form,
  };
  if (node) {
    ref.span = spanOf(node, ctx.sf);
    ref.text = text(node, ctx.sf);
  }
  if (prop?.el) ref.propertySpan = spanOf(prop.el, ctx.sf);
  return ref;
}

/** Form of an initializer expression we could not evaluate, from its syntax. */
function formOfSyntax(node: ts.Node | undefined): InitializerForm {
  let n = node;
  while (n && (isParenthesizedExpression(n) || isAsExpression(n) || isNonNullExpression(n))) n = n.expression;
  if (!n) return 'factory';
  if (isStringLiteralLike(n)) return 'string';
  if (isNewExpression(n)) return 'class';
  if (isObjectLiteralExpression(n)) return 'serialized';
  return 'factory';
}

/** Parse the argument object of an initializer (factory, class or serialized config). */
export function parseInitArgs(
  id: string | undefined,
  argV: V | undefined,
  ctx: Ctx,
  ref: InitializerRef,
  where: ts.Node | undefined,
): void {
  const keys = id ? INITIALIZER_ARG_KEYS[id] ?? ALL_ARG_KEYS : ALL_ARG_KEYS;
  if (!argV || argV.k === 'undef' || argV.k === 'null') return;
  if (argV.k !== 'obj') {
    if (id && INITIALIZER_ARG_KEYS[id]?.length === 0) return;
    ref.unknownArgs.push(...keys);
    return;
  }
  const falsyKeys = new Set<string>(id ? FALSY_ARGS[id] ?? [] : []);
  for (const key of keys) {
    const p = argV.props.get(key);
    if (!p) {
      if (argV.open) ref.unknownArgs.push(key);
      continue;
    }
    const v = p.v;
    if (v.k === 'undef' || v.k === 'null') continue;
    if (key === 'mode' || key === 'distribution') {
      if (v.k === 'str') {
        const valid = key === 'mode' ? VALID_MODES : VALID_DISTRIBUTIONS;
        if (valid.has(v.v)) (ref.args as Record<string, unknown>)[key] = v.v;
        else {
          ref.unknownArgs.push(key);
          ctx.problem(
            `tfjs throws: '${v.v}' is not a valid ${key === 'mode' ? 'FanMode' : 'Distribution'} ` +
              `(valid: ${[...valid].join(', ')}).`,
            v.node ?? p.el ?? where,
          );
        }
      } else ref.unknownArgs.push(key);
      continue;
    }
    if (v.k !== 'num') {
      ref.unknownArgs.push(key);
      continue;
    }
    (ref.args as Record<string, unknown>)[key] = v.v;
    if (key === 'scale' && v.v < 0) ctx.problem(`tfjs throws: scale must be a positive float, got ${v.v}.`, v.node ?? where);
  }
  if (id) {
    if (samplesNormal(id, ref.args.distribution)) falsyKeys.add('seed');
    for (const key of keys) {
      if (!falsyKeys.has(key)) continue;
      const p = argV.props.get(key);
      if (p && p.v.k === 'num' && p.v.v === 0) {
        const node = p.v.node ?? (p.el && isPropertyAssignment(p.el) ? p.el.initializer : p.el);
        if (node) ref.falsyArgs.push({ name: key, span: spanOf(node, ctx.sf) });
      }
    }
  }
}

/** InitializerRef of an evaluated initializer value. */
export function initializerFromValue(v: V, prop: Prop | undefined, ctx: Ctx, valueNode?: ts.Node): InitializerRef {
  switch (v.k) {
    case 'str': {
      const ref = baseRef('string', v.node ?? valueNode, prop, ctx);
      const spec = resolveInitializer('tfjs', v.v);
      ref.nameSpan = stringContentSpan(v.node, ctx.sf);
      if (!spec) {
        const hint = v.v.includes('_')
          ? ` (snake_case ids are accepted only in Keras JSON; write '${v.v.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())}')`
          : '';
        ctx.problem(`tfjs throws Unknown initializer: '${v.v}'${hint}.`, v.node ?? valueNode);
        return ref;
      }
      ref.id = spec.id;
      if (spec.id === 'constant') {
        ref.unknownArgs.push('value');
        ctx.problem(`tfjs throws for the string '${v.v}': the constant initializer needs {value} (use tf.initializers.constant({value})).`, v.node ?? valueNode);
      }
      return ref;
    }
    case 'init':
      return initializerFromInit(v, prop, ctx);
    case 'obj': {
      const ref = baseRef('serialized', v.node ?? valueNode, prop, ctx);
      const cn = v.props.get('className');
      if (!cn) {
        if (!v.open) ctx.problem('tfjs throws: an initializer config object needs className and config.', v.node ?? valueNode);
        return ref;
      }
      if (cn.v.k !== 'str') return ref;
      ref.nameSpan = stringContentSpan(cn.v.node, ctx.sf);
      const id = INITIALIZER_ID_BY_CLASS[cn.v.v];
      if (!id) {
        ctx.problem(`tfjs throws Unknown initializer: '${cn.v.v}' (a serialized initializer needs a class name such as 'HeNormal').`, cn.v.node ?? valueNode);
        return ref;
      }
      ref.id = id;
      const cfg = v.props.get('config');
      if (!cfg) {
        if (!v.open) ctx.problem(`tfjs throws: the serialized initializer '${cn.v.v}' has no config (write config: {}).`, v.node ?? valueNode);
      } else if (cfg.v.k === 'null' || cfg.v.k === 'undef') {
        ctx.problem(`tfjs throws: the serialized initializer '${cn.v.v}' has no config (write config: {}).`, v.node ?? valueNode);
      } else parseInitArgs(id, cfg.v, ctx, ref, v.node);
      return ref;
    }
    case 'ns': {
      const ref = baseRef('factory', v.node ?? valueNode, prop, ctx);
      if (v.path[0] === 'initializers' && v.path.length === 2)
        ctx.problem(`tfjs throws: pass tf.initializers.${v.path[1]}() (called), not the function itself.`, v.node ?? valueNode);
      return ref;
    }
    default: {
      const ref = baseRef(formOfSyntax(v.node ?? valueNode), v.node ?? valueNode, prop, ctx);
      return ref;
    }
  }
}

function initializerFromInit(v: InitV, prop: Prop | undefined, ctx: Ctx): InitializerRef {
  const ref = baseRef(v.form, v.node, prop, ctx);
  ref.id = v.id;
  if (v.nameNode) ref.nameSpan = spanOf(v.nameNode, ctx.sf);
  if (v.problem) ctx.problem(v.problem, v.nameNode ?? v.node);
  const arg = v.args[0];
  if (v.id && INITIALIZER_ARGS_REQUIRED.has(v.id) && (!arg || arg.k === 'undef' || arg.k === 'null')) {
    ctx.problem(
      `tfjs throws a TypeError: ${v.form === 'class' ? 'new ' + v.name : v.name}() needs an argument object (e.g. ${v.name}({})).`,
      v.node,
    );
  }
  parseInitArgs(v.id, arg, ctx, ref, v.node);
  return ref;
}

/** InitializerRef for a value we could not resolve but whose syntax we know. */
export function unresolvedInitializer(valueNode: ts.Node | undefined, prop: Prop | undefined, ctx: Ctx): InitializerRef {
  return baseRef(formOfSyntax(valueNode), valueNode, prop, ctx);
}

/** ActivationRef of an evaluated `activation` value, or undefined when absent (null/undefined). */
export function activationFromValue(v: V, ctx: Ctx, valueNode?: ts.Node): ActivationRef | undefined {
  const node = v.node ?? valueNode;
  const span = node ? spanOf(node, ctx.sf) : undefined;
  const t = text(node, ctx.sf);
  switch (v.k) {
    case 'undef':
    case 'null':
      return undefined;
    case 'str': {
      const hit = resolveActivation('tfjs', v.v);
      if (!hit) ctx.problem(`tfjs throws Unknown activation: '${v.v}'.`, node);
      return { id: hit?.id, alpha: hit?.alpha, explicit: true, span, text: t };
    }
    case 'obj': {
      const cn = v.props.get('className');
      if (cn?.v.k === 'str') {
        const hit = resolveActivation('tfjs', cn.v.v);
        if (!hit) ctx.problem(`tfjs throws Unknown activation: '${cn.v.v}'.`, cn.v.node ?? node);
        return { id: hit?.id, alpha: hit?.alpha, explicit: true, span, text: t };
      }
      return { id: undefined, explicit: true, span, text: t };
    }
    default:
      return { id: undefined, explicit: true, span, text: t };
  }
}

