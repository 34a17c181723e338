/**
 * Gradient kernels the WASM backend of tfjs 4.22 lacks, bridged to the cpu backend's implementations.
 *
 * The backward pass of src/rebuild/measure.ts asks only for gradients w.r.t. layer inputs, but tfjs's fused
 * conv2d / depthwise conv2d gradients compute the filter gradient eagerly as well, and the wasm backend has no
 * Conv2DBackpropFilter, DepthwiseConv2dNativeBackpropInput or DepthwiseConv2dNativeBackpropFilter: without a
 * bridge, any convolutional model fails the backward pass on wasm. The bridge copies the inputs to the cpu
 * backend, runs tfjs's own cpu kernel and copies the result back: the values are exactly tfjs's; only speed
 * differs. Kernels the backend already has are never replaced.
 */
import type { TF } from './sample';

export const WASM_MISSING_GRADIENT_KERNELS = [
  'Conv2DBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
  'DepthwiseConv2dNativeBackpropFilter',
  'UnsortedSegmentSum',
] as const;

/**
 * Gradient kernels tfjs-backend-wasm 4.22 has but computes wrongly with several channels (found by comparing
 * with the cpu backend and with a finite-difference / direct reference, test/rebuild/build.test.ts):
 * MaxPoolGrad routes the gradient to the wrong elements, Conv3DBackpropInputV2 returns wrong values. They are
 * replaced by the cpu bridge (and Conv3DBackpropFilterV2 with them, as it shares the implementation pattern);
 * MaxPoolGrad by the cpu kernel's definition computed in JavaScript on the wasm heap (maxPoolGradInJs).
 */
export const WASM_BROKEN_GRADIENT_KERNELS = ['MaxPoolGrad', 'Conv3DBackpropInputV2', 'Conv3DBackpropFilterV2'] as const;

const BRIDGED = Symbol.for('initlens.wasmCpuBridge');

interface TensorInfoLike {
  dataId: object;
  shape: number[];
  dtype: string;
}

interface BackendLike {
  readSync(dataId: object): ArrayLike<number> & { slice(): ArrayLike<number> };
  write(values: unknown, shape: number[], dtype: string): object;
  disposeData(dataId: object, force?: boolean): boolean;
  makeOutput?(shape: number[], dtype: string, memoryOffset?: number, values?: unknown): TensorInfoLike;
}

/**
 * Register cpu-bridged kernels for `kernels` on the wasm backend where it has none. Returns the kernel names
 * installed by this call. A no-op on other backends (webgl and cpu have them all).
 */
type KernelFn = (args: { inputs: Record<string, TensorInfoLike>; backend: unknown; attrs: Record<string, unknown> }) => TensorInfoLike;

type RunKernel = (k: { kernelFunc: unknown }, inputs: Record<string, TensorInfoLike>, attrs: Record<string, unknown>) => TensorInfoLike;

/**
 * Run `body` with `run` (a kernel call on `backend`) and `keep` (a tensor to dispose too): every intermediate
 * output is disposed when the body returns or throws; what the body returns is the caller's.
 */
function withTemps<T>(backend: unknown, body: (run: RunKernel, keep: (t: TensorInfoLike) => TensorInfoLike) => T): T {
  const temps: TensorInfoLike[] = [];
  const keep = (t: TensorInfoLike) => {
    temps.push(t);
    return t;
  };
  const run: RunKernel = (k, inputs, attrs) => keep((k.kernelFunc as KernelFn)({ inputs, backend, attrs }));
  try {
    return body(run, keep);
  } finally {
    for (const t of temps) (backend as BackendLike).disposeData(t.dataId);
  }
}

/**
 * Conv2DBackpropFilter from wasm's own (XNNPACK) kernels instead of the cpu bridge, which takes ~20 s for one
 * 64×14×14×32 → 32 layer: dW[kh, kw, ci, co] = Σ_{b,i,j} x_pad[b, i·sh + kh, j·sw + kw, ci] · dy[b, i, j, co] is
 * a convolution of xᵀ = x_pad transposed to [ci, H, W, b] (batch ci, channels b) with the filter
 * dyᵀ = dy transposed to [Ho, Wo, b, co], dilated by the strides; its output [ci, ≥kh, ≥kw, co] is cut to the
 * kernel size and transposed to [kh, kw, ci, co]. The padding is the forward's (computeConv2DInfo).
 * Falls back to the cpu bridge for anything but NHWC.
 */
