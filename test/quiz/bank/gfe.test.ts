/**
 * The GFE templates (`src/quiz/bank/gfe/`), seeds 0–199 each (GFE_SEEDS): the bank's common checks
 * (`area-checks.ts`), then facts of the GFE's URL map and Cloud Armor checked independently of the
 * templates, and the lab links opened through the URL-map tester's machine.
 */
import { describe, expect, it } from "vitest";
import { GFE_TEMPLATES } from "../../../src/quiz/bank/gfe/index";
import { labHref, type AnyVariant } from "../../../src/quiz/engine/types";
import { initialTransition, transition } from "xstate";
import { BACKEND_KINDS, ENDPOINT_HEALTHS, URL_MAP_TESTER_GFES, urlMapTesterMachine } from "../../../src/machines/url-map-tester.machine";
import { readUrlMapTesterLink } from "../../../src/machines/url-map-tester-link";
import { decodeLabInput } from "../../../src/sim/core/permalink";
import { readSecurityPolicyYaml, readUrlMapYaml } from "../../../src/sim/edge/gfe-yaml";
import { areaChecks } from "./area-checks";

const OPTIONS = { kinds: BACKEND_KINDS, healths: ENDPOINT_HEALTHS, gfes: URL_MAP_TESTER_GFES };
const { seeds: SEEDS, template } = areaChecks({
  name: "GFE",
  folder: "gfe",
  templates: GFE_TEMPLATES,
  seeds: { env: "GFE_SEEDS", default: 200 },
  kinds: ["single-choice", "fill-in", "numeric"],
  count: { min: 3, max: 5, minKinds: 3 },
  lesson: "maglev-and-the-gfe",
  // The URL map and the security policy are the question; the prompt only asks which rule decides.
  questionInExhibits: ["url-map-backend", "armor-deciding-rule"],
});

describe("gfe facts, independently of the templates", () => {
  it("runs each misconception as a real mode and finds it in some variants", () => {
    const found = new Set(GFE_TEMPLATES.flatMap((t) => SEEDS.slice(0, 60).flatMap((s) => (t.variant(s) as AnyVariant).misconceptions.map((m) => m.misconception))));
    expect([...found].sort()).toEqual(["armor-first-listed", "first-path-rule-wins"]);
  });

  it("answers an unknown Host with the default backend's 404, never a 403", () => {
    const t = template("unknown-host-status");
    expect((t.variant(0) as AnyVariant).key).toEqual({ choice: "default-404" });
    const keys = new Set(SEEDS.slice(0, 60).map((s) => JSON.stringify((t.variant(s) as AnyVariant).key)));
    expect(keys).toEqual(new Set([JSON.stringify({ choice: "default-404" }), JSON.stringify({ choice: "ok" })]));
  });
});

/**
 * "Open this variant in the lab": the link's query, read as the tester reads it (decoded, then
 * LOAD_STATE into its machine with the real YAML readers), reaches the variant's answer.
 */
describe("the GFE questions' lab links", () => {
  const readers = { readUrlMapYaml, readSecurityPolicyYaml };
  const LINK_SEEDS = SEEDS.filter((s) => s < Number(process.env.GFE_LINK_SEEDS ?? 60));
  const open = (v: AnyVariant) => {
    expect(v.lab?.lab).toBe("url-map-tester");
    const query = new URL(labHref(v.lab!), "https://packetlab.test").searchParams;
    const patch = readUrlMapTesterLink(query, "url-map-tester", decodeLabInput, OPTIONS);
    expect(patch, `seed ${v.seed}: the link carries no state`).not.toBeNull();
    let s = initialTransition(urlMapTesterMachine, {})[0];
    s = transition(urlMapTesterMachine, s, { type: "READERS_LOADED", readers })[0];
    s = transition(urlMapTesterMachine, s, { type: "LOAD_STATE", patch: patch! })[0];
    expect(s.context.errors, `seed ${v.seed}`).toEqual({});
    expect(s.context.linkErrors, `seed ${v.seed}`).toEqual({});
    expect(s.context.result, `seed ${v.seed}`).not.toBeNull();
    return s.context.result!;
  };
  const variant = (id: string, seed: number) => template(id).variant(seed) as AnyVariant;

  it("url-map-backend: the tester's URL map sends the request to the key's service", () => {
    for (const seed of LINK_SEEDS) {
      const v = variant("url-map-backend", seed);
      const t = open(v).decision.target;
      expect(t.kind === "service" ? t.name : t.kind, `seed ${seed}`).toBe(v.kind === "single-choice" ? v.key.choice : null);
    }
  });

  it("armor-deciding-rule: the tester's policy is decided by the key's priority", () => {
    for (const seed of LINK_SEEDS) {
      const v = variant("armor-deciding-rule", seed);
      expect(open(v).armor?.last.rule.priority, `seed ${seed}`).toBe(v.kind === "numeric" ? v.key.value : null);
    }
  });

  it("unknown-host-status: the tester answers as the key says", () => {
    for (const seed of LINK_SEEDS) {
      const v = variant("unknown-host-status", seed);
      const key = v.kind === "single-choice" ? v.key.choice : "";
      expect(open(v).status, `seed ${seed}`).toBe(key === "ok" ? "200 OK" : "404 Not Found");
    }
  });

  it("gfe-connects-to: the tester's GFE connects to the key's address", () => {
    for (const seed of LINK_SEEDS) {
      const v = variant("gfe-connects-to", seed);
      const target = open(v).backend?.target;
      expect(target && `${target.ip}:${target.port}`, `seed ${seed}`).toBe(v.kind === "fill-in" ? v.key.fields.address : null);
    }
  });
});
