import type { AnyTemplate } from "../../engine/types";
import { cacheHitSavings } from "./cache-hit-savings";
import { dnsAddresses } from "./dns-addresses";
import { tlsTerminationsCompare } from "./tls-terminations-compare";
import { whyDnsOnlyFails } from "./why-dns-only-fails";

/** The compare questions, one line per template. */
export const COMPARE_TEMPLATES: readonly AnyTemplate[] = [
  tlsTerminationsCompare,
  whyDnsOnlyFails,
  cacheHitSavings,
  dnsAddresses,
];
