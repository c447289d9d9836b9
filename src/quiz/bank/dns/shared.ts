import { resolveDnsChain, type DnsChain, type DnsChainInput, type DnsModel, type DnsSetup, type ResolverCache } from "../../../sim/edge/dns-chain";
import type { Exhibit, LabLink } from "../../engine/types";

/** What the DNS templates share: the lesson, links into its two labs, the settings as chips. */
export { misconceptionAnswers } from "../journey/shared";

export const LESSON = "domains-dns-and-the-host-header";
export const LESSON_PAGE = `/lessons/${LESSON}/`;

export const SETUP_WORDS: Record<DnsSetup, string> = {
  proxied: "Cloudflare is authoritative for example.com and the www record is proxied (orange cloud)",
  "dns-only": "Cloudflare is authoritative for example.com and the www record is DNS only (grey cloud)",
  "cloud-dns": "example.com is hosted in Google Cloud DNS, with no Cloudflare",
};
export const CACHE_WORDS: Record<ResolverCache, string> = {
  cold: "has just started, with an empty cache (root hints only)",
  warm: "looked up another name in example.com an hour ago, so it holds the delegations of com and example.com",
  hot: "answered the same question two minutes ago, within the record's TTL",
};

export function chainLab(input: DnsChainInput, step: string | null = null): LabLink {
  return {
    page: LESSON_PAGE, lab: "dns-chain",
    query: {
      "dns-chain.setup": input.setup, "dns-chain.cache": input.cache, "dns-chain.qmin": input.qnameMinimisation ? "on" : "off",
      ...(step ? { "dns-chain.step": step } : {}),
    },
  };
}

export function chainExhibit(input: DnsChainInput): Exhibit {
  return {
    kind: "settings",
    chips: [
      { key: "setup", label: "Published by", value: { proxied: "Cloudflare, proxied", "dns-only": "Cloudflare, DNS only", "cloud-dns": "Cloud DNS" }[input.setup] },
      { key: "cache", label: "Resolver cache", value: input.cache },
      { key: "qmin", label: "QNAME minimisation", value: input.qnameMinimisation ? "on" : "off" },
    ],
  };
}

/** Chains are pure functions of (input, model): a variant that reads several facts computes each once. */
const cache = new Map<string, DnsChain>();
export function chain(input: DnsChainInput, model: DnsModel | null = null): DnsChain {
  const key = JSON.stringify([input, model]);
  let c = cache.get(key);
  if (!c) {
    if (cache.size > 500) cache.clear();
    c = resolveDnsChain(input, model);
    cache.set(key, c);
  }
  return c;
}
