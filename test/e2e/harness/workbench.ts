import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { CodeServer } from './code-server';
import { ARTIFACTS_DIR, CHROMIUM } from './paths';

/** The flags that make Debian's chromium load the workbench headless, offline, as root. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface OpenWorkbenchOptions {
  /** The folder to open, when `target` is a URL (a CodeServer brings its own workspace). */
  folder?: string;
  /**
   * Browser colour scheme. With the harness' default settings (window.autoDetectColorScheme) the
   * workbench follows it: Default Light Modern / Default Dark Modern. Default: 'light'.
   */
  theme?: 'light' | 'dark';
  /** Default 1400 x 900. */
  viewport?: { width: number; height: number };
  /** How long the workbench may take to appear (default 90 s). */
  timeoutMs?: number;
  /** Extra chromium flags (e.g. for WebGL in webviews). */
  args?: string[];
  /** Show the browser (needs a display); also INITLENS_E2E_HEADED=1. */
  headed?: boolean;
  /** Where screenshot(name) writes (default test-artifacts/e2e). */
  artifactsDir?: string;
}

export interface Workbench {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** The URL loaded. */
  url: string;
  /** From navigation to a ready workbench (ms). */
  loadMs: number;
  /** Console errors and uncaught page errors seen so far. */
  consoleErrors(): string[];
  /** Saves a full-window PNG to <artifactsDir>/<name>.png and returns its path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Launches chromium (playwright-core; a fresh temporary profile per launch) and opens the workbench
 * at `target` (a CodeServer, or its URL plus `folder`). Resolves when the workbench, the explorer's
 * first row (with a folder) and the configured colour theme are showing. The extension host starts
 * only once a browser is connected, a second or two before this resolves; extensions may still be
 * activating (wait for what they show, e.g. waitForProblem, or waitForExtensionHostIdle).
 */
export async function openWorkbench(target: CodeServer | string, opts: OpenWorkbenchOptions = {}): Promise<Workbench> {
  let url: string;
  let folder: string | undefined = opts.folder;
  if (typeof target === 'string') {
    url = target;
    if (folder && !/[?&]folder=/.test(url)) url += `${url.includes('?') ? '&' : '?'}folder=${encodeURIComponent(folder)}`;
  } else {
    url = target.workbenchUrl;
    folder ??= target.workspace;
  }
  const timeout = opts.timeoutMs ?? 90_000;
  const artifactsDir = opts.artifactsDir ?? ARTIFACTS_DIR;

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: !(opts.headed ?? process.env.INITLENS_E2E_HEADED === '1'),
    args: [...CHROMIUM_ARGS, ...(opts.args ?? [])],
  });
  const errors: string[] = [];
  try {
    const context = await browser.newContext({
      viewport: opts.viewport ?? { width: 1400, height: 900 },
      colorScheme: opts.theme ?? 'light',
    });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));

    const t0 = Date.now();
    await page.goto(url, { timeout });
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout });
    await page.locator('.part.statusbar').waitFor({ state: 'visible', timeout });
    if (folder) {
      // The explorer lists the folder (its root row at least); a fresh profile shows the explorer.
      await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout });
    }
    // The workbench first paints with a built-in fallback theme; the configured one is applied once
    // the server's extensions (themes are built-in extensions) are scanned, ~2-3 s later. Until
    // then screenshots show a blue status bar.
    await page.locator('.monaco-workbench[class*="vscode-theme-"]').waitFor({ state: 'attached', timeout });
    const loadMs = Date.now() - t0;

    let closed = false;
    return {
      browser,
      context,
      page,
      url,
      loadMs,
      consoleErrors: () => [...errors],
      async screenshot(name: string) {
        mkdirSync(artifactsDir, { recursive: true });
        const file = path.join(artifactsDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
        await page.screenshot({ path: file });
        return file;
      },
      async close() {
        if (closed) return;
        closed = true;
        await browser.close().catch(() => undefined);
      },
    };
  } catch (e) {
    await browser.close().catch(() => undefined);
    const msg = (e as Error).message;
    throw new Error(`workbench at ${url} did not load: ${msg}\nconsole errors:\n${errors.join('\n')}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Page helpers

const QUICK_INPUT = '.quick-input-widget';
const QUICK_ROWS = '.quick-input-widget .quick-input-list .monaco-list-row';

async function openQuickInput(page: Page, keys: string, timeout: number): Promise<void> {
  const widget = page.locator(QUICK_INPUT);
  if (await widget.isVisible()) {
    await page.keyboard.press('Escape');
    await widget.waitFor({ state: 'hidden', timeout });
  }
  await page.keyboard.press(keys);
  await widget.waitFor({ state: 'visible', timeout });
}

/**
 * Opens a workspace file with Quick Open (Ctrl+P, type, Enter) and waits for its editor tab to be
 * the active one. `relativePath` is relative to the workspace folder ('src/model.ts').
 */
export async function openFile(page: Page, relativePath: string, timeout = 30_000): Promise<void> {
  const base = path.posix.basename(relativePath.replace(/\\/g, '/'));
  await openQuickInput(page, 'Control+P', timeout);
  await page.keyboard.type(relativePath);
  // Wait for the file search to list it before accepting: Enter on an empty list does nothing.
  await page.locator(QUICK_ROWS).filter({ hasText: base }).first().waitFor({ state: 'visible', timeout });
  await page.keyboard.press('Enter');
  await page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout });
  await page
    .locator('.editor-group-container.active .tabs-container .tab.active')
    .filter({ hasText: base })
    .waitFor({ state: 'visible', timeout });
  await page.locator('.editor-group-container.active .monaco-editor').first().waitFor({ state: 'visible', timeout });
}

/**
 * Runs a command from the Command Palette (F1) by its full title as the palette shows it,
 * e.g. 'Problems: Focus on Problems View'. The row whose label is exactly `title` is clicked
 * (not whatever happens to be first, e.g. a recently used command).
 */
export async function runCommand(page: Page, title: string, timeout = 30_000): Promise<void> {
  await openQuickInput(page, 'F1', timeout);
  await page.keyboard.type(title);
  // Row aria-labels are "<title>" or "<title>, <keybinding>, ..." (a comma after the title).
  const row = page.locator(QUICK_ROWS);
  const deadline = Date.now() + timeout;
  for (;;) {
    const labels = await row.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    const i = labels.findIndex((l) => l === title || l.startsWith(`${title},`));
    if (i >= 0) {
      await row.nth(i).click();
      break;
    }
    if (Date.now() > deadline) {
      await page.keyboard.press('Escape');
      throw new Error(`command '${title}' not in the palette; it listed: ${JSON.stringify(labels)}`);
    }
    await page.waitForTimeout(100);
  }
  await page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout });
}

/**
 * Waits until an element matching `selector` contains `text` (a substring, or a RegExp) and
 * returns that element's text.
 */
export async function waitForText(page: Page, selector: string, text: string | RegExp, timeout = 30_000): Promise<string> {
  const el = page.locator(selector).filter({ hasText: text }).first();
  await el.waitFor({ state: 'visible', timeout });
  return (await el.textContent()) ?? '';
}

export interface ProblemRow {
  /** 'file' for a file's header row, 'marker' for a problem. */
  kind: 'file' | 'marker';
  /** 'error' | 'warning' | 'info' for markers (from the row's accessible label). */
  severity?: 'error' | 'warning' | 'info';
  /** The row's visible text, e.g. "sample: weights initialised with BAD_INITinitlens-sample(bad-init)[Ln 1, Col 45]". */
  text: string;
  /**
   * The row's accessible label, e.g. "Warning: sample: ... at line 1 and character 45. generated by
   * initlens-sample" or "1 problems in file model.txt of folder ws".
   */
  label: string;
}

/**
 * Shows the Problems view (Command Palette: 'Problems: Focus on Problems View') and returns its
 * rendered rows. The view is virtualised: with hundreds of problems only the visible rows exist.
 */
export async function problemsPanelRows(page: Page, timeout = 30_000): Promise<ProblemRow[]> {
  if (!(await page.locator('.markers-panel').isVisible())) {
    await runCommand(page, 'Problems: Focus on Problems View', timeout);
    await page.locator('.markers-panel').waitFor({ state: 'visible', timeout });
  }
  const raw = await page
    .locator('.markers-panel .monaco-list-row')
    .evaluateAll((els) => els.map((e) => ({ label: e.getAttribute('aria-label') ?? '', text: (e as HTMLElement).innerText ?? '' })));
  return raw.map(({ label, text }) => {
    const sev = /^(Error|Warning|Info)\b/.exec(label)?.[1];
    return sev
      ? { kind: 'marker' as const, severity: sev.toLowerCase() as ProblemRow['severity'], label, text: text.replace(/\s*\n\s*/g, ' ').trim() }
      : { kind: 'file' as const, label, text: text.replace(/\s*\n\s*/g, ' ').trim() };
  });
}

/** Polls the Problems view until a marker row's text or label contains `text`; returns that row. */
export async function waitForProblem(page: Page, text: string | RegExp, timeout = 30_000): Promise<ProblemRow> {
  const deadline = Date.now() + timeout;
  const matches = (s: string) => (typeof text === 'string' ? s.includes(text) : text.test(s));
  let rows: ProblemRow[] = [];
  while (Date.now() < deadline) {
    rows = await problemsPanelRows(page, Math.max(1000, deadline - Date.now()));
    const hit = rows.find((r) => r.kind === 'marker' && (matches(r.text) || matches(r.label)));
    if (hit) return hit;
    await page.waitForTimeout(250);
  }
  throw new Error(`no problem matching ${String(text)} within ${timeout} ms; rows: ${JSON.stringify(rows)}`);
}

/**
 * Waits until the status bar has not shown "Activating Extensions..." for `quietMs` (default 1.5 s).
 * A heuristic: extensions activated later (onLanguage, onCommand) are not covered.
 */
export async function waitForExtensionHostIdle(page: Page, { quietMs = 1500, timeout = 60_000 } = {}): Promise<void> {
  const deadline = Date.now() + timeout;
  let quietSince = Date.now();
  while (Date.now() - quietSince < quietMs) {
    if (Date.now() > deadline) throw new Error(`extensions still activating after ${timeout} ms`);
    const busy = await page
      .locator('.part.statusbar .statusbar-item')
      .filter({ hasText: 'Activating Extensions' })
      .count();
    if (busy) quietSince = Date.now();
    await page.waitForTimeout(100);
  }
}
