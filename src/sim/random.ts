/**
 * A small seeded generator (mulberry32): the same seed yields the same sequence on every platform,
 * which is what makes a trace reproducible byte for byte.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [low, high], inclusive. */
export function randomInt(next: () => number, low: number, high: number): number {
  return low + Math.floor(next() * (high - low + 1));
}

/**
 * An ephemeral source port from the Linux default range (net.ipv4.ip_local_port_range = 32768–60999).
 */
export function ephemeralPort(next: () => number): number {
  return randomInt(next, 32768, 60999);
}
