// Node built-ins in the web bundle (esbuild.js maps fs, path, os, crypto, perf_hooks, inspector... here).
// TypeScript only requires them inside `isNodeLikeSystem()` branches, which are false in a web worker.
module.exports = {};
