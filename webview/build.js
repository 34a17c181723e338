// Build options of the preview page (the webview of the `initlens.preview` panel) and of the self-contained report.
//
//   dist/webview/preview.js    the live page: TensorFlow.js (WebGPU, WebGL, WASM, CPU backends) + the rebuild + UI
//   dist/webview/report.js     the report page: the UI only (the data is precomputed)
//   dist/webview/preview.css   the stylesheet of both
//   dist/webview/*.wasm        tfjs-backend-wasm's binaries, served with webview.asWebviewUri
//
// esbuild.js spreads `webviewBuilds()` into its list; `node webview/build.js` builds them alone.
// CommonJS, like esbuild.js.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const DEFAULT_OUTDIR = path.join(ROOT, 'dist', 'webview');
const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];

/** Copies tfjs-backend-wasm's .wasm files next to the bundle after each build. */
function copyWasmPlugin(outdir) {
  return {
    name: 'initlens-copy-wasm',
    setup(build) {
      build.onEnd((result) => {
        if (result.errors.length) return;
        copyWasm(outdir);
      });
    },
  };
}

function copyWasm(outdir = DEFAULT_OUTDIR) {
  const dir = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json', { paths: [ROOT] })), 'dist');
  fs.mkdirSync(outdir, { recursive: true });
  for (const f of WASM_FILES) {
    const from = path.join(dir, f);
    const to = path.join(outdir, f);
    const a = fs.statSync(from);
    const b = fs.existsSync(to) ? fs.statSync(to) : undefined;
    if (!b || b.size !== a.size || b.mtimeMs < a.mtimeMs) fs.copyFileSync(from, to);
  }
}

/**
 * @param {{ production?: boolean, outdir?: string }} [options]
 * @returns {import('esbuild').BuildOptions[]}
 */
function webviewBuilds(options = {}) {
  const production = options.production ?? process.argv.includes('--production');
  const outdir = options.outdir ?? DEFAULT_OUTDIR;
  /** @type {import('esbuild').BuildOptions} */
  const common = {
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: production,
    sourcemap: production ? false : 'inline',
    logLevel: 'warning',
    absWorkingDir: ROOT,
    legalComments: 'none',
    // tfjs reads process.env in a few places guarded by typeof checks; make them constant.
    define: { 'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development') },
  };
  return [
    {
      ...common,
      entryPoints: [path.join(ROOT, 'webview/main.ts')],
      outfile: path.join(outdir, 'preview.js'),
      plugins: [copyWasmPlugin(outdir)],
    },
    {
      ...common,
      entryPoints: [path.join(ROOT, 'webview/report.ts')],
      outfile: path.join(outdir, 'report.js'),
      // The report is inlined into one HTML file: no source map, always minified.
      minify: true,
      sourcemap: false,
    },
    {
      ...common,
      entryPoints: [path.join(ROOT, 'webview/preview.css')],
      outfile: path.join(outdir, 'preview.css'),
      sourcemap: false,
    },
  ];
}

/** Builds (or watches) the webview bundles. */
async function build(options = {}) {
  const esbuild = require('esbuild');
  const builds = webviewBuilds(options);
  if (options.watch) {
    for (const b of builds) await (await esbuild.context(b)).watch();
    return builds;
  }
  await Promise.all(builds.map((b) => esbuild.build(b)));
  return builds;
}

module.exports = { webviewBuilds, build, copyWasm, DEFAULT_OUTDIR, WASM_FILES };

if (require.main === module) {
  build({ watch: process.argv.includes('--watch') }).catch((e) => {
    console.error(e && e.message ? e.message : e);
    process.exit(1);
  });
}
