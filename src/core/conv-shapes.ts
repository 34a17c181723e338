/**
 * Output lengths of convolutions and pooling along one spatial axis, as Keras and tfjs compute them
 * (Keras conv_utils.conv_output_length / deconv_output_length; tfjs-layers utils/conv_utils.ts). Unknown or
 * invalid inputs give undefined.
 */
export type Dim = number | undefined;

const okInt = (n: Dim): n is number => n !== undefined && Number.isInteger(n) && n >= 0;

export function convOutputLength(len: Dim, k: Dim, padding: string | undefined, stride: Dim, dilation: Dim): Dim {
  if (!okInt(len) || !okInt(k) || !okInt(stride) || !okInt(dilation) || stride === 0) return undefined;
  const dk = k + (k - 1) * (dilation - 1);
  let out: number;
  if (padding === 'same' || padding === 'causal') out = len;
  else if (padding === 'valid') out = len - dk + 1;
  else return undefined;
  const r = Math.floor((out + stride - 1) / stride);
  return r >= 0 ? r : undefined;
}

export function deconvOutputLength(len: Dim, stride: Dim, k: Dim, padding: string | undefined): Dim {
  if (!okInt(len) || !okInt(k) || !okInt(stride)) return undefined;
  if (padding === 'valid') return len * stride + Math.max(k - stride, 0);
  if (padding === 'same') return len * stride;
  return undefined;
}

export const mulDims = (a: Dim, b: Dim): Dim => (a === undefined || b === undefined ? undefined : a * b);
