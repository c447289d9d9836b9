import { seededRandom } from "../../../sim/random";
import { siteName } from "../../../sim/bgp/anycast";
import { ATTACKER_SITES, HIJACK_LABELS, VICTIMS, type AttackerSite, type HijackKind, type HijackModel, type RoaPolicy } from "../../../sim/rpki/hijacks";
import type { RovMode } from "../../../sim/bgp/types";
import type { Template } from "../../engine/types";
import { misconceptionAnswers } from "../journey/shared";
import { deploymentRov, hijackLab, hijackSummary, LESSON, ROA_TEXT, TIER1 } from "./shared";
import { orderedChoices, orderRandom, pick } from "../draw";

/**
 * Which measures would stop this hijack? Each option is a change to the simulated internet (ROV
 * somewhere, a different ROA); the key is every option after which no router's packets reach the
 * attacker — each one run, none assumed. "None of these" is right when nothing listed works.
 */
const ID = "stop-the-hijack";
const KINDS: readonly HijackKind[] = ["exact-prefix", "sub-prefix", "forged-origin", "forged-sub-prefix"];

function params(seed: number): Record<string, string> {
  if (seed === 0) return { kind: "forged-sub-prefix", roa: "loose", attacker: "frankfurt" };
  const r = seededRandom(seed);
  return { kind: pick(r, KINDS), roa: pick(r, ["minimal", "loose"]), attacker: pick(r, ["frankfurt", "singapore"]) };
}

interface Measure {
  readonly id: string;
  readonly text: string;
  readonly roa: RoaPolicy;
  readonly rov: Record<number, RovMode>;
}

