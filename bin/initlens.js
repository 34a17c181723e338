#!/usr/bin/env node
// The `initlens` command. Runs the esbuild bundle dist/cli.js when it exists (a published package, or after
// `npm run build`); in a clone without a build it runs the TypeScript source through tsx (a devDependency).
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const bundle = path.join(root, 'dist', 'cli.js');
const source = path.join(root, 'src', 'cli', 'main.ts');

function fail(message) {
  // One line: Node's loader errors carry a multi-line "Require stack".
  process.stderr.write(`initlens: ${String(message).split('\n')[0]}\n`);
  process.exitCode = 2;
}

function load() {
  // INITLENS_FROM_SOURCE=1 runs the TypeScript source even when a (possibly stale) bundle exists.
  if (!process.env.INITLENS_FROM_SOURCE && fs.existsSync(bundle)) return require(bundle);
  let tsx;
  try {
    tsx = require('tsx/cjs/api');
  } catch {
    return undefined;
  }
  return tsx.require(source, __filename);
}

function run() {
  let cli;
  try {
    cli = load();
  } catch (error) {
    fail(`cannot load the CLI: ${error && error.message ? error.message : error}`);
    if (process.env.INITLENS_DEBUG && error && error.stack) process.stderr.write(`${error.stack}\n`);
    return;
  }
  if (!cli || typeof cli.main !== 'function') {
    fail(
      cli
        ? 'dist/cli.js does not export main(): rebuild it with `npm run build`'
        : 'dist/cli.js is missing and tsx is not installed: run `npm install`, then `npm run build`',
    );
    return;
  }
  cli.main(process.argv.slice(2)).catch((error) => {
    fail(`internal error: ${error && error.message ? error.message : error}`);
  });
}

run();
