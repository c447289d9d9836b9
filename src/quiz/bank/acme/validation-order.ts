import { seededRandom } from "../../../sim/random";
import { type CaaPreset, type ScenarioId } from "../../../sim/tls/acme/scenarios";
import type { ChallengeType } from "../../../sim/tls/acme/challenge";
import type { Template } from "../../engine/types";
import { orderedChoices, orderRandom, pick } from "../draw";
import { LAB_DOMAIN, LESSON, labCheck, labLink } from "./shared";

/**
 * The CA's steps for the owner's order, in order: read off the lab's trace for the owner (with or
 * without Cloudflare in front) and the challenge.
 */
const ID = "validation-order";
const ITEM_TEXT = (challenge: ChallengeType, cloudflare: boolean): Record<string, string> => ({
  lookup: challenge === "http-01" ? `Resolve ${LAB_DOMAIN} at the zone's authoritative nameservers` : `Look up TXT at _acme-challenge.${LAB_DOMAIN}`,
  fetch: `GET the challenge file on port 80${cloudflare ? " (reaching Cloudflare's edge)" : ""}`,
  redirect: "Follow the 301 to HTTPS on port 443",
  compare: challenge === "http-01" ? "Compare the body with the key authorization" : "Find the hash of the key authorization among the TXT values",
  mpic: "Repeat the check from remote network perspectives",
  caa: "Check the CAA records, climbing from the name towards the root",
  issue: "Log a precertificate to CT and sign the certificate",
});

function params(seed: number): Record<string, string | number> {
  if (seed === 0) return { scenario: "owner-cloudflare", challenge: "http-01" };
  const r = seededRandom(seed);
  return { scenario: pick(r, ["owner", "owner-cloudflare"]), challenge: pick(r, ["http-01", "dns-01"]) };
}

export const validationOrder: Template<"ordering"> = {
  id: ID,
  kind: "ordering",
  title: "The CA's checks, in order",
  lesson: LESSON,
  concepts: ["acme"],
  file: `src/quiz/bank/acme/${ID}.ts`,
  params,
  variant(seed) {
    const p = params(seed);
    const settings = { scenario: p.scenario as ScenarioId, challenge: p.challenge as ChallengeType, caa: "letsencrypt" as CaaPreset, issuer: "letsencrypt.org" as const };
    const check = labCheck(settings);
    const cloudflare = settings.scenario === "owner-cloudflare";
    const texts = ITEM_TEXT(settings.challenge, cloudflare);
    const order = check.steps.map((s) => s.id).filter((id) => id in texts);
    const items = orderedChoices(orderRandom(seed, ID), order.map((id) => ({ id, text: texts[id]! })));
    const why: Record<string, string> = {
      lookup: "The CA resolves the name itself before it can fetch anything or read the record.",
      fetch: "http-01 always starts with plain HTTP on port 80 (RFC 8555 §8.3).",
      redirect: "Cloudflare's Always Use HTTPS answers 301; the CA follows (up to 10 redirects, ports 80/443, certificate not checked).",
      compare: "The result must match what the CA computes from its token and the ordering account's key.",
      mpic: "Only a result the primary perspective accepted is corroborated from elsewhere (Baseline Requirements §3.2.2.9).",
      caa: "CAA is checked before signing (RFC 8659; also corroborated under MPIC).",
      issue: "Signing comes last, with the precertificate logged to CT first so the SCTs can be embedded.",
    };
    return {
      template: ID, kind: "ordering", seed, title: this.title,
      prompt: `The owner of ${LAB_DOMAIN}${cloudflare ? ", whose name is proxied by Cloudflare with Always Use HTTPS on," : ""} answers ${settings.challenge} for a certificate from Let's Encrypt; the zone's CAA record names letsencrypt.org. Put the CA's steps in the order it performs them.`,
      exhibits: [{ kind: "settings", chips: [{ key: "scenario", label: "Scenario", value: cloudflare ? "Owner behind Cloudflare" : "Owner" }, { key: "challenge", label: "Challenge", value: settings.challenge }, { key: "caa", label: "CAA", value: settings.caa }] }],
      view: { items },
      key: { order },
      rubric: { strategy: "lcs", orders: [order], items: Object.fromEntries(order.map((id) => [id, { why: why[id]!, step: id }])) },
      misconceptions: [],
      hints: ["Nothing can be fetched or looked up before the name is resolved.", "What the CA signs is decided last: first the challenge, then corroboration, then CAA."],
      explanation: `${check.steps.filter((s) => s.id in texts).map((s, i) => `${i + 1}. ${texts[s.id]}`).join(" ")} ${check.verdict}.`,
      lab: labLink(settings),
    };
  },
};
