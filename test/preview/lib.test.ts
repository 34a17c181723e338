/**
 * The preview's pure modules: scales and ticks, histogram binning, badges, CSV export, the chart element trees,
 * the alternatives, the page HTML and the host's fix logic.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../../src/core/findings';
import type { FileReport } from '../../src/core/report';
import { checkText } from '../../src/engine/check';
import { applyEdits, mergeEdits } from '../../src/engine/edits';
import { fixIdOf, findModel, lsuvIntents, normalInitializer, resolveFixIds, roundStd, suggestionsFor } from '../../src/preview/logic/fixes';
import { escapeHtml, inlineScript, jsonForScript, makeNonce, previewCsp, previewHtml, reportHtml } from '../../src/preview/logic/html';
import { alternativeModel, applyIntents, ALTERNATIVES } from '../../src/preview/logic/alternatives';
import { badgesFor, DEAD_THRESHOLD } from '../../src/preview/logic/badges';
import { histogramChart, signalChart, smallMultiplesSvg, type SignalRow } from '../../webview/lib/charts';
import { csvCell, toCsv } from '../../webview/lib/csv';
import { binValues, densityCurve, fractionBelow, histogramView, mergeHistograms, rebin } from '../../src/preview/logic/histogram';
import { formatNumber, formatPercent, formatPow10, formatTicks, logDomain, logScale, logTicks, niceTicks } from '../../src/preview/logic/scale';
import { findAll, h, textOf, toXml } from '../../webview/lib/vdom';
import { act, init, mlp, model } from '../helpers/models';

describe('scales and ticks', () => {
  it('log domain pads to whole decades, at least minDecades, capped', () => {
    assert.deepEqual(logDomain([0.3, 2]), [0.1, 10]);
    assert.deepEqual(logDomain([1e-3, 5e-3], { minDecades: 3 }), [1e-4, 0.1]);
    const [lo, hi] = logDomain([1e-30, 1e30], { maxDecades: 16 });
    assert.equal(Math.round(Math.log10(hi) - Math.log10(lo)), 16);
    assert.deepEqual(logDomain([0, NaN, -1]), [0.1, 10]);
  });
  it('log scale maps decades evenly and non-positive values below the range', () => {
    const y = logScale([0.01, 100], [200, 0]);
    assert.equal(y(0.01), 200);
    assert.equal(y(100), 0);
    assert.equal(y(1), 100);
    assert.ok(y(0) > 200);
  });
  it('log ticks are decades, thinned', () => {
    assert.deepEqual(logTicks([1e-2, 1e2]), [0.01, 0.1, 1, 10, 100]);
    assert.ok(logTicks([1e-20, 1e20], 8).length <= 8);
  });
  it('nice ticks use 1-2-5 steps', () => {
    assert.deepEqual(niceTicks(0, 1, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
    assert.deepEqual(niceTicks(-0.13, 0.13, 3), [-0.1, 0, 0.1]);
    assert.deepEqual(niceTicks(2, 2), [2]);
  });
  it('tick labels take the digits that tell neighbouring ticks apart', () => {
    assert.deepEqual(formatTicks([0, 0.5, 1]), ['0', '0.5', '1']);
    const narrow = niceTicks(0.5, 0.503, 3);
    assert.deepEqual(formatTicks(narrow), ['0.5', '0.501', '0.502', '0.503']);
    assert.deepEqual(formatTicks([-0.0101, -0.0102]), ['−0.0101', '−0.0102']);
    for (const [lo, hi] of [[1e-7, 1.0000003e-7], [1234.5, 1234.56], [-3, -2.9999]] as const) {
      const labels = formatTicks(niceTicks(lo, hi, 3));
      assert.equal(new Set(labels).size, labels.length, labels.join(' '));
    }
  });
  it('formats numbers, powers and percentages', () => {
    assert.equal(formatNumber(0.000123), '1.23e−4');
    assert.equal(formatNumber(1234567), '1.23e6');
    assert.equal(formatNumber(0.5), '0.5');
    assert.equal(formatNumber(-2.345), '−2.35');
    assert.equal(formatNumber(NaN), 'NaN');
    assert.equal(formatNumber(Infinity), '∞');
    assert.equal(formatNumber(undefined), '–');
    assert.equal(formatPow10(1e-3), '1e-3');
    assert.equal(formatPow10(0.1), '0.1');
    assert.equal(formatPow10(100), '100');
    assert.equal(formatPercent(0.5), '50%');
    assert.equal(formatPercent(0.0004), '<0.1%');
    assert.equal(formatPercent(0.034), '3.4%');
  });
});

describe('histograms', () => {
  it('bins values and ignores non-finite ones', () => {
    const h1 = binValues([0, 0.5, 1, NaN, Infinity], 2)!;
    assert.deepEqual(h1, { lo: 0, hi: 1, counts: [1, 2] });
    assert.deepEqual(binValues([3, 3], 4)?.counts.reduce((a, b) => a + b), 2);
    assert.equal(binValues([NaN], 4), undefined);
  });
  it('rebinning preserves counts and spreads uniformly', () => {
    const r = rebin({ lo: 0, hi: 2, counts: [4, 8] }, 0, 2, 4);
    assert.deepEqual(r.counts, [2, 2, 4, 4]);
    const r2 = rebin({ lo: 0, hi: 1, counts: [3, 1, 7] }, -1, 3, 5);
    assert.ok(Math.abs(r2.counts.reduce((a, b) => a + b) - 11) < 1e-9);
  });
  it('merges the histograms of several seeds onto their common range', () => {
    const m = mergeHistograms([{ lo: 0, hi: 1, counts: [1, 1] }, { lo: 1, hi: 2, counts: [2, 2] }], 4)!;
    assert.deepEqual([m.lo, m.hi], [0, 2]);
    assert.ok(Math.abs(m.counts.reduce((a, b) => a + b) - 6) < 1e-9);
    assert.deepEqual(m.counts.map((c) => Math.round(c)), [1, 1, 2, 2]);
    assert.equal(mergeHistograms([undefined]), undefined);
  });
  it('clips a dominant bin (dead ReLU zeros) so the rest stays readable', () => {
    const v = histogramView({ lo: 0, hi: 4, counts: [50, 5, 3, 2] });
    assert.ok(v.bars[0].clipped);
    assert.ok(v.yMax < 0.5 && v.yMax >= 0.05);
    const flat = histogramView({ lo: 0, hi: 4, counts: [5, 5, 3, 2] });
    assert.ok(!flat.bars.some((b) => b.clipped));
  });
  it('fraction below a value, and density curves', () => {
    assert.equal(fractionBelow({ lo: -1, hi: 1, counts: [1, 1] }, 0), 0.5);
    assert.equal(fractionBelow({ lo: -1, hi: 1, counts: [2, 0] }, -0.5), 0.5);
    const c = densityCurve({ distribution: 'normal', mean: 0, std: 1 }, -5, 5, 100)!;
    const area = c.slice(1).reduce((a, p, i) => a + ((p.y + c[i].y) / 2) * (p.x - c[i].x), 0);
    assert.ok(Math.abs(area - 1) < 1e-3);
    const u = densityCurve({ distribution: 'uniform', mean: 0, std: 1 / Math.sqrt(3) }, -2, 2)!;
    assert.ok(u.some((p) => Math.abs(p.y - 0.5) < 1e-12));
    assert.equal(densityCurve({ distribution: 'orthogonal', mean: 0, std: 1 }, -1, 1), undefined);
  });
});

describe('badges (DeepDiagnosis-style thresholds)', () => {
  const ctx = { reference: 1, thresholds: { vanishing: 0.01, exploding: 100 } };
  const base = { secondMoment: 1, zeroFraction: 0, nanCount: 0, infCount: 0 };
  const kinds = (b: ReturnType<typeof badgesFor>) => b.map((x) => x.kind).sort();
  it('dead: a ReLU with ≥ 70% zeros; not a leaky one, not below the threshold', () => {
    assert.deepEqual(kinds(badgesFor({ ...base, activation: 'relu', zeroFraction: DEAD_THRESHOLD }, ctx)), ['dead']);
    assert.deepEqual(kinds(badgesFor({ ...base, activation: 'relu', zeroFraction: 0.69 }, ctx)), []);
    assert.deepEqual(kinds(badgesFor({ ...base, activation: 'leakyRelu', zeroFraction: 0.9 }, ctx)), []);
  });
  it('saturated: more than half beyond the flat part', () => {
    assert.deepEqual(kinds(badgesFor({ ...base, activation: 'tanh', saturatedFraction: 0.51 }, ctx)), ['saturated']);
    assert.deepEqual(kinds(badgesFor({ ...base, activation: 'tanh', saturatedFraction: 0.5 }, ctx)), []);
  });
  it('vanishing / exploding relative to the reference, not for a softmax read-out', () => {
    assert.deepEqual(kinds(badgesFor({ ...base, secondMoment: 0.009 }, ctx)), ['vanishing']);
    assert.deepEqual(kinds(badgesFor({ ...base, secondMoment: 0.02 }, ctx)), []);
    assert.deepEqual(kinds(badgesFor({ ...base, secondMoment: 101 }, ctx)), ['exploding']);
    assert.deepEqual(kinds(badgesFor({ ...base, secondMoment: 0.003 }, { ...ctx, reference: 1 / 3 })), ['vanishing']);
    assert.deepEqual(kinds(badgesFor({ ...base, secondMoment: 1e-4, activation: 'softmax' }, ctx)), []);
    // A sigmoid read-out outputs probabilities (second moment ≈ ¼ whatever the signal); a hidden sigmoid is a signal.
    assert.deepEqual(kinds(badgesFor({ ...base, secondMoment: 0.25, activation: 'sigmoid', isOutput: true }, { ...ctx, reference: 1e-3 })), []);
    assert.deepEqual(kinds(badgesFor({ ...base, secondMoment: 0.25, activation: 'sigmoid' }, { ...ctx, reference: 1e-3 })), ['exploding']);
  });
  it('gradients relative to the output gradient or the next pooling layer; NaN/Inf', () => {
    assert.deepEqual(kinds(badgesFor({ ...base, gradientSecondMoment: 1e-3 }, ctx)), ['gradVanishing']);
    assert.deepEqual(kinds(badgesFor({ ...base, gradientSecondMoment: 1e-3 }, { ...ctx, gradientReference: 1e-2 })), []);
    assert.deepEqual(kinds(badgesFor({ ...base, gradientSecondMoment: 1e3 }, ctx)), ['gradExploding']);
    const b = badgesFor({ ...base, secondMoment: NaN, nanCount: 3, infCount: 1 }, ctx);
    assert.deepEqual(kinds(b), ['nonFinite']);
    assert.match(b[0].detail, /3 NaN and 1 ±Inf/);
  });
});

describe('CSV export', () => {
  it('quotes per RFC 4180 and defuses spreadsheet formulas', () => {
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
    assert.equal(csvCell('@cmd'), "'@cmd");
    assert.equal(csvCell(-1.5), '-1.5');
    assert.equal(csvCell(NaN), 'NaN');
    assert.equal(csvCell(undefined), '');
    assert.equal(toCsv([['a', 1], ['b\nc', 2]]), 'a,1\r\n"b\nc",2\r\n');
  });
});

describe('chart trees', () => {
  const rows: SignalRow[] = [0, 1, 2].map((i) => ({
    index: i,
    label: `layer ${i} (dense '<img src=x onerror=alert(1)>')`,
    short: `${i} dense`,
    forward: 10 ** -i,
    gradient: 0.5,
    predicted: 10 ** -i * 1.1,
    gradientPredicted: 0.5,
  }));
  it('exposes every plotted number as data attributes', () => {
    const svg = signalChart(rows, { thresholds: { vanishing: 0.01, exploding: 100 }, reference: 1 });
    const pts = findAll(svg, (n) => n.attrs['data-series'] === 'forward');
    assert.deepEqual(pts.map((p) => p.attrs['data-value']), [1, 0.1, 0.01]);
    assert.equal(findAll(svg, (n) => n.attrs['data-series'] === 'forward-predicted').length, 3);
    assert.equal(findAll(svg, (n) => n.attrs.class === 'layer-hit').length, 3);
    const band = findAll(svg, (n) => n.attrs.class === 'band')[0];
    assert.ok(Math.abs(Number(band.attrs['data-lo']) - 0.1) < 1e-12 && Math.abs(Number(band.attrs['data-hi']) - 10) < 1e-12);
  });
  it('prediction-only charts have no measured points', () => {
    const svg = signalChart(rows, { thresholds: { vanishing: 0.01, exploding: 100 }, reference: 1, measured: false });
    assert.equal(findAll(svg, (n) => n.attrs['data-series'] === 'forward').length, 0);
  });
  it('layer names are text children, escaped in the SVG export', () => {
    const svg = signalChart(rows, { thresholds: { vanishing: 0.01, exploding: 100 }, reference: 1 });
    assert.ok(textOf(svg).includes('<img src=x onerror=alert(1)>'));
    const xml = toXml(svg);
    assert.ok(!xml.includes('<img'));
    assert.ok(xml.includes('&lt;img src=x onerror=alert(1)&gt;'));
    const multi = toXml(smallMultiplesSvg([{ title: '</script><script>alert(1)</script>', chart: histogramChart({ lo: 0, hi: 1, counts: [1, 2] }), lines: ['"quoted" & <b>'] }], { title: 't' }));
    assert.ok(!/<script|<b>/.test(multi));
  });
  it('refuses event-handler, link and style attributes and unknown tags', () => {
    assert.throws(() => h('rect', { onclick: 'x' }));
    assert.throws(() => h('rect', { onClick: 'x' }));
    assert.throws(() => h('a', { href: 'javascript:alert(1)' }));
    assert.throws(() => h('rect', { style: 'fill:red' }));
    assert.throws(() => h('script', {}));
    assert.throws(() => h('foreignObject', {}));
  });
});

describe('alternatives', () => {
  const m = mlp('tfjs', 3, 64, 'relu');
  it('replaces the kernels only, with each framework’s exact-variance initializer', () => {
    const he = alternativeModel(m, 'he')!;
    assert.deepEqual(he.layers.map((l) => l.kernel?.id), ['heUniform', 'heUniform', 'heUniform']);
    assert.deepEqual(he.layers.map((l) => l.bias?.id), m.layers.map((l) => l.bias?.id));
    assert.deepEqual(alternativeModel(m, 'glorot')!.layers.map((l) => l.kernel?.id), ['glorotUniform', 'glorotUniform', 'glorotUniform']);
    assert.deepEqual(alternativeModel(m, 'lecun')!.layers.map((l) => l.kernel?.id), ['leCunUniform', 'leCunUniform', 'leCunUniform']);
    const n = alternativeModel(m, 'normal-0.01')!;
    assert.equal(n.layers[0].kernel?.id, 'randomNormal');
    assert.equal(n.layers[0].kernel?.args.stddev, 0.01);
    assert.equal(alternativeModel(mlp('pytorch', 2, 8, 'relu'), 'normal-1')!.layers[0].kernel?.id, 'normal_');
    assert.equal(alternativeModel(mlp('keras', 2, 8, 'relu'), 'he')!.layers[0].kernel?.id, 'he_uniform');
    assert.equal(alternativeModel(m, 'suggested'), undefined);
    assert.equal(alternativeModel(m, 'lsuv'), undefined);
    assert.equal(ALTERNATIVES.length, 8);
  });
  it('applies the suggested fixes’ intents', () => {
    const s = applyIntents(m, [
      { kind: 'setInitializer', layer: 1, slot: 'kernel', to: 'heUniform' },
      { kind: 'setLayerOption', layer: 2, option: 'unitForgetBias', value: true },
    ]);
    assert.equal(s.layers[1].kernel?.id, 'heUniform');
    assert.equal(s.layers[0].kernel, m.layers[0].kernel);
    assert.equal(s.layers[2].unitForgetBias, true);
  });
});

describe('page HTML', () => {
  it('the live page has a strict CSP with a nonce, wasm-unsafe-eval and no remote source', () => {
    const nonce = makeNonce();
    assert.match(nonce, /^[A-Za-z0-9_-]{22}$/);
    assert.notEqual(nonce, makeNonce());
    const csp = previewCsp('https://x.vscode-cdn.net', nonce);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, new RegExp(`script-src 'nonce-${nonce}' 'wasm-unsafe-eval'`));
    assert.ok(!/unsafe-inline|unsafe-eval'(?!.*wasm)|https:(?!\/\/x)|\*/.test(csp.replace("'wasm-unsafe-eval'", '')));
    const html = previewHtml({ cspSource: 'https://x.vscode-cdn.net', nonce, scriptUri: 'https://x/p.js?a=1&b="2"', styleUri: 'https://x/p.css', wasmBase: 'https://x/' });
    assert.ok(html.includes(`<script nonce="${nonce}" src="https://x/p.js?a=1&amp;b=&quot;2&quot;"></script>`));
    assert.equal((html.match(/<script/g) ?? []).length, 1);
  });
  it('the report embeds data that cannot end its script element', () => {
    const data = { name: '</script><script>alert(1)</script><!--', s: '\u2028' };
    const j = jsonForScript(data);
    assert.ok(!j.includes('<'));
    assert.deepEqual(JSON.parse(j), data);
    const html = reportHtml({ title: '<b>t</b>', script: 'var a = "</script>";', style: 'a{}', themeStyle: '', data, nonce: 'n' });
    assert.equal((html.match(/<\/script>/g) ?? []).length, 2);
    assert.ok(html.includes('<title>&lt;b&gt;t&lt;/b&gt;</title>'));
    assert.equal(inlineScript('x="</SCRIPT>"'), 'x="<\\/SCRIPT>"');
    assert.equal(escapeHtml(`<a href='x'>`), '&lt;a href=&#39;x&#39;&gt;');
  });
});

