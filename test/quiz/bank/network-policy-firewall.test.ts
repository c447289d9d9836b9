/**
 * The firewall questions (firewall-drop-layer, health-check-rule), checked against documented GKE
 * behaviour independently of the templates, and each lab link opened through the firewall lab's machine.
 */
import { describe, expect, it } from "vitest";
import { initialTransition, transition } from "xstate";
import { firewallLabMachine } from "../../../src/machines/firewall-lab.machine";
import { NETWORK_POLICY_TEMPLATES } from "../../../src/quiz/bank/network-policy/index";
import { externalWalk } from "../../../src/sim/kube/policy/firewall-walk";

const byId = (id: string) => NETWORK_POLICY_TEMPLATES.find((t) => t.id === id)!;
const chip = (v: ReturnType<ReturnType<typeof byId>["variant"]>, key: string) =>
  v.exhibits[0]?.kind === "settings" ? v.exhibits[0].chips.find((c) => c.key === key)?.value ?? "" : "";
const SEEDS = Array.from({ length: Number(process.env.NETWORK_POLICY_SEEDS ?? 200) }, (_, i) => i);

describe("firewall questions, checked independently", () => {
  it("firewall-drop-layer: a client outside the ranges never reaches the Pod; one inside under Cluster with the policy never does either", () => {
    for (const seed of SEEDS) {
      const v = byId("firewall-drop-layer").variant(seed);
      if (v.kind !== "single-choice") throw new Error("kind");
      const client = /client at ([\d.]+)/.exec(v.prompt)![1]!;
      const ranges = chip(v, "ranges");
      const inOffice = client.startsWith("198.51.100.");
      const rules = chip(v, "rules");
      if (ranges !== "(not set)" && !inOffice) expect(v.key.choice, `seed ${seed}`).not.toBe("delivered");
      // A blanket deny at 500 outranks GKE's allow at 1000: always the VPC firewall.
      if (rules.startsWith("block-all,500")) expect(v.key.choice, `seed ${seed}`).toBe("vpc-firewall");
      // Outside the ranges with nothing opening the firewall wider: the VPC firewall, never kube-proxy.
      if (ranges !== "(not set)" && !inOffice && !rules.startsWith("open-web")) expect(v.key.choice, `seed ${seed}`).toBe("vpc-firewall");
      if (ranges !== "(not set)" && !inOffice && rules.startsWith("open-web")) expect(v.key.choice, `seed ${seed}`).toBe("kube-proxy");
      if (chip(v, "etp") === "Cluster" && chip(v, "policy") !== "none" && v.key.choice !== "vpc-firewall" && v.key.choice !== "kube-proxy") {
        expect(v.key.choice, `seed ${seed}`).toBe("network-policy");
      }
    }
  });
  it("health-check-rule: the key opens Google's NLB probe ranges to 10256 under Cluster and to the healthCheckNodePort under Local", () => {
    for (const seed of SEEDS) {
      const v = byId("health-check-rule").variant(seed);
      if (v.kind !== "single-choice") throw new Error("kind");
      const text = v.view.options.find((o) => o.id === v.key.choice)!.text;
      expect(text).toContain("35.191.0.0/16+209.85.152.0/22+209.85.204.0/22");
      expect(text.endsWith(v.prompt.includes("Local") ? "tcp:31844" : "tcp:10256"), `seed ${seed}: ${text}`).toBe(true);
    }
  });
  it("uses the firewall misconceptions", () => {
    const used = new Set(SEEDS.flatMap((seed) => ["firewall-drop-layer", "health-check-rule"].flatMap((id) => byId(id).variant(seed).misconceptions.map((m) => m.misconception))));
    for (const id of ["source-ranges-kube-proxy-only", "ipblock-sees-client", "allow-wins-tie", "health-check-on-service-port"]) expect(used, id).toContain(id);
  });
  it("every lab link opens the firewall lab on the variant's settings without a complaint", () => {
    for (const id of ["firewall-drop-layer", "health-check-rule"]) {
      for (const seed of [0, 1, 2, 3, 4, 5]) {
        const v = byId(id).variant(seed);
        const q = v.lab!.query;
        const get = (k: string) => q[`firewall.${k}`] ?? null;
        const [initial] = initialTransition(firewallLabMachine, { walk: externalWalk });
        const [s] = transition(firewallLabMachine, initial, { type: "LOAD_STATE", client: get("client"), ranges: get("ranges"), etp: get("etp"), policy: get("policy"), gke: get("gke"), rules: get("rules"), step: get("step") });
        expect(s.context.errors, `${id} ${seed}`).toEqual({});
        if (id === "firewall-drop-layer" && v.kind === "single-choice") {
          expect(s.context.result.delivered ? "delivered" : s.context.result.droppedAt!.layer, `${id} ${seed}`).toBe(v.key.choice);
        }
      }
    }
  });
});
