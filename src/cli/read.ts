/**
 * Reading one source file for a check: size cap, binary and encoding checks, each failure one sentence.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { describeFsError, errorCode } from './files';

/** Files larger than this are skipped (generated bundles, data files with a source extension). */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

export type ReadResult =
  | { ok: true; text: string }
  /** `fatal`: the file could not be read at all (counts for the exit status); else it was skipped. */
  | { ok: false; message: string; fatal: boolean };

const decoder = new TextDecoder('utf-8', { fatal: true });

export function readSource(file: string, maxBytes: number = MAX_FILE_BYTES): ReadResult {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    return { ok: false, message: describeFsError(error, 'file'), fatal: errorCode(error) !== 'ELOOP' };
  }
  try {
    const size = fstatSync(fd).size;
    if (size > maxBytes) {
      return { ok: false, message: `skipped: ${formatBytes(size)}, larger than the ${formatBytes(maxBytes)} limit`, fatal: false };
    }
    // Read at most maxBytes + 1, in case the file grew since the stat.
    const buffer = Buffer.alloc(Math.min(size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length === buffer.length) break;
    }
    if (length > maxBytes) {
      return { ok: false, message: `skipped: larger than the ${formatBytes(maxBytes)} limit`, fatal: false };
    }
    const bytes = buffer.subarray(0, length);
    if (bytes.includes(0)) return { ok: false, message: 'skipped: binary file (contains NUL bytes)', fatal: false };
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      const at = firstInvalidUtf8(bytes);
      const where = at === undefined ? '' : ` (first bad byte on line ${lineOfByte(bytes, at)}, byte offset ${at})`;
      return { ok: false, message: `skipped: not valid UTF-8${where}`, fatal: false };
    }
    return { ok: true, text };
  } catch (error) {
    return { ok: false, message: describeFsError(error, 'file'), fatal: true };
  } finally {
    closeSync(fd);
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${trim(n / (1024 * 1024))} MB`;
  if (n >= 1024) return `${trim(n / 1024)} KB`;
  return `${n} bytes`;
}

function trim(x: number): string {
  return x.toFixed(1).replace(/\.0$/, '');
}

/** Byte offset of the first byte that breaks UTF-8, found by decoding growing prefixes (binary search). */
function firstInvalidUtf8(bytes: Uint8Array): number | undefined {
  const valid = (end: number): boolean => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  // valid(end) with stream:true accepts a prefix that ends inside a multi-byte sequence, so it is monotone.
  let lo = 0;
  let hi = bytes.length;
  if (valid(hi)) return undefined;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (valid(mid + 1)) lo = mid + 1;
    else hi = mid;
  }
  // The decoder fails on the byte after a cut-short sequence; the bad sequence starts at its lead byte.
  for (let j = lo - 1; j >= Math.max(0, lo - 3); j--) {
    const b = bytes[j];
    if (b >= 0x80 && b < 0xc0) continue; // continuation byte
    if (b >= 0xc0) return j;
    break;
  }
  return lo;
}

function lineOfByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 10) line++;
  return line;
}
