import { seededRandom } from "../../../sim/random";
import { CAA_PRESET_LABELS, ISSUER_NAMES, SCENARIO_INFO, type CaaPreset, type CaCheck, type IssuerDomain, type ScenarioId } from "../../../sim/tls/acme/scenarios";
import type { ChallengeType } from "../../../sim/tls/acme/challenge";
import type { Template } from "../../engine/types";
import { misconceptionAnswers } from "../journey/shared";
import { orderedChoices, orderRandom, pick } from "../draw";
import { LAB_DOMAIN, LESSON, labCheck, labLink } from "./shared";

/**
 * An attacker tries to get a certificate for shop.example.com; where does the CA's check stop? The key
 * is the lab's trace (src/sim/tls/acme/scenarios.ts); the wrong models `single-vantage-ca` and
 * `caa-no-climb` are the same check with one perspective, or CAA read only at the name itself.
 */
const ID = "ca-check-outcome";
const SCENARIOS: readonly ScenarioId[] = ["attacker-no-access", "bgp-hijack-local", "bgp-hijack-global", "dangling-cname"];
const CAAS: readonly CaaPreset[] = ["none", "letsencrypt", "pki-goog"];
const OUTCOMES = ["issued", "fetch", "lookup", "compare", "mpic", "caa"] as const;
type Outcome = (typeof OUTCOMES)[number];
const OUTCOME_TEXT: Record<Outcome, string> = {
  issued: "The CA issues the certificate to the attacker",
  fetch: "Refused: the HTTP request for the challenge file does not get the file",
  lookup: "Refused: the TXT lookup finds no record at all",
  compare: "Refused: what comes back does not match the attacker's key authorization",
  mpic: "Refused: the remote perspectives do not corroborate the primary's result",
  caa: "Refused: the zone's CAA records do not authorise this CA",
};

function params(seed: number): Record<string, string | number> {
  if (seed === 0) return { scenario: "bgp-hijack-local", challenge: "http-01", caa: "none", issuer: "letsencrypt.org" };
  const r = seededRandom(seed);
  return {
    scenario: pick(r, SCENARIOS),
    challenge: pick(r, ["http-01", "http-01", "dns-01"]),
    caa: pick(r, CAAS),
    issuer: pick(r, ["letsencrypt.org", "pki.goog", "sectigo.com"]),
  };
}

const outcomeOf = (c: CaCheck): Outcome => (c.outcome === "issued" ? "issued" : (c.failedStep as Outcome));

export const caCheckOutcome: Template<"single-choice"> = {
  id: ID,
  kind: "single-choice",
  title: "Where does the attacker's order stop?",
  lesson: LESSON,
  concepts: ["acme", "bgp-hijack", "certificate-transparency"],
  file: `src/quiz/bank/acme/${ID}.ts`,
  params,
  variant(seed) {
    const p = params(seed);
    const settings = { scenario: p.scenario as ScenarioId, challenge: p.challenge as ChallengeType, caa: p.caa as CaaPreset, issuer: p.issuer as IssuerDomain };
    const check = labCheck(settings);
    const answer = outcomeOf(check);
    const stepOf = (o: Outcome) => (o === "issued" ? "issue" : o);
    const reasonAt = (o: Outcome): string => {
      if (o === answer) return check.outcome === "issued" ? `Right: ${check.steps.filter((s) => s.ok).map((s) => s.id).join(", ")} all pass. ${check.steps.find((s) => s.id === "detect")?.why ?? ""}` : `Right: ${check.steps.at(-1)!.result} — ${check.steps.at(-1)!.why}`;
      const reached = check.steps.find((s) => s.id === o);
      if (reached && reached.ok) return `That check passes here: ${reached.result}`;
      if (o === "issued") return `The check stops before issuance, at ${answer}.`;
      if (!reached) return `The check ${check.outcome === "issued" ? "never fails" : `stops at ${answer}`} without ${o === "lookup" && settings.challenge === "http-01" ? "a TXT lookup (this is http-01)" : o === "fetch" && settings.challenge === "dns-01" ? "any HTTP request (this is dns-01)" : `reaching ${o}`}.`;
      return `Not this: ${reached.result}`;
    };
    const options = orderedChoices(orderRandom(seed, ID), OUTCOMES.map((o) => ({ id: o, text: OUTCOME_TEXT[o] })));
    const rubric = Object.fromEntries(OUTCOMES.map((o) => [o, { why: reasonAt(o), step: check.steps.some((s) => s.id === stepOf(o)) ? stepOf(o) : null }]));
    const key = { choice: answer };
    const caaText = settings.caa === "none" ? "The zone has no CAA records." : `The zone's apex, example.com, has the CAA record ${CAA_PRESET_LABELS[settings.caa].replace(" at the apex", "")}.`;
    return {
      template: ID, kind: "single-choice", seed, title: this.title,
      prompt: `${SCENARIO_INFO[settings.scenario].summary} The attacker, with an ACME account of his own, orders a certificate for ${LAB_DOMAIN} from ${ISSUER_NAMES[settings.issuer]} (CAA issuer domain ${settings.issuer}) and answers ${settings.challenge}. ${caaText} The CA validates from a primary and four remote perspectives, as the Baseline Requirements now require. What happens?`,
      exhibits: [{ kind: "settings", chips: [
        { key: "scenario", label: "Scenario", value: SCENARIO_INFO[settings.scenario].title },
        { key: "challenge", label: "Challenge", value: settings.challenge },
        { key: "caa", label: "CAA", value: CAA_PRESET_LABELS[settings.caa] },
        { key: "ca", label: "CA", value: ISSUER_NAMES[settings.issuer] },
      ] }],
      view: { options },
      key,
      rubric: { options: rubric },
      misconceptions: misconceptionAnswers<"single-choice">(["single-vantage-ca", "caa-no-climb"], (model) => ({ choice: outcomeOf(labCheck(settings, model as "single-vantage-ca" | "caa-no-climb")) }), key),
      hints: [
        "Follow the request: which address does the name resolve to, and who answers there — from the primary perspective and from the remote ones?",
        "CAA is read last, at the name and then at each parent until a set is found.",
      ],
      explanation: `${check.steps.filter((s) => s.ok !== null).map((s) => `${s.id}: ${s.ok ? "passes" : "fails"} (${s.result})`).join("; ")}. ${check.verdict}.`,
      lab: labLink(settings),
    };
  },
};
