/**
 * The three formats on real engine output: the examples and small files, checked in-process.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import type * as Sarif from 'sarif';
import pkg from '../../package.json';
import type { JsonFile } from '../../src/cli/format/json';
import { formatRatio } from '../../src/engine/summary';
import { computeLineStarts } from '../../src/core/model';
import { checkText, RULES } from '../../src/engine/check';
import { cli, EXAMPLES, REPO, tree } from './helpers';

const examplesRun = (format: string) => cli(['check', 'examples', '--format', format], REPO);

function lineLengths(text: string): number[] {
  return text.split(/\r\n|\r|\n/).map((l) => l.length);
}

/** A 1-based position (end column exclusive) inside `text`. */
function assertInside(text: string, r: { line: number; column: number; endLine: number; endColumn: number }, what: string): void {
  const lengths = lineLengths(text);
  assert.ok(r.line >= 1 && r.line <= lengths.length, `${what}: line ${r.line}`);
  assert.ok(r.endLine >= r.line && r.endLine <= lengths.length, `${what}: endLine ${r.endLine}`);
  assert.ok(r.column >= 1 && r.column <= lengths[r.line - 1] + 1, `${what}: column ${r.column}`);
  assert.ok(r.endColumn >= 1 && r.endColumn <= lengths[r.endLine - 1] + 1, `${what}: endColumn ${r.endColumn}`);
  if (r.endLine === r.line) assert.ok(r.endColumn >= r.column, `${what}: empty or reversed range`);
}

function offsetOf(text: string, starts: number[], line: number, column: number): number {
  return starts[line - 1] + column - 1;
}

