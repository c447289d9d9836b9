/**
 * `benchRov()` for `npm run bench`: loads a VRP set of realistic size (≈500,000 VRPs, about as many as
 * the five RIRs' trust anchors yield today, four in five IPv4) from a Routinator-style CSV export,
 * then validates routes of a generated table against it. Deterministic: a fixed seed.
 */
import { seededRandom, randomInt } from "../random";
import { formatIpv4 } from "../net/ipv4";
import { formatIpv6 } from "../netfilter/address";
import { parseCsvExport } from "./export";
import { truncate4, truncate6, type IpPrefix } from "./prefix";
import { vrpIndex, type RovState } from "./rov";

export interface RovBench {
  readonly vrps: number;
  /** Reading the CSV export (text → VRPs, every field checked). */
  readonly parseMs: number;
  /** Building the index from the VRPs. */
  readonly indexMs: number;
  readonly routes: number;
  readonly validationsPerSecond: number;
  /** How the generated routes came out, as a sanity check on the mix. */
  readonly states: Readonly<Record<RovState, number>>;
}

// Lengths as they are spread in real VRP sets: IPv4 mostly /24 and /22–/23, IPv6 mostly /32–/48.
const V4_LENGTHS = [...Array<number>(55).fill(24), ...Array<number>(8).fill(23), ...Array<number>(12).fill(22), ...Array<number>(5).fill(21), ...Array<number>(6).fill(20), 19, 19, 19, 19, 18, 18, 17, 17, 16, 16, 16, 16, 15];
const V6_LENGTHS = [48, 48, 48, 32, 32, 29, 36, 40, 44, 47, 28, 30];

/** A generated VRP export (CSV) and routes to validate against it. */
export function generateRovWorkload(vrpCount = 500_000, routeCount = 200_000, seed = 6811): { csv: string; routes: { prefix: IpPrefix; origin: number }[] } {
  const next = seededRandom(seed);
  const lines = ["ASN,IP Prefix,Max Length,Trust Anchor"];
  const owned: { prefix: IpPrefix; asn: number; maxLength: number }[] = [];
  const tas = ["afrinic", "apnic", "arin", "lacnic", "ripe"];
  for (let i = 0; i < vrpCount; i++) {
    const asn = randomInt(next, 1, 400_000);
    const ta = tas[randomInt(next, 0, 4)]!;
    let prefix: IpPrefix;
    if (next() < 0.8) {
      const length = V4_LENGTHS[randomInt(next, 0, V4_LENGTHS.length - 1)]!;
      prefix = { family: 4, network: truncate4(randomInt(next, 0x01000000, 0xdfffffff) >>> 0, length), length };
    } else {
      const length = V6_LENGTHS[randomInt(next, 0, V6_LENGTHS.length - 1)]!;
      const high = (0x2000n << 112n) | (BigInt(randomInt(next, 0, 0x0fff)) << 112n) | (BigInt(randomInt(next, 0, 0xffffffff)) << 80n);
      prefix = { family: 6, network: truncate6(high, length), length };
    }
    const maxLength = next() < 0.75 ? prefix.length : Math.min(prefix.length + randomInt(next, 1, 8), prefix.family === 4 ? 32 : 128);
    owned.push({ prefix, asn, maxLength });
    const text = prefix.family === 4 ? formatIpv4(prefix.network) : formatIpv6(prefix.network);
    lines.push(`AS${asn},${text}/${prefix.length},${maxLength},${ta}`);
  }
  const routes: { prefix: IpPrefix; origin: number }[] = [];
  for (let i = 0; i < routeCount; i++) {
    const roll = next();
    if (roll < 0.55) {
      // A route under a ROA: its own prefix or a more-specific, from its AS or (rarely) another.
      const o = owned[randomInt(next, 0, owned.length - 1)]!;
      const extra = randomInt(next, 0, 2);
      const length = Math.min(o.prefix.length + extra, o.prefix.family === 4 ? 32 : 128);
      const origin = next() < 0.95 ? o.asn : randomInt(next, 1, 400_000);
      routes.push({ prefix: o.prefix.family === 4 ? { family: 4, network: o.prefix.network, length } : { family: 6, network: o.prefix.network, length }, origin });
    } else {
      const length = V4_LENGTHS[randomInt(next, 0, V4_LENGTHS.length - 1)]!;
      routes.push({ prefix: { family: 4, network: truncate4(randomInt(next, 0x01000000, 0xdfffffff) >>> 0, length), length }, origin: randomInt(next, 1, 400_000) });
    }
  }
  return { csv: lines.join("\n") + "\n", routes };
}

/**
 * Loads ≈500k VRPs and validates 200k routes; returns the load time (parse + index) and validations
 * per second.
 *
 * @example const { parseMs, indexMs, validationsPerSecond } = benchRov();
 */
export function benchRov(vrpCount = 500_000, routeCount = 200_000): RovBench {
  const { csv, routes } = generateRovWorkload(vrpCount, routeCount);
  const t0 = performance.now();
  const parsed = parseCsvExport(csv, "generated.csv");
  const t1 = performance.now();
  const index = vrpIndex(parsed.vrps);
  const t2 = performance.now();
  const states: Record<RovState, number> = { Valid: 0, Invalid: 0, NotFound: 0 };
  for (const route of routes) states[index.validate(route.prefix, route.origin).state]++;
  const t3 = performance.now();
  return {
    vrps: index.size,
    parseMs: t1 - t0,
    indexMs: t2 - t1,
    routes: routes.length,
    validationsPerSecond: Math.round(routes.length / ((t3 - t2) / 1000)),
    states,
  };
}
