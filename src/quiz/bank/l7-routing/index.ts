import type { AnyTemplate } from "../../engine/types";
import { httproutePrecedence } from "./httproute-precedence";
import { ingressPathWinner } from "./ingress-path-winner";
import { ingressWildcardHost } from "./ingress-wildcard-host";

/** The l7-routing questions, one line per template. */
export const L7_ROUTING_TEMPLATES: readonly AnyTemplate[] = [
  ingressPathWinner,
  httproutePrecedence,
  ingressWildcardHost,
];
