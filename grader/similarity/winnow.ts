/**
 * Fingerprints by winnowing (Schleimer, Wilkerson, Aiken 2003, the method behind MOSS): hash every run of K tokens,
 * keep the smallest hash of every window of W consecutive hashes. Any run of K + W − 1 tokens two sources share yields
 * at least one shared fingerprint, and a source of n tokens keeps about 2n / (W + 1) of them.
 */
import type { Tokens } from './tokens';

/** Tokens per k-gram: shorter runs are too common (a `for` loop header) to say anything. */
export const K = 12;
/** Window of k-gram hashes; a shared run of K + W − 1 = 19 tokens (two or three lines) is always seen. */
export const W = 8;

export interface Fingerprint {
  readonly hash: number;
  /** index of the k-gram's first token */
  readonly position: number;
}

function kgramHashes({ codes }: Tokens): number[] {
  const hashes: number[] = [];
  for (let start = 0; start + K <= codes.length; start += 1) {
    // FNV-1a over the token codes, 32-bit
    let hash = 0x811c9dc5;
    for (let offset = 0; offset < K; offset += 1) hash = Math.imul(hash ^ codes[start + offset]!, 0x01000193);
    hashes.push(hash >>> 0);
  }
  return hashes;
}

/** The winnowed fingerprints of a token sequence, in order (the rightmost minimum of each window, once). */
export function winnow(tokens: Tokens): Fingerprint[] {
  const hashes = kgramHashes(tokens);
  if (hashes.length === 0) return [];
  if (hashes.length <= W) {
    const position = hashes.reduce((best, hash, index) => (hash <= hashes[best]! ? index : best), 0);
    return [{ hash: hashes[position]!, position }];
  }
  const fingerprints: Fingerprint[] = [];
  let chosen = -1;
  for (let end = W - 1; end < hashes.length; end += 1) {
    const start = end - W + 1;
    if (chosen < start) {
      chosen = start;
      for (let index = start + 1; index <= end; index += 1) if (hashes[index]! <= hashes[chosen]!) chosen = index;
      fingerprints.push({ hash: hashes[chosen]!, position: chosen });
    } else if (hashes[end]! <= hashes[chosen]!) {
      chosen = end;
      fingerprints.push({ hash: hashes[chosen]!, position: chosen });
    }
  }
  return fingerprints;
}
