import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ANALYZERS } from '../../src/engine/languages';
import {
  activationEventsOf,
  commentStyleOf,
  engineFileName,
  hasExtension,
  includeGlobOf,
  LANGUAGE_OF_EXTENSION,
  languageIdsOf,
  languagesOfActivationEvents,
} from '../../src/extension/logic/languages';

const CLAIMED = ANALYZERS.flatMap((a) => a.extensions);

test('every extension an analyzer claims maps to a VS Code language', () => {
  for (const e of CLAIMED) assert.ok(LANGUAGE_OF_EXTENSION[e], `no language id for ${e}`);
});

test('the tfjs analyzer serves TypeScript, JavaScript, TSX and JSX; the Python analyzer, Python', () => {
  const tfjs = ANALYZERS.find((a) => a.id === 'tfjs')!;
  assert.deepEqual(languageIdsOf(tfjs.extensions), ['javascript', 'javascriptreact', 'typescript', 'typescriptreact']);
  const python = ANALYZERS.find((a) => a.id === 'python');
  if (python) assert.deepEqual(languageIdsOf(python.extensions), ['python']);
  assert.deepEqual(languageIdsOf(CLAIMED), [...new Set(ANALYZERS.flatMap((a) => languageIdsOf(a.extensions)))].sort());
  assert.deepEqual(activationEventsOf(['.ts', '.py']), ['onLanguage:python', 'onLanguage:typescript']);
  assert.deepEqual(languagesOfActivationEvents(['onLanguage:typescript', 'onCommand:x', 'onLanguage:python']), ['typescript', 'python']);
  assert.deepEqual(languagesOfActivationEvents(undefined), []);
});

test('engine file names: real extensions kept, untitled documents get their language\'s', () => {
  assert.equal(engineFileName('/w/model.ts', 'typescript', CLAIMED), '/w/model.ts');
  assert.equal(engineFileName('/w/model.MJS', 'javascript', CLAIMED), '/w/model.MJS');
  assert.equal(engineFileName('Untitled-1', 'typescript', CLAIMED), 'Untitled-1.ts');
  assert.equal(engineFileName('Untitled-2', 'javascriptreact', CLAIMED), 'Untitled-2.jsx');
  assert.equal(engineFileName('/w/model.es6', 'javascript', CLAIMED), '/w/model.es6.js');
  assert.equal(engineFileName('/w/notes', 'plaintext', CLAIMED), '/w/notes');
});

test('workspace globs and extension tests', () => {
  assert.equal(includeGlobOf(['.ts']), '**/*.ts');
  assert.equal(includeGlobOf(['.ts', '.js', '.TS']), '**/*.{js,ts}');
  assert.ok(hasExtension('/a/b.tsx', CLAIMED));
  assert.ok(!hasExtension('/a/b.d.ts', CLAIMED));
  assert.ok(!hasExtension('/a/b.json', CLAIMED));
});

test('comment style follows the file', () => {
  assert.equal(commentStyleOf('/a/model.ts'), 'js');
  assert.equal(commentStyleOf('/a/model.py'), 'python');
  assert.equal(commentStyleOf('Untitled-1'), 'js');
});
