// Bundles the CLI (and, as they land, the extension and the webview) with esbuild.
// Usage: node esbuild.js [--watch] [--production]
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions[]} */
const builds = [
  {
    // The CLI: one self-contained file for Node (ts-morph's TypeScript is bundled in).
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    bundle: true,
    minify: production,
    sourcemap: !production,
    logLevel: 'warning',
    // fdir (via tinyglobby) calls createRequire(import.meta.url), which is empty in a CJS bundle.
    banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    define: { 'import.meta.url': '__importMetaUrl' },
    // `initlens report` loads TensorFlow.js (and esbuild, for the inlined page) at run time only.
    external: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', 'esbuild'],
  },
];

// ---------------------------------------------------------------------------------------------------------------
// The VS Code extension. Node: dist/extension.js (providers and commands, loads in a few ms) + dist/engine.js (the
// engine with TypeScript's parser) + dist/check-worker.js (the worker thread that loads the engine and checks, started
// on the first check). Web: dist/web/extension.js, one file (the web extension host loads a single module), engine
// included, Node built-ins mapped to an empty module.

/** `import('./engine')` in src/extension stays a require of the sibling dist/engine.js (Node build only). */
const engineAsSibling = {
  name: 'engine-as-sibling',
  setup(build) {
    build.onResolve({ filter: /^\.\/engine$/ }, (args) =>
      /[\\/]src[\\/]extension$/.test(args.resolveDir) ? { path: './engine.js', external: true } : undefined,
    );
  },
};

const NODE_BUILTINS = ['fs', 'fs/promises', 'path', 'os', 'crypto', 'perf_hooks', 'inspector', 'source-map-support', 'url', 'util', 'module', 'worker_threads', 'v8'];
/** Node built-ins → an empty module in the web bundle (TypeScript requires them only on Node). */
const emptyNodeBuiltins = {
  name: 'empty-node-builtins',
  setup(build) {
    const filter = new RegExp(`^(node:)?(${NODE_BUILTINS.map((m) => m.replace('/', '\\/')).join('|')})$`);
    build.onResolve({ filter }, () => ({ path: require('node:path').resolve(__dirname, 'src/extension/shims/empty.js') }));
  },
};

/** @type {import('esbuild').BuildOptions} */
const extensionCommon = {
  bundle: true,
  format: 'cjs',
  external: ['vscode'],
  minify: production,
  sourcemap: !production,
  logLevel: 'warning',
  // The analyzers use only ts-morph's `ts`: take TypeScript directly, without ts-morph's file-system layer.
  alias: { 'ts-morph': './src/extension/shims/ts-morph.js' },
};

builds.push(
  {
    ...extensionCommon,
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    target: 'node20',
    plugins: [engineAsSibling],
    // import('./engine.js') → require: the extension host loads extensions with require.
    supported: { 'dynamic-import': false },
  },
  {
    ...extensionCommon,
    entryPoints: ['src/extension/engine.ts'],
    outfile: 'dist/engine.js',
    platform: 'node',
    target: 'node20',
  },
  {
    ...extensionCommon,
    entryPoints: ['src/extension/check-worker.ts'],
    outfile: 'dist/check-worker.js',
    platform: 'node',
    target: 'node20',
    plugins: [engineAsSibling],
  },
  {
    ...extensionCommon,
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/web/extension.js',
    platform: 'browser',
    target: 'es2022',
    plugins: [emptyNodeBuiltins],
    // TypeScript decides it runs on Node when `process` and `require` exist; in the web host neither is Node's.
    define: { process: 'undefined' },
  },
);

// The preview page (browser bundle and the tfjs .wasm files it loads): webview/build.js.
const { webviewBuilds } = require('./webview/build.js');
builds.push(...webviewBuilds({ production }));

async function main() {
  if (watch) {
    for (const b of builds) await (await esbuild.context(b)).watch();
    return;
  }
  await Promise.all(builds.map((b) => esbuild.build(b)));
}

main().catch((e) => {
  console.error(e.message ?? e);
  process.exit(1);
});
