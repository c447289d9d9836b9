/**
 * Pod-to-Pod paths per CNI: invariants that a wrong hop list would break, and the facts of real
 * datapaths (a veth or a bridge never decrements the TTL; each routing namespace does exactly once).
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  CNI_IDS, CNI_OVERLAYS, INITIAL_TTL, NODE_A, NODE_B, POD_CLIENT, POD_LOCAL, POD_REMOTE, allPathInputs, cniPath,
} from "../../../../src/sim/kube/cni/path";
import { InputError } from "../../../../src/sim/net/errors";

const RUNS = Number(process.env.EDGE_PROPERTY_RUNS ?? 200);
const all = allPathInputs().map((i) => ({ input: i, path: cniPath(i) }));

describe("cniPath: addresses", () => {
  it("native Pod-to-Pod paths keep both Pod addresses on every hop (no NAT, no encapsulation)", () => {
    for (const { input, path } of all.filter(({ input }) => input.overlay === "none" && (input.path === "same-node" || input.path === "cross-node"))) {
      const to = input.path === "same-node" ? POD_LOCAL.ip : POD_REMOTE.ip;
      for (const h of path.hops) {
        expect([h.src, h.dst], `${input.cni} ${input.path} ${h.id}`).toEqual([POD_CLIENT.ip, to]);
        expect(h.outer, h.id).toBeUndefined();
      }
      expect(path.encapsulation).toBeNull();
    }
  });

  it("overlay paths also keep the inner Pod addresses; only the outer header names the nodes", () => {
    for (const { input, path } of all.filter(({ input }) => input.overlay !== "none" && input.path === "cross-node")) {
      for (const h of path.hops) expect([h.src, h.dst], h.id).toEqual([POD_CLIENT.ip, POD_REMOTE.ip]);
      for (const h of path.hops.filter((x) => x.outer)) expect([h.outer!.src, h.outer!.dst], `${input.cni} ${h.id}`).toEqual([NODE_A.ip, NODE_B.ip]);
    }
  });

  it("a hostNetwork Pod sends from the node's address (or, through a Calico/Cilium tunnel device, the node's tunnel address)", () => {
    for (const { input, path } of all.filter(({ input }) => input.path === "host-network")) {
      const expected = input.overlay === "none" ? NODE_A.ip : NODE_A.tunnelIp;
      for (const h of path.hops) expect(h.src, `${input.cni} ${input.overlay} ${h.id}`).toBe(expected);
      expect(path.hops.some((h) => h.kind === "veth" && h.node === NODE_A.name), "no veth on the sending node").toBe(false);
    }
  });

  it("containers of one Pod talk over lo and never touch a veth, a node route or the wire", () => {
    for (const { path } of all.filter(({ input }) => input.path === "same-pod")) {
      for (const h of path.hops) {
        expect(h.kind).not.toMatch(/^(veth|bridge|route|ebpf|wire|encap|decap)$/);
        expect(h.iface).toBe("lo");
        expect(h.namespace).toBe(`pod ${POD_CLIENT.name}`);
      }
      expect(path.hops.at(-1)!.ttl).toBe(INITIAL_TTL);
    }
  });
});

describe("cniPath: encapsulation", () => {
  it("an overlay path encapsulates exactly once and decapsulates exactly once, in that order, with the outer header only between", () => {
    for (const { input, path } of all.filter(({ input }) => input.overlay !== "none" && (input.path === "cross-node" || input.path === "host-network"))) {
      const kinds = path.hops.map((h) => h.kind);
      expect(kinds.filter((k) => k === "encap"), `${input.cni} ${input.overlay}`).toHaveLength(1);
      expect(kinds.filter((k) => k === "decap")).toHaveLength(1);
      const e = kinds.indexOf("encap");
      const d = kinds.indexOf("decap");
      expect(e).toBeLessThan(d);
      path.hops.forEach((h, i) => expect(Boolean(h.outer), `${h.id}`).toBe(i >= e && i < d));
      expect(path.encapsulation?.kind).toBe(input.overlay);
    }
  });

  it("same-node paths never encapsulate, even under an overlay CNI", () => {
    for (const { path } of all.filter(({ input }) => input.path === "same-node")) {
      expect(path.hops.some((h) => h.kind === "encap" || h.kind === "wire")).toBe(false);
      expect(path.encapsulation).toBeNull();
    }
  });

  it("GKE's own CNI and kubenet refuse an overlay: they never encapsulate", () => {
    for (const cni of ["gke-legacy", "kubenet"]) {
      for (const overlay of ["vxlan", "geneve", "ipip"]) expect(() => cniPath({ cni, path: "cross-node", overlay })).toThrow(InputError);
    }
    expect(() => cniPath({ cni: "calico", path: "cross-node", overlay: "geneve" })).toThrow(/runs none, ipip, vxlan/);
  });
});

describe("cniPath: TTL", () => {
  it("veths, bridges, loopback, the tunnel devices and the VPC never change the TTL; each routing hop takes exactly one off", () => {
    for (const { input, path } of all) {
      let ttl = INITIAL_TTL;
      for (const h of path.hops) {
        const routes = h.kind === "route" || h.kind === "ebpf";
        expect(h.decrementsTtl, `${input.cni} ${input.path} ${h.id}`).toBe(routes);
        expect(h.ttl, `${input.cni} ${input.path} ${h.id}`).toBe(routes ? ttl - 1 : ttl);
        ttl = h.ttl;
      }
    }
  });

  it("arrives with the TTL real nodes give: 62 across nodes (two routing namespaces), 63 on one node, 64 across kubenet's bridge", () => {
    const ttl = (cni: string, path: string, overlay = "none") => cniPath({ cni, path, overlay }).hops.at(-1)!.ttl;
    for (const cni of CNI_IDS) {
      for (const overlay of CNI_OVERLAYS[cni]) expect(ttl(cni, "cross-node", overlay), `${cni} ${overlay}`).toBe(62);
      expect(ttl(cni, "same-node"), cni).toBe(cni === "kubenet" ? 64 : 63);
      expect(ttl(cni, "host-network"), cni).toBe(63);
    }
  });

  it("IP-in-IP's outer header inherits the inner TTL; VXLAN and Geneve start theirs at 64", () => {
    const outer = (cni: string, overlay: string) => cniPath({ cni, path: "cross-node", overlay }).hops.find((h) => h.kind === "encap")!.outer!.ttl;
    expect(outer("calico", "ipip")).toBe(63);
    expect(outer("calico", "vxlan")).toBe(64);
    expect(outer("dataplane-v2", "geneve")).toBe(64);
  });
});

describe("cniPath: per CNI", () => {
  it("Dataplane V2 bypasses the bridge and iptables: no route or bridge hop, no veth on the receiving side", () => {
    for (const { path } of all.filter(({ input }) => input.cni === "dataplane-v2" && input.path !== "same-pod")) {
      expect(path.hops.some((h) => h.kind === "bridge" || h.kind === "route")).toBe(false);
      expect(path.hops.some((h) => h.sub.some((s) => /KUBE-SERVICES|IP-MASQ/.test(s.label)))).toBe(false);
      expect(path.hops.filter((h) => h.kind === "veth").every((h) => h.node === NODE_A.name)).toBe(true);
    }
  });

  it("kubenet's same-node path is switched by cbr0 and the cross-node one is checked against GKE's IP-MASQ chain and not masqueraded", () => {
    const same = cniPath({ cni: "kubenet", path: "same-node" });
    expect(same.hops.map((h) => h.kind)).toEqual(["send", "veth", "bridge", "veth", "deliver"]);
    const cross = cniPath({ cni: "kubenet", path: "cross-node" });
    const masq = cross.hops.flatMap((h) => h.sub).find((s) => s.label === "nat POSTROUTING → IP-MASQ")!;
    // The rule as a GKE node holds it (GoogleCloudPlatform/netd's masquerade installer).
    expect(masq.detail).toContain('-A IP-MASQ -d 10.0.0.0/8 -m comment --comment "ip-masq: RFC 1918 reserved range is not subject to MASQUERADE" -j RETURN');
    expect(cross.hops.some((h) => h.sub.some((s) => s.label.includes("IP-MASQ-AGENT")))).toBe(false);
  });

  it("a routes-based (kubenet) node has only its default route: the VPC's custom route for the Pod range decides", () => {
    const cross = cniPath({ cni: "kubenet", path: "cross-node" });
    const route = cross.hops.find((h) => h.id === "root-route")!;
    expect(route.decidedBy).toMatch(/^default via 10\.128\.0\.1 dev eth0/);
    expect(route.decidedBy).not.toMatch(new RegExp(`^${NODE_B.podCidr.replace(/\./g, "\\.")} via`));
    expect(cross.hops.find((h) => h.kind === "wire")!.decidedBy).toBe(`VPC route ${NODE_B.podCidr} → instance ${NODE_B.name}`);
    expect(cniPath({ cni: "kubenet", path: "host-network" }).hops[0]!.decidedBy).toMatch(/^default via 10\.128\.0\.1 dev eth0/);
  });

  it("Dataplane V2 through an overlay: a hostNetwork packet leaves by cilium_host with cilium_host's address", () => {
    for (const overlay of ["vxlan", "geneve"]) {
      const start = cniPath({ cni: "dataplane-v2", path: "host-network", overlay }).hops[0]!;
      expect(start.iface).toBe("cilium_host");
      expect(start.src).toBe(NODE_A.tunnelIp);
      expect(start.decidedBy).toContain(`${NODE_B.podCidr} via ${NODE_A.tunnelIp} dev cilium_host src ${NODE_A.tunnelIp}`);
      expect(start.what).toContain("cilium_host's address");
    }
    // Calico's routes point at its tunnel device itself.
    expect(cniPath({ cni: "calico", path: "host-network", overlay: "ipip" }).hops[0]!.iface).toBe("tunl0");
    expect(cniPath({ cni: "calico", path: "host-network", overlay: "vxlan" }).hops[0]!.iface).toBe("vxlan.calico");
  });

  it("bpf_redirect_peer and bpf_redirect_neigh are always tied to eBPF host routing, with the legacy path said", () => {
    let seen = 0;
    for (const { path } of all.filter(({ input }) => input.cni === "dataplane-v2")) {
      for (const h of path.hops) {
        if (!/bpf_redirect_(peer|neigh)/.test(h.what)) continue;
        seen++;
        expect(h.what, h.id).toContain("with eBPF host routing");
        expect(h.what, h.id).toMatch(/legacy host-routing mode/);
      }
    }
    expect(seen).toBeGreaterThan(0);
  });

  it("Calico's Pod routes to 169.254.1.1, which the host side answers by proxy ARP", () => {
    const first = cniPath({ cni: "calico", path: "same-node" }).hops[0]!;
    expect(first.decidedBy).toMatch(/^default via 169\.254\.1\.1 dev eth0/);
    expect(first.sub.some((s) => s.label === "proxy ARP" && s.detail.includes("ee:ee:ee:ee:ee:ee"))).toBe(true);
  });

  it("MTU-model aliases name the same CNI and overlay", () => {
    expect(cniPath({ cni: "calico-vxlan", path: "cross-node" })).toEqual(cniPath({ cni: "calico", path: "cross-node", overlay: "vxlan" }));
    expect(() => cniPath({ cni: "calico-vxlan", path: "cross-node", overlay: "ipip" })).toThrow(InputError);
    expect(() => cniPath({ cni: "calico", path: "sideways" })).toThrow(/unknown path/);
  });

  it("is deterministic: the same input gives the same path", () => {
    fc.assert(fc.property(fc.constantFrom(...allPathInputs()), (i) => JSON.stringify(cniPath(i)) === JSON.stringify(cniPath(i))), { numRuns: RUNS });
  });
});

describe("cniPath: wrong models", () => {
  it("veth-decrements-ttl arrives lower than the real path wherever a veth is crossed", () => {
    for (const { input, path } of all) {
      const wrong = cniPath({ ...input, model: "veth-decrements-ttl" });
      const veths = path.hops.filter((h) => h.kind === "veth").length;
      expect(wrong.hops.at(-1)!.ttl, `${input.cni} ${input.path}`).toBe(path.hops.at(-1)!.ttl - veths);
    }
  });

  it("overlay-everywhere wraps GKE's native cross-node packet in VXLAN", () => {
    const wrong = cniPath({ cni: "gke-legacy", path: "cross-node", model: "overlay-everywhere" });
    expect(wrong.hops.some((h) => h.kind === "encap")).toBe(true);
    expect(cniPath({ cni: "gke-legacy", path: "cross-node" }).hops.some((h) => h.kind === "encap")).toBe(false);
  });

  it("host-network-pod-ip sends from a Pod address", () => {
    expect(cniPath({ cni: "gke-legacy", path: "host-network", model: "host-network-pod-ip" }).hops[0]!.src).toBe(POD_CLIENT.ip);
  });
});
