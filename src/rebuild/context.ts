/** What the parts of a rebuild share while it runs: the build context, its error, and how a layer is named. */
import type { Framework, LayerNode } from '../core/model';
import type { BuildNeed, BuildOptions } from './build-types';
import type { TF } from './sample';

export class BuildError extends Error {
  constructor(
    message: string,
    readonly layer?: number,
    readonly need?: BuildNeed,
  ) {
    super(message);
  }
}

export interface Ctx {
  tf: TF;
  fw: Framework;
  options: BuildOptions;
  notes: string[];
  paramsSoFar: number;
  maxParams: number;
  /** Spatial dimensions of some model input were reduced (fan-ins of later dense layers differ from the description). */
  reduced: boolean;
}

export function labelOf(node: LayerNode): string {
  return `layer ${node.index} (${node.op}${node.name ? ` '${node.name}'` : ''})`;
}
