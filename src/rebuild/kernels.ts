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
 * replaced by the cpu bridge (and Conv3DBackpropFilterV2 with them, as it shares the implementation pattern).
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
    const be = backend as BackendLike;
    const temps: TensorInfoLike[] = [];
    const run = (k: { kernelFunc: unknown }, inp: Record<string, TensorInfoLike>, at: Record<string, unknown>) => {
      const out = (k.kernelFunc as KernelFn)({ inputs: inp, backend, attrs: at });
      temps.push(out);
      return out;
    };
    try {
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
      const out = (transpose.kernelFunc as KernelFn)({ inputs: { x: cut }, backend, attrs: { perm: [1, 2, 0, 3] } });
      return out;
    } finally {
      for (const t of temps) be.disposeData(t.dataId);
    }
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
    const fast = name === 'Conv2DBackpropFilter' ? conv2DBackpropFilterViaConv(tf, kernelFunc as unknown as KernelFn) : undefined;
    const registered = fast ? Object.assign(fast, { [BRIDGED]: true }) : kernelFunc;
    tf.registerKernel({ kernelName: name, backendName, kernelFunc: registered as never });
    installed.push(name);
  }
  return installed;
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
  const name = 'BatchMatMul';
  const orig = tf.getKernel(name, 'wasm');
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!orig || !transpose) return false;
  const origFunc = orig.kernelFunc as unknown as ((args: unknown) => TensorInfoLike) & { [WRAPPED]?: boolean };
  if (origFunc[WRAPPED]) return true;
  const unregister = (tf as unknown as { unregisterKernel?: (k: string, b: string) => void }).unregisterKernel;
  if (!unregister) return false;
  const wrapped = ((args: { inputs: { a: TensorInfoLike; b: TensorInfoLike }; backend: BackendLike; attrs: Record<string, unknown> }) => {
    const { inputs, backend, attrs } = args;
    if (!attrs.transposeA && !attrs.transposeB) return origFunc(args);
    const temps: TensorInfoLike[] = [];
    const flip = (t: TensorInfoLike): TensorInfoLike => {
      const r = t.shape.length;
      const perm = [...Array.from({ length: r - 2 }, (_, i) => i), r - 1, r - 2];
      const out = transpose.kernelFunc({ inputs: { x: t } as never, backend: backend as never, attrs: { perm } }) as unknown as TensorInfoLike;
      temps.push(out);
      return out;
    };
    try {
      const a = attrs.transposeA ? flip(inputs.a) : inputs.a;
      const b = attrs.transposeB ? flip(inputs.b) : inputs.b;
      return origFunc({ ...args, inputs: { a, b }, attrs: { ...attrs, transposeA: false, transposeB: false } });
    } finally {
      for (const t of temps) backend.disposeData(t.dataId);
    }
  }) as unknown as typeof origFunc;
  wrapped[WRAPPED] = true;
  unregister(name, 'wasm');
  tf.registerKernel({ ...orig, kernelFunc: wrapped as never });
  return true;
}
