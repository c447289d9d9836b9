import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CLOUD_DNS_NAMESERVERS, CLOUDFLARE_NAMESERVERS, COM_SERVERS, DNS_MODELS, DNS_SETUPS, formatDnsChain, ORIGIN, RESOLVER_CACHES, resolveDnsChain, ROOT_SERVERS,
  type DnsChainInput,
} from "../../../src/sim/edge/dns-chain";
import { CLOUDFLARE, isCloudflareAddress } from "../../../src/sim/edge/cloudflare";
import { GOOGLE } from "../../../src/sim/edge/google-edge";
import { computeTrace } from "../../../src/sim/scenarios/index";

const RUNS = Number(process.env.EDGE_PROPERTY_RUNS ?? 200);
const inputs = fc.record({
  setup: fc.constantFrom(...DNS_SETUPS),
  cache: fc.constantFrom(...RESOLVER_CACHES),
  qnameMinimisation: fc.boolean(),
}) as fc.Arbitrary<DnsChainInput>;

const step = (chain: ReturnType<typeof resolveDnsChain>, id: string) => {
  const s = chain.steps.find((x) => x.id === id);
  if (!s) throw new Error(`no step ${id}`);
  return s;
};

describe("the DNS chain, against published facts", () => {
  it("uses the flagship's addresses: Cloudflare's anycast address and the load balancer's reserved one", () => {
    expect(ORIGIN).toEqual({ asn: GOOGLE.asn, vip: GOOGLE.vip });
    expect(resolveDnsChain({ setup: "proxied", cache: "cold", qnameMinimisation: true }).connectsTo.ip).toBe(CLOUDFLARE.anycastIp);
  });

  it("starts from IANA's root hints: a.root-servers.net is 198.41.0.4 and there are 13 root identities", () => {
    expect(ROOT_SERVERS).toHaveLength(13);
    expect(ROOT_SERVERS[0]).toEqual({ name: "a.root-servers.net", ip: "198.41.0.4" });
    expect(ROOT_SERVERS.find((r) => r.name === "b.root-servers.net")?.ip).toBe("170.247.170.2"); // renumbered 2023-11-27
    expect(new Set(ROOT_SERVERS.map((r) => r.ip)).size).toBe(13);
  });

  it("has .com served by Verisign's a–m.gtld-servers.net, with the glue the root zone publishes", () => {
    expect(COM_SERVERS.map((s) => s.name)).toEqual("abcdefghijklm".split("").map((l) => `${l}.gtld-servers.net`));
    expect(COM_SERVERS[0]!.ip).toBe("192.5.6.30");
    const root = step(resolveDnsChain({ setup: "proxied", cache: "cold", qnameMinimisation: false }), "root");
    expect(root.response!.authority.every((r) => r.name === "com." && r.type === "NS" && r.ttl === 172800)).toBe(true);
    expect(root.response!.additional).toContainEqual({ name: "a.gtld-servers.net.", ttl: 172800, type: "A", data: "192.5.6.30" });
  });

  it("names Cloudflare's nameservers <name>.ns.cloudflare.com and Cloud DNS's ns-cloud-<x><n>.googledomains.com", () => {
    for (const ns of CLOUDFLARE_NAMESERVERS) expect(ns.name).toMatch(/^[a-z]+\.ns\.cloudflare\.com$/);
    for (const ns of CLOUD_DNS_NAMESERVERS) expect(ns.name).toMatch(/^ns-cloud-[a-e][1-4]\.googledomains\.com$/);
    // Cloudflare's nameservers answer from Cloudflare's own published ranges.
    for (const ns of CLOUDFLARE_NAMESERVERS) expect(isCloudflareAddress(ns.ip), ns.ip).toBe(true);
  });

  it("primes a cold resolver with '. NS' at a root server (RFC 9609), answered authoritatively", () => {
    const priming = step(resolveDnsChain({ setup: "proxied", cache: "cold", qnameMinimisation: true }), "priming");
    expect(priming.query!.question).toEqual({ name: ".", type: "NS" });
    expect(priming.response!.flags).toContain("aa");
    expect(priming.response!.answer).toHaveLength(13);
  });

  it("follows referrals root → .com → the zone's servers; referrals are not authoritative, the answer is (RFC 1034 §4.3.2)", () => {
    const chain = resolveDnsChain({ setup: "dns-only", cache: "cold", qnameMinimisation: false });
    expect(chain.steps.map((s) => s.id)).toEqual(["stub-query", "priming", "root", "tld", "authoritative", "stub-answer"]);
    expect(step(chain, "root").response!.flags).not.toContain("aa");
    expect(step(chain, "tld").response!.flags).not.toContain("aa");
    expect(step(chain, "authoritative").response!.flags).toContain("aa");
    // The stub asked for recursion; the resolver offers it and is not authoritative.
    expect(step(chain, "stub-query").query!.flags).toEqual(["rd"]);
    expect(step(chain, "stub-answer").response!.flags).toEqual(["qr", "rd", "ra"]);
    // The .com referral carries the delegation the registrar had published: NS and glue.
    const tld = step(chain, "tld").response!;
    expect(tld.authority.map((r) => r.data)).toEqual(CLOUDFLARE_NAMESERVERS.map((n) => `${n.name}.`));
    expect(tld.additional).toContainEqual({ name: "kay.ns.cloudflare.com.", ttl: 172800, type: "A", data: "108.162.192.125" });
  });

  it("a proxied record answers with Cloudflare's anycast address; DNS-only and Cloud DNS with the reserved global address", () => {
    const proxied = resolveDnsChain({ setup: "proxied", cache: "cold", qnameMinimisation: true });
    expect(proxied.connectsTo).toMatchObject({ ip: CLOUDFLARE.anycastIp, asn: 13335 });
    expect(proxied.originInDns).toBe(false);
    expect(proxied.originReachableDirectly).toBe(true);
    expect(step(proxied, "authoritative").response!.answer[0]).toMatchObject({ type: "A", data: "104.18.32.7", ttl: 300 });
    for (const setup of ["dns-only", "cloud-dns"] as const) {
      const chain = resolveDnsChain({ setup, cache: "cold", qnameMinimisation: true });
      expect(chain.connectsTo).toMatchObject({ ip: GOOGLE.vip, asn: 15169 });
      expect(chain.originInDns).toBe(true);
    }
    expect(step(resolveDnsChain({ setup: "cloud-dns", cache: "cold", qnameMinimisation: true }), "authoritative").to.name).toBe("ns-cloud-a1.googledomains.com");
  });

  it("agrees with the flagship's DNS answer for the same setting", () => {
    const flagship = (cloudflare: string) => computeTrace("cloudflare-gke", { cloudflare }).hops[0]!.events.find((e) => e.type === "dns-resolve");
    expect(flagship("on")).toMatchObject({ answer: resolveDnsChain({ setup: "proxied", cache: "cold", qnameMinimisation: true }).connectsTo.ip });
    expect(flagship("off")).toMatchObject({ answer: resolveDnsChain({ setup: "cloud-dns", cache: "cold", qnameMinimisation: true }).connectsTo.ip });
  });

  it("with QNAME minimisation each server sees only one label more than its zone (RFC 9156 §2)", () => {
    const chain = resolveDnsChain({ setup: "proxied", cache: "cold", qnameMinimisation: true });
    expect(step(chain, "root").query!.question.name).toBe("com.");
    expect(step(chain, "tld").query!.question.name).toBe("example.com.");
    expect(step(chain, "authoritative").query!.question.name).toBe("www.example.com.");
    const full = resolveDnsChain({ setup: "proxied", cache: "cold", qnameMinimisation: false });
    expect(step(full, "root").query!.question).toEqual({ name: "www.example.com.", type: "A" });
  });

  it("a warm cache asks only the zone's servers; a hot one asks nobody and counts the TTL down", () => {
    expect(resolveDnsChain({ setup: "proxied", cache: "cold", qnameMinimisation: true }).resolverQueries).toBe(4);
    const warm = resolveDnsChain({ setup: "proxied", cache: "warm", qnameMinimisation: true });
    expect(warm.resolverQueries).toBe(1);
    expect(warm.skipped).toHaveLength(2);
    const hot = resolveDnsChain({ setup: "proxied", cache: "hot", qnameMinimisation: true });
    expect(hot.resolverQueries).toBe(0);
    expect(step(hot, "stub-answer").response!.answer[0]!.ttl).toBe(180);
  });

  it("prints the messages in dig's sections", () => {
    const text = formatDnsChain(resolveDnsChain({ setup: "proxied", cache: "cold", qnameMinimisation: false }));
    expect(text).toContain(";; QUESTION SECTION:");
    expect(text).toContain(";; AUTHORITY SECTION:");
    expect(text).toMatch(/^ {3}www\.example\.com\. +300 +IN\tA +104\.18\.32\.7$/m);
    expect(text).toContain("origin address in DNS: no");
  });

  it("runs its wrong models: the registrar as a step, and a proxy believed to make the origin unreachable", () => {
    expect(Object.keys(DNS_MODELS)).toEqual(["registrar-answers-queries", "proxied-hides-origin"]);
    const believed = resolveDnsChain({ setup: "proxied", cache: "cold", qnameMinimisation: true }, "registrar-answers-queries");
    expect(believed.steps.map((s) => s.id)).toContain("registrar");
    expect(believed.resolverQueries).toBe(5);
    expect(resolveDnsChain({ setup: "proxied", cache: "cold", qnameMinimisation: true }, "proxied-hides-origin").originReachableDirectly).toBe(false);
  });
});

