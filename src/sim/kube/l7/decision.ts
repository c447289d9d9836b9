/**
 * What a route matcher decides for one request, the same shape for Ingress and Gateway API: the backend or
 * none, the status, the rule that decided, and every candidate it weighed with why it won or lost — the
 * sub-steps a lab steps through and the CLI prints.
 */
import type { SubStep } from "../../core/trace";

/** A Service and port a request is sent to. `port` is a number, or a named port an Ingress backend gives. */
export interface RouteBackend {
  readonly service: string;
  readonly port: number | string;
}

/** Which object, rule and match decided. `matchIndex` is null for an Ingress path (one path, no matches list). */
export interface DecidingRule {
  readonly kind: "Ingress" | "HTTPRoute";
  readonly namespace: string;
  readonly name: string;
  /** Ingress: index in spec.rules (-1 for spec.defaultBackend). HTTPRoute: index in spec.rules. */
  readonly ruleIndex: number;
  /** Ingress: index in rules[i].http.paths. HTTPRoute: index in rules[i].matches (null when it lists none). */
  readonly matchIndex: number | null;
  /** The rule in one line, e.g. `host shop.example.com, Prefix /cart` or `PathPrefix /v2, header version=two`. */
  readonly text: string;
}

export interface RouteCandidate {
  readonly rule: DecidingRule;
  /** Whether the request satisfies it. */
  readonly matched: boolean;
  /** Why it matched or which condition failed; for a match that lost, what beat it. */
  readonly why: string;
  readonly won: boolean;
}

/**
 * 200: routed to a backend; 404: nothing matched; 500: (Gateway API) the chosen backendRef is invalid or every
 * weight is 0; 503: (Ingress) the backend Service does not exist, as ingress-nginx answers; null: nothing
 * listens on that port and scheme, so the connection is refused before HTTP.
 */
export type RouteStatus = 200 | 404 | 500 | 503 | null;

export interface RouteDecision {
  readonly via: "ingress" | "gateway";
  readonly backend: RouteBackend | null;
  /** The backend's namespace (the contract's `backend` is `{ service, port }`). */
  readonly backendNamespace: string | null;
  readonly status: RouteStatus;
  readonly rule: DecidingRule | null;
  readonly candidates: readonly RouteCandidate[];
  /** The decision step by step: host or listener, each candidate, precedence, weights, TLS. */
  readonly steps: readonly SubStep[];
  /** One sentence: what happened. */
  readonly summary: string;
  /** What the model leaves out or what the platform adds (GKE classes, proxy-only subnet, certificates). */
  readonly notes: readonly string[];
}

/** Named wrong models a lab or a question can run (misconceptions). */
export const ROUTE_MODELS = {
  "prefix-is-string-prefix": "Prefix / PathPrefix compared as a string prefix: /foo would match /foobar",
  "first-rule-wins": "the first matching rule in list order wins, instead of the precedence rules",
  "wildcard-any-depth": "an Ingress host *.foo.com would cover baz.bar.foo.com, as a Gateway API hostname does",
} as const;
export type RouteModel = keyof typeof ROUTE_MODELS;