export const stopTheHijack: Template<"multiple-choice"> = {
  id: ID,
  kind: "multiple-choice",
  title: "What would stop this hijack?",
  lesson: LESSON,
  concepts: ["rpki-rov", "bgp-hijack"],
  file: "src/quiz/bank/rpki/stop-the-hijack.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const kind = p.kind as HijackKind;
    const roa = p.roa as RoaPolicy;
    const site: AttackerSite = ATTACKER_SITES[p.attacker as AttackerSite["id"]];
    const victim = VICTIMS.google;
    const tier1 = (mode: RovMode) => Object.fromEntries(TIER1.map((a) => [a, mode]));
    const measures: Measure[] = [
      { id: "upstream-drop", text: `AS${site.provider}, the attacker's transit provider, starts dropping Invalid routes`, roa, rov: { [site.provider]: "drop-invalid" } },
      { id: "tier1-depref", text: "The four tier-1 networks give Invalid routes a lower local preference", roa, rov: tier1("depref-invalid") },
      { id: "access-drop", text: "Every access ISP drops Invalid routes", roa, rov: deploymentRov("access-drop", site) },
      { id: "all-drop", text: "Every transit and access network drops Invalid routes", roa, rov: deploymentRov("all-drop", site) },
      roa === "loose"
        ? { id: "minimal-roa", text: "Google replaces its ROA with a minimal one (maxLength 16); no network changes its routers", roa: "minimal", rov: {} }
        : { id: "loose-roa", text: "Google widens its ROA to maxLength 24 so its own /24s would be Valid; no network changes its routers", roa: "loose", rov: {} },
      { id: "minimal-and-tier1", text: `Google ${roa === "loose" ? "publishes a minimal ROA" : "keeps its minimal ROA"} and the four tier-1 networks drop Invalid routes`, roa: "minimal", rov: tier1("drop-invalid") },
    ];
    const stops = (m: Measure, model: HijackModel) => hijackSummary({ kind, roa: m.roa, attacker: site.id, rov: m.rov, model }).routersShare === 0;
    const before = hijackSummary({ kind, roa, attacker: site.id, rov: {} });
    const answerUnder = (model: HijackModel) => {
      const chosen = measures.filter((m) => stops(m, model)).map((m) => m.id);
      return chosen.length ? chosen : ["none"];
    };
    const keyChoices = answerUnder("real");
    const outcome = (m: Measure) => hijackSummary({ kind, roa: m.roa, attacker: site.id, rov: m.rov });
    const options = orderedChoices(orderRandom(seed, ID), [...measures.map((m) => ({ id: m.id, text: m.text })), { id: "none", text: "None of these stops it" }]);
    const rubricOptions = Object.fromEntries([
      ...measures.map((m) => {
        const o = outcome(m);
        const cities = o.cities.filter((c) => c.captured).length;
        return [m.id, {
          why: o.routersShare === 0
            ? `Stops it: the attacker's route is ${o.state} and is dropped before it reaches anyone who would forward to it; no router's packets reach the attacker.`
            : `Does not stop it: the route is ${o.state}${o.state === "Invalid" ? " but is kept where it matters" : ""}; ${cities} of ${o.cities.length} user cities (${Math.round(o.routersShare * 100)}% of routers) still reach the attacker.`,
          step: o.cities.find((c) => c.captured)?.router ?? null,
        }];
      }),
      ["none", { why: keyChoices[0] === "none" ? "Right: none of the listed changes makes the route Invalid where it is forwarded, so none of them stops it." : "Wrong: at least one listed change leaves no router sending to the attacker.", step: null }],
    ]);
    const key = { choices: keyChoices };
    return {
      template: ID, kind: "multiple-choice", seed, title: this.title,
      prompt:
        `Google announces ${victim.prefix} and has ${ROA_TEXT[roa](victim.prefix, victim.asn)}; today no network validates routes. The attacker AS64511, a customer of AS${site.provider} in ${siteName(site.city)}, ` +
        `announces ${before.prefix} with AS_PATH ${before.path.join(" ")}, and ${before.cities.filter((c) => c.captured).length} of ${before.cities.length} user cities follow it. ` +
        "Which of these changes, each on its own, would leave no router in the simulated internet sending the traffic to the attacker? Tick every one that would.",
      exhibits: [{ kind: "settings", chips: [
        { key: "kind", label: "Hijack", value: HIJACK_LABELS[kind] },
        { key: "roa", label: "Google's ROA", value: ROA_TEXT[roa](victim.prefix, victim.asn) },
        { key: "attacker", label: "Attacker", value: `AS64511 via AS${site.provider}, ${siteName(site.city)}` },
      ] }],
      view: { options },
      key,
      rubric: { options: rubricOptions },
      misconceptions: misconceptionAnswers<"multiple-choice">(["rov-checks-path", "depref-stops-hijack", "maxlength-ignored"], (model) => ({ choices: answerUnder(model as HijackModel) }), key,
        (a, b) => [...a.choices].sort().join() === [...b.choices].sort().join()),
      hints: [
        "First work out the route's RPKI state under each ROA: what origin does the path end in, and is a /24 within the maxLength?",
        "Only dropping an Invalid route removes it; a lower preference matters only when there is a competitor for the same prefix.",
        "A network that drops the route can still forward packets to a provider that kept it.",
      ],
      explanation:
        `${before.prefix} ends its path in AS${before.origin}. ` +
        (kind === "forged-origin"
          ? "Its origin is Google's own ASN, so it is Valid under any ROA: no ROV deployment can stop it — only path validation (ASPA, BGPsec) could. "
          : kind === "forged-sub-prefix"
            ? "Its origin is Google's, so it is Valid under a loose ROA (the /24 is within maxLength 24) and Invalid under a minimal one — and a ROA only helps where networks drop Invalid routes. "
            : "It is Invalid under either ROA (wrong origin), so it is stopped wherever it is dropped before it spreads; lowering preference fails against a more-specific. ") +
        "Dropping at the attacker's only provider stops it at the source; dropping only at the edge leaves the providers' FIBs pointing at the attacker.",
      lab: hijackLab({ kind, roa, attacker: site.id }, "none", site),
    };
  },
};
