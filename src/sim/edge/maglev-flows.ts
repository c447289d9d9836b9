import { maglevFlowHash } from "./maglev";
import { seededRandom } from "../random";

/**
 * A flow as the Maglev models see it: its 5-tuple written out, and that text's 64-bit SipHash split
 * into two 32-bit halves, so every scheme (Maglev's slot, hash mod N, rendezvous weights, a router's
 * ECMP bucket) can work on plain numbers instead of bigints.
 */
export interface Flow {
  /** "tcp 198.51.100.23:51514 → 34.98.10.5:443" */
  readonly key: string;
  readonly hi: number;
  readonly lo: number;
}

/** The flow for a 5-tuple's text, hashed as `maglevLookup` hashes it. */
export function flowOf(key: string): Flow {
  const h = maglevFlowHash(key);
  return { key, hi: Number(h >> 32n), lo: Number(h & 0xffffffffn) };
}

const TWO_32 = 2 ** 32;

/**
 * The flow's 64-bit hash modulo n, without bigints: (hi·2³² + lo) mod n. Exact for n < 2²⁶, far above
 * any table or backend count here.
 *
 * @example hashMod(flowOf("tcp 198.51.100.23:51514 → 34.98.10.5:443"), 65537) // the flow's Maglev slot
 */
export function hashMod(flow: Pick<Flow, "hi" | "lo">, n: number): number {
  return (((flow.hi % n) * (TWO_32 % n)) % n + (flow.lo % n)) % n;
}

/** Client networks the sample flows come from: the three documentation blocks of RFC 5737. */
const CLIENT_NETS = ["192.0.2", "198.51.100", "203.0.113"] as const;

/**
 * `count` distinct TCP flows from clients to one VIP's port 443, the same for the same seed: the
 * population every disruption measurement compares schemes on. Source ports come from Linux's default
 * ephemeral range (32768–60999).
 */
export function sampleFlows(seed: number, count: number, vip = "34.98.10.5"): Flow[] {
  const random = seededRandom(seed);
  const seen = new Set<string>();
  const flows: Flow[] = [];
  while (flows.length < count) {
    const net = CLIENT_NETS[Math.floor(random() * CLIENT_NETS.length)]!;
    const host = 1 + Math.floor(random() * 254);
    const port = 32768 + Math.floor(random() * (60999 - 32768 + 1));
    const key = `tcp ${net}.${host}:${port} → ${vip}:443`;
    if (seen.has(key)) continue;
    seen.add(key);
    flows.push(flowOf(key));
  }
  return flows;
}
