/**
 * The CNI templates of the pod-network bank (src/quiz/bank/pod-network/, lesson how-pods-reach-each-other),
 * seeds 0…199 each (CNI_SEEDS): the bank's common checks, then facts checked against real datapaths and
 * the lab's machine independently.
 */
import { initialTransition, transition } from "xstate";
import { describe, expect, it } from "vitest";
import { POD_NETWORK_TEMPLATES } from "../../../src/quiz/bank/pod-network/index";
import { cniPathMachine } from "../../../src/machines/cni-path.machine";
import { areaChecks } from "./area-checks";

const CNI_TEMPLATES = POD_NETWORK_TEMPLATES.filter((t) => t.lesson === "how-pods-reach-each-other");

const { everySeed, template, misconceptionsUsed } = areaChecks({
  name: "CNI",
  folder: "pod-network",
  templates: CNI_TEMPLATES,
  seeds: { env: "CNI_SEEDS", default: 200 },
  count: { min: 3, max: 3, minKinds: 2 },
  lesson: "how-pods-reach-each-other",
  labIds: ["cni"],
  knownStep: (v) => (step) => {
    const q = v.lab!.query;
    const s = transition(cniPathMachine, initialTransition(cniPathMachine, {})[0], { type: "LOAD_LINK", cni: q["cni.cni"], path: q["cni.path"], overlay: q["cni.overlay"] })[0];
    return s.context.result.hops.some((h) => h.id === step);
  },
});

describe("CNI questions, checked independently", () => {
  it("cni-arrival-ttl: 62 across nodes on every CNI, 64 over kubenet's bridge, 63 otherwise (two, zero or one forwarding step)", () => {
    everySeed(template("cni-arrival-ttl"), (v) => {
      if (v.kind !== "numeric" || v.exhibits[0]!.kind !== "settings") return "kind";
      const chip = (k: string) => (v.exhibits[0]!.kind === "settings" ? v.exhibits[0]!.chips.find((c) => c.key === k)!.value : "");
      const path = chip("path");
      const kubenet = chip("cni").startsWith("kubenet");
      const expected = path === "cross-node" ? 62 : path === "same-node" && kubenet ? 64 : 63;
      return v.key.value === expected ? null : `key ${v.key.value}, expected ${expected} for ${chip("cni")} ${path}`;
    });
  });

  it("cni-on-the-wire: GKE's CNI, kubenet and native Calico/Dataplane V2 send the Pod packet as it is; the tunnels are named by their real ports", () => {
    const expected: Record<string, string> = { none: "native", ipip: "ipip", geneve: "geneve" };
    everySeed(template("cni-on-the-wire"), (v) => {
      if (v.kind !== "single-choice" || v.exhibits[0]!.kind !== "settings") return "kind";
      const chips = v.exhibits[0]!.chips;
      const overlay = chips.find((c) => c.key === "overlay")!.value;
      const cilium = chips.find((c) => c.key === "cni")!.value.includes("Dataplane V2");
      const want = overlay === "vxlan" ? (cilium ? "vxlan-8472" : "vxlan-4789") : expected[overlay];
      return v.key.choice === want ? null : `key ${v.key.choice}, expected ${want}`;
    });
  });

  it("host-network-source: the node's address natively, the tunnel device's through a Calico or Cilium tunnel", () => {
    everySeed(template("host-network-source"), (v) => {
      if (v.kind !== "single-choice" || v.exhibits[0]!.kind !== "settings") return "kind";
      const overlay = v.exhibits[0]!.chips.find((c) => c.key === "overlay")!.value;
      const want = overlay === "none" ? "node" : "tunnel";
      return v.key.choice === want ? null : `key ${v.key.choice}, expected ${want}`;
    });
  });

  it("the misconceptions the CNI questions use all appear for some seed", () => {
    const used = misconceptionsUsed();
    for (const id of ["veth-decrements-ttl", "overlay-everywhere", "host-network-pod-ip"]) expect(used, id).toContain(id);
  });
});
