// End-to-end smoke test of the e2e harness: a real VS Code (code-server) in Debian's chromium.
//   node --import tsx --test test/e2e/smoke.e2e.ts
// Cold, it first provisions code-server + Node 24 into .vscode-test/ (2-3 minutes); warm, ~30 s.
// Screenshots and logs: test-artifacts/e2e/.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  ARTIFACTS_DIR,
  FIXTURES_DIR,
  REPO_ROOT,
  copyFixtureWorkspace,
  openFile,
  openWorkbench,
  packageVsix,
  problemsPanelRows,
  provision,
  runCommand,
  runInHostSuite,
  startCodeServer,
  waitForProblem,
  waitForText,
  type CodeServer,
  type Workbench,
} from './harness';

const SAMPLE_EXT = path.join(FIXTURES_DIR, 'sample-ext');
const WORKSPACE_FIXTURE = path.join(FIXTURES_DIR, 'workspace');
const timings: Record<string, number> = {};

describe('e2e harness smoke (code-server + chromium)', { timeout: 20 * 60_000 }, () => {
  let vsix: string;
  let workspace: string;
  let server: CodeServer | undefined;
  let wb: Workbench | undefined;

  before(async () => {
    const p = await provision();
    timings.provisionMs = p.ms;
    workspace = copyFixtureWorkspace(WORKSPACE_FIXTURE);
    const t0 = Date.now();
    vsix = await packageVsix(SAMPLE_EXT);
    timings.packageVsixMs = Date.now() - t0;
  });

  after(async () => {
    await wb?.close();
    await server?.stop();
    if (workspace) rmSync(path.dirname(workspace), { recursive: true, force: true });
    if (vsix) rmSync(path.dirname(vsix), { recursive: true, force: true });
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    writeFileSync(path.join(ARTIFACTS_DIR, 'timings.json'), `${JSON.stringify(timings, null, 2)}\n`);
    console.log(`timings (ms): ${JSON.stringify(timings)}`);
  });

  it('provisioned code-server runs, and a second provisioning is cached', async () => {
    const { codeServer, cacheDir } = await provision();
    const version = execFileSync(codeServer, ['--config', path.join(cacheDir, 'empty-config.yaml'), '--version'], {
      encoding: 'utf8',
    });
    assert.match(version, /^4\.\d+\.\d+ \w+ with Code 1\.\d+\.\d+/);
    const t0 = Date.now();
    const again = execFileSync('bash', [path.join(REPO_ROOT, 'scripts', 'provision-code-server.sh')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    timings.provisionWarmMs = Date.now() - t0;
    assert.equal(again.trim(), codeServer);
    assert.ok(timings.provisionWarmMs < 10_000, `warm provisioning took ${timings.provisionWarmMs} ms`);
  });

  it('starts code-server with the sample vsix and loads the workbench', async () => {
    let t0 = Date.now();
    server = await startCodeServer({ workspace, vsix: [vsix] });
    timings.serverStartMs = Date.now() - t0;
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);

    t0 = Date.now();
    wb = await openWorkbench(server, { theme: 'light' });
    timings.workbenchLoadMs = wb.loadMs;
    timings.browserLaunchAndLoadMs = Date.now() - t0;
    // The explorer shows the workspace's file.
    await waitForText(wb.page, '.explorer-folders-view .monaco-list-row', 'model.txt');
    await wb.screenshot('smoke-1-workbench');
  });

  it('opens a file and shows the sample diagnostic in the editor and the Problems panel', async () => {
    assert.ok(wb);
    const { page } = wb;
    await openFile(page, 'model.txt');
    // The squiggle is rendered in the editor...
    await page.locator('.editor-group-container.active .monaco-editor .squiggly-warning').first().waitFor({ timeout: 30_000 });
    // ...and the Problems view lists it.
    const t0 = Date.now();
    const row = await waitForProblem(page, 'weights initialised with BAD_INIT');
    timings.diagnosticVisibleMs = Date.now() - t0;
    assert.equal(row.severity, 'warning');
    assert.match(row.label, /at line 1 and character 45/);
    const rows = await problemsPanelRows(page);
    assert.ok(rows.some((r) => r.kind === 'file' && r.text.includes('model.txt')), JSON.stringify(rows));
    assert.equal(rows.filter((r) => r.kind === 'marker').length, 1, JSON.stringify(rows));
    await wb.screenshot('smoke-2-problems');

    // A contributed command runs from the palette (the sample's count command has no UI; the
    // palette closing without an error notification is what is checked).
    await runCommand(page, 'InitLens Sample: Count Diagnostics');
    assert.equal(await page.locator('.notifications-toasts .notification-toast').count(), 0);
  });

  it('renders in the dark theme too', async () => {
    assert.ok(server);
    const dark = await openWorkbench(server, { theme: 'dark' });
    try {
      const bg = await dark.page
        .locator('.monaco-workbench')
        .evaluate((el) => getComputedStyle(el.querySelector('.part.editor') ?? el).backgroundColor);
      const [r, g, b] = (bg.match(/\d+/g) ?? ['255', '255', '255']).map(Number);
      assert.ok(r + g + b < 3 * 80, `dark editor background, got ${bg}`);
      await dark.screenshot('smoke-3-dark');
    } finally {
      await dark.close();
    }
  });

  it('runs an in-host suite through the driver extension', async () => {
    // The first server is not needed any more.
    await wb?.close();
    wb = undefined;
    await server?.stop();
    server = undefined;

    const run = await runInHostSuite({
      suiteEntry: path.join(FIXTURES_DIR, 'smoke.suite.ts'),
      workspace,
      vsix: [vsix],
      testTimeoutMs: 30_000,
      after: async (w) => {
        await w.screenshot('smoke-4-in-host');
      },
    });
    timings.inHostSuiteMs = run.totalMs;
    timings.inHostWorkbenchLoadMs = run.loadMs;
    assert.deepEqual(
      run.results.map((r) => [r.name, r.ok, r.error ?? '']),
      [
        ['vscode.version is a 1.x release', true, ''],
        ['the sample extension reports BAD_INIT through vscode.languages.getDiagnostics', true, ''],
      ],
    );
  });
});
