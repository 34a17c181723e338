// The extension bundles' stand-in for 'ts-morph' (esbuild.js aliases it): the analyzers use only its `ts`, the
// TypeScript compiler ts-morph ships, so the bundles take that file directly and leave out ts-morph's project and
// file-system layers (node:fs, tinyglobby...), which neither the web extension host nor the analyzers need.
module.exports = { ts: require('@ts-morph/common/dist/typescript.js') };
