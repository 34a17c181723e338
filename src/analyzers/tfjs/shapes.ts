/**
 * Shape inference through tfjs layers (without the batch dimension), following tfjs-layers 4.22
 * (`convOutputLength` / `deconvLength` in utils/conv_utils.ts, pooling defaults in layers/pooling.ts).
 * A dimension that cannot be computed is undefined; a shape of unknown rank keeps only its last dimension.
 */
import { mulDims } from '../../core/conv-shapes';
import { convOutput, poolSpatial, recurrentDims, recurrentWidth, splitChannels, timeStepsOf } from '../shared/keras-layers';
import type { LayerRec } from './values';

export type Dim = number | undefined;

export interface Shape {
  /** All dimensions when the rank is known. */
  dims?: Dim[];
  /** The last dimension when the rank is unknown. */
  last?: number;
}

export interface Inferred {
  out: Shape;
  inFeatures?: number;
  outFeatures?: number;
  timeSteps?: number;
}

export function lastOf(s: Shape | undefined): number | undefined {
  if (!s) return undefined;
  if (s.dims) return s.dims.length ? s.dims[s.dims.length - 1] : undefined;
  return s.last;
}

/** Infers the output shape and feature counts of one layer from its input shapes. */
export function inferLayer(rec: LayerRec, ins: Shape[]): Inferred {
  if (rec.wrapper === 'timeDistributed') {
    const inp = ins[0] ?? {};
    if (inp.dims && inp.dims.length >= 2) {
      const r = inferCore(rec, [{ dims: inp.dims.slice(1) }]);
      return { ...r, out: r.out.dims ? { dims: [inp.dims[0], ...r.out.dims] } : { last: lastOf(r.out) } };
    }
    const r = inferCore(rec, [{ last: lastOf(inp) }]);
    return { ...r, out: { last: lastOf(r.out) } };
  }
  return inferCore(rec, ins);
}

function inferCore(rec: LayerRec, ins: Shape[]): Inferred {
  const sp = rec.shape;
  const inp: Shape = ins[0] ?? {};
  const F = lastOf(inp);
  switch (rec.kind) {
    case 'input': {
      const dims = sp.inputShape;
      return dims ? { out: { dims }, outFeatures: dims[dims.length - 1] } : { out: {} };
    }
    case 'dense': {
      const u = sp.units;
      return { out: inp.dims ? { dims: [...inp.dims.slice(0, -1), u] } : { last: u }, inFeatures: F, outFeatures: u };
    }
    case 'simpleRNN':
    case 'lstm':
    case 'gru': {
      // outFeatures is the layer's own units (what its weights are shaped by); a bidirectional wrapper with
      // mergeMode 'concat' doubles only the width its consumers see.
      const units = sp.units;
      const u = recurrentWidth(units, rec.wrapper, rec.mergeFactor);
      const dims = recurrentDims(inp.dims, u, sp.returnSequences);
      return { out: dims ? { dims } : { last: u }, inFeatures: F, outFeatures: units, timeSteps: timeStepsOf(inp.dims) };
    }
    case 'conv':
    case 'convTranspose':
    case 'depthwiseConv':
    case 'separableConv': {
      const cf = sp.channelsFirst === true;
      const layer = { ...sp, kind: rec.kind, rank: rec.rank ?? 2, channelsFirst: cf, filters: sp.filters, depthMultiplier: sp.depthMultiplier };
      const { inChannels: C, outChannels: outC, dims } = convOutput(layer, inp.dims, F);
      // tfjs: a data format that is not known leaves the output unknown.
      if (!dims || sp.channelsFirst === undefined) {
        return { out: cf || sp.channelsFirst === undefined ? {} : { last: outC }, inFeatures: C, outFeatures: outC };
      }
      return { out: { dims }, inFeatures: C, outFeatures: outC };
    }
    case 'pooling': {
      const cf = sp.channelsFirst === true;
      const { channels: C, spatial: spatialIn } = splitChannels(inp.dims, rec.rank ?? 2, cf, F);
      if (!spatialIn) return { out: cf ? {} : { last: C }, inFeatures: C, outFeatures: C };
      const spatial = poolSpatial(spatialIn, { kernelSize: sp.poolSize, strides: sp.strides, padding: sp.padding });
      return { out: { dims: cf ? [C, ...spatial] : [...spatial, C] }, inFeatures: C, outFeatures: C };
    }
    case 'globalPooling': {
      const cf = sp.channelsFirst === true;
      const C = cf ? inp.dims?.[0] : F;
      return { out: { dims: [C] }, inFeatures: C, outFeatures: C };
    }
    case 'flatten': {
      let total: Dim = undefined;
      if (inp.dims && inp.dims.every((d) => d !== undefined)) total = (inp.dims as number[]).reduce((a, b) => a * b, 1);
      return { out: { dims: [total] }, inFeatures: F, outFeatures: total };
    }
    case 'reshape': {
      const t = sp.targetShape;
      if (!t) return { out: {}, inFeatures: F };
      const dims = [...t];
      const neg = dims.findIndex((d) => d === -1);
      if (neg >= 0) {
        const known = dims.filter((d, i) => i !== neg);
        const total = inp.dims && inp.dims.every((d) => d !== undefined) ? (inp.dims as number[]).reduce((a, b) => a * b, 1) : undefined;
        const rest = known.every((d) => d !== undefined) ? (known as number[]).reduce((a, b) => a * b, 1) : undefined;
        dims[neg] = total !== undefined && rest !== undefined && rest > 0 && total % rest === 0 ? total / rest : undefined;
      }
      return { out: { dims }, inFeatures: F, outFeatures: dims[dims.length - 1] };
    }
    case 'embedding': {
      const d = sp.outputDim;
      return { out: inp.dims ? { dims: [...inp.dims, d] } : { last: d }, inFeatures: sp.units, outFeatures: d };
    }
    case 'add': {
      let out: Shape = {};
      for (const s of ins) {
        if (s.dims && s.dims.every((d) => d !== undefined)) {
          out = s;
          break;
        }
      }
      if (!out.dims) {
        const known = ins.find((s) => lastOf(s) !== undefined);
        const withDims = ins.find((s) => s.dims);
        out = withDims ? { dims: [...withDims.dims!.slice(0, -1), lastOf(known)] } : { last: lastOf(known) };
      }
      return { out, inFeatures: lastOf(out), outFeatures: lastOf(out) };
    }
    case 'concatenate': {
      const axis = sp.axis ?? -1;
      const allDims = ins.every((s) => s.dims) && ins.length > 0;
      const rank = allDims ? ins[0].dims!.length : undefined;
      if (rank !== undefined && ins.some((s) => s.dims!.length !== rank)) return { out: {} };
      const a = rank !== undefined ? (axis < 0 ? rank + axis : axis) : axis === -1 ? -1 : undefined;
      if (a === undefined) return { out: {} };
      if (a === -1 || (rank !== undefined && a === rank - 1)) {
        const lasts = ins.map(lastOf);
        const sum = lasts.every((d) => d !== undefined) ? (lasts as number[]).reduce((x, y) => x + y, 0) : undefined;
        if (rank !== undefined) return { out: { dims: [...ins[0].dims!.slice(0, -1), sum] }, outFeatures: sum };
        return { out: { last: sum }, outFeatures: sum };
      }
      if (rank === undefined) return { out: {} };
      const dims = [...ins[0].dims!];
      const along = ins.map((s) => s.dims![a]);
      dims[a] = along.every((d) => d !== undefined) ? (along as number[]).reduce((x, y) => x + y, 0) : undefined;
      return { out: { dims }, outFeatures: dims[rank - 1] };
    }
    case 'batchNorm':
    case 'layerNorm':
    case 'activation':
    case 'dropout':
      return { out: inp, inFeatures: F, outFeatures: F };
    case 'unknown':
      return inferShapeOp(rec, inp);
  }
}

