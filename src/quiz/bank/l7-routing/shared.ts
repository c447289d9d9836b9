import type { RouteDecision, RouteModel } from "../../../sim/kube/l7/decision";
import { parseRouteRequest } from "../../../sim/kube/l7/request";
import { routeManifests } from "../../../sim/kube/l7/load";
import { encodeLabInput } from "../../../sim/core/permalink";
import type { Choice, LabLink, Why } from "../../engine/types";

export const LESSON = "ingress-and-gateway-routing";
export const LESSON_PAGE = "/lessons/ingress-and-gateway-routing/";
export const LAB_ID = "route";
/** The route matcher opened on this very manifest and request (the lab's `route.in`, `route.url`… link keys). */
export function labFor(yaml: string, url: string, method: string, headers: readonly string[]): LabLink {
  const query: Record<string, string> = { [`${LAB_ID}.in`]: encodeLabInput({ yaml }), [`${LAB_ID}.url`]: url };
  if (method !== "GET") query[`${LAB_ID}.method`] = method;
  if (headers.length > 0) query[`${LAB_ID}.headers`] = headers.join("\n");
  return { page: LESSON_PAGE, lab: LAB_ID, query };
}
/** The option id for "no backend: 404". */
export const NOT_FOUND = "not-found";

export interface Routed {
  readonly decision: RouteDecision;
  /** The answer the learner gives: the Service's name, or NOT_FOUND. */
  readonly choice: string;
}

/** Runs the matcher on the variant's manifest and request, as the real system or under a wrong model. */
export function routeOnce(yaml: string, url: string, method: string, headers: readonly string[], model: RouteModel | null = null): Routed {
  const decision = routeManifests([{ name: "question.yaml", text: yaml }], parseRouteRequest(url, { method, headers }), { model });
  return { decision, choice: decision.backend?.service ?? NOT_FOUND };
}

/**
 * The rubric for a "which Service gets it" question, read off the decision: the winner's reason for the key, each
 * other Service's own candidate line (why it did not match, or what beat it), and why it is not a 404.
 */
export function serviceRubric(routed: Routed, services: readonly string[], ruleIndexOf?: (service: string) => number): Record<string, Why> {
  const { decision } = routed;
  const out: Record<string, Why> = {};
  for (const service of services) {
    const c = ruleIndexOf === undefined
      ? decision.candidates.find((x) => x.rule.text.includes(`→ ${service}:`))
      : decision.candidates.find((x) => x.rule.ruleIndex === ruleIndexOf(service));
    const line = c ? `${c.rule.text}: ${c.why}` : `no rule for ${service} is consulted for this host`;
    out[service] = { why: service === routed.choice ? `Right: ${decision.summary}` : `Not ${service}: ${line}.`, step: null };
  }
  out[NOT_FOUND] = { why: routed.choice === NOT_FOUND ? `Right: ${decision.summary}` : `Not a 404: ${decision.summary}`, step: null };
  return out;
}

export function serviceOptions(services: readonly string[], notFoundText: string): Choice[] {
  return [...services.map((s) => ({ id: s, text: `Service ${s}` })), { id: NOT_FOUND, text: notFoundText }];
}
