/**
 * CAA processing (RFC 8659): the relevant RRset found by climbing, issue/issuewild, the critical flag,
 * an empty issuer domain — each case from the RFC's text, and the wrong models shown to differ.
 */
import { describe, expect, it } from "vitest";
import { decideCaa, findRelevantCaa, issuerDomain, type ZoneView } from "../../../../src/sim/tls/acme/caa";

const rec = (tag: string, value: string, flags = 0) => ({ flags, tag, value });

describe("RFC 8659 §3: the relevant RRset", () => {
  const zone: ZoneView = {
    "example.com": { caa: [rec("issue", "letsencrypt.org")] },
    "shop.example.com": { a: ["198.51.100.20"] },
    "api.example.com": { caa: [rec("issue", "pki.goog")] },
    "alias.example.com": { cname: "target.cdn.example.net" },
    "target.cdn.example.net": { caa: [rec("issue", "sectigo.com")] },
  };
  it("climbs from the name to its parents until a set is not empty", () => {
    const r = findRelevantCaa(zone, "a.b.shop.example.com");
    expect(r.asked.map((a) => a.name)).toEqual(["a.b.shop.example.com", "b.shop.example.com", "shop.example.com", "example.com"]);
    expect(r.foundAt).toBe("example.com");
  });
  it("a set at a closer name replaces the parent's entirely", () => {
    expect(decideCaa(zone, "api.example.com", false, "letsencrypt.org").allowed).toBe(false);
    expect(decideCaa(zone, "api.example.com", false, "pki.goog").allowed).toBe(true);
  });
  it("resolving CAA at a name follows its CNAME", () => {
    const d = decideCaa(zone, "alias.example.com", false, "sectigo.com");
    expect(d.foundAt).toBe("alias.example.com");
    expect(d.asked[0]!.via).toBe("target.cdn.example.net");
    expect(d.allowed).toBe(true);
  });
  it("no records anywhere: CAA does not restrict", () => {
    expect(decideCaa({}, "www.example.org", false, "sectigo.com").allowed).toBe(true);
  });
  it("the caa-no-climb model misses the parent's records", () => {
    expect(decideCaa(zone, "shop.example.com", false, "pki.goog").allowed).toBe(false);
    expect(decideCaa(zone, "shop.example.com", false, "pki.goog", "caa-no-climb").allowed).toBe(true);
  });
});

describe("RFC 8659 §4: properties", () => {
  it("issue \";\" authorises no CA; issuer domains compare without case and parameters", () => {
    expect(issuerDomain("letsencrypt.org; accounturi=https://acme-v02.api.letsencrypt.org/acme/acct/1")).toBe("letsencrypt.org");
    expect(issuerDomain(";")).toBe("");
    const zone: ZoneView = { "example.com": { caa: [rec("issue", ";")] } };
    for (const ca of ["letsencrypt.org", "pki.goog"]) expect(decideCaa(zone, "example.com", false, ca).allowed).toBe(false);
    expect(decideCaa({ "example.com": { caa: [rec("ISSUE", "LetsEncrypt.org")] } }, "example.com", false, "letsencrypt.org").allowed).toBe(true);
  });
  it("an unknown tag with the critical flag forbids issuance; without it, it is ignored", () => {
    expect(decideCaa({ "example.com": { caa: [rec("issue", "letsencrypt.org"), rec("tbs", "x", 128)] } }, "example.com", false, "letsencrypt.org").allowed).toBe(false);
    expect(decideCaa({ "example.com": { caa: [rec("issue", "letsencrypt.org"), rec("tbs", "x", 0)] } }, "example.com", false, "letsencrypt.org").allowed).toBe(true);
  });
  it("a set with only iodef does not restrict", () => {
    expect(decideCaa({ "example.com": { caa: [rec("iodef", "mailto:sec@example.com")] } }, "example.com", false, "pki.goog").allowed).toBe(true);
  });
  it("issuewild governs wildcards when present, issue otherwise; issuewild does not touch non-wildcard names", () => {
    const zone: ZoneView = { "example.com": { caa: [rec("issue", "letsencrypt.org"), rec("issuewild", ";")] } };
    expect(decideCaa(zone, "example.com", true, "letsencrypt.org").allowed).toBe(false);
    expect(decideCaa(zone, "example.com", false, "letsencrypt.org").allowed).toBe(true);
    expect(decideCaa(zone, "example.com", true, "letsencrypt.org", "issuewild-ignored").allowed).toBe(true);
    expect(decideCaa({ "example.com": { caa: [rec("issue", "letsencrypt.org")] } }, "example.com", true, "letsencrypt.org").allowed).toBe(true);
  });
});
