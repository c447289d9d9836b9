/**
 * Which backend a Gateway sends a request to (Gateway API v1, HTTPRoute).
 *
 * 1. Listener: the Gateway's listeners on the request's port whose protocol fits the scheme (HTTP / HTTPS);
 *    among them the one whose hostname covers the Host most specifically (exact, then the longest wildcard,
 *    then none). A Gateway API wildcard `*.example.com` covers any number of labels in front.
 * 2. Attachment: an HTTPRoute serves the listener when one of its parentRefs names this Gateway (and, if
 *    given, this listener's sectionName and port), the listener's `allowedRoutes` admits the route's namespace
 *    (Same / All / Selector on the Namespace's labels) and kind, and its hostnames intersect the listener's.
 * 3. Precedence across every matching (route, rule, match), continuing on ties — the spec's rules
 *    (`HTTPRouteRule.Matches`, `HTTPRoute.Hostnames`): characters in a matching non-wildcard hostname; characters
 *    in a matching hostname; an Exact path; the longest PathPrefix; a method match; the most header matches; the
 *    most query param matches; the oldest route; `{namespace}/{name}` alphabetically; the first rule in the route.
 *    RegularExpression precedence is implementation-specific: here it ranks below every Exact and PathPrefix.
 * 4. The winning rule's backendRefs: one drawn by weight with the seed. Every weight 0, no backendRefs, or the
 *    drawn ref invalid (not a Service, no port, a missing Service, another namespace without a ReferenceGrant)
 *    → 500, as the spec requires for requests that would have gone to an invalid backend.
 *
 * No listener on that port and scheme: the connection is refused (status null). A listener but no rule: 404.
 * Simplifications: filters (redirects, rewrites, header edits, mirrors) are not applied; a RegularExpression is
 * JavaScript's, anchored to the whole value, where implementations use RE2 or their proxy's own dialect.
 */
import type { SubStep } from "../../core/trace";
import { seededRandom } from "../../random";
import type { DecidingRule, RouteBackend, RouteCandidate, RouteDecision, RouteStatus } from "./decision";
import { hostMatches, intersectHostnames } from "./host";
import { checkService, type MatchContext } from "./ingress";
import { selectorMatches, type Gateway, type GatewayClass, type HttpRoute, type HttpRouteMatch, type Listener, type NamespaceObject, type ReferenceGrant } from "./gateway-read";
import { prefixPathMatches, stringPrefixMatches } from "./path";
import type { RouteRequest } from "./request";

export interface GatewayInput {
  readonly gateway: Gateway;
  readonly classes: readonly GatewayClass[];
  readonly routes: readonly HttpRoute[];
  readonly grants: readonly ReferenceGrant[];
  readonly namespaces: readonly NamespaceObject[];
}

/** GKE's GatewayClasses and what each builds. */
const GKE_CLASSES: Readonly<Record<string, string>> = {
  "gke-l7-global-external-managed": "a global external Application Load Balancer",
  "gke-l7-regional-external-managed": "a regional external Application Load Balancer; it needs a proxy-only subnet (purpose REGIONAL_MANAGED_PROXY) in the region",
  "gke-l7-rilb": "a regional internal Application Load Balancer; it needs a proxy-only subnet (purpose REGIONAL_MANAGED_PROXY) in the region and VPC, and the Pods must accept traffic from it",
  "gke-l7-gxlb": "a classic global external Application Load Balancer",
};

function matchText(m: HttpRouteMatch): string {
  const parts = [`${m.path.type} ${m.path.value}${m.pathGiven ? "" : " (default)"}`];
  if (m.method !== null) parts.push(`method ${m.method}`);
  for (const h of m.headers) parts.push(`header ${h.name}${h.type === "Exact" ? "=" : "~"}${h.value}`);
  for (const q of m.queryParams) parts.push(`query ${q.name}${q.type === "Exact" ? "=" : "~"}${q.value}`);
  return parts.join(", ");
}