function conv2DBackpropFilterViaConv(tf: TF, bridge: KernelFn): KernelFn | undefined {
  const conv = tf.getKernel('Conv2D', 'wasm');
  const transpose = tf.getKernel('Transpose', 'wasm');
  const slice = tf.getKernel('Slice', 'wasm');
  if (!conv || !transpose || !slice) return undefined;
  return (args) => {
    const { inputs, backend, attrs } = args;
    const x = inputs.x;
    const dy = inputs.dy;
    const filterShape = attrs.filterShape as [number, number, number, number];
    if ((attrs.dataFormat ?? 'NHWC') !== 'NHWC' || x.shape.length !== 4) return bridge(args);
    const strides = attrs.strides as number | [number, number];
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filterShape,
      strides,
      1,
      attrs.pad as 'valid',
      attrs.dimRoundingMode as 'floor' | undefined,
    );
    return withTemps(backend, (run) => {
      const xT = run(transpose, { x }, { perm: [3, 1, 2, 0] });
      const dyT = run(transpose, { x: dy }, { perm: [1, 2, 0, 3] });
      const p = info.padInfo;
      const full = run(
        conv,
        { x: xT, filter: dyT },
        {
          strides: [1, 1],
          pad: [
            [0, 0],
            [p.top, p.bottom],
            [p.left, p.right],
            [0, 0],
          ],
          dataFormat: 'NHWC',
          dilations: [info.strideHeight, info.strideWidth],
          dimRoundingMode: undefined,
        },
      );
      const [kh, kw, ci, co] = filterShape;
      const cut =
        full.shape[1] === kh && full.shape[2] === kw ? full : run(slice, { x: full }, { begin: [0, 0, 0, 0], size: [ci, kh, kw, co] });
      return (transpose.kernelFunc as KernelFn)({ inputs: { x: cut }, backend, attrs: { perm: [1, 2, 0, 3] } });
    });
  };
}

/**
 * MaxPoolGrad as tfjs's cpu kernel defines it (each output gradient goes to the first maximum of its window in
 * row-major order, over the positions inside the input; windows that overlap add up, in output order), computed
 * in JavaScript on the wasm heap's values: the cpu bridge takes ~0.4 s for one 16×28×28×64 max pool (copies and
 * tfjs's generic buffer accessors), this takes a few milliseconds. Falls back to the bridge for anything but
 * float32 NHWC.
 */
function maxPoolGradInJs(tf: TF, bridge: KernelFn): KernelFn {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const dy = inputs.dy;
    const x = inputs.input;
    const be = backend as BackendLike;
    if (!be.makeOutput || x.shape.length !== 4 || x.dtype !== 'float32' || dy.dtype !== 'float32') return bridge(args);
    const info = tf.backend_util.computePool2DInfo(
      x.shape as [number, number, number, number],
      attrs.filterSize as [number, number],
      attrs.strides as [number, number],
      1,
      attrs.pad as 'valid',
      attrs.dimRoundingMode as 'floor' | undefined,
    );
    const [nb, h, w, c] = x.shape;
    const { outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = info;
    if (dy.shape[1] !== oh || dy.shape[2] !== ow || dy.shape[3] !== c) return bridge(args);
    const xv = be.readSync(x.dataId) as unknown as Float32Array;
    const dyv = be.readSync(dy.dataId) as unknown as Float32Array;
    const acc = new Float64Array(nb * h * w * c);
    const best = new Float64Array(c);
    const pos = new Int32Array(c);
    for (let b = 0; b < nb; b++) {
      for (let i = 0; i < oh; i++) {
        const r0 = i * sh - info.padInfo.top;
        const rMin = Math.max(0, r0);
        const rMax = Math.min(h, r0 + fh);
        for (let j = 0; j < ow; j++) {
          const c0 = j * sw - info.padInfo.left;
          const cMin = Math.max(0, c0);
          const cMax = Math.min(w, c0 + fw);
          best.fill(-Infinity);
          pos.fill(-1);
          for (let r = rMin; r < rMax; r++) {
            for (let q = cMin; q < cMax; q++) {
              const base = ((b * h + r) * w + q) * c;
              for (let k = 0; k < c; k++) {
                const v = xv[base + k];
                if (v > best[k]) {
                  best[k] = v;
                  pos[k] = base + k;
                }
              }
            }
          }
          const dyBase = ((b * oh + i) * ow + j) * c;
          for (let k = 0; k < c; k++) if (pos[k] >= 0) acc[pos[k]] += dyv[dyBase + k];
        }
      }
    }
    return be.makeOutput(x.shape, 'float32', undefined, Float32Array.from(acc));
  };
}

