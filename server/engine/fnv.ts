/**
 * 32-bit FNV-1 (multiply, then XOR each byte; NOT FNV-1a) over the UTF-8 bytes of a string,
 * as Go's hash/fnv New32() computes it. Used by the RSP planner to order clusters (and by the
 * language server to name schema variants).
 */

const OFFSET_BASIS = 2166136261;
const PRIME = 16777619;

const encoder = new TextEncoder();

/** FNV-1 32-bit hash of the given bytes or of the UTF-8 encoding of a string (unsigned result). */
export function fnv1_32(input: string | Uint8Array, seed: number = OFFSET_BASIS): number {
  const bytes = typeof input === 'string' ? encoder.encode(input) : input;
  let hash = seed >>> 0;
  for (const b of bytes) {
    hash = Math.imul(hash, PRIME) >>> 0;
    hash = (hash ^ b) >>> 0;
  }
  return hash;
}

/** Hash of several strings written one after another (Go: hasher.Write(a); hasher.Write(b)). */
export function fnv1_32Concat(...parts: string[]): number {
  let hash = OFFSET_BASIS;
  for (const p of parts) hash = fnv1_32(p, hash);
  return hash;
}
