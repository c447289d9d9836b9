import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { egressPath, unsolicitedInbound, type EgressSetup } from "../../../../src/sim/kube/egress/path";

const RUNS = Number(process.env.EDGE_PROPERTY_RUNS ?? 200);
const base: EgressSetup = { destination: "internet", pga: false, nat: "primary", from: "pod", masquerade: true };

describe("which way a packet leaves a private node", () => {
  it("a Pod's internet traffic is masqueraded to the node IP, then Cloud NAT translates it in Andromeda", () => {
    const t = egressPath(base);
    expect(t.outcome).toBe("nat");
    expect(t.steps.map((s) => s.id)).toEqual(["masquerade", "nat", "internet", "reply"]);
    expect(t.steps.find((s) => s.id === "nat")!.where).toBe("andromeda");
    expect(t.steps.at(-1)!.packet!.dst).toMatch(/^10\.4\.1\.5:/);
  });

  it("without masquerading the Pod address needs a gateway that covers the Pod range", () => {
    expect(egressPath({ ...base, masquerade: false }).outcome).toBe("no-route");
    expect(egressPath({ ...base, masquerade: false, nat: "all" }).outcome).toBe("nat");
  });

  it("Google APIs go through Private Google Access, never through Cloud NAT", () => {
    for (const destination of ["googleapis", "private-googleapis", "restricted-googleapis"] as const) {
      expect(egressPath({ ...base, destination, pga: true }).outcome).toBe("pga");
      expect(egressPath({ ...base, destination, pga: false, nat: "none" }).outcome).toBe("no-route");
      // A gateway serving the range puts PGA in effect for it.
      expect(egressPath({ ...base, destination, pga: false, nat: "all" }).outcome).toBe("pga");
    }
  });

  it("no NAT and no PGA: the internet is unreachable from a VM without an external IP", () => {
    expect(egressPath({ ...base, nat: "none" }).outcome).toBe("no-route");
  });

  it("the control plane's private endpoint is an internal route", () => {
    expect(egressPath({ ...base, destination: "control-plane", nat: "none" }).outcome).toBe("internal");
  });

  it("an unsolicited inbound packet is always dropped", () => {
    fc.assert(fc.property(fc.integer({ min: 1024, max: 65535 }), (port) => {
      expect(unsolicitedInbound(port).outcome).toBe("dropped-inbound");
    }), { numRuns: RUNS });
  });

  it("every setup ends in exactly one outcome, and a Google API is never NATed", () => {
    const setups = fc.record({
      destination: fc.constantFrom("internet", "googleapis", "private-googleapis", "restricted-googleapis", "control-plane" as const),
      pga: fc.boolean(), nat: fc.constantFrom("none", "primary", "all" as const), from: fc.constantFrom("pod", "node" as const), masquerade: fc.boolean(),
    });
    fc.assert(fc.property(setups, (s) => {
      const t = egressPath(s as EgressSetup);
      if (s.destination !== "internet") expect(t.outcome).not.toBe("nat");
      expect(t.steps.length).toBeGreaterThan(0);
    }), { numRuns: RUNS });
  });
});