export function installWasmGradientFallbacks(
  tf: TF,
  kernels: readonly string[] = WASM_MISSING_GRADIENT_KERNELS,
  replace: readonly string[] = WASM_BROKEN_GRADIENT_KERNELS,
): string[] {
  const backendName = 'wasm';
  const installed: string[] = [];
  if (!tf.findBackendFactory(backendName) && !tf.engine().registry[backendName]) return installed;
  const unregister = (tf as unknown as { unregisterKernel?: (k: string, b: string) => void }).unregisterKernel;
  for (const name of [...kernels, ...replace]) {
    const existing = tf.getKernel(name, backendName);
    if (existing && ((existing.kernelFunc as unknown as Record<symbol, boolean>)[BRIDGED] || !replace.includes(name) || !unregister)) {
      continue;
    }
    const cpuKernel = tf.getKernel(name, 'cpu');
    if (!cpuKernel) continue;
    if (existing) unregister!(name, backendName);
    const kernelFunc = Object.assign(
      ({ inputs, attrs, backend }: { inputs: unknown; attrs?: unknown; backend: unknown }) => {
        const wasm = backend as unknown as BackendLike;
        const cpu = tf.findBackend('cpu') as unknown as BackendLike | null;
        if (!cpu) throw new Error(`cpu backend unavailable for the ${name} fallback`);
        const temps: object[] = [];
        const cpuInputs: Record<string, TensorInfoLike> = {};
        for (const [k, t] of Object.entries(inputs as Record<string, TensorInfoLike>)) {
          const values = wasm.readSync(t.dataId).slice();
          const id = cpu.write(values, t.shape, t.dtype);
          temps.push(id);
          cpuInputs[k] = { dataId: id, shape: t.shape, dtype: t.dtype };
        }
        try {
          const out = cpuKernel.kernelFunc({
            inputs: cpuInputs as never,
            attrs: attrs as never,
            backend: cpu as never,
          }) as unknown as TensorInfoLike | TensorInfoLike[];
          const outs = Array.isArray(out) ? out : [out];
          const res = outs.map((o) => {
            const values = cpu.readSync(o.dataId).slice();
            cpu.disposeData(o.dataId);
            return wasm.makeOutput!(o.shape, o.dtype, undefined, values);
          });
          return (Array.isArray(out) ? res : res[0]) as never;
        } finally {
          for (const id of temps) cpu.disposeData(id);
        }
      },
      { [BRIDGED]: true },
    );
    const fast =
      name === 'Conv2DBackpropFilter'
        ? conv2DBackpropFilterViaConv(tf, kernelFunc as unknown as KernelFn)
        : name === 'MaxPoolGrad'
          ? maxPoolGradInJs(tf, kernelFunc as unknown as KernelFn)
          : undefined;
    const registered = fast ? Object.assign(fast, { [BRIDGED]: true }) : kernelFunc;
    tf.registerKernel({ kernelName: name, backendName, kernelFunc: registered as never });
    installed.push(name);
  }
  return installed;
}

/**
 * Replaces the wasm kernel `name` by `wrap(original)`, once: the replacement carries `marker`, so a second call finds
 * it and changes nothing. False when the kernel is not registered or this tfjs cannot unregister kernels.
 */
function wrapWasmKernel(tf: TF, name: string, marker: symbol, wrap: (original: KernelFn) => KernelFn): boolean {
  const orig = tf.getKernel(name, 'wasm');
  const unregister = (tf as unknown as { unregisterKernel?: (k: string, b: string) => void }).unregisterKernel;
  if (!orig || !unregister) return false;
  const origFunc = orig.kernelFunc as unknown as KernelFn & { [marker: symbol]: boolean };
  if (origFunc[marker]) return true;
  const wrapped = wrap(origFunc) as KernelFn & { [marker: symbol]: boolean };
  wrapped[marker] = true;
  unregister(name, 'wasm');
  tf.registerKernel({ ...orig, kernelFunc: wrapped as never });
  return true;
}

const WRAPPED = Symbol.for('initlens.wasmMatMulTransposeFix');

