/**
 * The rpki templates (src/quiz/bank/rpki/), seeds 0…199 each (RPKI_SEEDS): the bank's common checks
 * (`area-checks.ts`), with every rubric step a router of the lab's hijack topology; then facts checked
 * against the simulator independently of the templates.
 */
import { describe, expect, it } from "vitest";
import { RPKI_TEMPLATES } from "../../../src/quiz/bank/rpki/index";
import { hijackTopology, ATTACKER_SITES } from "../../../src/sim/rpki/hijacks";
import { parseVrpExport } from "../../../src/sim/rpki/export";
import { parsePrefix } from "../../../src/sim/rpki/prefix";
import { parseAsPath, routeOrigin, vrpIndex } from "../../../src/sim/rpki/rov";
import { areaChecks } from "./area-checks";

const ROUTERS = new Set(Object.values(ATTACKER_SITES).flatMap((s) => hijackTopology(s).ases.flatMap((a) => a.cities.map((c) => `${a.asn}@${c}`))));

const { everySeed, template, misconceptionsUsed } = areaChecks({
  name: "rpki",
  folder: "rpki",
  templates: RPKI_TEMPLATES,
  seeds: { env: "RPKI_SEEDS", default: 200 },
  count: { min: 3, max: 5, minKinds: 2 },
  lesson: "hijacking-and-rpki",
  labIds: ["rpki"],
  knownStep: () => (step) => ROUTERS.has(step),
  // The route and the VRP export are the question; the prompt only asks for the validation state.
  questionInExhibits: ["rov-state"],
});

describe("rpki questions, checked independently", () => {
  it("rov-state: the key is what the CSV exhibit's VRPs give for the route, read back through the export parser", () => {
    const t = template("rov-state");
    const states = new Set<string>();
    everySeed(t, (v) => {
      if (v.kind !== "single-choice") return "kind";
      const csv = v.exhibits.find((e) => e.kind === "output");
      const route = v.exhibits.find((e) => e.kind === "text");
      if (!csv || csv.kind !== "output" || !route || route.kind !== "text") return "exhibits";
      const [, prefix, path] = /Route: (\S+)\nAS_PATH: (.+)$/.exec(route.text) ?? [];
      const state = vrpIndex(parseVrpExport(csv.text).vrps).validate(parsePrefix(prefix!), routeOrigin(parseAsPath(path!))).state;
      states.add(state);
      return v.key.choice === state.toLowerCase() ? null : `key ${v.key.choice}, exhibits give ${state}`;
    });
    expect([...states].sort()).toEqual(["Invalid", "NotFound", "Valid"]);
  });

  it("static-ip-steal: always 'no', for the right reason, and recorded as the source's question", () => {
    const t = template("static-ip-steal");
    expect(t.source).toMatch(/seed 000/);
    everySeed(t, (v) => (v.kind === "single-choice" && v.key.choice === "no-route" ? null : "key"));
  });

  it("the misconceptions the bank uses all appear for some seed", () => {
    const used = misconceptionsUsed();
    for (const id of ["maxlength-ignored", "rov-checks-path", "depref-stops-hijack"]) expect(used, id).toContain(id);
  });
});
