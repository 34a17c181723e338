/**
 * Two pieces of tfjs machinery of the rebuild: a small custom Layer for functions tfjs has no layer for (created
 * once per tf instance), and the unfused computation of dense and 2-D convolution layers under tf.grads.
 */
import type * as TFNS from '@tensorflow/tfjs';
import type { AnyTensor, Layer } from './build-types';
import type { TF, Tensor } from './sample';
import { slotOfVariable } from './weights';

type FnLayerCtor = new (cfg: { name: string; fn: (x: Tensor) => Tensor; shape?: (s: number[]) => number[] }) => Layer;
const fnLayerCtors = new WeakMap<object, FnLayerCtor>();

export function fnLayerCtor(tf: TF): FnLayerCtor {
  const cached = fnLayerCtors.get(tf);
  if (cached) return cached;
  class InitLensFn extends tf.layers.Layer {
    static className = 'InitLensFn';
    private readonly fn: (x: Tensor) => Tensor;
    private readonly shapeFn?: (s: number[]) => number[];
    constructor(cfg: { name: string; fn: (x: Tensor) => Tensor; shape?: (s: number[]) => number[] }) {
      super({ name: cfg.name, trainable: false });
      this.fn = cfg.fn;
      this.shapeFn = cfg.shape;
    }
    override call(inputs: Tensor | Tensor[]): Tensor {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      return this.fn(x);
    }
    override computeOutputShape(inputShape: TFNS.Shape | TFNS.Shape[]): TFNS.Shape | TFNS.Shape[] {
      const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as TFNS.Shape;
      return this.shapeFn ? ([s[0], ...this.shapeFn(s.slice(1) as number[])] as TFNS.Shape) : s;
    }
  }
  fnLayerCtors.set(tf, InitLensFn);
  return InitLensFn;
}

/**
 * Dense and 2-D convolution layers applied to concrete tensors under tf.grads (measure.ts's backward pass) are
 * computed by unfused tfjs ops on the layer's own variables: the layers call tf.fused.matMul / tf.fused.conv2d,
 * whose gradient (a customGrad) always computes the kernel and bias gradients along with the input gradient, an
 * extra matmul or convolution (and its transposes) per layer that nobody reads, while the gradients of the
 * unfused ops are evaluated only for the inputs on the path to the loss; measure.ts asks for the gradients w.r.t.
 * layer inputs only, so the backward pass does about half the work. The products and sums are the same; only the
 * rounding of the bias addition may differ. Symbolic application (building the tfjs model) and every pass outside
 * tf.grads keep the layer's own call (its fused bias addition is the faster forward). Returns undefined when the
 * layer is to be applied as usual.
 */
export function unfusedUnderGrad(tf: TF, layer: Layer, op: (x: Tensor, kernel: Tensor) => Tensor): (x: AnyTensor) => Tensor | undefined {
  let vars: { kernel: TFNS.LayerVariable; bias?: TFNS.LayerVariable } | undefined;
  return (x) => {
    if (x instanceof tf.SymbolicTensor || tf.engine().state.gradientDepth === 0 || !layer.built) return undefined;
    if (!vars) {
      const kernel = layer.weights.find((v) => slotOfVariable(v.originalName) === 'kernel');
      if (!kernel) return undefined;
      vars = { kernel, bias: layer.weights.find((v) => slotOfVariable(v.originalName) === 'bias') };
    }
    const { kernel, bias } = vars;
    return tf.tidy(() => {
      const y = op(x, kernel.read());
      return bias ? tf.add(y, bias.read()) : y;
    });
  };
}