/**
 * tfjs-backend-wasm 4.22's BatchMatMul is fast (XNNPACK) only without transposes; with transposeA or
 * transposeB it runs a naive loop, 15–30× slower (512×512: 9 ms plain, 122–284 ms transposed). Every matmul
 * gradient is a transposed matmul, so a backward pass through dense layers spends almost all its time there.
 * This wraps the wasm kernel: transposed operands are first transposed physically (wasm Transpose, ~3 ms) and
 * then multiplied without flags by the original kernel. Results are the same products; only the speed changes.
 * Idempotent; returns whether the wrapper is installed. A no-op on other backends.
 */
export function installWasmMatMulTransposeFix(tf: TF): boolean {
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!transpose) return false;
  return wrapWasmKernel(tf, 'BatchMatMul', WRAPPED, (origFunc) => ((args: { inputs: { a: TensorInfoLike; b: TensorInfoLike }; backend: BackendLike; attrs: Record<string, unknown> }) => {
    const { inputs, backend, attrs } = args;
    if (!attrs.transposeA && !attrs.transposeB) return origFunc(args);
    return withTemps(backend, (run) => {
      const flip = (t: TensorInfoLike): TensorInfoLike => {
        const r = t.shape.length;
        return run(transpose, { x: t }, { perm: [...Array.from({ length: r - 2 }, (_, i) => i), r - 1, r - 2] });
      };
      const a = attrs.transposeA ? flip(inputs.a) : inputs.a;
      const b = attrs.transposeB ? flip(inputs.b) : inputs.b;
      return origFunc({ ...args, inputs: { a, b }, attrs: { ...attrs, transposeA: false, transposeB: false } });
    });
  }) as unknown as KernelFn);
}

const FAST = Symbol.for('initlens.wasmFastConv2DBackpropInput');

/**
 * tfjs-backend-wasm 4.22's Conv2DBackpropInput (the input gradient of every convolution, and the forward pass of
 * conv2dTranspose) is a scalar C++ loop, not XNNPACK: ~8× slower than the forward convolution of the same size
 * (ResNet-18 at 56×56, batch 16: 1.5 s of a 2.6 s backward pass). This wraps it with the textbook identity
 * dx = conv(dilate(dy, strides), flip(W)ᵀ): dy is dilated by the strides (s − 1 zeros between elements: a
 * reshape to [b, h, 1, w, 1, c], a zero pad and a reshape back, cut to (h − 1)·s + 1), the filter
 * [kh, kw, ci, co] is reversed in both spatial axes and transposed to [kh, kw, co, ci] (in JavaScript), and wasm's XNNPACK
 * Conv2D runs with stride 1 and padding kh − 1 − pad_top above (kw − 1 − pad_left on the left) and what makes
 * the output the input's size below (right). Same sums; with strides > 1 it multiplies the inserted zeros too
 * (3/4 of the work at stride 2) and is still faster with enough channels. Falls back to the original kernel for
 * NCHW, a padding that the identity cannot express, few input channels or large strides (see the break-even). Idempotent; returns whether the wrapper is installed.
 */
