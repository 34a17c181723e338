/**
 * The HTML of the preview page: the live webview (scripts and styles from the extension, a strict CSP with a
 * nonce) and the self-contained report (script, style and data inlined). Pure: no vscode import.
 *
 * Live page CSP:
 *   default-src 'none'                              nothing else: no remote resources, no frames, no forms
 *   script-src 'nonce-…' 'wasm-unsafe-eval'         our bundle only; WebAssembly compilation for tfjs's WASM backend
 *   style-src ${cspSource}                          our stylesheet (no inline styles: the page sets none)
 *   img-src ${cspSource} data:                      the PNG export draws the chart SVG from a data: URL
 *   font-src ${cspSource}
 *   connect-src ${cspSource}                        tfjs-backend-wasm fetches its .wasm files from the extension
 * WebGL and WebGPU need no CSP source; the WASM backend's threaded variant (a blob: worker) is switched off.
 */

export interface PreviewHtmlOptions {
  /** webview.cspSource. */
  cspSource: string;
  nonce: string;
  /** webview.asWebviewUri of dist/webview/preview.js, preview.css and the folder with the .wasm files. */
  scriptUri: string;
  styleUri: string;
  wasmBase: string;
  /** Extra CSS (the browser test injects theme variables, as the workbench does). */
  extraStyle?: string;
  /** An extra script to run before the page's (the browser test's stub of acquireVsCodeApi). */
  extraScript?: string;
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** For a double-quoted attribute value that may hold single quotes (a CSP). */
function escapeDq(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A nonce: 128 random bits, base64url. */
export function makeNonce(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function previewCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}' 'wasm-unsafe-eval'`,
    `style-src ${cspSource}${'' /* no 'unsafe-inline' */}`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    `connect-src ${cspSource}`,
  ].join('; ');
}

/** The start of both pages, up to the viewport: doctype, language, charset and the CSP. */
function documentStart(csp: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeDq(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">`;
}

export function previewHtml(o: PreviewHtmlOptions): string {
  const nonce = escapeHtml(o.nonce);
  const extraStyle = o.extraStyle ? `<style nonce="${nonce}">${o.extraStyle.replace(/<\//g, '<\\/')}</style>` : '';
  const extraScript = o.extraScript ? `<script nonce="${nonce}">${inlineScript(o.extraScript)}</script>` : '';
  const csp = o.extraStyle ? previewCsp(o.cspSource, o.nonce).replace(/style-src ([^;]*)/, `style-src $1 'nonce-${o.nonce}'`) : previewCsp(o.cspSource, o.nonce);
  return `${documentStart(csp)}
<title>InitLens preview</title>
<link rel="stylesheet" href="${escapeHtml(o.styleUri)}">
${extraStyle}
</head>
<body data-wasm-base="${escapeHtml(o.wasmBase)}">
<main id="app" aria-live="off"><p>Loading the preview…</p></main>
${extraScript}
<script nonce="${nonce}" src="${escapeHtml(o.scriptUri)}"></script>
</body>
</html>
`;
}

/**
 * JSON for a <script type="application/json"> element: `<` is escaped everywhere so that no `</script>`,
 * `<!--` or `<script` in the data (layer names are workspace text) can end the element or change the parser's
 * state; U+2028/2029 too (harmless in JSON, but not in older JavaScript parsers).
 */
export function jsonForScript(data: unknown): string {
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A script's text for inlining in <script>: `</script` and `<!--` cannot occur in it. */
export function inlineScript(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

export interface ReportHtmlOptions {
  title: string;
  script: string;
  style: string;
  /** Theme variables (./themes.ts themeCss()). */
  themeStyle: string;
  data: unknown;
  nonce?: string;
}

/** The self-contained report: one HTML file, no external resource, the data as JSON. */
export function reportHtml(o: ReportHtmlOptions): string {
  const nonce = escapeHtml(o.nonce ?? makeNonce());
  const csp = `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; img-src data: blob:`;
  return `${documentStart(csp)}
<meta name="generator" content="InitLens">
<title>${escapeHtml(o.title)}</title>
<style nonce="${nonce}">${o.themeStyle.replace(/<\//g, '<\\/')}
${o.style.replace(/<\//g, '<\\/')}</style>
</head>
<body class="vscode-dark">
<main id="app"><p>This report needs JavaScript to draw its charts.</p></main>
<script type="application/json" id="initlens-data">${jsonForScript(o.data)}</script>
<script nonce="${nonce}">${inlineScript(o.script)}</script>
</body>
</html>
`;
}
