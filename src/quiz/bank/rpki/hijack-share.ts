import { seededRandom } from "../../../sim/random";
import { siteName } from "../../../sim/bgp/anycast";
import { ATTACKER_SITES, HIJACK_LABELS, VICTIMS, type AttackerSite, type HijackKind, type HijackModel, type RoaPolicy } from "../../../sim/rpki/hijacks";
import type { Template } from "../../engine/types";
import { listing, misconceptionAnswers } from "../journey/shared";
import { deploymentRov, deploymentText, hijackLab, hijackSummary, LESSON, ROA_TEXT, type Deployment } from "./shared";
import { pick } from "../draw";

/**
 * How many user cities follow a hijack: an announcement, the victim's ROA and where ROV is deployed;
 * the key is the count of user cities whose packets reach the attacker in the hijack simulation. Wrong
 * models (`rov-checks-path`, `depref-stops-hijack`, `maxlength-ignored`) are the same run under
 * the named model.
 */
const ID = "hijack-share";
const KINDS: readonly HijackKind[] = ["exact-prefix", "sub-prefix", "forged-origin", "forged-sub-prefix"];

function params(seed: number): Record<string, string> {
  if (seed === 0) return { kind: "sub-prefix", roa: "minimal", attacker: "frankfurt", deployment: "tier1-depref" };
  const r = seededRandom(seed);
  return {
    kind: pick(r, KINDS),
    roa: pick(r, ["minimal", "minimal", "loose", "none"]),
    attacker: pick(r, ["frankfurt", "singapore"]),
    deployment: pick(r, ["none", "upstream-drop", "tier1-drop", "tier1-depref", "access-drop", "all-drop", "all-depref"]),
  };
}

export const hijackShare: Template<"numeric"> = {
  id: ID,
  kind: "numeric",
  title: "How many cities follow the hijack?",
  lesson: LESSON,
  concepts: ["bgp-hijack", "rpki-rov", "bgp-best-path"],
  file: "src/quiz/bank/rpki/hijack-share.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const kind = p.kind as HijackKind;
    const roa = p.roa as RoaPolicy;
    const site: AttackerSite = ATTACKER_SITES[p.attacker as AttackerSite["id"]];
    const deployment = p.deployment as Deployment;
    const rov = deploymentRov(deployment, site);
    const run = (model: HijackModel) => hijackSummary({ kind, roa, attacker: site.id, rov, model });
    const o = run("real");
    const v = o;
    const captured = o.cities.filter((c) => c.captured);
    const value = captured.length;
    const victim = VICTIMS.google;
    const cityList = o.cities.map((c) => `${siteName(c.city)} (AS${c.router.split("@")[0]})`);
    const firstCaptured = captured[0] ?? o.cities[0]!;
    return {
      template: ID, kind: "numeric", seed, title: this.title,
      prompt:
        `Google announces ${victim.prefix} and has ${ROA_TEXT[roa](victim.prefix, victim.asn)}. An attacker, AS64511, buys transit from AS${site.provider} in ${siteName(site.city)} and announces ${v.prefix} with AS_PATH ${o.path.join(" ")}. ` +
        `In the course's simulated internet ${deploymentText(deployment, site)}. Of the ${o.cities.length} user cities, how many send their packets for ${victim.address} to the attacker?`,
      exhibits: [
        { kind: "settings", chips: [
          { key: "kind", label: "Hijack", value: HIJACK_LABELS[kind] },
          { key: "roa", label: "Google's ROA", value: ROA_TEXT[roa](victim.prefix, victim.asn) },
          { key: "attacker", label: "Attacker", value: `AS64511 via AS${site.provider}, ${siteName(site.city)}` },
          { key: "rov", label: "ROV", value: deploymentText(deployment, site) },
        ] },
        { kind: "text", text: `User cities (their access ISP): ${cityList.join(", ")}` },
      ],
      view: { unit: "count", label: "User cities whose packets reach the attacker" },
      key: { value },
      rubric: {
        value, unit: "count", absolute: 0, relative: 0,
        why: {
          why: `The attacker's route is ${v.state} against the VRPs. ${value === 0 ? "No user city reaches the attacker" : `${listing(captured.map((c) => siteName(c.city)))} reach${value === 1 ? "es" : ""} the attacker`}: each city's packets were followed through the FIBs, router by router.`,
          step: firstCaptured.router,
        },
      },
      misconceptions: misconceptionAnswers<"numeric">(
        ["rov-checks-path", "depref-stops-hijack", "maxlength-ignored"],
        (model) => ({ value: run(model as HijackModel).cities.filter((c) => c.captured).length }),
        { value },
      ),
      hints: [
        "Start with the RPKI state of the attacker's route: which VRP covers it, and does it match?",
        "Then ask who keeps the route (drop vs lower preference), and remember that a more-specific prefix wins in the FIB whatever its path.",
        "A network that drops the route can still hand its packets to a provider that kept it.",
      ],
      explanation:
        `${v.prefix} with origin AS${v.origin} is ${v.state}. ` +
        (kind === "forged-origin" || (kind === "forged-sub-prefix" && v.state === "Valid")
          ? "The origin is Google's own ASN, so route-origin validation passes it; only checking the path (ASPA, BGPsec) would catch it. "
          : v.state === "NotFound"
            ? "Without a ROA there is nothing to validate against: ROV accepts NotFound routes. "
            : "ROV acts only where networks drop the Invalid route; lowering its preference cannot stop a more-specific, which has no competitor. ") +
        (kind.includes("sub-prefix") ? "Where the /24 is kept, longest-prefix match sends the traffic to it, whatever the /16's path. " : "An exact-prefix route competes on local preference and path length, so it wins only where it looks better. ") +
        `Here ${value} of ${o.cities.length} user cities end up at the attacker.`,
      lab: hijackLab({ kind, roa, attacker: site.id }, deployment, site),
    };
  },
};
