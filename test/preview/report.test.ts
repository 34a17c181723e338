/**
 * `initlens report`: the preview page as one self-contained HTML file with the data embedded as JSON, computed
 * in Node with TensorFlow.js on WASM. Hostile layer and model names stay inside the JSON (no markup, no end of
 * the script element); usage mistakes exit 2 with one line.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { ReportData } from '../../src/preview/logic/data';
import { parseReportArgs, runReport } from '../../src/cli/report';

const REPO = path.resolve(__dirname, '..', '..');
const tmp = mkdtempSync(path.join(tmpdir(), 'initlens-report-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, cwd: REPO, env: {} }, out, err };
}

function embedded(html: string): ReportData {
  const m = /<script type="application\/json" id="initlens-data">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(m, 'the data element');
  return JSON.parse(m![1]) as ReportData;
}

describe('initlens report', () => {
  it('writes a self-contained page for an example, every alternative measured', async () => {
    const outFile = path.join(tmp, 'mnist.html');
    const t = io();
    const code = await runReport(['examples/mnist-mlp-default-init.ts', '--out', outFile, '--batch', '64'], t.io);
    assert.equal(code, 0, t.err.join(''));
    assert.match(t.out.join(''), /wrote .*mnist\.html: model 'mnist_mlp', 8 initializer variants measured on (wasm|cpu)/);
    const html = readFileSync(outFile, 'utf8');
    // Self-contained: no external script, style, image or fetch.
    assert.ok(!/<script[^>]+src=|<link[^>]+href=|<img|https?:\/\/(?!www\.w3\.org)/.test(html.replace(/<script type="application\/json"[\s\S]*?<\/script>/, '')));
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    assert.match(csp, /default-src 'none'; script-src 'nonce-[A-Za-z0-9_-]+'; style-src 'nonce-/);
    const data = embedded(html);
    assert.equal(data.modelName, 'mnist_mlp');
    assert.deepEqual(
      data.runs.map((r) => (r.ok ? r.data.alternative : r.alternative)),
      ['current', 'suggested', 'glorot', 'he', 'lecun', 'normal-0.01', 'normal-1', 'lsuv'],
    );
    const current = data.runs[0];
    assert.ok(current.ok);
    if (!current.ok) return;
    assert.equal(current.data.batch, 64);
    assert.ok(['wasm', 'cpu'].includes(current.data.backend));
    // The current initialization vanishes; He and the suggestion do not.
    const readoutStd = (alt: string) => {
      const r = data.runs.find((x) => x.ok && x.data.alternative === alt);
      return r && r.ok ? r.data.layers[r.data.layers.length - 2].output.std : NaN;
    };
    assert.ok(readoutStd('current') < 0.1);
    assert.ok(readoutStd('he') > 0.3 && readoutStd('suggested') > 0.3);
    assert.ok(data.lsuv && data.lsuv.layers.length === 9 && data.lsuv.layers.every((l) => l.converged));
    assert.ok(data.findings.some((f) => f.ruleId === 'relu-needs-he'));
  });

  it('keeps hostile names inside the JSON', async () => {
    const outFile = path.join(tmp, 'xss.html');
    const t = io();
    const code = await runReport(['test/preview/fixtures/xss-model.ts', '-o', outFile, '--alternatives', 'current,he', '--no-lsuv', '--batch', '16'], t.io);
    assert.equal(code, 0, t.err.join(''));
    const html = readFileSync(outFile, 'utf8');
    assert.ok(!html.includes('<img src=x'));
    assert.ok(!html.includes('<svg onload'));
    assert.ok(!html.includes('<script>alert'));
    assert.equal((html.match(/<\/script>/g) ?? []).length, 2, 'only the data and the page script end a script element');
    assert.equal((html.match(/<script/g) ?? []).length, 2);
    const data = embedded(html);
    assert.equal(data.modelName, '</script><img src=x onerror=alert(1)>');
    const r = data.runs[0];
    assert.ok(r.ok);
    if (r.ok) assert.deepEqual(r.data.layers.map((l) => l.name), ['<img src=x onerror=alert(1)>', '</script><script>alert(2)</script>', '"><svg onload=alert(3)>']);
    assert.match(html, /<title>InitLens report: &lt;\/script&gt;&lt;img src=x onerror=alert\(1\)&gt;/);
  });

  it('parses its options and says what is wrong in one line', async () => {
    const a = parseReportArgs(['m.ts', '--out=r.html', '--input', '0.5,0.29', '--input-shape', '28x28x1', '--seeds', '3']);
    assert.deepEqual(a.input, { kind: 'gaussian', mean: 0.5, std: 0.29 });
    assert.deepEqual(a.inputShape, [28, 28, 1]);
    assert.equal(a.seeds, 3);
    assert.deepEqual(parseReportArgs(['m.ts', '-o', 'r.html', '--input', 'uniform']).input, { kind: 'uniform01' });
    for (const bad of [[], ['m.ts'], ['m.ts', '--out'], ['a.ts', 'b.ts', '--out', 'r.html'], ['m.ts', '--out', 'r', '--seeds', '99'], ['m.ts', '--out', 'r', '--alternatives', 'xavier'], ['m.ts', '--out', 'r', '--bogus']]) {
      const t = io();
      assert.equal(await runReport(bad, t.io), 2, bad.join(' '));
      assert.match(t.err.join(''), /^initlens: report: .+\n/);
    }
    const t = io();
    assert.equal(await runReport(['examples/README.md', '--out', path.join(tmp, 'x.html')], t.io), 1);
    assert.match(t.err.join(''), /no model found/);
    const h = io();
    assert.equal(await runReport(['--help'], h.io), 0);
    assert.match(h.out.join(''), /Usage: initlens report/);
  });
});
