// End-to-end: the preview panel in a real VS Code (code-server) with the dev build of the extension.
//   node --import tsx --test test/e2e/preview.e2e.ts   (builds dist/ first when it is older than src/)
// Opens a model file, clicks the CodeLens "Preview", waits for the measured chart in the webview, switches the
// initializer to He, applies the suggested fixes and checks that the source and the panel follow.
// Never skips: a missing build is built (the repository's) or fails (another directory's), and a panel that does not
// open fails the test. INITLENS_E2E_EXTENSION_DIR runs another unpacked build of the extension instead of the
// repository's.
// Screenshots: test-artifacts/e2e/preview-*.png.
import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FrameLocator, Page } from 'playwright-core';
import { buildIfStale } from '../helpers/build';
import { openFile, openWorkbench, provision, REPO_ROOT, startCodeServer, waitForProblem, type CodeServer, type Workbench } from './harness';

const EXTENSION_DIR = process.env.INITLENS_E2E_EXTENSION_DIR ?? REPO_ROOT;
const BUILT = ['dist/extension.js', 'dist/webview/preview.js', 'dist/webview/preview.css', 'dist/webview/tfjs-backend-wasm-simd.wasm'];

/** The page inside the webview: VS Code nests it in an iframe (the host frame) holding #active-frame. */
function previewFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
}

describe('preview panel in code-server', { timeout: 15 * 60_000 }, () => {
  let server: CodeServer | undefined;
  let wb: Workbench | undefined;
  let workspace: string | undefined;

  before(async () => {
    if (EXTENSION_DIR === REPO_ROOT) buildIfStale(BUILT.map((f) => path.join(REPO_ROOT, f)));
    const missing = BUILT.filter((f) => !existsSync(path.join(EXTENSION_DIR, f)));
    assert.deepEqual(missing, [], `${EXTENSION_DIR} lacks its build: run node esbuild.js there`);
    await provision();
    workspace = mkdtempSync(path.join(tmpdir(), 'initlens-preview-e2e-'));
    copyFileSync(path.join(REPO_ROOT, 'examples', 'mnist-mlp-default-init.ts'), path.join(workspace, 'model.ts'));
    server = await startCodeServer({ workspace, extensionDirs: [EXTENSION_DIR] });
    wb = await openWorkbench(server, { theme: 'dark', viewport: { width: 1600, height: 1000 } });
  });

  after(async () => {
    await wb?.close();
    await server?.stop();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it('opens from the CodeLens, switches the initializer and applies the suggested fixes', async () => {
    assert.ok(wb);
    const { page } = wb;
    await openFile(page, 'model.ts');
    await waitForProblem(page, /relu/, 60_000);

    // The CodeLens "Preview" above the model.
    const lens = page.locator('.contentWidgets .codelens-decoration a, .codelens-decoration a', { hasText: /^Preview$/ }).first();
    const shown = await lens.waitFor({ state: 'visible', timeout: 30_000 }).then(
      () => true,
      () => false,
    );
    if (!shown) {
      // Seen once in a fresh-clone CI run (not reproduced in 3 reruns): diagnostics on screen, no CodeLens after 60 s.
      // Keep what the editor showed, then do what a user would (an edit and its undo, so VS Code asks for the lenses
      // again): the lens must then appear, so a provider that never gives one still fails here.
      await wb.screenshot('preview-0-no-codelens');
      console.log('[e2e] no CodeLens "Preview" after 30 s: typing and undoing a space in the editor, then waiting again');
      await page.locator('.monaco-editor .view-lines').first().click();
      await page.keyboard.press('End');
      await page.keyboard.type(' ');
      await page.keyboard.press('Backspace');
      await lens.waitFor({ state: 'visible', timeout: 60_000 });
    }
    await wb.screenshot('preview-0-editor');
    await lens.click();

    // Either the panel opens, or the extension says the preview is not part of this build.
    const notWired = page.locator('.notifications-toasts .notification-toast', { hasText: 'not part of this build' });
    const frame = previewFrame(page);
    const chart = frame.locator('[data-testid="signal-chart"] [data-series="forward"]').first();
    const first = await Promise.race([
      chart.waitFor({ state: 'attached', timeout: 180_000 }).then(
        () => 'chart' as const,
        () => 'timeout' as const,
      ),
      notWired.waitFor({ state: 'visible', timeout: 180_000 }).then(
        () => 'not wired' as const,
        () => 'timeout' as const,
      ),
    ]);
    assert.notEqual(first, 'timeout', 'neither the preview nor a message appeared');
    if (first === 'not wired') {
      await wb.screenshot('preview-not-wired');
      assert.fail('initlens.preview says the preview is not part of this build: the panel is not registered (registerPreview in activate())');
    }
    await frame.locator('body[data-all-done="true"]').waitFor({ state: 'attached', timeout: 300_000 });
    const backend = await frame.locator('[data-testid="backend"]').textContent();
    console.log(`[e2e] preview backend in code-server: ${backend}`);
    await wb.screenshot('preview-1-current');

    // Switch to He: the chart shows it, and the signal no longer vanishes.
    await frame.locator('.alt[data-alternative="he"]').click();
    await frame.locator('body[data-alternative="he"]').waitFor({ state: 'attached' });
    const he = await frame.locator('[data-testid="signal-chart"] [data-series="forward"]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))));
    assert.ok(he[8] / he[1] > 0.5, `He keeps the scale: ${he.join(', ')}`);
    await wb.screenshot('preview-2-he');

    // Apply the suggested initializers: the source gets heUniform and the panel refreshes with no suggestion left.
    await frame.locator('[data-testid="apply-suggested"]').click();
    await page.locator('.monaco-editor .view-lines', { hasText: 'heUniform' }).first().waitFor({ state: 'visible', timeout: 60_000 });
    await frame.locator('[data-testid="apply-suggested"]', { hasText: 'No suggested fixes' }).waitFor({ state: 'attached', timeout: 120_000 });
    await wb.screenshot('preview-3-applied');
    assert.deepEqual(wb.consoleErrors().filter((e) => /initlens|preview/i.test(e)), []);
  });
});
