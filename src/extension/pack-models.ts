/**
 * The worker's side of PackedModels (logic/worker-protocol.ts): the models V8-serialized into one buffer, which is
 * transferred to the host (not copied) and read there one model at a time, on demand. Node only (node:v8).
 */
import { serialize } from 'node:v8';
import type { ModelReport } from '../core/report';
import { spanExtent, type PackedModels } from './logic/worker-protocol';

export function packModels(models: ModelReport[]): PackedModels {
  const each = models.map((m) => serialize(m));
  const offsets = [0];
  for (const b of each) offsets.push(offsets[offsets.length - 1] + b.length);
  const bytes = new Uint8Array(offsets[offsets.length - 1]);
  each.forEach((b, i) => bytes.set(b, offsets[i]));
  return { bytes, offsets, extents: models.map((m) => spanExtent(m.model)), names: models.map((m) => m.model.name) };
}
