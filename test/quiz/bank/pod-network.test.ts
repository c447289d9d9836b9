/**
 * The pod-network templates (src/quiz/bank/pod-network/), seeds 0…199 each (POD_NETWORK_SEEDS): the
 * bank's common checks, then facts checked against GKE's rules and the MTU lab's machine independently.
 */
import { initialTransition, transition } from "xstate";
import { describe, expect, it } from "vitest";
import { POD_NETWORK_TEMPLATES } from "../../../src/quiz/bank/pod-network/index";
import { mtuLabMachine } from "../../../src/machines/mtu-lab.machine";
import { areaChecks } from "./area-checks";

const { everySeed, template, misconceptionsUsed } = areaChecks({
  name: "pod-network",
  folder: "pod-network",
  templates: POD_NETWORK_TEMPLATES.filter((t) => t.lesson === "pod-addresses-and-mtu"),
  seeds: { env: "POD_NETWORK_SEEDS", default: 200 },
  count: { min: 3, max: 4, minKinds: 2 },
  lesson: "pod-addresses-and-mtu",
  labIds: ["planner", "mtu"],
});

describe("pod-network questions, checked independently", () => {
  it("plan-max-nodes: the key is min(2^(block − Pod prefix), subnet size − 4), with the block from GKE's table", () => {
    // GKE's published max-Pods → per-node block table (extended to /23 for 129–256).
    const block = (pods: number) => (pods <= 8 ? 28 : pods <= 16 ? 27 : pods <= 32 ? 26 : pods <= 64 ? 25 : pods <= 128 ? 24 : 23);
    everySeed(template("plan-max-nodes"), (v) => {
      if (v.kind !== "numeric") return "kind";
      const chip = (k: string) => (v.exhibits[0]!.kind === "settings" ? v.exhibits[0]!.chips.find((c) => c.key === k)!.value : "");
      const pod = Number(chip("podRange").split("/")[1]);
      const node = Number(chip("nodeRange").split("/")[1]);
      const expected = Math.min(2 ** (block(Number(chip("maxPods"))) - pod), 2 ** (32 - node) - 4);
      return v.key.value === expected ? null : `key ${v.key.value}, expected ${expected}`;
    });
  });

  it("too-big-packet: opening the variant's lab preset shows the outcome the key names", () => {
    const status: Record<string, string> = { pmtud: "delivered-after-pmtud", fragment: "delivered-fragmented", "black-hole": "black-hole", delivered: "delivered" };
    const seen = new Set<string>();
    everySeed(template("too-big-packet"), (v) => {
      if (v.kind !== "single-choice" || !v.lab) return "kind";
      const s = transition(mtuLabMachine, initialTransition(mtuLabMachine, {})[0], { type: "LOAD", preset: v.lab.query["mtu.preset"]! })[0];
      seen.add(v.key.choice);
      return s.context.result.status === status[v.key.choice] ? null : `lab shows ${s.context.result.status}, key ${v.key.choice}`;
    });
    expect([...seen].sort()).toEqual(["black-hole", "delivered", "fragment", "pmtud"]);
  });

  it("pod-mtu: VXLAN on 1460 is 1410 (seed 0)", () => {
    const v = template("pod-mtu").variant(0);
    expect(v.kind === "numeric" && v.key.value).toBe(1410);
  });

  it("the misconceptions the bank uses all appear for some seed", () => {
    const used = misconceptionsUsed();
    for (const id of ["per-node-equals-max-pods", "subnet-no-reserved", "encap-free", "df-fragmented"]) expect(used, id).toContain(id);
  });
});
