/**
 * The egress templates (src/quiz/bank/egress/), seeds 0…199 each (EGRESS_SEEDS): the bank's common checks,
 * then facts checked against Cloud NAT's documented figures and the NAT lab's machine independently.
 */
import { initialTransition, transition } from "xstate";
import { describe, expect, it } from "vitest";
import { EGRESS_TEMPLATES } from "../../../src/quiz/bank/egress/index";
import { natLabMachine, NAT_TEXT_FIELDS, type NatTextField } from "../../../src/machines/nat-lab.machine";
import { areaChecks } from "./area-checks";

const { everySeed, template, misconceptionsUsed } = areaChecks({
  name: "egress",
  folder: "egress",
  templates: EGRESS_TEMPLATES,
  seeds: { env: "EGRESS_SEEDS", default: 200 },
  count: { min: 3, max: 3, minKinds: 2 },
  lesson: "leaving-the-cluster",
  labIds: ["nat"],
});

/** Opens a variant's lab link through the lab's machine, as the island does with the address bar. */
function openLab(query: Readonly<Record<string, string>>) {
  const get = (k: string) => query[`nat.${k}`];
  const texts = Object.fromEntries(NAT_TEXT_FIELDS.flatMap((f) => (get(f) === undefined ? [] : [[f, get(f)!]]))) as Partial<Record<NatTextField, string>>;
  const bool = (k: string) => (get(k) === undefined ? undefined : get(k) === "true");
  const path = Object.fromEntries((["destination", "nat", "from"] as const).flatMap((k) => (get(k) === undefined ? [] : [[k, get(k)]])));
  for (const k of ["pga", "masquerade"] as const) if (get(k) !== undefined) Object.assign(path, { [k]: bool(k) });
  const [s] = transition(natLabMachine, initialTransition(natLabMachine, {})[0], { type: "LOAD", texts, dynamic: bool("dynamic"), eim: bool("eim"), path, inbound: bool("inbound") });
  return s.context;
}

describe("egress questions, checked independently", () => {
  it("vms-per-nat-ip: K × ⌊(65,536 − 1,024) ÷ P⌋, and seed 0 is the documented 1,008", () => {
    const v0 = template("vms-per-nat-ip").variant(0);
    expect(v0.kind === "numeric" && v0.key.value).toBe(1008);
    everySeed(template("vms-per-nat-ip"), (v) => {
      if (v.kind !== "numeric" || !v.lab) return "kind";
      const chip = (k: string) => Number(v.exhibits[0]!.kind === "settings" ? v.exhibits[0]!.chips.find((c) => c.key === k)!.value : NaN);
      const expected = chip("natIps") * Math.floor(64512 / chip("minPorts"));
      if (v.key.value !== expected) return `key ${v.key.value}, expected ${expected}`;
      // The lab opened from the link shows the VM after the last one with no ports.
      const lab = openLab(v.lab.query);
      return lab.run && lab.run.vms.filter((x) => x.ports === 0).length === 1 ? null : "lab does not show exactly one VM without ports";
    });
  });

  it("nat-dropped-connections: max(0, A − P) + max(0, B − P), and the lab shows A's first drop at P + 1", () => {
    everySeed(template("nat-dropped-connections"), (v) => {
      if (v.kind !== "numeric" || !v.lab) return "kind";
      const chips = v.exhibits[0]!.kind === "settings" ? v.exhibits[0]!.chips.map((c) => Number(c.value)) : [];
      const [p, a, b] = chips as [number, number, number];
      const expected = Math.max(0, a - p) + Math.max(0, b - p);
      if (v.key.value !== expected) return `key ${v.key.value}, expected ${expected}`;
      const lab = openLab(v.lab.query);
      const first = lab.run?.firstDrop ? lab.run.firstDrop.index + 1 : null;
      return first === (a > p ? p + 1 : null) ? null : `lab's first drop ${first}`;
    });
  });

  it("egress-path: opening the variant's lab shows the outcome the key names", () => {
    const seen = new Set<string>();
    everySeed(template("egress-path"), (v) => {
      if (v.kind !== "single-choice" || !v.lab) return "kind";
      seen.add(v.key.choice);
      const outcome = openLab(v.lab.query).trace.outcome;
      const choice = outcome === "dropped-inbound" ? "inbound-dropped" : outcome;
      return choice === v.key.choice ? null : `lab shows ${outcome}, key ${v.key.choice}`;
    });
    expect([...seen].sort()).toEqual(["inbound-dropped", "internal", "nat", "no-route", "pga"]);
  });

  it("the misconceptions the bank uses all appear for some seed", () => {
    const used = misconceptionsUsed();
    for (const id of ["all-65536-ports", "no-port-reuse", "unlimited-per-destination", "google-apis-via-nat", "nat-accepts-inbound"]) expect(used, id).toContain(id);
  });
});