describe("DNS chain properties", () => {
  it("never queries the registrar, and the final answer does not depend on the cache or minimisation", () => {
    fc.assert(fc.property(inputs, (input) => {
      const chain = resolveDnsChain(input);
      expect(chain.steps.some((s) => s.to.role === "registrar")).toBe(false);
      const reference = resolveDnsChain({ setup: input.setup, cache: "cold", qnameMinimisation: false });
      expect(chain.connectsTo).toEqual(reference.connectsTo);
      expect(chain.steps.at(-1)!.response!.answer[0]!.data).toBe(chain.connectsTo.ip);
    }), { numRuns: RUNS });
  });

  it("a proxied name never reveals the origin's address in any message", () => {
    fc.assert(fc.property(inputs.filter((i) => i.setup === "proxied"), (input) => {
      const chain = resolveDnsChain(input);
      const records = chain.steps.flatMap((s) => (s.response ? [...s.response.answer, ...s.response.authority, ...s.response.additional] : []));
      expect(records.some((r) => r.data === GOOGLE.vip)).toBe(false);
    }), { numRuns: RUNS });
  });

  it("a warmer cache never sends more queries, and each referral's NS names the next server asked", () => {
    fc.assert(fc.property(inputs, (input) => {
      const order = { cold: 0, warm: 1, hot: 2 } as const;
      for (const other of RESOLVER_CACHES) {
        if (order[other] < order[input.cache]) continue;
        expect(resolveDnsChain({ ...input, cache: other }).resolverQueries).toBeLessThanOrEqual(resolveDnsChain(input).resolverQueries);
      }
      const chain = resolveDnsChain(input);
      chain.steps.forEach((s, i) => {
        if (s.outcome !== "referral") return;
        const next = chain.steps[i + 1]!;
        expect(s.response!.authority.map((r) => r.data)).toContain(`${next.to.name}.`);
        expect(s.response!.additional).toContainEqual(expect.objectContaining({ name: `${next.to.name}.`, data: next.to.ip }));
      });
    }), { numRuns: RUNS });
  });
});