export function installWasmConv2DBackpropInputFix(tf: TF): boolean {
  const k = (n: string) => tf.getKernel(n, 'wasm');
  const [conv, pad, reshape, slice] = ['Conv2D', 'PadV2', 'Reshape', 'Slice'].map(k);
  if (!conv || !pad || !reshape || !slice) return false;
  return wrapWasmKernel(tf, 'Conv2DBackpropInput', FAST, (origFunc) => (args: Parameters<KernelFn>[0]) => {
    const { inputs, backend, attrs } = args;
    const dy = inputs.dy;
    const filter = inputs.filter;
    const be = backend as BackendLike;
    if ((attrs.dataFormat ?? 'NHWC') !== 'NHWC' || dy.shape.length !== 4 || filter.shape.length !== 4 || filter.dtype !== 'float32' || !be.makeOutput) {
      return origFunc(args);
    }
    const xShape = attrs.inputShape as [number, number, number, number];
    const info = tf.backend_util.computeConv2DInfo(
      xShape,
      filter.shape as [number, number, number, number],
      attrs.strides as number | [number, number],
      1,
      attrs.pad as 'valid',
      attrs.dimRoundingMode as 'floor' | undefined,
    );
    const [kh, kw, ci, co] = filter.shape;
    const [b, ho, wo] = dy.shape;
    const sh = info.strideHeight;
    const sw = info.strideWidth;
    const dh = (ho - 1) * sh + 1;
    const dw = (wo - 1) * sw + 1;
    const top = kh - 1 - info.padInfo.top;
    const left = kw - 1 - info.padInfo.left;
    const bottom = info.inHeight + kh - 1 - top - dh;
    const right = info.inWidth + kw - 1 - left - dw;
    if (top < 0 || left < 0 || bottom < 0 || right < 0 || ho !== info.outHeight || wo !== info.outWidth) return origFunc(args);
    // XNNPACK is ~10× the scalar loop with many output channels (ci here), no better with a handful; the
    // dilation multiplies the work by sh·sw. Measured break-even: ci ≥ 8 at stride 1, ci ≥ 16 up to 4 taps of
    // stride (2 × 2); a 7×7/2 stem's gradient into 3 image channels stays with the original loop.
    if (ci < (sh * sw > 1 ? 16 : 8) || sh * sw > 4) return origFunc(args);
    return withTemps(backend, (run, keep) => {
      // flipped[a, b, o, i] = filter[kh−1−a, kw−1−b, i, o], in JavaScript: wasm's Reverse is a scalar loop
      // (~80 ms for a 3×3×512×512 filter, this ~10 ms).
      const w = be.readSync(filter.dataId) as unknown as Float32Array;
      const f = new Float32Array(w.length);
      for (let a = 0; a < kh; a++) {
        for (let bb = 0; bb < kw; bb++) {
          const src = ((kh - 1 - a) * kw + (kw - 1 - bb)) * ci * co;
          const dst = (a * kw + bb) * co * ci;
          for (let i = 0; i < ci; i++) for (let o = 0; o < co; o++) f[dst + o * ci + i] = w[src + i * co + o];
        }
      }
      const flipped = keep(be.makeOutput!([kh, kw, co, ci], 'float32', undefined, f));
      let d = dy;
      if (sh > 1 || sw > 1) {
        const r6 = run(reshape!, { x: dy }, { shape: [b, ho, 1, wo, 1, co] });
        const p6 = run(pad!, { x: r6 }, { paddings: [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]], constantValue: 0 });
        const r4 = run(reshape!, { x: p6 }, { shape: [b, ho * sh, wo * sw, co] });
        d = run(slice!, { x: r4 }, { begin: [0, 0, 0, 0], size: [b, dh, dw, co] });
      }
      return (conv!.kernelFunc as KernelFn)({
        inputs: { x: d, filter: flipped },
        backend,
        attrs: {
          strides: [1, 1],
          pad: [
            [0, 0],
            [top, bottom],
            [left, right],
            [0, 0],
          ],
          dataFormat: 'NHWC',
          dilations: [1, 1],
          dimRoundingMode: undefined,
        },
      });
    });
  });
}

const FAST_TILE = Symbol.for('initlens.wasmFastTile');

/**
 * tfjs-backend-wasm 4.22's Tile is a scalar index loop (~10 ms for 16×28×28×64 outputs). The gradient of batch
 * normalization tiles per-channel vectors to the input's shape ([1, 1, 1, c] → [b, h, w, c]) several times per
 * layer. When every repeated axis of the input has size 1, tiling is broadcasting: this wraps Tile to compute
 * zeros(output shape) + x with wasm's Fill and (XNNPACK, broadcasting) Add instead, exactly the same values.
 * Other tilings keep the original kernel. Idempotent; returns whether the wrapper is installed.
 */
export function installWasmTileFix(tf: TF): boolean {
  const fill = tf.getKernel('Fill', 'wasm');
  const add = tf.getKernel('Add', 'wasm');
  if (!fill || !add) return false;
  return wrapWasmKernel(tf, 'Tile', FAST_TILE, (origFunc) => (args: Parameters<KernelFn>[0]) => {
    const { inputs, backend, attrs } = args;
    const x = inputs.x;
    const reps = attrs.reps as number[];
    if (x.dtype !== 'float32' || reps.length !== x.shape.length || reps.some((r, i) => r > 1 && x.shape[i] !== 1)) return origFunc(args);
    const shape = x.shape.map((d, i) => d * reps[i]);
    const zeros = (fill.kernelFunc as unknown as KernelFn)({ inputs: {}, backend, attrs: { shape, value: 0, dtype: 'float32' } });
    try {
      return (add.kernelFunc as unknown as KernelFn)({ inputs: { a: zeros, b: x }, backend, attrs: {} });
    } finally {
      (backend as BackendLike).disposeData(zeros.dataId);
    }
  });
}
