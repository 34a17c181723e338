/**
 * How a model is summed up for people, the same in the CLI's text output (src/cli/format/text.ts) and the editor's
 * CodeLens (src/extension/logic/codelens.ts): the layers counted (numbers are written by core/format).
 */

/** Layers a user counts: every node except model inputs. */
export function layerCount(layers: readonly { kind: string }[]): number {
  return layers.filter((l) => l.kind !== 'input').length;
}
