/**
 * The CA's check: each scenario ends where the real process ends it, for the reason documented for it
 * (RFC 8555 §8.3–8.4, RFC 8659, Baseline Requirements §3.2.2.9), over names, challenges and CAA settings.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readIdentifier } from "../../../../src/sim/tls/acme/challenge";
import { allowedNonCorroborations, CAA_PRESETS, ISSUERS, runCaCheck, SCENARIOS, type CaCheckInput } from "../../../../src/sim/tls/acme/scenarios";

const RUNS = Number(process.env.EDGE_PROPERTY_RUNS ?? 200);
const TOKEN = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA";
const THUMB = "oKGqedy-b-acd5eoybm2f-NVFxvyOoET5CNy3xnv8WY";
const run = (over: Partial<CaCheckInput> & { domain?: string }) =>
  runCaCheck({ scenario: "owner", challenge: "http-01", identifier: readIdentifier(over.domain ?? "shop.example.com"), token: TOKEN, thumbprint: THUMB, caa: "none", issuer: "letsencrypt.org", ...over });

describe("runCaCheck", () => {
  it("the owner gets a certificate by either challenge, with or without Cloudflare in front", () => {
    for (const scenario of ["owner", "owner-cloudflare"] as const)
      for (const challenge of ["http-01", "dns-01"] as const) {
        const c = run({ scenario, challenge });
        expect(c.outcome, `${scenario} ${challenge}`).toBe("issued");
        expect(c.misissued).toBe(false);
      }
  });
  it("behind Cloudflare the CA's GET gets Always Use HTTPS's 301 and follows it to the edge on 443", () => {
    const c = run({ scenario: "owner-cloudflare" });
    expect(c.steps.map((s) => s.id)).toEqual(["order", "lookup", "fetch", "redirect", "compare", "mpic", "caa", "issue"]);
    expect(c.steps.find((s) => s.id === "fetch")!.result).toMatch(/^301/);
    expect(c.steps.find((s) => s.id === "redirect")!.why).toMatch(/up to 10 redirects/);
  });
  it("an attacker without access fails at the fetch (404) or at the TXT comparison", () => {
    expect(run({ scenario: "attacker-no-access" }).failedStep).toBe("fetch");
    expect(run({ scenario: "attacker-no-access" }).steps.at(-1)!.result).toMatch(/404/);
    expect(run({ scenario: "attacker-no-access", challenge: "dns-01" }).failedStep).toBe("compare");
  });
  it("a local hijack passes a single-vantage CA and is caught by corroboration; a global one passes both", () => {
    for (const challenge of ["http-01", "dns-01"] as const) {
      expect(run({ scenario: "bgp-hijack-local", challenge }).failedStep).toBe("mpic");
      const single = run({ scenario: "bgp-hijack-local", challenge, model: "single-vantage-ca" });
      expect(single.outcome).toBe("issued");
      expect(single.misissued).toBe(true);
      expect(run({ scenario: "bgp-hijack-global", challenge }).misissued).toBe(true);
    }
  });
  it("a dangling CNAME passes http-01 (every perspective agrees) but not dns-01", () => {
    const h = run({ scenario: "dangling-cname" });
    expect(h.outcome).toBe("issued");
    expect(h.misissued).toBe(true);
    expect(h.steps.find((s) => s.id === "detect")).toBeDefined();
    expect(run({ scenario: "dangling-cname", challenge: "dns-01" }).failedStep).toBe("lookup");
  });
  it("CAA at the apex refuses a CA it does not name; a wildcard order is stopped by issuewild \";\"", () => {
    expect(run({ scenario: "dangling-cname", caa: "letsencrypt", issuer: "pki.goog" }).failedStep).toBe("caa");
    expect(run({ scenario: "dangling-cname", caa: "letsencrypt", issuer: "pki.goog", model: "caa-no-climb" }).outcome).toBe("issued");
    expect(run({ domain: "*.example.com", challenge: "dns-01", caa: "no-wildcards" }).failedStep).toBe("caa");
    expect(run({ domain: "*.example.com", challenge: "http-01" }).failedStep).toBe("order");
  });
  it("e-mail to a constructed address is issued to whoever holds the mailbox", () => {
    const c = run({ scenario: "email-legacy" });
    expect(c.misissued).toBe(true);
    expect(c.steps[0]!.action).toMatch(/admin@, administrator@, webmaster@, hostmaster@ or postmaster@/);
  });
  it("BR §3.2.2.9's quorum table", () => {
    expect([2, 3, 4, 5, 6, 7].map(allowedNonCorroborations)).toEqual([1, 1, 1, 1, 2, 2]);
  });
  it("invariants over every setting: deterministic; ends at its first failing step; owners are never mis-issued; refusal only by a failed check", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SCENARIOS), fc.constantFrom("http-01", "dns-01" as const), fc.constantFrom(...CAA_PRESETS), fc.constantFrom(...ISSUERS),
        fc.constantFrom("shop.example.com", "*.example.com", "example.org", "a.b.example.net", "192.0.2.7", "2001:db8::1"),
        fc.constantFrom("rfc", "single-vantage-ca", "caa-no-climb", "issuewild-ignored" as const),
        (scenario, challenge, caa, issuer, domain, model) => {
          const c = run({ scenario, challenge: challenge as "http-01" | "dns-01", caa, issuer, domain, model });
          expect(JSON.stringify(c)).toBe(JSON.stringify(run({ scenario, challenge: challenge as "http-01" | "dns-01", caa, issuer, domain, model })));
          const failed = c.steps.filter((s) => s.ok === false);
          if (c.outcome === "refused") {
            expect(failed).toHaveLength(1);
            expect(c.steps.at(-1)!.ok).toBe(false);
          } else expect(failed).toHaveLength(0);
          if (scenario === "owner" || scenario === "owner-cloudflare") expect(c.misissued).toBe(false);
          if (c.misissued) expect(c.steps.at(-1)!.id).toBe("detect");
          expect(new Set(c.steps.map((s) => s.id).filter((id) => id !== "order")).size).toBe(c.steps.filter((s) => s.id !== "order").length);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
