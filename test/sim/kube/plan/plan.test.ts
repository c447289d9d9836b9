/**
 * The address planner against GKE's published rules: the per-node range holds at least twice max
 * Pods (GKE's "Optimize IP address allocation" table: 8 → /28, 9–16 → /27, 17–32 → /26, 33–64 → /25,
 * 65–110 → /24, and /23 once more than 128 Pods are allowed), four reserved addresses per subnet, no
 * overlapping ranges, and the address spaces Google Cloud accepts.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addressSpace, perNodePrefix, planCluster, planClusterFields } from "../../../../src/sim/kube/plan/plan";
import { parseCidr } from "../../../../src/sim/net/cidr";
import { InputError } from "../../../../src/sim/net/errors";

const RUNS = Number(process.env.EDGE_PROPERTY_RUNS ?? 200);

describe("per-node Pod range", () => {
  // GKE's published table, row by row (both ends of each row).
  it.each([
    [8, 28], [9, 27], [16, 27], [17, 26], [32, 26], [33, 25], [64, 25], [65, 24], [110, 24], [128, 24], [129, 23], [256, 23],
  ])("%i Pods per node → /%i", (pods, prefix) => {
    expect(perNodePrefix(pods)).toBe(prefix);
  });

  it("is the smallest block with at least twice max Pods addresses (property)", () => {
    fc.assert(fc.property(fc.integer({ min: 8, max: 256 }), (n) => {
      const size = 2 ** (32 - perNodePrefix(n));
      return size >= 2 * n && size / 2 < 2 * n;
    }), { numRuns: RUNS });
  });

  it("refuses max Pods outside 8–256 with the range", () => {
    expect(() => perNodePrefix(7)).toThrow(/8 to 256/);
    expect(() => perNodePrefix(257)).toThrow(/8 to 256/);
    expect(planClusterFields({ podRange: "10.4.0.0/14", maxPods: "ten" }).inputErrors[0]?.field).toBe("maxPods");
  });

  it("the wrong model 'per-node-equals-max-pods' gives a block half the size", () => {
    expect(perNodePrefix(110, "per-node-equals-max-pods")).toBe(25);
    expect(perNodePrefix(64, "per-node-equals-max-pods")).toBe(26);
  });
});

describe("how many nodes a plan holds", () => {
  it("GKE's default: a /14 Pod range at 110 Pods holds 1,024 nodes", () => {
    const plan = planCluster({ podRange: "10.4.0.0/14", maxPods: 110 });
    expect(plan.perNodeRange).toBe("/24");
    expect(plan.maxNodes).toBe(1024);
  });

  it("a /21 Pod range: 8 nodes at 110 Pods, 64 at 16 Pods", () => {
    expect(planCluster({ podRange: "10.0.0.0/21", maxPods: 110 }).maxNodes).toBe(8);
    expect(planCluster({ podRange: "10.0.0.0/21", maxPods: 16 }).maxNodes).toBe(64);
  });

  it("the node subnet keeps 4 addresses: a /24 subnet holds 252 nodes, a /29 holds 4", () => {
    const plan = planCluster({ podRange: "10.0.0.0/8", maxPods: 110, nodeRange: "192.168.0.0/24" });
    expect(plan.nodesBySubnet).toBe(252);
    expect(plan.maxNodes).toBe(252);
    expect(plan.limitedBy).toBe("node-range");
    expect(planCluster({ podRange: "10.0.0.0/8", maxPods: 110, nodeRange: "192.168.0.0/29" }).maxNodes).toBe(4);
  });

  it("max nodes never exceeds either limit, and halving max Pods never loses nodes (property)", () => {
    fc.assert(fc.property(fc.integer({ min: 8, max: 22 }), fc.integer({ min: 16, max: 256 }), fc.integer({ min: 16, max: 29 }), (podPrefix, pods, nodePrefix) => {
      const a = planCluster({ podRange: `10.0.0.0/${podPrefix}`, maxPods: pods, nodeRange: `172.16.0.0/${nodePrefix}` });
      const b = planCluster({ podRange: `10.0.0.0/${podPrefix}`, maxPods: Math.floor(pods / 2), nodeRange: `172.16.0.0/${nodePrefix}` });
      return a.maxNodes <= a.nodesByPodRange && a.maxNodes <= (a.nodesBySubnet ?? Infinity) && b.maxNodes >= a.maxNodes;
    }), { numRuns: RUNS });
  });

  it("the Service range gives out its size less the network and broadcast addresses", () => {
    expect(planCluster({ podRange: "10.4.0.0/14", maxPods: 110, serviceRange: "10.8.0.0/20" }).serviceAddresses).toBe(4094);
  });
});

describe("plans GKE refuses, with the reason at the field", () => {
  it("a Pod range too small for one node", () => {
    const plan = planCluster({ podRange: "10.4.0.0/25", maxPods: 110 });
    expect(plan.refused).toBe(true);
    expect(plan.maxNodes).toBe(0);
    expect(plan.problems).toEqual([expect.objectContaining({ field: "podRange", reason: expect.stringMatching(/too few for even one node's \/24/) })]);
    // The same range is fine once max Pods fits it.
    expect(planCluster({ podRange: "10.4.0.0/25", maxPods: 64 }).maxNodes).toBe(1);
  });

  it("overlapping ranges name both", () => {
    const plan = planCluster({ podRange: "10.4.0.0/14", maxPods: 110, nodeRange: "10.5.0.0/20", serviceRange: "10.4.0.0/20" });
    expect(plan.problems.map((p) => p.field).sort()).toEqual(["nodeRange", "serviceRange"]);
    expect(plan.problems[0]!.reason).toMatch(/overlaps the Pod range 10\.4\.0\.0\/14/);
  });

  it("loopback, link-local, multicast and ranges straddling them are refused; RFC 1918, 100.64/10, class E and public are accepted", () => {
    for (const bad of ["127.0.0.0/16", "169.254.0.0/16", "224.0.0.0/8", "0.0.0.0/8", "96.0.0.0/3"]) {
      expect(planCluster({ podRange: bad, maxPods: 110 }).refused, bad).toBe(true);
    }
    expect(addressSpace(parseCidr("100.64.0.0/10")).kind).toBe("shared-rfc6598");
    expect(addressSpace(parseCidr("172.16.0.0/12")).kind).toBe("rfc1918");
    expect(addressSpace(parseCidr("240.0.0.0/8")).kind).toBe("class-e");
    const pupi = planCluster({ podRange: "35.200.0.0/16", maxPods: 110 });
    expect(pupi.refused).toBe(false);
    expect(pupi.notes.join(" ")).toMatch(/privately used public/);
  });

  it("malformed CIDRs are input errors naming the flag", () => {
    expect(() => planCluster({ podRange: "10.4.1.0/14", maxPods: 110 })).toThrow(InputError);
    expect(() => planCluster({ podRange: "10.4.0.0/14", maxPods: 110, nodeRange: "10.300.0.0/20" })).toThrow(/--node-range/);
  });
});