function inferShapeOp(rec: LayerRec, inp: Shape): Inferred {
  const sp = rec.shape;
  const F = lastOf(inp);
  switch (rec.shapeOp) {
    case 'identity':
      return { out: inp, inFeatures: F, outFeatures: F };
    case 'zeroPadding2d':
    case 'cropping2D': {
      const p = rec.shapeOp === 'zeroPadding2d' ? sp.padding2d : sp.cropping2d;
      const sign = rec.shapeOp === 'zeroPadding2d' ? 1 : -1;
      if (!inp.dims || inp.dims.length !== 3 || !p || sp.channelsFirst !== false) return { out: { last: sp.channelsFirst === false ? F : undefined }, inFeatures: F, outFeatures: F };
      const [h, w, c] = inp.dims;
      const H = h === undefined ? undefined : h + sign * (p[0] + p[1]);
      const W = w === undefined ? undefined : w + sign * (p[2] + p[3]);
      return { out: { dims: [H, W, c] }, inFeatures: c, outFeatures: c };
    }
    case 'upSampling2d': {
      const s = sp.size2d;
      if (!inp.dims || inp.dims.length !== 3 || !s || sp.channelsFirst !== false) return { out: { last: sp.channelsFirst === false ? F : undefined }, inFeatures: F, outFeatures: F };
      const [h, w, c] = inp.dims;
      return { out: { dims: [mulDims(h, s[0]), mulDims(w, s[1]), c] }, inFeatures: c, outFeatures: c };
    }
    case 'repeatVector': {
      return { out: { dims: [sp.repeat, F] }, inFeatures: F, outFeatures: F };
    }
    case 'permute': {
      const d = sp.dims;
      if (!inp.dims || !d || d.length !== inp.dims.length) return { out: {} };
      const dims = d.map((i) => inp.dims![i - 1]);
      return { out: { dims }, inFeatures: F, outFeatures: dims[dims.length - 1] };
    }
    default:
      return { out: {} };
  }
}
