/**
 * The Pod MTU per CNI and the MTU path trace, against the headers' published sizes (RFC 791 IPv4 20,
 * RFC 768 UDP 8, RFC 7348 VXLAN 8, RFC 8926 Geneve 8 + options, WireGuard 32 + UDP + IP) and the
 * behaviour of RFC 1191 (ICMP type 3 code 4 with the next-hop MTU) and RFC 791 fragmentation.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CNIS, cniById, parseNodeMtu, podMtu } from "../../../../src/sim/kube/mtu/cni";
import { fragmentSizes, mtuPath, MTU_PATH_DEFAULTS, type MtuPathInput } from "../../../../src/sim/kube/mtu/path";

const RUNS = Number(process.env.EDGE_PROPERTY_RUNS ?? 200);
const run = (over: Partial<MtuPathInput>, model?: "real" | "encap-free" | "df-fragmented") => mtuPath({ ...MTU_PATH_DEFAULTS, ...over }, model);

describe("Pod MTU per CNI", () => {
  it.each([
    ["dataplane-v2", 1460, 1460], ["dataplane-v2", 8896, 8896], ["calico-bgp", 1500, 1500],
    ["calico-ipip", 1460, 1440], ["calico-vxlan", 1460, 1410], ["flannel-vxlan", 1500, 1450],
    ["geneve", 1460, 1410], ["wireguard", 1460, 1400], ["wireguard-ipv6", 1460, 1380],
    ["gke-legacy", 8896, 1460], ["gke-legacy", 1500, 1460],
  ])("%s on a %i-byte node → %i", (cni, node, pod) => {
    expect(podMtu(cniById(cni), node).podMtu).toBe(pod);
  });

  it("Geneve options add to the overhead; MSS is the Pod MTU less 40", () => {
    const r = podMtu(cniById("geneve"), 1460, { geneveOptions: 8 });
    expect(r.overhead).toBe(58);
    expect(r.tcpMss).toBe(1460 - 58 - 40);
  });

  it("the VPC MTU is 1300–8896", () => {
    expect(parseNodeMtu("1300")).toBe(1300);
    expect(() => parseNodeMtu("1299")).toThrow(/1300 to 8896/);
    expect(() => parseNodeMtu("9000")).toThrow(/1300 to 8896/);
    expect(() => cniById("weave")).toThrow(/unknown CNI/);
  });

  it("the wrong model 'encap-free' gives every overlay the node's MTU", () => {
    for (const cni of CNIS.filter((c) => c.mode === "overlay")) {
      expect(podMtu(cni, 1460, { model: "encap-free" }).podMtu).toBe(1460);
      expect(podMtu(cni, 1460).podMtu).toBeLessThan(1460);
    }
  });
});

describe("the MTU path trace", () => {
  it("with the CNI's own Pod MTU a full-size segment is delivered for every CNI and node MTU (property)", () => {
    fc.assert(fc.property(fc.constantFrom(...CNIS.filter((c) => !c.fixedPodMtu).map((c) => c.id)), fc.integer({ min: 1300, max: 8896 }), (cni, nodeMtu) => {
      return run({ cni, nodeMtu }).status === "delivered";
    }), { numRuns: RUNS });
  });

  it("a Pod MTU set too high on VXLAN: DF → ICMP 3/4 with next-hop MTU 1410 → PMTUD → delivered at 1410", () => {
    const r = run({ podMtu: 1460 });
    expect(r.status).toBe("delivered-after-pmtud");
    expect(r.pathMtu).toBe(1410);
    const drop = r.trace.steps.find((s) => s.id === "drop:tunnel")!;
    expect(drop.out).toMatchObject({ proto: "icmp", note: "type 3 code 4, next-hop MTU 1410", dst: "10.4.1.5" });
    expect(r.trace.steps.map((s) => s.id)).toEqual(["handshake", "send", "drop:tunnel", "pmtu", "resend", "again:tunnel", "again:vpc", "deliver"]);
  });

  it("ICMP filtered: the handshake works, the big segment is dropped again and again — a black hole", () => {
    const r = run({ podMtu: 1460, icmpFiltered: true });
    expect(r.status).toBe("black-hole");
    const ids = r.trace.steps.map((s) => s.id);
    expect(ids[0]).toBe("handshake");
    expect(ids).toContain("icmp-filtered");
    expect(ids.filter((id) => id.startsWith("retransmit-"))).toHaveLength(3);
    expect(ids).not.toContain("deliver");
    expect(r.trace.outcome.status).toBe("black-hole");
  });

  it("a small segment passes even when the big one would not (why the handshake works)", () => {
    expect(run({ podMtu: 1460, icmpFiltered: true, size: 600 }).status).toBe("delivered");
  });

  it("DF clear: the router fragments (RFC 791), payloads in multiples of 8", () => {
    const r = run({ podMtu: 1460, df: false });
    expect(r.status).toBe("delivered-fragmented");
    expect(fragmentSizes(1460, 1410)).toEqual([1404, 76]);
    fc.assert(fc.property(fc.integer({ min: 100, max: 9000 }), fc.integer({ min: 68, max: 9000 }), (bytes, mtu) => {
      const sizes = fragmentSizes(bytes, mtu);
      return sizes.every((s) => s <= Math.max(mtu, 28)) && sizes.reduce((a, s) => a + s - 20, 0) === bytes - 20 && sizes.slice(0, -1).every((s) => (s - 20) % 8 === 0);
    }), { numRuns: RUNS });
  });

  it("the wrong model 'df-fragmented' delivers a DF packet that really is dropped", () => {
    expect(run({ podMtu: 1460 }, "df-fragmented").status).toBe("delivered-fragmented");
    expect(run({ podMtu: 1460 }).status).toBe("delivered-after-pmtud");
  });

  it("on-prem over a 1400 link: the on-prem router signals 1400, PMTUD converges to it", () => {
    const r = run({ cni: "dataplane-v2", destination: "on-prem", linkMtu: 1400 });
    expect(r.tooBigAt).toBe("narrow-link");
    expect(r.pathMtu).toBe(1400);
  });

  it("a packet above the Pod's own MTU is never sent", () => {
    expect(run({ size: 1500 }).status).toBe("not-sent");
  });
});
