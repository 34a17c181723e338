/**
 * The TensorFlow.js backend of the page: WebGPU, then WebGL, then WASM, then CPU, the first that initializes and
 * passes a small smoke test. A backend that fails (at start, during a run, or by losing its WebGL context) is
 * marked failed and the next one takes over; the page says which backend runs and why others did not.
 *
 * WASM: the .wasm files are served from the extension (webview.asWebviewUri) and located with setWasmPaths; the
 * page's CSP allows WebAssembly compilation with 'wasm-unsafe-eval'. The multi-threaded variant needs
 * cross-origin isolation and a worker from a blob URL, which the page does not allow: it is switched off.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgpu';

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export const BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];
export const BACKEND_LABEL: Record<BackendName, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WASM', cpu: 'CPU' };

export interface BackendAttempt {
  name: BackendName;
  ok: boolean;
  reason?: string;
}

export interface ActiveBackend {
  name: BackendName;
  /** Runs on the CPU although it is a GPU backend (software WebGL), or is the CPU backend: much slower. */
  slow: boolean;
  /** "SwiftShader", "SIMD", the adapter's description. */
  detail: string;
  attempts: BackendAttempt[];
}

export { tf };

let wasmConfigured = false;

function configureWasm(base: string | undefined): void {
  if (wasmConfigured) return;
  wasmConfigured = true;
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (base) setWasmPaths(base.endsWith('/') ? base : `${base}/`);
}

async function smokeTest(): Promise<void> {
  const t = tf.tidy(() => tf.matMul(tf.ones([8, 8]), tf.ones([8, 8])));
  const d = await t.data();
  t.dispose();
  if (d[0] !== 8 || d[63] !== 8) throw new Error(`smoke test computed ${d[0]} instead of 8`);
}

async function detailOf(name: BackendName): Promise<string> {
  try {
    if (name === 'webgl') {
      const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl;
      if (!gl) return `WebGL ${tf.env().getNumber('WEBGL_VERSION')}`;
      const ext = gl.getExtension('WEBGL_debug_renderer_info');
      const renderer = String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
      const short = /SwiftShader/i.test(renderer) ? 'SwiftShader (software)' : renderer.replace(/^ANGLE \((.*)\)$/, '$1').slice(0, 60);
      return `WebGL ${tf.env().getNumber('WEBGL_VERSION')} · ${short}`;
    }
    if (name === 'wasm') {
      const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
      return simd ? 'SIMD' : 'no SIMD';
    }
    if (name === 'webgpu') {
      const info = (tf.backend() as unknown as { adapterInfo?: { vendor?: string; architecture?: string } }).adapterInfo;
      return info ? [info.vendor, info.architecture].filter(Boolean).join(' ') || 'WebGPU' : 'WebGPU';
    }
  } catch {
    /* details are cosmetic */
  }
  return name === 'cpu' ? 'JavaScript' : '';
}

/** Whether tfjs's WebGL context is rendered in software (SwiftShader, llvmpipe, Microsoft Basic Render). */
function softwareGl(): boolean {
  try {
    const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl;
    if (!gl) return false;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
    return /SwiftShader|llvmpipe|softpipe|Software|Basic Render/i.test(renderer);
  } catch {
    return false;
  }
}

async function available(name: BackendName): Promise<string | undefined> {
  if (name === 'webgpu') {
    const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
    if (!gpu) return 'navigator.gpu is not available';
    try {
      if (!(await gpu.requestAdapter())) return 'no WebGPU adapter';
    } catch (e) {
      return `no WebGPU adapter (${(e as Error).message})`;
    }
  }
  if (name === 'webgl') {
    const c = document.createElement('canvas');
    if (!c.getContext('webgl2') && !c.getContext('webgl')) return 'WebGL is not available';
  }
  if (name === 'wasm' && typeof WebAssembly === 'undefined') return 'WebAssembly is not available';
  return undefined;
}

export class Backends {
  readonly failed = new Map<BackendName, string>();
  active?: ActiveBackend;
  private lostListener?: () => void;

