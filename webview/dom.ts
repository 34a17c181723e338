/**
 * DOM helpers of the page. All text goes in with textContent / createTextNode, never as markup; attributes are
 * set one by one through the same allow-list as the chart trees (no on*, href, src or style attributes: event
 * handlers are attached with addEventListener, styles come from the stylesheet).
 */
import { attrText, isAllowedAttribute, type VNode } from './lib/vdom';

const SVG_NS = 'http://www.w3.org/2000/svg';

export function toDom(node: VNode | string): Node {
  if (typeof node === 'string') return document.createTextNode(node);
  const e = document.createElementNS(SVG_NS, node.tag);
  for (const [k, v] of Object.entries(node.attrs)) {
    if (k === 'xmlns' || !isAllowedAttribute(k)) continue;
    const t = attrText(v);
    if (t !== undefined) e.setAttribute(k, t);
  }
  for (const c of node.children) e.appendChild(toDom(c));
  return e;
}

export type Child = Node | string | undefined | null | false;

export interface ElOptions {
  class?: string;
  text?: string;
  attrs?: Record<string, string | number | boolean | undefined>;
  on?: Partial<{ [K in keyof HTMLElementEventMap]: (ev: HTMLElementEventMap[K]) => void }>;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, o: ElOptions = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (o.class) e.className = o.class;
  if (o.text !== undefined) e.textContent = o.text;
  for (const [k, v] of Object.entries(o.attrs ?? {})) {
    if (!isAllowedAttribute(k)) throw new Error(`attribute not allowed: ${k}`);
    if (v === undefined || v === false) continue;
    e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const [k, f] of Object.entries(o.on ?? {})) e.addEventListener(k, f as EventListener);
  const add = (c: Child | Child[]) => {
    if (Array.isArray(c)) return c.forEach(add);
    if (c === undefined || c === null || c === false) return;
    e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  };
  children.forEach(add);
  return e;
}

/** Replaces the children of a node. */
export function setChildren(parent: Element, ...children: (Child | Child[])[]): void {
  parent.replaceChildren();
  const add = (c: Child | Child[]) => {
    if (Array.isArray(c)) return c.forEach(add);
    if (c === undefined || c === null || c === false) return;
    parent.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  };
  children.forEach(add);
}

// -------------------------------------------------------------------------------------------------------------
// Export: an on-screen SVG as a standalone SVG document (theme colours resolved) and as a PNG.

const PRESENTATION = ['fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-opacity', 'fill-opacity', 'opacity', 'font-size', 'font-family', 'font-weight', 'stroke-linecap'] as const;

/** The SVG with every element's computed colours and strokes written as presentation attributes. */
export function standaloneSvg(svg: SVGSVGElement): string {
  // Computed styles need the element in the document: attach a detached chart off screen while reading them.
  let holder: HTMLElement | undefined;
  if (!svg.isConnected) {
    holder = document.createElement('div');
    holder.style.position = 'absolute';
    holder.style.left = '-100000px';
    holder.style.top = '0';
    holder.appendChild(svg);
    document.body.appendChild(holder);
  }
  try {
    return serialize(svg);
  } finally {
    holder?.remove();
  }
}

function serialize(svg: SVGSVGElement): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const src = [svg, ...Array.from(svg.querySelectorAll('*'))];
  const dst = [clone, ...Array.from(clone.querySelectorAll('*'))];
  src.forEach((s, i) => {
    const d = dst[i];
    const cs = getComputedStyle(s);
    for (const p of PRESENTATION) {
      const v = cs.getPropertyValue(p);
      if (v) d.setAttribute(p, v);
    }
    d.removeAttribute('class');
    d.removeAttribute('tabindex');
    d.removeAttribute('role');
  });
  // Hit areas are interaction only.
  for (const hit of Array.from(clone.querySelectorAll('[aria-label$="Reveal in the editor"]'))) hit.remove();
  clone.setAttribute('xmlns', SVG_NS);
  return new XMLSerializer().serializeToString(clone);
}

/** Renders SVG markup to a PNG data URL at `scale` × its size. */
export async function svgToPng(markup: string, width: number, height: number, scale = 2): Promise<string> {
  const url = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(markup)}`;
  const img = new Image();
  img.decoding = 'sync';
  await new Promise<void>((resolve, reject) => {
    img.onload = () => resolve();
    img.onerror = () => reject(new Error('the SVG could not be rendered'));
    img.src = url;
  });
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  ctx.scale(scale, scale);
  ctx.drawImage(img, 0, 0, width, height);
  return canvas.toDataURL('image/png');
}