/** Applies SARIF replacements (1-based, end column exclusive) to a text, last first. */
function applySarif(text: string, replacements: Sarif.Replacement[]): string {
  const starts = computeLineStarts(text);
  const edits = replacements.map((r) => {
    const d = r.deletedRegion;
    return {
      start: offsetOf(text, starts, d.startLine!, d.startColumn!),
      end: offsetOf(text, starts, d.endLine!, d.endColumn!),
      text: r.insertedContent?.text ?? '',
    };
  });
  edits.sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

describe('text format', () => {
  test('stylish rows, a summary per model, and totals that match the JSON', async () => {
    const [text, json] = await Promise.all([examplesRun('text'), examplesRun('json')]);
    const files = JSON.parse(json.stdout) as JsonFile[];
    const ruleIds = new Set(RULES.map((r) => r.id));
    const lines = text.stdout.split('\n');

    /** The lines of one file's block: from its header to the blank line that ends it. */
    const block = (name: string): string[] => {
      const header = lines.indexOf(name);
      assert.ok(header >= 0, `no header for ${name}`);
      const end = lines.indexOf('', header);
      return lines.slice(header + 1, end);
    };

    for (const file of files.filter((f) => f.diagnostics.length > 0 || f.models.length > 0)) {
      const own = block(file.file);
      for (const [k, d] of file.diagnostics.entries()) {
        const row = own.find((l) => l.includes(` ${d.ruleId}`) && l.trimStart().startsWith(`${d.line}:${d.column} `));
        assert.ok(row, `${file.file}: no row for ${d.ruleId} at ${d.line}:${d.column} (#${k})`);
        const m = /^ +(\d+):(\d+) +(error|warning|info) +(.+?) +([a-z-]+)$/.exec(row!);
        assert.ok(m, `row shape: ${row}`);
        assert.ok(ruleIds.has(m![5]));
      }
      const rows = own.filter((l) => /^ +\d+:\d+ +(error|warning|info) /.test(l));
      assert.equal(rows.length, file.diagnostics.length, `${file.file}: one row per diagnostic`);
      for (const model of file.models) {
        const layers = model.layers.filter((l) => l.kind !== 'input').length;
        const head = `  model '${model.name}' (${layers} layer${layers === 1 ? '' : 's'}): `;
        const line = own.find((l) => l.startsWith(head));
        assert.ok(line, `no summary line for ${file.file} ${model.name}`);
        if (model.forwardGain !== null && model.forwardGainBounds?.hi === model.forwardGain && model.forwardGainBounds?.lo === model.forwardGain) {
          assert.equal(line, `${head}signal ×${formatRatio(model.forwardGain)} at the read-out`);
        }
      }
    }
    const all = files.flatMap((f) => f.diagnostics);
    const count = (s: string) => all.filter((d) => d.severity === s).length;
    const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
    assert.ok(
      text.stdout.endsWith(
        `✖ ${plural(all.length, 'problem')} (${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${plural(count('info'), 'info')})\n`,
      ),
      text.stdout.slice(-200),
    );
  });

  test('formatRatio', () => {
    assert.equal(formatRatio(0.0015), '0.0015');
    assert.equal(formatRatio(1), '1.0');
    assert.equal(formatRatio(0.99712), '1.0');
    assert.equal(formatRatio(2.56), '2.6');
    assert.equal(formatRatio(276.4), '280');
    assert.equal(formatRatio(7.5e-5), '7.5e-5');
    assert.equal(formatRatio(1.3e5), '1.3e+5');
    assert.equal(formatRatio(0), '0');
  });
});

describe('JSON format', () => {
  test('every file, diagnostic, fix and model has the documented shape, inside the file', async () => {
    const r = await examplesRun('json');
    const files = JSON.parse(r.stdout) as JsonFile[];
    assert.ok(files.length >= 12);
    for (const file of files) {
      assert.deepEqual(Object.keys(file), ['file', 'checked', 'language', 'diagnostics', 'models', 'problems']);
      assert.match(file.file, /^examples\/(python\/)?[\w-]+\.(ts|js|py)$/);
      const text = readFileSync(path.join(REPO, file.file), 'utf8');
      for (const d of file.diagnostics) {
        assert.deepEqual(Object.keys(d).sort(), ['column', 'endColumn', 'endLine', 'fixes', 'layer', 'line', 'message', 'model', 'related', 'ruleId', 'severity']);
        assertInside(text, d, `${file.file} ${d.ruleId}`);
        for (const fix of d.fixes) {
          assert.equal(typeof fix.safe, 'boolean');
          assert.ok(fix.edits.length > 0);
          for (const e of fix.edits) assertInside(text, e, `${file.file} fix '${fix.title}'`);
        }
        for (const rel of d.related) assertInside(text, rel, `${file.file} related`);
      }
      for (const model of file.models) {
        assert.ok(model.line >= 1);
        for (const layer of model.layers) {
          assert.deepEqual(Object.keys(layer), [
            'index', 'line', 'kind', 'op', 'name', 'fanIn', 'fanOut', 'initializer', 'activation', 'forwardGain', 'backwardGain', 'outputSecondMoment',
          ]);
          assert.ok(layer.line >= 1 && layer.line <= lineLengths(text).length);
        }
      }
    }
  });

  test('fan-in, fan-out and realized variance of the kernels (tfjs semantics)', async () => {
    const r = await cli(['check', 'examples/mnist-mlp-default-init.ts', 'examples/mnist-mlp-he.ts', '--format', 'json'], REPO);
    const [glorot, he] = JSON.parse(r.stdout) as JsonFile[];
    const dense = (f: JsonFile) => f.models[0].layers.filter((l) => l.kind === 'dense');

    const g = dense(glorot);
    assert.equal(g.length, 9);
    assert.deepEqual([g[0].fanIn, g[0].fanOut, g[1].fanIn, g[8].fanOut], [784, 256, 256, 10]);
    assert.deepEqual(
      { id: g[0].initializer?.id, explicit: g[0].initializer?.explicit, form: g[0].initializer?.form },
      { id: 'glorotNormal', explicit: false, form: 'default' },
    );
    // glorotNormal in tfjs: a normal truncated at ±2σ, uncorrected: 0.7737 · 2/(fanIn + fanOut).
    const T = 0.7737413035499232;
    assert.ok(Math.abs(g[0].initializer!.realizedVariance! / ((T * 2) / (784 + 256)) - 1) < 1e-6);
    assert.ok(Math.abs(g[0].initializer!.realizedStd! ** 2 / g[0].initializer!.realizedVariance! - 1) < 1e-9);

    const h = dense(he);
    assert.deepEqual({ id: h[0].initializer?.id, explicit: h[0].initializer?.explicit, form: h[0].initializer?.form }, {
      id: 'heUniform',
      explicit: true,
      form: 'string',
    });
    assert.ok(Math.abs(h[1].initializer!.realizedVariance! / (2 / 256) - 1) < 1e-9);
    // He before ReLU keeps the signal: the read-out sees about what went in.
    assert.ok(Math.abs(he.models[0].forwardGain! - 1) < 0.05, String(he.models[0].forwardGain));
    assert.ok(glorot.models[0].forwardGain! < 1e-2);
  });
});

describe('SARIF format', () => {
  test('structure: schema, driver, rules from the rule metadata, results pointing at the right rule', async () => {
    const r = await examplesRun('sarif');
    const log = JSON.parse(r.stdout) as Sarif.Log;
    assert.equal(log.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs.length, 1);
    const run = log.runs[0];
    const driver = run.tool.driver;
    assert.equal(driver.name, 'initlens');
    assert.equal(driver.version, pkg.version);
    assert.match(driver.informationUri!, /^https:\/\//);
    assert.deepEqual(driver.rules!.map((x) => x.id), RULES.map((x) => x.id));
    for (const [i, rule] of driver.rules!.entries()) {
      const meta = RULES[i];
      assert.equal(rule.shortDescription?.text, meta.title);
      assert.equal(rule.fullDescription?.text, meta.description);
      assert.equal(rule.help?.markdown, meta.docs);
      assert.ok(rule.help?.text);
      assert.match(rule.helpUri!, new RegExp(`/docs/rules/${meta.id}\\.md$`));
      const level = { error: 'error', warning: 'warning', info: 'note' }[meta.defaultSeverity];
      assert.equal(rule.defaultConfiguration?.level, level);
    }
    assert.deepEqual(run.originalUriBaseIds?.['%SRCROOT%']?.uri, `file://${REPO}/`);
    assert.equal(run.invocations?.[0].executionSuccessful, true);

    const results = run.results!;
    assert.ok(results.length > 0);
    for (const res of results) {
      assert.equal(driver.rules![res.ruleIndex!].id, res.ruleId, 'ruleIndex points at the rule');
      assert.ok(['error', 'warning', 'note'].includes(res.level!));
      assert.ok(res.message.text);
      const loc = res.locations![0].physicalLocation!;
      assert.equal(loc.artifactLocation!.uriBaseId, '%SRCROOT%');
      assert.match(loc.artifactLocation!.uri!, /^examples\/(python\/)?[\w-]+\.(ts|js|py)$/);
      const text = readFileSync(path.join(REPO, loc.artifactLocation!.uri!), 'utf8');
      const reg = loc.region!;
      assertInside(text, { line: reg.startLine!, column: reg.startColumn!, endLine: reg.endLine!, endColumn: reg.endColumn! }, res.ruleId!);
      for (const rel of res.relatedLocations ?? []) {
        const rr = rel.physicalLocation!.region!;
        assertInside(text, { line: rr.startLine!, column: rr.startColumn!, endLine: rr.endLine!, endColumn: rr.endColumn! }, 'related');
      }
    }
  });

  test('SARIF levels follow --rule overrides', async () => {
    const r = await cli(['check', 'examples/he-normal-mlp.ts', '-f', 'sarif', '--rule', 'truncated-normal-shortfall=info'], REPO);
    const results = (JSON.parse(r.stdout) as Sarif.Log).runs[0].results!;
    const shortfall = results.filter((x) => x.ruleId === 'truncated-normal-shortfall');
    assert.ok(shortfall.length > 0);
    assert.ok(shortfall.every((x) => x.level === 'note'));
  });

  test("fixes' replacements apply to give the engine's fixed text, and the fixed text no longer has the finding", async () => {
    const r = await examplesRun('sarif');
    const results = (JSON.parse(r.stdout) as Sarif.Log).runs[0].results!;
    let applied = 0;
    for (const res of results) {
      for (const fix of res.fixes ?? []) {
        const change = fix.artifactChanges[0];
        const file = path.join(REPO, change.artifactLocation.uri!);
        const text = readFileSync(file, 'utf8');
        const fixed = applySarif(text, change.replacements);
        assert.notEqual(fixed, text);

        // The same fix applied with the engine's own offsets.
        const shown = change.artifactLocation.uri!;
        const finding = checkText(text, shown).findings.find(
          (f) => f.ruleId === res.ruleId && f.message === res.message.text && f.fixes.some((x) => x.title === fix.description?.text),
        );
        assert.ok(finding, `engine finding for ${res.ruleId}`);
        const edits = [...finding!.fixes.find((x) => x.title === fix.description?.text)!.edits!].sort((a, b) => b.span.start - a.span.start);
        let expected = text;
        for (const e of edits) expected = expected.slice(0, e.span.start) + e.newText + expected.slice(e.span.end);
        assert.equal(fixed, expected, `${shown}: ${fix.description?.text}`);

        // Checked again, the fixed text no longer has this rule's finding on that layer.
        const after = checkText(fixed, shown);
        const stillThere = after.findings.some((f) => f.ruleId === res.ruleId && f.model === finding!.model && f.layer === finding!.layer);
        assert.ok(!stillThere, `${shown}: '${fix.description?.text}' left the finding in place`);
        applied++;
      }
    }
    assert.ok(applied > 0, 'the examples offer fixes');
  });

  test('paths that could not be checked become tool-execution notifications', async () => {
    const root = tree({ 'ok.ts': 'export {};\n', 'blob.js': Buffer.from([0, 1]), 'sub dir/m#1.ts': 'export {};\n' });
    const r = await cli(['check', '.', 'missing.ts', '-f', 'sarif'], root);
    assert.equal(r.code, 2);
    const run = (JSON.parse(r.stdout) as Sarif.Log).runs[0];
    const notes = run.invocations![0].toolExecutionNotifications!;
    assert.deepEqual(
      notes.map((n) => [n.level, n.message.text, n.locations?.[0].physicalLocation?.artifactLocation?.uri]),
      [
        ['warning', 'blob.js: skipped: binary file (contains NUL bytes)', 'blob.js'],
        ['error', 'missing.ts: no such file or folder', 'missing.ts'],
      ],
    );
    assert.equal(run.invocations![0].executionSuccessful, true);
    assert.deepEqual(run.results, []);
  });

  test('artifact URIs are percent-encoded relative references', async () => {
    const root = tree({
      'sub dir/m#1.ts': readFileSync(path.join(EXAMPLES, 'symmetric-zeros.ts'), 'utf8'),
    });
    const r = await cli(['check', '-f', 'sarif'], root);
    const res = (JSON.parse(r.stdout) as Sarif.Log).runs[0].results!;
    assert.ok(res.length > 0);
    assert.equal(res[0].locations![0].physicalLocation!.artifactLocation!.uri, 'sub%20dir/m%231.ts');
  });
});
