/**
 * The BGP templates (`src/quiz/bank/bgp/`), seeds 0…199 each (BGP_SEEDS): the bank's common checks
 * (`area-checks.ts`), then facts checked against RFC 4271 and the simulated internet independently of
 * the templates, and the lab links opened through the lab's machine.
 */
import { describe, expect, it } from "vitest";
import { BGP_TEMPLATES } from "../../../src/quiz/bank/bgp/index";
import type { AnyVariant } from "../../../src/quiz/engine/types";
import { initialTransition, transition } from "xstate";
import { bgpLabMachine, bgpLabView } from "../../../src/machines/bgp-lab.machine";
import { areaChecks, as } from "./area-checks";

const { everySeed, variantsOf, template, misconceptionsUsed, timeout: TIMEOUT } = areaChecks({
  name: "BGP",
  folder: "bgp",
  templates: BGP_TEMPLATES,
  seeds: { env: "BGP_SEEDS", default: 200 },
  count: { min: 3, max: 5, minKinds: 2 },
  lesson: "anycast-and-bgp",
});

describe("facts, independently of the templates", () => {
  it("the nearest-site misconception appears, and every key of bgp-anycast-site is a site the packet really reaches", () => {
    expect([...misconceptionsUsed()]).toEqual(["anycast-nearest-site"]);
    const v0 = as(template("bgp-anycast-site").variant(0), "single-choice");
    expect(v0.key.choice).toBe("london");
    expect(v0.misconceptions).toEqual([{ misconception: "anycast-nearest-site", answer: { choice: "paris" } }]);
  }, TIMEOUT);

  it("the decision order is RFC 4271 §9.1.2.2's: local-pref, AS path, origin, MED, eBGP over iBGP, IGP cost, router id", () => {
    const rfc = ["local-pref", "as-path-length", "origin", "med", "ebgp-over-ibgp", "igp-cost", "router-id"];
    everySeed(template("bgp-decision-order"), (v) => {
      const order = as(v, "ordering").key.order;
      return JSON.stringify(order) === JSON.stringify(rfc.filter((r) => order.includes(r))) ? null : order.join(",");
    });
  }, TIMEOUT);

  it("the longest match wins: inside the more-specific the packet goes to its announcer, outside to Cloudflare", () => {
    const t = template("bgp-longest-match");
    everySeed(t, (v, seed) => {
      const expected = t.params(seed).address === "inside" ? "specific" : "covering";
      return as(v, "single-choice").key.choice === expected ? null : `${JSON.stringify(t.params(seed))}: ${as(v, "single-choice").key.choice}`;
    });
  }, TIMEOUT);

  it("deciding rules vary across seeds, Madrid's hot potato first", () => {
    const t = template("bgp-deciding-rule");
    expect(as(t.variant(0), "single-choice").key.choice).toBe("igp-cost");
    const keys = new Set(variantsOf(t).map((v) => as(v, "single-choice").key.choice));
    for (const rule of ["local-pref", "as-path-length", "ebgp-over-ibgp", "igp-cost"]) expect(keys).toContain(rule);
  }, TIMEOUT);
});

describe("the BGP questions' lab links open the lab on the variant", () => {
  /** The lab as a link opens it: the machine's first state, then the link's values (`<lab>.<key>`), then its view. */
  function labFromLink(v: AnyVariant) {
    const values = Object.fromEntries(Object.entries(v.lab!.query).map(([k, value]) => [k.slice(v.lab!.lab.length + 1), value]));
    const opened = transition(bgpLabMachine, initialTransition(bgpLabMachine, {})[0], { type: "LINK", values, labId: v.lab!.lab })[0];
    expect(opened.context.linkProblems, JSON.stringify(v.lab)).toEqual([]);
    return bgpLabView(opened.context);
  }

  it("bgp-deciding-rule: the stepper's router decides by the key's rule", () => {
    everySeed(template("bgp-deciding-rule"), (v) => {
      const decided = labFromLink(v).decision.decidedBy;
      return decided === as(v, "single-choice").key.choice ? null : `the lab decides by ${decided}`;
    });
  }, TIMEOUT);

  it("bgp-anycast-site: the anycast map sends the city where the key says", () => {
    const t = template("bgp-anycast-site");
    everySeed(t, (v, seed) => {
      const city = t.params(seed).city;
      const outcome = labFromLink(v).anycast.find((o) => o.city === city);
      const key = as(v, "single-choice").key.choice;
      return outcome && (outcome.reached ?? "none") === key ? null : `${city}: the lab says ${outcome?.reached}, the key ${key}`;
    });
  }, TIMEOUT);
});
