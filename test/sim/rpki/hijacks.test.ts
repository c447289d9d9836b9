/**
 * Hijacks on the BGP model: the behaviours the RPKI literature documents (RFC 6811, RFC 9319, the
 * ASPA and BGPsec motivations), checked as invariants of the simulation rather than as fixed numbers.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HIJACK_KINDS, rovCapableAses, runHijack, VICTIMS, ATTACKER_SITES, type HijackInput } from "../../../src/sim/rpki/hijacks";
import type { RovMode } from "../../../src/sim/bgp/types";

const RUNS = Math.max(10, Math.floor(Number(process.env.EDGE_PROPERTY_RUNS ?? 200) / 10));
const everywhere = (mode: RovMode) => Object.fromEntries(rovCapableAses().map((a) => [a.asn, mode]));
const share = (input: HijackInput) => runHijack(input).share;

describe("hijacks on the simulated internet", () => {
  it("an address configured on a server, with nothing announced, attracts no traffic whatever ROV does", () => {
    for (const victim of Object.keys(VICTIMS) as (keyof typeof VICTIMS)[]) {
      for (const rov of [{}, everywhere("drop-invalid")]) {
        const o = runHijack({ kind: "address-only", victim, rov });
        expect(o.share).toEqual({ ases: 0, routers: 0, cities: 0 });
        expect(o.announcement).toBeNull();
        expect(o.ases.every((a) => a.routers.every((r) => r.path.outcome === "delivered"))).toBe(true);
      }
    }
  });

  it("without a hijack every router's packets reach the victim", () => {
    const o = runHijack({ kind: "none" });
    expect(o.ases.flatMap((a) => a.routers).every((r) => !r.captured && r.matched === VICTIMS.google.prefix)).toBe(true);
  });

  it("a sub-prefix hijack without ROV captures everyone: longest-prefix match beats any path attribute", () => {
    const o = runHijack({ kind: "sub-prefix", rov: {} });
    expect(o.hijackValidation?.state).toBe("Invalid");
    expect(o.share.routers).toBe(1);
    expect(o.ases.flatMap((a) => a.routers).every((r) => r.matched === VICTIMS.google.subPrefix)).toBe(true);
  });

  it("an exact-prefix hijack competes on path attributes, so it captures less than a sub-prefix one", () => {
    for (const attacker of Object.keys(ATTACKER_SITES) as (keyof typeof ATTACKER_SITES)[]) {
      const exact = share({ kind: "exact-prefix", attacker });
      const sub = share({ kind: "sub-prefix", attacker });
      expect(exact.routers).toBeGreaterThan(0);
      expect(exact.routers).toBeLessThan(sub.routers);
    }
  });

  it("ROV cannot stop a forged origin: the route is Valid and dropping Invalid everywhere changes nothing", () => {
    const without = runHijack({ kind: "forged-origin" });
    const withRov = runHijack({ kind: "forged-origin", rov: everywhere("drop-invalid") });
    expect(withRov.hijackValidation?.state).toBe("Valid");
    expect(withRov.hijackPath).toEqual([64511, 15169]);
    expect(withRov.share).toEqual(without.share);
    expect(withRov.share.routers).toBeGreaterThan(0);
  });

  it("a loose maxLength lets a forged-origin sub-prefix through; a minimal ROA (RFC 9319) makes it Invalid", () => {
    const rov = everywhere("drop-invalid");
    const loose = runHijack({ kind: "forged-sub-prefix", roa: "loose", rov });
    const minimal = runHijack({ kind: "forged-sub-prefix", roa: "minimal", rov });
    expect(loose.hijackValidation?.state).toBe("Valid");
    expect(loose.share.routers).toBe(1);
    expect(minimal.hijackValidation?.state).toBe("Invalid");
    expect(minimal.share.routers).toBe(0);
  });

  it("without a ROA the hijack is NotFound and ROV does nothing", () => {
    for (const kind of ["exact-prefix", "sub-prefix"] as const) {
      const o = runHijack({ kind, roa: "none", rov: everywhere("drop-invalid") });
      expect(o.hijackValidation?.state).toBe("NotFound");
      expect(o.share).toEqual(share({ kind, roa: "none" }));
    }
  });

  it("depref-invalid does not stop a sub-prefix hijack; drop-invalid at the attacker's upstream does", () => {
    expect(share({ kind: "sub-prefix", rov: everywhere("depref-invalid") }).routers).toBe(1);
    expect(share({ kind: "sub-prefix", rov: { 174: "drop-invalid" } }).routers).toBe(0);
  });

  it("depref-invalid does stop an exact-prefix hijack where the Invalid route has a Valid competitor", () => {
    expect(share({ kind: "exact-prefix", rov: everywhere("depref-invalid") }).routers).toBe(0);
  });

  it("a network that drops Invalid can still be captured through an upstream that does not (collateral damage)", () => {
    // Madrid's ISP (AS64500) validates, but its only provider Lumen does not: its packets follow the /16
    // to Lumen, whose FIB holds the attacker's /24.
    const o = runHijack({ kind: "sub-prefix", rov: { 64500: "drop-invalid" } });
    const madrid = o.cities.find((c) => c.city === "madrid")!;
    expect(madrid.fate.path.hops[0]!.lookup.match).toBe(VICTIMS.google.prefix);
    expect(madrid.captured).toBe(true);
  });

  it("a network that drops Invalid and reaches the victim directly is safe (Orange's private interconnect with Google)", () => {
    const o = runHijack({ kind: "sub-prefix", rov: { 3215: "drop-invalid" } });
    const paris = o.cities.find((c) => c.city === "paris")!;
    expect(paris.captured).toBe(false);
    expect(paris.fate.path.deliveredAt).toBe("15169@paris");
    // Without ROV there, the /24 from its transit provider wins by longest match.
    expect(runHijack({ kind: "sub-prefix" }).cities.find((c) => c.city === "paris")!.captured).toBe(true);
  });

  it("dropping Invalid at more ASes never captures more routers in a sub-prefix hijack", () => {
    const capable = rovCapableAses().map((a) => a.asn);
    fc.assert(
      fc.property(fc.subarray(capable), fc.subarray(capable), (a, b) => {
        const small = Object.fromEntries(a.map((asn) => [asn, "drop-invalid" as const]));
        const large = Object.fromEntries([...a, ...b].map((asn) => [asn, "drop-invalid" as const]));
        expect(share({ kind: "sub-prefix", rov: large }).routers).toBeLessThanOrEqual(share({ kind: "sub-prefix", rov: small }).routers);
      }),
      { numRuns: RUNS },
    );
  });

  it("is deterministic", () => {
    for (const kind of HIJACK_KINDS) expect(runHijack({ kind, rov: { 1299: "drop-invalid" } }).share).toEqual(runHijack({ kind, rov: { 1299: "drop-invalid" } }).share);
  });
});

describe("wrong models of ROV, runnable", () => {
  it("rov-checks-path: believes ROV stops a forged origin", () => {
    const rov = everywhere("drop-invalid");
    expect(share({ kind: "forged-origin", rov, model: "rov-checks-path" }).routers).toBe(0);
    expect(share({ kind: "forged-origin", rov }).routers).toBeGreaterThan(0);
  });

  it("depref-stops-hijack: believes lowering preference stops a sub-prefix hijack", () => {
    const rov = everywhere("depref-invalid");
    expect(share({ kind: "sub-prefix", rov, model: "depref-stops-hijack" }).routers).toBe(0);
    expect(share({ kind: "sub-prefix", rov }).routers).toBe(1);
  });

  it("maxlength-ignored: believes a minimal ROA still authorises the victim's ASN for the /24", () => {
    const rov = everywhere("drop-invalid");
    expect(share({ kind: "forged-sub-prefix", roa: "minimal", rov, model: "maxlength-ignored" }).routers).toBe(1);
    expect(share({ kind: "forged-sub-prefix", roa: "minimal", rov }).routers).toBe(0);
  });
});