  constructor(
    private readonly wasmBase: string | undefined,
    private readonly onLost: (name: BackendName, reason: string) => void,
  ) {}

  /** Marks the active backend failed (a run threw on it); the next `ensure` picks another. */
  fail(name: BackendName, reason: string): void {
    this.failed.set(name, reason);
    if (this.active?.name === name) this.active = undefined;
  }

  /**
   * The backend to run on: the preferred one if it works, else the first that does in the fallback order. In the
   * automatic order a software-rendered WebGL (SwiftShader, llvmpipe: no GPU) goes after WASM, which is an order
   * of magnitude faster than it on the same CPU; it is still used when WASM fails.
   */
  ensure(prefer: 'auto' | BackendName): Promise<ActiveBackend> {
    // One initialization at a time: a second caller (the page starts the backend while it waits for the model)
    // shares the one in progress.
    if (this.starting?.prefer === prefer) return this.starting.promise;
    // Another preference while one starts: after it (tfjs initializes one backend at a time).
    const before = this.starting?.promise.catch(() => undefined);
    const promise = (before ? before.then(() => this.start(prefer)) : this.start(prefer)).finally(() => {
      if (this.starting?.promise === promise) this.starting = undefined;
    });
    this.starting = { prefer, promise };
    return promise;
  }

  private starting?: { prefer: 'auto' | BackendName; promise: Promise<ActiveBackend> };

  private async start(prefer: 'auto' | BackendName): Promise<ActiveBackend> {
    if (this.active && (prefer === 'auto' || prefer === this.active.name) && !this.failed.has(this.active.name)) return this.active;
    const order: BackendName[] = prefer === 'auto' ? [...BACKEND_ORDER] : [prefer, ...BACKEND_ORDER.filter((b) => b !== prefer)];
    const attempts: BackendAttempt[] = [];
    let deferredSoftwareGl = false;
    for (let k = 0; k < order.length; k++) {
      const name = order[k];
      if (name === 'webgl' && deferredSoftwareGl) {
        // The second time round: WASM did not work, so the software WebGL it is.
        attempts.splice(attempts.findIndex((a) => a.name === 'webgl'), 1);
      }
      const failed = this.failed.get(name);
      if (failed) {
        attempts.push({ name, ok: false, reason: failed });
        continue;
      }
      const why = await available(name);
      if (why) {
        this.failed.set(name, why);
        attempts.push({ name, ok: false, reason: why });
        continue;
      }
      try {
        if (name === 'wasm') configureWasm(this.wasmBase);
        const ok = await tf.setBackend(name);
        if (!ok) throw new Error('tfjs could not initialize it');
        await tf.ready();
        await smokeTest();
        if (name === 'webgl' && prefer === 'auto' && !deferredSoftwareGl && softwareGl()) {
          deferredSoftwareGl = true;
          attempts.push({ name, ok: false, reason: 'software-rendered (no GPU): WASM is faster here' });
          const wasmAt = order.indexOf('wasm');
          order.splice(wasmAt + 1, 0, 'webgl');
          continue;
        }
        this.watch(name);
        attempts.push({ name, ok: true });
        this.active = { name, detail: await detailOf(name), attempts, slow: name === 'cpu' || (name === 'webgl' && softwareGl()) };
        return this.active;
      } catch (e) {
        const reason = (e as Error).message || String(e);
        this.failed.set(name, reason);
        attempts.push({ name, ok: false, reason });
      }
    }
    throw new Error(`no TensorFlow.js backend works here: ${attempts.map((a) => `${a.name}: ${a.reason}`).join('; ')}`);
  }

  /** A lost WebGL context (GPU reset, too many contexts) fails the backend. */
  private watch(name: BackendName): void {
    if (name !== 'webgl') return;
    const canvas = (tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl?.canvas as HTMLCanvasElement | OffscreenCanvas | undefined;
    if (!canvas || this.lostListener) return;
    this.lostListener = () => {
      this.fail('webgl', 'the WebGL context was lost');
      this.onLost('webgl', 'the WebGL context was lost');
    };
    canvas.addEventListener('webglcontextlost', this.lostListener as EventListener);
  }
}
