/**
 * Every message from the webview is validated against a strict schema before the host uses it: well-formed
 * messages pass unchanged, anything else (unknown types, extra or missing properties, wrong types, non-finite or
 * out-of-range numbers, oversized strings and arrays, prototype tricks, paths) is rejected.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_CONTROLS, LIMITS, sanitizeControls, sanitizePageState, validateHostMessage, validateWebviewMessage } from '../../src/preview/logic/messages';

const valid: unknown[] = [
  { type: 'ready' },
  { type: 'reveal', layer: 3 },
  { type: 'applySuggested', docVersion: 7, fixIds: ['relu-needs-he|3|set:kernel:heUniform', 'lstm-forget-bias|2|opt:unitForgetBias=true'] },
  { type: 'applyLsuv', docVersion: 1, layers: [{ layer: 1, slot: 'kernel', std: 0.0625 }] },
  { type: 'rememberSizes', sizes: { inputShape: [28, 28, 1], timeSteps: 20 } },
  { type: 'rememberSizes', sizes: {} },
  { type: 'export', format: 'csv', name: 'mnist-current-signal.csv', data: 'a,b\r\n' },
  { type: 'export', format: 'svg', name: 'chart.svg', data: '<svg xmlns="http://www.w3.org/2000/svg"></svg>' },
  { type: 'export', format: 'png', name: 'chart (1).png', data: 'data:image/png;base64,iVBORw0KGgo=' },
  { type: 'log', level: 'warn', message: 'WebGL failed' },
];

describe('webview → host messages', () => {
  it('accepts the well-formed messages unchanged', () => {
    for (const m of valid) {
      const v = validateWebviewMessage(m);
      assert.ok(v.ok, `${JSON.stringify(m)}: ${v.ok ? '' : v.error}`);
      if (v.ok) assert.deepEqual(v.value, m);
    }
  });

  const evil: [string, unknown][] = [
    ['not an object', 'ready'],
    ['null', null],
    ['array', [{ type: 'ready' }]],
    ['unknown type', { type: 'runCommand', command: 'workbench.action.terminal.new' }],
    ['type not a string', { type: ['ready'] }],
    ['extra property', { type: 'ready', command: 'rm -rf /' }],
    ['reveal: missing layer', { type: 'reveal' }],
    ['reveal: negative', { type: 'reveal', layer: -1 }],
    ['reveal: fractional', { type: 'reveal', layer: 1.5 }],
    ['reveal: NaN', { type: 'reveal', layer: NaN }],
    ['reveal: string', { type: 'reveal', layer: '3' }],
    ['reveal: huge', { type: 'reveal', layer: 1e12 }],
    ['fix id with spaces', { type: 'applySuggested', docVersion: 1, fixIds: ['relu needs he'] }],
    ['fix id with a path', { type: 'applySuggested', docVersion: 1, fixIds: ['../../etc/passwd'] }],
    ['fix id with markup', { type: 'applySuggested', docVersion: 1, fixIds: ['<img src=x onerror=alert(1)>'] }],
    ['fix id too long', { type: 'applySuggested', docVersion: 1, fixIds: ['a'.repeat(LIMITS.fixIdLength + 1)] }],
    ['too many fix ids', { type: 'applySuggested', docVersion: 1, fixIds: new Array(LIMITS.maxFixIds + 1).fill('a') }],
    ['fix ids not an array', { type: 'applySuggested', docVersion: 1, fixIds: 'a' }],
    ['an edit instead of an id', { type: 'applySuggested', docVersion: 1, fixIds: [{ span: { start: 0, end: 1e9 }, newText: '' }] }],
    ['applySuggested with edits', { type: 'applySuggested', docVersion: 1, fixIds: [], edits: [{ span: { start: 0, end: 5 }, newText: 'x' }] }],
    ['LSUV: empty', { type: 'applyLsuv', docVersion: 1, layers: [] }],
    ['LSUV: std 0', { type: 'applyLsuv', docVersion: 1, layers: [{ layer: 1, slot: 'kernel', std: 0 }] }],
    ['LSUV: std negative', { type: 'applyLsuv', docVersion: 1, layers: [{ layer: 1, slot: 'kernel', std: -1 }] }],
    ['LSUV: std Infinity', { type: 'applyLsuv', docVersion: 1, layers: [{ layer: 1, slot: 'kernel', std: Infinity }] }],
    ['LSUV: std huge', { type: 'applyLsuv', docVersion: 1, layers: [{ layer: 1, slot: 'kernel', std: 1e9 }] }],
    ['LSUV: std as string', { type: 'applyLsuv', docVersion: 1, layers: [{ layer: 1, slot: 'kernel', std: '0.1); process.exit(' }] }],
    ['LSUV: other slot', { type: 'applyLsuv', docVersion: 1, layers: [{ layer: 1, slot: 'bias', std: 0.1 }] }],
    ['LSUV: initializer smuggled in', { type: 'applyLsuv', docVersion: 1, layers: [{ layer: 1, slot: 'kernel', std: 0.1, to: 'zeros' }] }],
    ['LSUV: intent instead of layers', { type: 'applyLsuv', docVersion: 1, intent: { kind: 'setInitializer' } }],
    ['sizes: zero dim', { type: 'rememberSizes', sizes: { inputShape: [0, 28] } }],
    ['sizes: too many dims', { type: 'rememberSizes', sizes: { inputShape: [1, 2, 3, 4, 5, 6] } }],
    ['sizes: huge', { type: 'rememberSizes', sizes: { inputShape: [1e9] } }],
    ['sizes: extra key', { type: 'rememberSizes', sizes: { inputShape: [3], path: '/etc' } }],
    ['export: path in name', { type: 'export', format: 'csv', name: '../../.bashrc.csv', data: 'x' }],
    ['export: absolute name', { type: 'export', format: 'csv', name: '/tmp/x.csv', data: 'x' }],
    ['export: wrong extension', { type: 'export', format: 'csv', name: 'x.sh', data: 'x' }],
    ['export: extension mismatch', { type: 'export', format: 'csv', name: 'x.svg', data: 'x' }],
    ['export: png not a data URL', { type: 'export', format: 'png', name: 'x.png', data: 'hello' }],
    ['export: png of another type', { type: 'export', format: 'png', name: 'x.png', data: 'data:text/html;base64,PHNjcmlwdD4=' }],
    ['export: svg not an svg', { type: 'export', format: 'svg', name: 'x.svg', data: '<html><script>alert(1)</script>' }],
    ['export: unknown format', { type: 'export', format: 'html', name: 'x.html', data: '<p>' }],
    ['log: unknown level', { type: 'log', level: 'fatal', message: 'x' }],
    ['log: too long', { type: 'log', level: 'info', message: 'x'.repeat(LIMITS.logLength + 1) }],
  ];
  for (const [what, m] of evil) {
    it(`rejects: ${what}`, () => {
      const v = validateWebviewMessage(m);
      assert.equal(v.ok, false, JSON.stringify(m)?.slice(0, 200));
    });
  }

  it('rejects prototype tricks, accessors and class instances', () => {
    const proto = JSON.parse('{"type":"reveal","layer":1,"__proto__":{"isAdmin":true}}');
    assert.equal(validateWebviewMessage(proto).ok, false);
    const getter = { type: 'reveal', get layer() { return 1; } };
    assert.equal(validateWebviewMessage(getter).ok, false);
    class Msg { type = 'ready'; }
    assert.equal(validateWebviewMessage(new Msg()).ok, false);
    const sym = { type: 'ready', [Symbol('x')]: 1 };
    assert.equal(validateWebviewMessage(sym).ok, false);
    const nullProto = Object.assign(Object.create(null), { type: 'ready' });
    assert.equal(validateWebviewMessage(nullProto).ok, true);
  });
});

describe('host → webview messages (checked by the page)', () => {
  it('accepts a load and rejects a stray message', () => {
    const payload = {
      uri: 'file:///w/m.ts',
      file: 'm.ts',
      modelIndex: 0,
      modelName: 'm',
      model: { name: 'm', framework: 'tfjs', span: { start: 0, end: 1 }, layers: [{ index: 0, kind: 'dense' }], notes: [] },
      findings: [],
      suggestions: [],
      lsuvFixes: true,
      input: { mean: 0, std: 1 },
      thresholds: { vanishing: 0.01, exploding: 100 },
      docVersion: 1,
    };
    assert.ok(validateHostMessage({ type: 'load', runKey: 1, payload }).ok);
    assert.equal(validateHostMessage({ type: 'load', runKey: 1, payload: { ...payload, model: { ...payload.model, framework: 'onnx' } } }).ok, false);
    assert.equal(validateHostMessage({ type: 'load', runKey: 1, payload: { ...payload, input: { mean: 0, std: 0 } } }).ok, false);
    assert.equal(validateHostMessage({ type: 'evil' }).ok, false);
    assert.equal(validateHostMessage({ data: 'x' }).ok, false);
    assert.ok(validateHostMessage({ type: 'applied', what: 'lsuv', ok: true, message: 'Wrote 3' }).ok);
  });
});

describe('persisted page state', () => {
  it('keeps valid parts and drops the rest', () => {
    const s = sanitizePageState({ uri: 'file:///w/m.ts', modelIndex: 2, modelName: 'm', alternative: 'he', controls: { ...DEFAULT_CONTROLS, batch: 64, backend: 'wasm' }, extra: 1 });
    assert.equal(s.uri, 'file:///w/m.ts');
    assert.equal(s.controls?.batch, 64);
    assert.equal(s.controls?.backend, 'wasm');
    assert.deepEqual(sanitizePageState('x'), {});
    assert.equal(sanitizePageState({ uri: 'javascript alert(1)' }).uri, undefined);
    assert.equal(sanitizePageState({ alternative: '<img>' }).alternative, undefined);
    const c = sanitizeControls({ batch: 1e9, seeds: 0, backend: 'gpu', input: { kind: 'gaussian', mean: 0, std: -1 } })!;
    assert.equal(c.batch, DEFAULT_CONTROLS.batch);
    assert.equal(c.seeds, 1);
    assert.equal(c.backend, 'auto');
    assert.deepEqual(c.input, { kind: 'gaussian', mean: 0, std: 1 });
  });
});
