/**
 * The Maglev templates (`src/quiz/bank/maglev/`), seeds 0…199 each (MAGLEV_SEEDS): the bank's common
 * checks (`area-checks.ts`), then facts checked against the simulator and the paper independently of the
 * templates, and the lab links opened through the lab's machine.
 */
import { describe, expect, it } from "vitest";
import { MAGLEV_TEMPLATES } from "../../../src/quiz/bank/maglev/index";
import { labHref, type AnyVariant } from "../../../src/quiz/engine/types";
import { initialTransition, transition } from "xstate";
import { labFlows, MAGLEV_LAB_LINK_KEYS, maglevLabMachine, maglevLabView } from "../../../src/machines/maglev-lab.machine";
import { readMaglevLabLink } from "../../../src/machines/maglev-lab-link";
import { areaChecks, as } from "./area-checks";

const { seeds: SEEDS, everySeed, variantsOf, template, misconceptionsUsed, timeout: TIMEOUT } = areaChecks({
  name: "Maglev",
  folder: "maglev",
  templates: MAGLEV_TEMPLATES,
  seeds: { env: "MAGLEV_SEEDS", default: 200 },
  count: { min: 3, max: 5, minKinds: 3 },
  lesson: "maglev-and-the-gfe",
});

describe("facts, independently of the templates", () => {
  it("each wrong model appears in some variant", () => {
    expect([...misconceptionsUsed()].sort()).toEqual(["conntrack-miss-drops", "maglev-is-modulo", "modulo-is-consistent"]);
  }, TIMEOUT);

  it("hash mod N moves about (N−1)/N of flows when one of N leaves; Maglev about 1/N", () => {
    const t = template("maglev-flows-moved");
    everySeed(t, (v, seed) => {
      const p = t.params(seed);
      if (p.change !== "leave") return null;
      const n = p.gfes as number;
      const value = as(v, "numeric").rubric.value;
      const expected = p.scheme === "modulo" ? 100 * (1 - 1 / n) : 100 / n;
      return Math.abs(value - expected) < (p.scheme === "maglev" && p.size === 251 ? 12 : 6) ? null : `${p.scheme} N=${n}: ${value}% vs about ${expected.toFixed(1)}%`;
    });
  }, TIMEOUT);

  it("seed 0 of the table exercise is go-maglev's kind of table: three GFEs, seven slots, 3/2/2", () => {
    const v = as(template("maglev-populate-table").variant(0), "fill-in");
    const owners = Object.values(v.key.fields);
    expect(owners).toHaveLength(7);
    const counts = ["gfe-1", "gfe-2", "gfe-3"].map((g) => owners.filter((o) => o === g).length).sort();
    expect(counts).toEqual([2, 2, 3]);
  });

  it("the paper's figure: 1,000 GFEs in 65,537 slots own 65 or 66, and 537 own 66", () => {
    const v = as(template("maglev-slot-balance").variant(0), "fill-in");
    expect(v.key.fields).toEqual({ fewest: "65", most: "66", owners: "537" });
  }, TIMEOUT);

  it("without a GFE change the drained Maglev's connection always survives", () => {
    const t = template("maglev-conntrack-ecmp");
    everySeed(t, (v, seed) => (t.params(seed).change === "none" && as(v, "single-choice").key.choice !== "same" ? "did not survive" : null));
    const keys = new Set(variantsOf(t).map((v) => as(v, "single-choice").key.choice));
    expect(keys).toEqual(new Set(["same", "different"]));
  }, TIMEOUT);
});

/**
 * "Open this variant in the lab": the link's query, loaded into the lab's machine as the island loads it,
 * shows the variant — the same table, the same connection's story, the same measured flows.
 */
describe("the Maglev questions' lab links", () => {
  const LINK_SEEDS = SEEDS.slice(0, Number(process.env["MAGLEV_LINK_SEEDS"] ?? 60));
  const open = (v: AnyVariant) => {
    expect(v.lab?.lab).toBe("maglev");
    const query = new URL(labHref(v.lab!), "https://packetlab.test").searchParams;
    const link = Object.fromEntries(MAGLEV_LAB_LINK_KEYS.map((k) => [k, query.get(`maglev.${k}`)]));
    const s = transition(maglevLabMachine, initialTransition(maglevLabMachine, {})[0], { type: "LOAD_STATE", link, read: readMaglevLabLink })[0];
    expect(s.context.errors, `seed ${v.seed}`).toEqual({});
    return { context: s.context, view: maglevLabView(s.context), query };
  };

  it("maglev-populate-table: the lab's 7-slot table is the key", () => {
    for (const seed of LINK_SEEDS) {
      const v = as(template("maglev-populate-table").variant(seed) as AnyVariant, "fill-in");
      const { view } = open(v);
      expect(view.size).toBe(7);
      expect(Object.fromEntries(view.slots.map((x) => [`slot-${x.slot}`, x.owner])), `seed ${seed}`).toEqual(v.key.fields);
    }
  });

  it("maglev-conntrack-ecmp: the lab follows the same connection to the same outcome", () => {
    for (const seed of LINK_SEEDS) {
      const v = as(template("maglev-conntrack-ecmp").variant(seed) as AnyVariant, "single-choice");
      const { view, context } = open(v);
      expect(view.story.survived, `seed ${seed}`).toBe(v.key.choice === "same");
      expect(v.prompt, `seed ${seed}`).toContain(`The connection ${labFlows(context.seed)[context.storyFlow]!.key} opened through ${view.story.drained}`);
    }
  });

  it("maglev-flows-moved: hash mod N moves the same share of the same flows in the lab", () => {
    let checked = 0;
    for (const seed of LINK_SEEDS) {
      const v = as(template("maglev-flows-moved").variant(seed) as AnyVariant, "numeric");
      const { view, query } = open(v);
      if (!query.has("maglev.gfes")) continue;
      expect(view.changed, `seed ${seed}`).toBe(true);
      if (!v.prompt.includes("hash mod N")) continue;
      const modulo = view.measured.find((d) => d.scheme === "modulo")!;
      expect(Math.round(modulo.movedShare * 1000) / 10, `seed ${seed}`).toBe(v.key.value);
      checked++;
    }
    expect(checked).toBeGreaterThan(5);
  });

  it("maglev-slot-balance: the lab shows the variant's GFEs when it can hold them", () => {
    for (const seed of LINK_SEEDS) {
      const v = template("maglev-slot-balance").variant(seed) as AnyVariant;
      const { view, query } = open(v);
      if (query.has("maglev.gfes")) expect(view.live.join(","), `seed ${seed}`).toBe(query.get("maglev.gfes"));
    }
  });
});