describe('fixes the page may ask for', () => {
  const text = `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential();
model.add(tf.layers.dense({ inputShape: [64], units: 64, activation: 'relu' }));
model.add(tf.layers.dense({ units: 64, activation: 'relu' }));
model.add(tf.layers.dense({ units: 64, activation: 'relu' }));
model.add(tf.layers.dense({ units: 10 }));
`;
  const report: FileReport = checkText(text, 'm.ts');
  const m = report.models[0].model;
  it('offers one fix per finding with a stable id', () => {
    const { suggestions, findings } = suggestionsFor(report, m);
    assert.ok(suggestions.length >= 1);
    assert.ok(findings.length >= suggestions.length);
    const again = suggestionsFor(checkText(text, 'm.ts'), m).suggestions.map((s) => s.fixId);
    assert.deepEqual(again, suggestions.map((s) => s.fixId));
    for (const s of suggestions) assert.match(s.fixId, /^[A-Za-z0-9_.:|=-]+$/);
  });
  it('resolves only offered ids against the current report', () => {
    const { suggestions } = suggestionsFor(report, m);
    const r = resolveFixIds(report, m, [...suggestions.map((s) => s.fixId), 'relu-needs-he|0|set:kernel:zeros', 'made|up']);
    assert.ok(r.ok);
    if (!r.ok) return;
    assert.deepEqual(r.missing, ['relu-needs-he|0|set:kernel:zeros', 'made|up']);
    assert.ok(r.plan.edits.length >= suggestions.length);
    const none = resolveFixIds(report, m, ['made|up']);
    assert.equal(none.ok, false);
  });
  it('merges edit groups: duplicates once, overlaps skipped', () => {
    const e = (s: number, t: number, x: string) => ({ span: { start: s, end: t }, newText: x });
    const p = mergeEdits([[e(0, 2, 'a')], [e(0, 2, 'a')], [e(1, 3, 'b')], [e(5, 5, 'c')]]);
    assert.equal(p.applied, 3);
    assert.equal(p.conflicts, 1);
    assert.deepEqual(p.edits.map((x) => x.newText), ['a', 'c']);
  });
  it('LSUV intents: feed-forward kernels only, no duplicates, rounded std', () => {
    const ok = lsuvIntents(m, [{ layer: 1, slot: 'kernel', std: 0.123456789 }]);
    assert.ok(ok.ok);
    if (ok.ok) assert.deepEqual(ok.intents[0], { kind: 'setInitializer', layer: 1, slot: 'kernel', to: 'randomNormal', args: { mean: 0, stddev: 0.1235 } });
    assert.equal(lsuvIntents(m, [{ layer: 99, slot: 'kernel', std: 1 }]).ok, false);
    assert.equal(lsuvIntents(m, [{ layer: 1, slot: 'pointwise', std: 1 }]).ok, false);
    assert.equal(lsuvIntents(m, [{ layer: 1, slot: 'kernel', std: 1 }, { layer: 1, slot: 'kernel', std: 2 }]).ok, false);
    const bn = model('tfjs', [{ kind: 'dense', inFeatures: 4, outFeatures: 4 }, { kind: 'batchNorm' }]);
    assert.equal(lsuvIntents(bn, [{ layer: 1, slot: 'kernel', std: 1 }]).ok, false);
    assert.equal(roundStd(0.000123456), 0.0001235);
    assert.deepEqual(normalInitializer('keras', 0.5), { to: 'random_normal', args: { mean: 0, stddev: 0.5 } });
  });
  it('the tfjs analyzer writes an LSUV initializer as a randomNormal', async () => {
    const { analyzerFor } = await import('../../src/engine/languages');
    const intents = lsuvIntents(m, [{ layer: 1, slot: 'kernel', std: 0.1767 }]);
    assert.ok(intents.ok);
    if (!intents.ok) return;
    const edits = analyzerFor('m.ts')!.fixEdits(text, m, intents.intents[0]);
    assert.ok(edits && edits.length > 0);
    const fixed = applyEdits(text, edits!);
    assert.match(fixed, /randomNormal\(\{ ?mean: 0, stddev: 0\.1767 ?\}\)|randomNormal/);
    const re = checkText(fixed, 'm.ts').models[0].model.layers[1].kernel;
    assert.equal(re?.id, 'randomNormal');
    assert.equal(re?.args.stddev, 0.1767);
  });
  it('finds the model again after an edit', () => {
    const two = checkText(`${text}\nconst other = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2 })] });\n`, 'm.ts');
    assert.equal(two.models.length, 2);
    assert.equal(findModel(two, two.models[1].model.name, 0), 1);
    assert.equal(findModel(two, 'gone', 1), 1);
    assert.equal(findModel({ ...two, models: [] }, 'x', 0), undefined);
  });
  it('fix ids are made from finding and intent', () => {
    const f = { ruleId: 'relu-needs-he', layer: 3 } as Pick<Finding, 'ruleId' | 'layer'>;
    assert.equal(fixIdOf(f, { kind: 'setInitializer', layer: 3, slot: 'kernel', to: 'heUniform' }), 'relu-needs-he|3|set:kernel:heUniform');
    assert.equal(fixIdOf(f, { kind: 'setLayerOption', layer: 3, option: 'unitForgetBias', value: true }), 'relu-needs-he|3|opt:unitForgetBias=true');
    assert.equal(fixIdOf({ ruleId: 'x' }, { kind: 'fixFalsyArg', layer: 2, slot: 'bias', arg: 'minval' }), 'x|2|falsy:bias:minval');
  });
  void act;
  void init;
});
