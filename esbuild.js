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
  },
];

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
