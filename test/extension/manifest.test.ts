/**
 * The manifest agrees with the engine (languages, rules, analyzers) and with the code (commands); the pure logic
 * stays free of `vscode`.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { RULES } from '../../src/core/rules';
import { ANALYZERS } from '../../src/engine/languages';
import { ROOT } from './helpers';
import { expectedManifest } from './sync-manifest';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, any>;

test('package.json carries the extension manifest fields derived from the engine (run test/extension/sync-manifest.ts to update)', () => {
  const want = expectedManifest(pkg);
  for (const k of ['main', 'browser', 'icon', 'galleryBanner', 'categories', 'keywords', 'capabilities', 'activationEvents', 'contributes']) {
    assert.deepEqual(pkg[k], want[k], `package.json "${k}" is out of date: node --import tsx test/extension/sync-manifest.ts`);
  }
  assert.equal(pkg.scripts['vscode:prepublish'], (want.scripts as Record<string, string>)['vscode:prepublish']);
  assert.equal(pkg.scripts.package, (want.scripts as Record<string, string>).package);
});

test('activation: exactly the languages of the analyzers (and the preview panel\'s restore), nothing at start-up', () => {
  const events: string[] = pkg.activationEvents;
  assert.ok(!events.includes('*') && !events.includes('onStartupFinished'));
  const exts = ANALYZERS.flatMap((a) => a.extensions);
  assert.ok(exts.includes('.tsx') && exts.includes('.jsx'));
  for (const l of ['javascript', 'javascriptreact', 'typescript', 'typescriptreact']) assert.ok(events.includes(`onLanguage:${l}`), l);
  assert.equal(events.includes('onLanguage:python'), ANALYZERS.some((a) => a.extensions.includes('.py')));
  assert.ok(events.every((e) => e.startsWith('onLanguage:') || e === 'onWebviewPanel:initlens.preview'));
});

test('settings schema lists every rule and every analyzer', () => {
  const props = pkg.contributes.configuration.properties;
  assert.deepEqual(Object.keys(props['initlens.rules'].properties).sort(), RULES.map((r) => r.id).sort());
  for (const r of Object.values(props['initlens.rules'].properties) as { enum: string[] }[]) assert.deepEqual(r.enum, ['off', 'info', 'warning', 'error']);
  assert.deepEqual(props['initlens.frameworks'].items.enum, ANALYZERS.map((a) => a.id));
  for (const key of [
    'initlens.enable',
    'initlens.run',
    'initlens.rules',
    'initlens.frameworks',
    'initlens.input',
    'initlens.thresholds',
    'initlens.fixAll.includeInitializerSwaps',
    'initlens.timeBudget.onValidation',
    'initlens.trace',
  ]) {
    assert.ok(props[key], key);
    assert.ok(props[key].description || props[key].markdownDescription, `${key} has no description`);
  }
  assert.equal(props['initlens.fixAll.includeInitializerSwaps'].default, false);
  assert.deepEqual(props['initlens.timeBudget.onValidation'].default, { warn: 4000, error: 8000 });
});

test('trust and web: runs in untrusted and virtual workspaces', () => {
  assert.deepEqual(pkg.capabilities, { untrustedWorkspaces: { supported: true }, virtualWorkspaces: true });
  assert.equal(pkg.browser, './dist/web/extension.js');
  assert.equal(pkg.main, './dist/extension.js');
});

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

test('every command the code registers is contributed, and every contributed command is registered', () => {
  const code = sources(join(ROOT, 'src/extension')).map((f) => readFileSync(f, 'utf8')).join('\n');
  const registered = new Set<string>();
  for (const m of code.matchAll(/registerCommand\(\s*'([^']+)'/g)) registered.add(m[1]);
  for (const m of code.matchAll(/export const \w+_COMMAND = '([^']+)'/g)) registered.add(m[1]);
  const contributed = new Set((pkg.contributes.commands as { command: string }[]).map((c) => c.command));
  assert.deepEqual([...registered].sort(), [...contributed].sort());
});

test('src/extension/logic has no vscode import (VS Code-independent, unit-tested here)', () => {
  for (const f of sources(join(ROOT, 'src/extension/logic'))) {
    assert.doesNotMatch(readFileSync(f, 'utf8'), /from 'vscode'|require\('vscode'\)/, f);
  }
});
