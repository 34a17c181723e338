/**
 * What the interpreter asks of a framework runtime (torch-runtime.ts, keras-runtime.ts) about the modules and
 * layers it builds: one object per framework, chosen by the module's `fw`, instead of a conditional per site.
 */
import type { CallArgs, Interp } from './interpreter';
import type { Node } from './syntax';
import type { ModV, Shape, V } from './values';

export interface FrameworkRuntime {
  /** The method a subclassed model's data flow is traced through (`forward`, `call`). */
  readonly forwardMethod: string;
  /** The shape of the first symbolic input of a traced subclassed model (`{}` when unknown). */
  traceInputShape(m: ModV): Shape;
  /** The note for a module with children but no forward method, if the framework needs one. */
  missingForwardNote(m: ModV): string | undefined;
  /** Calls a module or layer on its arguments. */
  callModule(ip: Interp, m: ModV, args: CallArgs, at: Node): V;
  /** An attribute of a module that is neither a child, an attribute set by the code, nor a class attribute. */
  moduleAttr(ip: Interp, m: ModV, name: string, at: Node): V;
  /** `m[idx]`. */
  moduleItem(ip: Interp, m: ModV, idx: V, at: Node): V;
  /** `m.name(args)` for the framework's own methods. */
  moduleMethod(ip: Interp, m: ModV, name: string, args: CallArgs, at: Node): V;
  /** `isinstance(m, path)` for a framework class `path`; undefined when it cannot be decided. */
  isInstance(ip: Interp, m: ModV, path: string): boolean | undefined;
}