function fullMatch(pattern: string, value: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`).test(value);
  } catch {
    return false;
  }
}

/** Whether one HTTPRouteMatch holds, and which condition failed. Header names case-insensitive, the first entry per name only. */
export function httpMatchHolds(m: HttpRouteMatch, request: RouteRequest, model: MatchContext["model"] = null): { ok: boolean; failed: string | null } {
  const p = m.path;
  const pathOk = p.type === "Exact" ? request.path === p.value
    : p.type === "PathPrefix" ? (model === "prefix-is-string-prefix" ? stringPrefixMatches(p.value, request.path) : prefixPathMatches(p.value, request.path))
      : fullMatch(p.value, request.path);
  if (!pathOk) {
    const why = p.type === "PathPrefix" && stringPrefixMatches(p.value, request.path) ? `${p.value} is a string prefix of ${request.path} but not a whole path element` : `path ${request.path} does not match ${p.type} ${p.value}`;
    return { ok: false, failed: why };
  }
  if (m.method !== null && m.method !== request.method) return { ok: false, failed: `method ${request.method} is not ${m.method}` };
  const seen = new Set<string>();
  for (const h of m.headers) {
    const key = h.name.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    const have = request.headers[key];
    const ok = have !== undefined && (h.type === "Exact" ? have === h.value : fullMatch(h.value, have));
    if (!ok) return { ok: false, failed: have === undefined ? `no ${h.name} header` : `header ${h.name} is "${have}", not "${h.value}"` };
  }
  const seenQ = new Set<string>();
  for (const q of m.queryParams) {
    if (seenQ.has(q.name)) continue;
    seenQ.add(q.name);
    const have = request.query.find(([name]) => name === q.name)?.[1];
    const ok = have !== undefined && (q.type === "Exact" ? have === q.value : fullMatch(q.value, have));
    if (!ok) return { ok: false, failed: have === undefined ? `no query parameter ${q.name} (names are case-sensitive)` : `query ${q.name} is "${have}", not "${q.value}"` };
  }
  return { ok: true, failed: null };
}

/** The precedence key of a matching candidate: compare element by element, higher first (see the file comment). */
export interface PrecedenceKey {
  readonly nonWildcardHost: number;
  readonly host: number;
  readonly exact: number;
  readonly prefix: number;
  readonly method: number;
  readonly headers: number;
  readonly query: number;
}

export function precedenceKey(m: HttpRouteMatch, matchedHost: string | null): PrecedenceKey {
  return {
    nonWildcardHost: matchedHost !== null && !matchedHost.startsWith("*") ? matchedHost.length : 0,
    host: matchedHost?.length ?? 0,
    exact: m.path.type === "Exact" ? 1 : 0,
    prefix: m.path.type === "PathPrefix" ? (m.path.value.length > 1 && m.path.value.endsWith("/") ? m.path.value.length - 1 : m.path.value.length) : m.path.type === "Exact" ? 0 : -1,
    method: m.method !== null ? 1 : 0,
    headers: new Set(m.headers.map((h) => h.name.toLowerCase())).size,
    query: new Set(m.queryParams.map((q) => q.name)).size,
  };
}

const KEY_ORDER: readonly (keyof PrecedenceKey)[] = ["nonWildcardHost", "host", "exact", "prefix", "method", "headers", "query"];
const KEY_WORDS: Record<keyof PrecedenceKey, string> = {
  nonWildcardHost: "a longer exact hostname", host: "a longer matching hostname", exact: "an Exact path (beats any prefix)",
  prefix: "a longer path prefix", method: "a method match", headers: "more header matches", query: "more query-param matches",
};

function listenerRank(l: Listener, host: string): number | null {
  if (l.hostname === null) return 0;
  if (!hostMatches(l.hostname, host, "any-labels")) return null;
  return l.hostname.startsWith("*.") ? l.hostname.length : 1000 + l.hostname.length;
}

function namespaceLabels(namespaces: readonly NamespaceObject[], name: string): Readonly<Record<string, string>> {
  return namespaces.find((n) => n.name === name)?.labels ?? { "kubernetes.io/metadata.name": name };
}

/**
 * @example matchGateway(input, parseRouteRequest("http://example.com/v2")).backend // { service: "infra-backend-v2", port: 8080 }
 */
export function matchGateway(input: GatewayInput, request: RouteRequest, ctx: MatchContext = {}): RouteDecision {
  const model = ctx.model ?? null;
  const { gateway } = input;
  const steps: SubStep[] = [];
  const candidates: RouteCandidate[] = [];
  const notes: string[] = [];
  const cls = input.classes.find((c) => c.name === gateway.gatewayClassName);
  if (GKE_CLASSES[gateway.gatewayClassName] !== undefined) notes.push(`GatewayClass ${gateway.gatewayClassName}: GKE builds ${GKE_CLASSES[gateway.gatewayClassName]}.`);
  else if (cls === undefined && input.classes.length > 0) notes.push(`No GatewayClass ${gateway.gatewayClassName} in the input: a real Gateway stays unaccepted (no controller programs it). Routing is shown as if it were.`);
  if (input.routes.some((r) => r.rules.some((rule) => rule.filters > 0))) notes.push("Filters (redirects, rewrites, header changes, mirrors) are not applied by this model.");
  const done = (status: RouteStatus, backend: RouteBackend | null, ns: string | null, rule: DecidingRule | null, summary: string): RouteDecision =>
    ({ via: "gateway", backend, backendNamespace: ns, status, rule, candidates, steps, summary, notes });

  // 1. Listener.
  const protocol = request.scheme === "https" ? "HTTPS" : "HTTP";
  const onPort = gateway.listeners.filter((l) => l.port === request.port && l.protocol === protocol);
  for (const l of gateway.listeners) {
    const rank = l.port === request.port && l.protocol === protocol ? listenerRank(l, request.host) : null;
    const why = l.port !== request.port || l.protocol !== protocol ? `${l.protocol}/${l.port} is not ${protocol}/${request.port}` : rank === null ? `hostname ${l.hostname} does not cover ${request.host}` : `${protocol}/${l.port}, hostname ${l.hostname ?? "(any)"} covers ${request.host}`;
    steps.push({ kind: "listener", label: `listener ${l.name} (${l.protocol}/${l.port}${l.hostname ? `, ${l.hostname}` : ""})`, detail: why, taken: false });
  }
  if (onPort.length === 0) return done(null, null, null, null, `Gateway ${gateway.namespace}/${gateway.name} has no ${protocol} listener on port ${request.port}: the connection is refused.`);
  const ranked = onPort.map((l) => ({ l, rank: listenerRank(l, request.host) })).filter((x) => x.rank !== null).sort((a, b) => b.rank! - a.rank!);
  const listener = ranked[0]?.l;
  if (listener === undefined) return done(404, null, null, null, `No listener on ${protocol}/${request.port} takes host ${request.host}: 404.`);
  const li = steps.findIndex((s) => s.label.startsWith(`listener ${listener.name} `));
  steps[li] = { ...steps[li]!, taken: true, detail: `${steps[li]!.detail}; the most specific listener for this host` };
  if (protocol === "HTTPS") steps.push({ kind: "tls", label: `certificate ${listener.certificateRefs[0] ?? "(none)"}`, detail: `The listener terminates TLS with Secret ${listener.certificateRefs.join(", ")}; the client checks it names ${request.host}.`, taken: true });

  // 2. Attachment.
  type Attached = { route: HttpRoute; hostnames: readonly string[] };
  const attached: Attached[] = [];
  for (const route of input.routes) {
    const refs = route.parentRefs.filter((p) => p.group === "gateway.networking.k8s.io" && p.kind === "Gateway" && p.name === gateway.name && (p.namespace ?? route.namespace) === gateway.namespace);
    let why: string | null = null;
    if (refs.length === 0) why = `its parentRefs do not name Gateway ${gateway.namespace}/${gateway.name}`;
    else if (!refs.some((p) => (p.sectionName === null || p.sectionName === listener.name) && (p.port === null || p.port === listener.port))) why = `its parentRefs name other listeners (${refs.map((p) => p.sectionName ?? `port ${p.port}`).join(", ")})`;
    else if (listener.from === "Same" && route.namespace !== gateway.namespace) why = `listener ${listener.name} allows routes from its own namespace ${gateway.namespace} only (allowedRoutes from: Same)`;
    else if (listener.from === "Selector" && !selectorMatches(listener.selector!, namespaceLabels(input.namespaces, route.namespace))) why = `namespace ${route.namespace}'s labels do not match listener ${listener.name}'s allowedRoutes selector`;
    else if (listener.kinds.length > 0 && !listener.kinds.includes("HTTPRoute")) why = `listener ${listener.name} allows only ${listener.kinds.join(", ")}`;
    const hostnames = why === null ? intersectHostnames(listener.hostname, route.hostnames) : null;
    if (why === null && hostnames === null) why = `none of its hostnames (${route.hostnames.join(", ")}) intersects listener hostname ${listener.hostname}: not accepted`;
    steps.push({ kind: "attach", label: `HTTPRoute ${route.namespace}/${route.name}`, detail: why === null ? `attached to listener ${listener.name}${hostnames!.length ? ` for ${hostnames!.join(", ")}` : ""}` : why, taken: why === null });
    if (why === null) attached.push({ route, hostnames: hostnames! });
  }

  // 3. Candidates and precedence.
  type Cand = { route: HttpRoute; ruleIndex: number; matchIndex: number; m: HttpRouteMatch; ok: boolean; failed: string | null; key: PrecedenceKey; order: number; matchedHost: string | null };
  const cands: Cand[] = [];
  let order = 0;
  for (const { route, hostnames } of attached) {
    const covering = hostnames.filter((h) => hostMatches(h, request.host, "any-labels")).sort((a, b) => Number(a.startsWith("*")) - Number(b.startsWith("*")) || b.length - a.length);
    const matchedHost = hostnames.length === 0 ? null : covering[0] ?? undefined;
    route.rules.forEach((rule, ruleIndex) => rule.matches.forEach((m, matchIndex) => {
      const held = matchedHost === undefined ? { ok: false, failed: `host ${request.host} is not one of ${hostnames.join(", ")}` } : httpMatchHolds(m, request, model);
      cands.push({ route, ruleIndex, matchIndex, m, ...held, key: precedenceKey(m, matchedHost ?? null), order: order++, matchedHost: matchedHost ?? null });
    }));
  }
  const compare = (a: Cand, b: Cand): number => {
    for (const k of KEY_ORDER) if (a.key[k] !== b.key[k]) return b.key[k] - a.key[k];
    const ca = a.route.created ?? 0;
    const cb = b.route.created ?? 0;
    if (ca !== cb) return ca - cb;
    const na = `${a.route.namespace}/${a.route.name}`;
    const nb = `${b.route.namespace}/${b.route.name}`;
    if (na !== nb) return na < nb ? -1 : 1;
    return a.ruleIndex - b.ruleIndex || a.matchIndex - b.matchIndex;
  };
  const matching = cands.filter((c) => c.ok);
  const best = model === "first-rule-wins" ? matching[0] : [...matching].sort(compare)[0];
  const why = (a: Cand, b: Cand): string => {
    for (const k of KEY_ORDER) if (a.key[k] !== b.key[k]) return KEY_WORDS[k];
    if ((a.route.created ?? 0) !== (b.route.created ?? 0)) return "an older route";
    if (a.route !== b.route) return "a route first by namespace/name";
    return "an earlier rule in the same route";
  };
  const ruleOf = (c: Cand): DecidingRule => ({ kind: "HTTPRoute", namespace: c.route.namespace, name: c.route.name, ruleIndex: c.ruleIndex, matchIndex: c.route.rules[c.ruleIndex]!.matchesGiven ? c.matchIndex : null, text: `rules[${c.ruleIndex}].matches[${c.matchIndex}]: ${matchText(c.m)}` });
  for (const c of cands) {
    const text = !c.ok ? c.failed! : c === best
      ? (model === "first-rule-wins" ? "the first matching rule in list order (the wrong model: the spec ranks matches, order only breaks ties)" : "matches and ranks first")
      : model === "first-rule-wins" ? "matches, but an earlier rule in the list came first" : `matches, but the winner has ${why(best!, c)}`;
    candidates.push({ rule: ruleOf(c), matched: c.ok, why: text, won: c === best });
    steps.push({ kind: "match", label: `${c.route.namespace}/${c.route.name} ${ruleOf(c).text}`, detail: text, taken: c === best });
  }
  if (best === undefined) return done(404, null, null, null, `No rule attached to listener ${listener.name} matches ${request.method} ${request.host}${request.path}: 404.`);

  // 4. Backend by weight.
  const rule = ruleOf(best);
  const refs = best.route.rules[best.ruleIndex]!.backendRefs;
  const total = refs.reduce((s, r) => s + r.weight, 0);
  if (refs.length === 0 || total === 0) {
    steps.push({ kind: "weight", label: refs.length === 0 ? "no backendRefs" : "every weight is 0", detail: "The rule forwards nowhere, so the request gets 500.", taken: false });
    return done(500, null, null, rule, `${rule.text} matched, but ${refs.length === 0 ? "it has no backendRefs" : "every backendRef has weight 0"}: 500.`);
  }
  const draw = seededRandom(ctx.seed ?? 0)() * total;
  let acc = 0;
  const chosen = refs.find((r) => (acc += r.weight) > draw) ?? refs[refs.length - 1]!;
  steps.push({ kind: "weight", label: refs.map((r) => `${r.name}:${r.port ?? "?"} weight ${r.weight}`).join(", "), detail: refs.length === 1 ? "One backend takes every request." : `Draw ${draw.toFixed(2)} of ${total} → ${chosen.name} (chance ${((chosen.weight / total) * 100).toFixed(0)}%).`, taken: true });
  const ns = chosen.namespace ?? best.route.namespace;
  let invalid: string | null = null;
  if (chosen.group !== "" || chosen.kind !== "Service") invalid = `backendRef kind ${chosen.group ? `${chosen.group}/` : ""}${chosen.kind} is not modelled (only core Services)`;
  else if (chosen.port === null) invalid = "a backendRef to a Service needs a port";
  else if (ns !== best.route.namespace && !input.grants.some((g) => g.namespace === ns
    && g.from.some((f) => f.group === "gateway.networking.k8s.io" && f.kind === "HTTPRoute" && f.namespace === best.route.namespace)
    && g.to.some((t) => t.group === "" && t.kind === "Service" && (t.name === null || t.name === chosen.name)))) invalid = `Service ${ns}/${chosen.name} is in another namespace and no ReferenceGrant in ${ns} allows HTTPRoutes from ${best.route.namespace}`;
  else invalid = checkService(ctx.services, ns, { service: chosen.name, port: chosen.port });
  const backend = { service: chosen.name, port: chosen.port ?? 0 };
  if (invalid !== null) {
    steps.push({ kind: "backend", label: `${chosen.name}:${chosen.port ?? "?"}`, detail: `${invalid}: requests drawn for it get 500.`, taken: false });
    return done(500, null, null, rule, `${rule.text} matched, but its backend is invalid (${invalid}): 500.`);
  }
  steps.push({ kind: "backend", label: `${chosen.name}:${chosen.port}`, detail: "The request goes to this Service's port.", taken: true });
  return done(200, backend, ns, rule, `${request.method} ${request.host}${request.path} → ${chosen.name}:${chosen.port} by HTTPRoute ${best.route.namespace}/${best.route.name} ${rule.text}.`);
}
