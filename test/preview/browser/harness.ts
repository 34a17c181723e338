/**
 * Serves the built preview page from a loopback HTTP server, with the live page's CSP (the extension's origin
 * replaced by the server's), a stub of acquireVsCodeApi that records what the page posts, and the VS Code theme
 * variables of webview/lib/themes.ts; launches Debian's chromium headless through playwright-core.
 *
 * The stub: `window.__posted` collects the page's messages; `window.__violations` its CSP violations; the page
 * state starts from the `state` query parameter (JSON), so a test can force a backend.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { makeNonce, previewHtml } from '../../../src/preview/logic/html';
import type { PageState, PreviewPayload } from '../../../src/preview/logic/messages';
import { checkText } from '../../../src/engine/check';
import { suggestionsFor } from '../../../src/preview/logic/fixes';
import { themeCss, type ThemeKind } from '../../../src/preview/logic/themes';

export const REPO = path.resolve(__dirname, '..', '..', '..');
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

// eslint-disable-next-line @typescript-eslint/no-require-imports
const webviewBuild = require(path.join(REPO, 'webview', 'build.js')) as { build(o: { production?: boolean; outdir?: string }): Promise<unknown> };

/** Builds the page into a temporary folder (never touching dist/, which others may be building). */
export async function buildPage(): Promise<{ dir: string; cleanup(): void }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'initlens-webview-'));
  await webviewBuild.build({ production: true, outdir: dir });
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const STUB = `
(() => {
  const params = new URLSearchParams(location.search);
  window.__posted = [];
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
  let state = params.get('state') ? JSON.parse(params.get('state')) : undefined;
  window.__state = () => state;
  document.body.classList.add(params.get('theme') || 'vscode-dark');
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
    getState: () => state,
    setState: (s) => { state = s; },
  });
})();
`;

export interface PageServer {
  origin: string;
  url(o?: { theme?: ThemeKind; state?: PageState }): string;
  close(): Promise<void>;
}

export async function servePage(dir: string): Promise<PageServer> {
  let origin = '';
  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (u.pathname === '/' || u.pathname === '/index.html') {
      const html = previewHtml({
        cspSource: origin,
        nonce: makeNonce(),
        scriptUri: `${origin}/preview.js`,
        styleUri: `${origin}/preview.css`,
        wasmBase: `${origin}/`,
        extraStyle: themeCss(),
        extraScript: STUB,
      });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(html);
      return;
    }
    const name = path.basename(u.pathname);
    const types: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm' };
    try {
      const body = readFileSync(path.join(dir, name));
      res.writeHead(200, { 'content-type': types[path.extname(name)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  origin = `http://127.0.0.1:${addr.port}`;
  return {
    origin,
    url: (o = {}) => {
      const q = new URLSearchParams();
      q.set('theme', o.theme ?? 'vscode-dark');
      if (o.state) q.set('state', JSON.stringify(o.state));
      return `${origin}/?${q}`;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** The payload the extension host would send for a model of a source text. */
export function payloadFor(text: string, file: string, modelIndex = 0, docVersion = 1): PreviewPayload {
  const report = checkText(text, file);
  const mr = report.models[modelIndex];
  if (!mr) throw new Error(`no model ${modelIndex} in ${file}: ${report.problems.map((p) => p.message).join('; ')}`);
  const { suggestions, findings } = suggestionsFor(report, mr.model);
  return {
    uri: `file:///workspace/${file}`,
    file,
    modelIndex,
    modelName: mr.model.name,
    model: mr.model,
    findings,
    suggestions,
    lsuvFixes: true,
    input: { mean: 0, std: 1 },
    thresholds: { vanishing: 0.01, exploding: 100 },
    docVersion,
  };
}

export function exampleText(name: string): string {
  return readFileSync(path.join(REPO, 'examples', name), 'utf8');
}

/** Sends a host message to the page (as the extension host's postMessage does). */
export async function sendToPage(page: Page, message: unknown): Promise<void> {
  await page.evaluate((m) => window.postMessage(m, '*'), message);
}

export async function posted(page: Page): Promise<{ type: string; [k: string]: unknown }[]> {
  return page.evaluate(() => (window as unknown as { __posted: { type: string }[] }).__posted);
}

/** Waits until every alternative is measured (or failed). */
export async function waitAllDone(page: Page, timeout = 60_000): Promise<void> {
  await page.waitForFunction(() => document.body.dataset.allDone === 'true' && document.body.dataset.phase !== 'running', undefined, { timeout });
}

interface QuickLookHold {
  __initlensHoldQuickLook?: () => Promise<void>;
  __releaseQuickLook?: () => void;
  __quickLookHeld?: number;
}

/**
 * Makes the page hold on its quick looks (webview/main.ts calls `__initlensHoldQuickLook` after drawing one) until
 * `releaseQuickLook`, with its main thread free: a test can look at the quick look, take screenshots or send a newer
 * request before the full run starts. `window.__quickLookHeld` counts the holds.
 */
export async function holdQuickLooks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as QuickLookHold;
    w.__quickLookHeld = 0;
    w.__initlensHoldQuickLook = () =>
      new Promise<void>((resolve) => {
        w.__quickLookHeld = (w.__quickLookHeld ?? 0) + 1;
        w.__releaseQuickLook = resolve;
      });
  });
}

/** Waits until the page holds on its `n`-th quick look. */
export async function waitQuickLookHeld(page: Page, n = 1, timeout = 60_000): Promise<void> {
  await page.waitForFunction((k) => ((window as unknown as QuickLookHold).__quickLookHeld ?? 0) >= k, n, { timeout });
}

/** Lets the held quick look go on to the full run; `stopHolding` also stops holding later quick looks. */
export async function releaseQuickLook(page: Page, stopHolding = false): Promise<void> {
  await page.evaluate((stop) => {
    const w = window as unknown as QuickLookHold;
    if (stop) w.__initlensHoldQuickLook = undefined;
    w.__releaseQuickLook?.();
  }, stopHolding);
}
