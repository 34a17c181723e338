/**
 * Writes the extension's manifest fields into package.json (only those: main, browser, activationEvents,
 * contributes, capabilities, categories, keywords, icon, galleryBanner, and the package / vscode:prepublish
 * scripts), from src/extension/logic/manifest.ts. Run after adding a rule or an analyzer:
 *
 *   node --import tsx test/extension/sync-manifest.ts
 *
 * manifest.test.ts fails while package.json differs from what this writes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { RULES } from '../../src/core/rules';
import { ANALYZERS } from '../../src/engine/languages';
import { manifestFields } from '../../src/extension/logic/manifest';

export const STATIC_FIELDS = {
  main: './dist/extension.js',
  browser: './dist/web/extension.js',
  icon: 'media/icon.png',
  galleryBanner: { color: '#1b1f2a', theme: 'dark' },
  categories: ['Linters', 'Machine Learning'],
  keywords: [
    'tensorflow',
    'tfjs',
    'tensorflow.js',
    'neural network',
    'deep learning',
    'weight initialization',
    'initializer',
    'glorot',
    'xavier',
    'kaiming',
    'vanishing gradient',
    'linter',
  ],
  capabilities: {
    untrustedWorkspaces: { supported: true },
    virtualWorkspaces: true,
  },
};

export const SCRIPTS = {
  'vscode:prepublish': 'node esbuild.js --production',
  package: 'vsce package --no-dependencies --readme-path src/extension/README.md --out initlens.vsix',
};

export function expectedManifest(pkg: Record<string, unknown>): Record<string, unknown> {
  const derived = manifestFields(
    RULES,
    ANALYZERS.map((a) => ({ id: a.id, extensions: a.extensions })),
    pkg.repository,
  );
  const fields: Record<string, unknown> = { ...STATIC_FIELDS, activationEvents: derived.activationEvents, contributes: derived.contributes };
  // Keep the existing order; new fields go after "engines".
  const out: Record<string, unknown> = {};
  const order = ['main', 'browser', 'icon', 'galleryBanner', 'categories', 'keywords', 'capabilities', 'activationEvents', 'contributes'];
  for (const [k, v] of Object.entries(pkg)) {
    if (k in fields) continue;
    out[k] = k === 'scripts' ? { ...(v as object), ...SCRIPTS } : v;
    if (k === 'engines') for (const f of order) out[f] = fields[f];
  }
  for (const f of order) if (!(f in out)) out[f] = fields[f];
  if (!out.scripts) out.scripts = { ...SCRIPTS };
  return out;
}

const isMain = process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.dirname ?? '', 'sync-manifest.ts');
if (isMain) {
  const path = resolve(import.meta.dirname, '../../package.json');
  const pkg = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  // Non-ASCII as \u escapes, as the committed package.json has them (npm writes it that way).
  const json = JSON.stringify(expectedManifest(pkg), null, 2).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  writeFileSync(path, `${json}\n`);
  console.log('package.json: extension manifest fields written');
}
