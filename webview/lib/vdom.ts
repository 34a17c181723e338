/**
 * A minimal element tree for the charts: chart code builds `VNode`s (pure, testable in Node), the page turns them
 * into DOM with createElementNS / setAttribute / textContent (webview/dom.ts), and the SVG export serializes
 * them. Text is always text: there is no way to put markup into a VNode, and attribute names are checked
 * (no event handlers, no links, no inline styles).
 */

export type Attr = string | number | boolean | undefined;

export interface VNode {
  tag: string;
  attrs: Record<string, Attr>;
  children: (VNode | string)[];
}

/** Attribute names a VNode may carry. `on*`, `href`, `xlink:href`, `style` and `src` are refused. */
const ATTR_NAME = /^(?:[a-z][a-z0-9-]*|viewBox|preserveAspectRatio|textLength|lengthAdjust)$/;
const FORBIDDEN = /^(?:on|href$|src$|style$|srcdoc$|formaction$|action$)/i;

export function isAllowedAttribute(name: string): boolean {
  return ATTR_NAME.test(name) && !FORBIDDEN.test(name);
}

/** Tags a VNode may be: SVG drawing elements and a few HTML ones for legends and labels. */
const TAGS = new Set([
  'svg', 'g', 'rect', 'line', 'path', 'polyline', 'polygon', 'circle', 'text', 'tspan', 'title', 'desc', 'defs', 'clipPath', 'pattern',
]);

export function isAllowedTag(tag: string): boolean {
  return TAGS.has(tag);
}

export function h(tag: string, attrs: Record<string, Attr> = {}, ...children: (VNode | string | undefined | false | null | (VNode | string | undefined | false | null)[])[]): VNode {
  if (!isAllowedTag(tag)) throw new Error(`tag not allowed: ${tag}`);
  for (const k of Object.keys(attrs)) if (!isAllowedAttribute(k)) throw new Error(`attribute not allowed: ${k}`);
  const flat: (VNode | string)[] = [];
  const add = (c: unknown) => {
    if (c === undefined || c === null || c === false) return;
    if (Array.isArray(c)) c.forEach(add);
    else flat.push(c as VNode | string);
  };
  children.forEach(add);
  return { tag, attrs, children: flat };
}

export function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function attrText(v: Attr): string | undefined {
  if (v === undefined || v === false) return undefined;
  if (v === true) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(Number(v.toFixed(3))) : String(v);
  return v;
}

/** Serializes a VNode tree as XML (for the SVG export). */
export function toXml(node: VNode | string, extraAttrs: Record<string, string> = {}): string {
  if (typeof node === 'string') return escapeText(node);
  const attrs = { ...node.attrs, ...extraAttrs };
  const parts = Object.entries(attrs)
    .map(([k, v]) => {
      const t = attrText(v);
      return t === undefined || !isAllowedAttribute(k) ? '' : ` ${k}="${escapeAttr(t)}"`;
    })
    .join('');
  if (node.children.length === 0) return `<${node.tag}${parts}/>`;
  return `<${node.tag}${parts}>${node.children.map((c) => toXml(c)).join('')}</${node.tag}>`;
}

export { attrText };

/** Finds nodes (tests and the export). */
export function findAll(node: VNode, pred: (n: VNode) => boolean, out: VNode[] = []): VNode[] {
  if (pred(node)) out.push(node);
  for (const c of node.children) if (typeof c !== 'string') findAll(c, pred, out);
  return out;
}

/** All text of a tree, concatenated. */
export function textOf(node: VNode | string): string {
  if (typeof node === 'string') return node;
  return node.children.map(textOf).join('');
}
