import { InputError } from "../net/errors";
import { seededRandom } from "../random";
import { compileRe2, type Re2 } from "./gfe-re2";
import { FieldReader, formatFieldPath, resourceName, type FieldPath, type FieldProblem, type Raw } from "./gfe-fields";
import { headerValue, splitHostPort, type HttpRequest } from "./gfe-request";
import { gcePathRuleMatch } from "../kube/l7/path";

/**
 * A Google Cloud URL map (compute.v1 `UrlMap`), read from what `gcloud compute url-maps export`
 * writes (or the same object as JSON), and the decision an Application Load Balancer's proxies make
 * with it: host rule → path matcher → path rule or route rule → backend service.
 *
 * Rules from the UrlMap reference and the URL maps overview:
 * - A host rule's `hosts` are names with an optional `:port`; `*` may only come first, followed by
 *   `.` or `-` (or stand alone, matching every host), and matches a non-empty run of `[a-z0-9-.]`.
 *   The API refuses a host listed in two host rules. When several patterns match, the most specific
 *   wins — an exact name, then the wildcard with the longest literal suffix, then `*` — the domain
 *   order of the Envoy proxies behind Google's load balancers; the URL map reference does not spell
 *   the order out, so this is the model's reading. A pattern with a port matches only that port; one
 *   without matches the name on any port (also a reading: the docs do not say).
 * - A path matcher has `pathRules` or `routeRules`, never both. Path rules: each path starts with
 *   `/`, `*` only at the end after a `/`; `/a/*` matches `/a/` and below but not `/a`. Order does not
 *   matter: the longest path wins. Route rules: lowest `priority` first (unique, 0–2147483647), first
 *   rule whose any `matchRule` matches wins; within a match rule every condition must hold.
 * - The path matched is the request path without the query string (nothing after the first `?` or
 *   `#`). No match → the path matcher's `defaultService`; no host rule → the URL map's.
 *
 * With GKE Ingress the URL map is named `k8s2-um-…`, its services `k8s1-…`, and both defaults are
 * the `kube-system/default-http-backend` Service, which answers 404 — not 403.
 *
 * Not modelled: `pathTemplateMatch`, `defaultRouteAction` and other route actions except
 * `weightedBackendServices`, header actions, `metadataFilters`, custom error responses, backend buckets
 * beyond naming them.
 */

export interface ServiceTarget {
  readonly kind: "service";
  /** The backend service (or bucket) name, the reference's last segment. */
  readonly name: string;
  /** As written: a full or partial URL. */
  readonly reference: string;
}

export interface RedirectTarget {
  readonly kind: "redirect";
  /** `301` unless `redirectResponseCode` says otherwise. */
  readonly status: number;
  readonly description: string;
}

export type UrlMapTarget = ServiceTarget | RedirectTarget;

/** Where a matched rule sends the request: one target, or several by weight. */
export type RuleAction =
  | { readonly kind: "target"; readonly target: UrlMapTarget }
  | { readonly kind: "weighted"; readonly services: readonly { readonly target: ServiceTarget; readonly weight: number }[] };

export interface PathRule {
  readonly paths: readonly string[];
  readonly action: RuleAction;
}

export type PathMatch =
  | { readonly kind: "prefix"; readonly value: string }
  | { readonly kind: "full"; readonly value: string }
  | { readonly kind: "regex"; readonly value: string; readonly re: Re2 }
  | { readonly kind: "any" };

export type HeaderCondition =
  | { readonly kind: "exact" | "prefix" | "suffix"; readonly value: string }
  | { readonly kind: "regex"; readonly value: string; readonly re: Re2 }
  | { readonly kind: "present"; readonly value: boolean }
  | { readonly kind: "range"; readonly start: number; readonly end: number };

export interface HeaderMatch {
  readonly name: string;
  readonly condition: HeaderCondition;
  readonly invert: boolean;
}

export type QueryCondition =
  | { readonly kind: "exact"; readonly value: string }
  | { readonly kind: "regex"; readonly value: string; readonly re: Re2 }
  | { readonly kind: "present"; readonly value: boolean };

export interface QueryMatch {
  readonly name: string;
  readonly condition: QueryCondition;
}

export interface MatchRule {
  readonly path: PathMatch;
  readonly ignoreCase: boolean;
  readonly headers: readonly HeaderMatch[];
  readonly query: readonly QueryMatch[];
}

export interface RouteRule {
  readonly priority: number;
  /** The rule's index in the list as written (priority, not this, decides). */
  readonly index: number;
  readonly matchRules: readonly MatchRule[];
  readonly action: RuleAction;
}

export interface PathMatcher {
  readonly name: string;
  readonly defaultTarget: UrlMapTarget;
  readonly pathRules: readonly PathRule[];
  readonly routeRules: readonly RouteRule[];
}

export interface HostRule {
  readonly hosts: readonly string[];
  readonly pathMatcher: string;
}

export interface UrlMap {
  readonly name: string;
  readonly defaultTarget: UrlMapTarget;
  readonly hostRules: readonly HostRule[];
  readonly pathMatchers: readonly PathMatcher[];
}

/** Every problem in a URL map, each at its field. */
export class UrlMapError extends InputError {
  readonly problems: readonly FieldProblem[];
  constructor(problems: readonly FieldProblem[]) {
    const text = problems.map((p) => (p.path.length ? `${formatFieldPath(p.path)}: ${p.message}` : p.message)).join("\n");
    super("url map", text);
    this.message = text;
    this.problems = problems;
  }
}

const HOST_PATTERN = /^(\*|\*[.-][a-z0-9.-]*[a-z0-9]|[a-z0-9]([a-z0-9.-]*[a-z0-9])?)(:\d{1,5})?$/;

function readTarget(r: FieldReader, raw: Raw, path: FieldPath, serviceKey: string, redirectKey: string, required: boolean): UrlMapTarget | undefined {
  const service = r.string(raw[serviceKey], [...path, serviceKey]);
  const redirect = r.record(raw[redirectKey], [...path, redirectKey]);
  if (service !== undefined && redirect !== undefined) r.problem([...path, redirectKey], `only one of ${serviceKey} or ${redirectKey} may be set`);
  if (service !== undefined) {
    if (service.trim() === "") r.problem([...path, serviceKey], "a backend service reference cannot be empty");
    return { kind: "service", name: resourceName(service), reference: service };
  }
  if (redirect !== undefined) return readRedirect(r, redirect, [...path, redirectKey]);
  if (required) r.problem(path, `${serviceKey} is required`);
  return undefined;
}

const REDIRECT_CODES: Readonly<Record<string, number>> = {
  MOVED_PERMANENTLY_DEFAULT: 301, FOUND: 302, SEE_OTHER: 303, TEMPORARY_REDIRECT: 307, PERMANENT_REDIRECT: 308,
};

function readRedirect(r: FieldReader, raw: Raw, path: FieldPath): RedirectTarget {
  r.unknownFields(raw, path, ["hostRedirect", "pathRedirect", "prefixRedirect", "httpsRedirect", "redirectResponseCode", "stripQuery"]);
  const code = r.string(raw.redirectResponseCode, [...path, "redirectResponseCode"]) ?? "MOVED_PERMANENTLY_DEFAULT";
  const status = REDIRECT_CODES[code];
  if (status === undefined) r.problem([...path, "redirectResponseCode"], `must be one of ${Object.keys(REDIRECT_CODES).join(", ")}`);
  const parts: string[] = [];
  if (r.boolean(raw.httpsRedirect, [...path, "httpsRedirect"])) parts.push("to https");
  const host = r.string(raw.hostRedirect, [...path, "hostRedirect"]);
  if (host) parts.push(`to host ${host}`);
  const p = r.string(raw.pathRedirect, [...path, "pathRedirect"]) ?? r.string(raw.prefixRedirect, [...path, "prefixRedirect"]);
  if (p) parts.push(`to path ${p}`);
  return { kind: "redirect", status: status ?? 301, description: parts.length ? parts.join(", ") : "to the same URL" };
}

function readAction(r: FieldReader, raw: Raw, path: FieldPath): RuleAction | undefined {
  const routeAction = r.record(raw.routeAction, [...path, "routeAction"]);
  if (routeAction !== undefined) {
    r.unknownFields(routeAction, [...path, "routeAction"], ["weightedBackendServices"]);
    const list = r.list(routeAction.weightedBackendServices, [...path, "routeAction", "weightedBackendServices"]) ?? [];
    const services: { target: ServiceTarget; weight: number }[] = [];
    list.forEach((item, i) => {
      const at = [...path, "routeAction", "weightedBackendServices", i];
      const w = r.record(item, at);
      if (!w) return;
      r.unknownFields(w, at, ["backendService", "weight"], ["headerAction"]);
      const ref = r.string(w.backendService, [...at, "backendService"]);
      const weight = r.integer(w.weight, [...at, "weight"], 0, 1000);
      if (ref === undefined) r.problem(at, "backendService is required");
      else services.push({ target: { kind: "service", name: resourceName(ref), reference: ref }, weight: weight ?? 0 });
    });
    if (raw.service !== undefined) r.problem([...path, "service"], "service cannot be set with routeAction.weightedBackendServices");
    if (services.length === 0) r.problem([...path, "routeAction"], "weightedBackendServices needs at least one backend service");
    else if (services.every((s) => s.weight === 0)) r.problem([...path, "routeAction", "weightedBackendServices"], "at least one weight must be above 0");
    return { kind: "weighted", services };
  }
  const target = readTarget(r, raw, path, "service", "urlRedirect", false);
  if (target === undefined) {
    r.problem(path, "a rule needs service, urlRedirect or routeAction.weightedBackendServices");
    return undefined;
  }
  return { kind: "target", target };
}

function readRegex(r: FieldReader, value: string, path: FieldPath): Re2 | undefined {
  try {
    return compileRe2(value);
  } catch (error) {
    if (error instanceof InputError) {
      r.problem(path, `not an RE2 expression this model reads: ${error.reason}`);
      return undefined;
    }
    throw error;
  }
}

function readMatchRule(r: FieldReader, raw: Raw, path: FieldPath): MatchRule {
  r.unknownFields(raw, path, ["prefixMatch", "fullPathMatch", "regexMatch", "ignoreCase", "headerMatches", "queryParameterMatches"], []);
  if (raw.pathTemplateMatch !== undefined) r.problem([...path, "pathTemplateMatch"], "pathTemplateMatch is not modelled here");
  if (raw.metadataFilters !== undefined) r.problem([...path, "metadataFilters"], "metadataFilters apply to proxyless gRPC and Cloud Service Mesh, not modelled here");
  const set = (["prefixMatch", "fullPathMatch", "regexMatch"] as const).filter((k) => raw[k] !== undefined);
  if (set.length > 1) r.problem([...path, set[1]!], `only one of prefixMatch, fullPathMatch or regexMatch may be set (found ${set.join(" and ")})`);
  let pathMatch: PathMatch = { kind: "any" };
  const key = set[0];
  if (key) {
    const value = r.string(raw[key], [...path, key]);
    if (value !== undefined) {
      if (key !== "regexMatch" && !value.startsWith("/")) r.problem([...path, key], `${key} must start with /`);
      if (key === "regexMatch") {
        const re = readRegex(r, value, [...path, key]);
        if (re) pathMatch = { kind: "regex", value, re };
      } else pathMatch = { kind: key === "prefixMatch" ? "prefix" : "full", value };
    }
  }
  const headers: HeaderMatch[] = [];
  (r.list(raw.headerMatches, [...path, "headerMatches"]) ?? []).forEach((item, i) => {
    const at = [...path, "headerMatches", i];
    const h = r.record(item, at);
    if (!h) return;
    r.unknownFields(h, at, ["headerName", "exactMatch", "prefixMatch", "suffixMatch", "regexMatch", "presentMatch", "rangeMatch", "invertMatch"]);
    const name = r.string(h.headerName, [...at, "headerName"]);
    if (!name) {
      r.problem(at, "headerName is required");
      return;
    }
    const kinds = (["exactMatch", "prefixMatch", "suffixMatch", "regexMatch", "presentMatch", "rangeMatch"] as const).filter((k) => h[k] !== undefined);
    if (kinds.length !== 1) {
      r.problem(at, "exactly one of exactMatch, prefixMatch, suffixMatch, regexMatch, presentMatch or rangeMatch must be set");
      return;
    }
    const k = kinds[0]!;
    let condition: HeaderCondition | undefined;
    if (k === "presentMatch") {
      const v = r.boolean(h[k], [...at, k]);
      if (v !== undefined) condition = { kind: "present", value: v };
    } else if (k === "rangeMatch") {
      const range = r.record(h[k], [...at, k]);
      const start = range ? r.integer(range.rangeStart, [...at, k, "rangeStart"], -(2 ** 53), 2 ** 53) : undefined;
      const end = range ? r.integer(range.rangeEnd, [...at, k, "rangeEnd"], -(2 ** 53), 2 ** 53) : undefined;
      if (start !== undefined && end !== undefined) {
        if (end <= start) r.problem([...at, k], "rangeEnd must be above rangeStart (the range is [rangeStart, rangeEnd))");
        else condition = { kind: "range", start, end };
      }
    } else {
      const v = r.string(h[k], [...at, k]);
      if (v !== undefined) {
        if (k === "regexMatch") {
          const re = readRegex(r, v, [...at, k]);
          if (re) condition = { kind: "regex", value: v, re };
        } else condition = { kind: k === "exactMatch" ? "exact" : k === "prefixMatch" ? "prefix" : "suffix", value: v };
      }
    }
    const invert = r.boolean(h.invertMatch, [...at, "invertMatch"]) ?? false;
    if (condition) headers.push({ name: name.toLowerCase(), condition, invert });
  });
  const query: QueryMatch[] = [];
  (r.list(raw.queryParameterMatches, [...path, "queryParameterMatches"]) ?? []).forEach((item, i) => {
    const at = [...path, "queryParameterMatches", i];
    const q = r.record(item, at);
    if (!q) return;
    r.unknownFields(q, at, ["name", "exactMatch", "regexMatch", "presentMatch"]);
    const name = r.string(q.name, [...at, "name"]);
    if (!name) {
      r.problem(at, "name is required");
      return;
    }
    const kinds = (["exactMatch", "regexMatch", "presentMatch"] as const).filter((k) => q[k] !== undefined);
    if (kinds.length !== 1) {
      r.problem(at, "exactly one of exactMatch, regexMatch or presentMatch must be set");
      return;
    }
    const k = kinds[0]!;
    if (k === "presentMatch") {
      const v = r.boolean(q[k], [...at, k]);
      if (v !== undefined) query.push({ name, condition: { kind: "present", value: v } });
      return;
    }
    const v = r.string(q[k], [...at, k]);
    if (v === undefined) return;
    if (k === "regexMatch") {
      const re = readRegex(r, v, [...at, k]);
      if (re) query.push({ name, condition: { kind: "regex", value: v, re } });
    } else query.push({ name, condition: { kind: "exact", value: v } });
  });
  return { path: pathMatch, ignoreCase: r.boolean(raw.ignoreCase, [...path, "ignoreCase"]) ?? false, headers, query };
}

/** Output-only and bookkeeping fields `gcloud … export` writes, which do not change routing. */
const IGNORED_TOP = ["kind", "id", "selfLink", "creationTimestamp", "fingerprint", "description", "region", "tests", "defaultCustomErrorResponsePolicy", "headerAction"];

/**
 * Decodes and validates a URL map. Every problem is collected before anything is thrown.
 *
 * @throws UrlMapError with each problem at its field path
 * @example decodeUrlMap({ name: "m", defaultService: "web" }).defaultTarget // { kind: "service", name: "web", … }
 */
export function decodeUrlMap(raw: unknown): UrlMap {
  const r = new FieldReader();
  const top = r.record(raw, []);
  if (!top) throw new UrlMapError(r.problems.length ? r.problems : [{ path: [], message: "expected a URL map (a mapping with defaultService, hostRules, pathMatchers)" }]);
  r.unknownFields(top, [], ["name", "defaultService", "defaultUrlRedirect", "hostRules", "pathMatchers"], IGNORED_TOP);
  if (top.defaultRouteAction !== undefined) r.problem(["defaultRouteAction"], "defaultRouteAction is not modelled here; use defaultService");
  const name = r.string(top.name, ["name"]) ?? "(unnamed)";
  const defaultTarget = readTarget(r, top, [], "defaultService", "defaultUrlRedirect", true);

  const pathMatchers: PathMatcher[] = [];
  const matcherNames = new Map<string, number>();
  (r.list(top.pathMatchers, ["pathMatchers"]) ?? []).forEach((item, i) => {
    const at: FieldPath = ["pathMatchers", i];
    const pm = r.record(item, at);
    if (!pm) return;
    r.unknownFields(pm, at, ["name", "defaultService", "defaultUrlRedirect", "pathRules", "routeRules"], ["description", "headerAction", "defaultCustomErrorResponsePolicy"]);
    const pmName = r.string(pm.name, [...at, "name"]);
    if (!pmName) r.problem(at, "name is required");
    else if (matcherNames.has(pmName)) r.problem([...at, "name"], `duplicate path matcher name "${pmName}" (also pathMatchers[${matcherNames.get(pmName)}])`);
    else matcherNames.set(pmName, i);
    const dflt = readTarget(r, pm, at, "defaultService", "defaultUrlRedirect", true);
    if (pm.pathRules !== undefined && pm.routeRules !== undefined) r.problem([...at, "routeRules"], "only one of pathRules or routeRules may be set in a path matcher");
    const pathRules: PathRule[] = [];
    const seenPaths = new Map<string, number>();
    (r.list(pm.pathRules, [...at, "pathRules"]) ?? []).forEach((ruleItem, j) => {
      const rat: FieldPath = [...at, "pathRules", j];
      const rule = r.record(ruleItem, rat);
      if (!rule) return;
      r.unknownFields(rule, rat, ["paths", "service", "urlRedirect", "routeAction"], ["customErrorResponsePolicy"]);
      const paths: string[] = [];
      const list = r.list(rule.paths, [...rat, "paths"]);
      if (!list || list.length === 0) r.problem([...rat, "paths"], "a path rule needs at least one path");
      (list ?? []).forEach((p, k) => {
        const pat = [...rat, "paths", k];
        const text = r.string(p, pat);
        if (text === undefined) return;
        if (!text.startsWith("/")) r.problem(pat, `"${text}": each path must start with /`);
        else if (/[?#]/.test(text)) r.problem(pat, `"${text}": a path cannot contain ? or # (the path matched never includes the query)`);
        else if (text.includes("*") && !(text.endsWith("/*") && text.indexOf("*") === text.length - 1)) r.problem(pat, `"${text}": * is only allowed at the end, after a /`);
        else if (seenPaths.has(text)) r.problem(pat, `duplicate path "${text}" (also pathRules[${seenPaths.get(text)}]); each path may appear once in a path matcher`);
        else {
          seenPaths.set(text, j);
          paths.push(text);
        }
      });
      const action = readAction(r, rule, rat);
      if (action) pathRules.push({ paths, action });
    });
    const routeRules: RouteRule[] = [];
    const priorities = new Map<number, number>();
    (r.list(pm.routeRules, [...at, "routeRules"]) ?? []).forEach((ruleItem, j) => {
      const rat: FieldPath = [...at, "routeRules", j];
      const rule = r.record(ruleItem, rat);
      if (!rule) return;
      r.unknownFields(rule, rat, ["priority", "matchRules", "service", "urlRedirect", "routeAction"], ["description", "headerAction", "customErrorResponsePolicy"]);
      const priority = r.integer(rule.priority, [...rat, "priority"], 0, 2147483647);
      if (rule.priority === undefined) r.problem(rat, "priority is required");
      else if (priority !== undefined && priorities.has(priority)) r.problem([...rat, "priority"], `priority ${priority} is already used by routeRules[${priorities.get(priority)}]; priorities must be unique`);
      if (priority !== undefined) priorities.set(priority, j);
      const matchRules = (r.list(rule.matchRules, [...rat, "matchRules"]) ?? []).flatMap((m, k) => {
        const mr = r.record(m, [...rat, "matchRules", k]);
        return mr ? [readMatchRule(r, mr, [...rat, "matchRules", k])] : [];
      });
      const action = readAction(r, rule, rat);
      if (action && priority !== undefined) routeRules.push({ priority, index: j, matchRules, action });
    });
    if (pmName && dflt) pathMatchers.push({ name: pmName, defaultTarget: dflt, pathRules, routeRules });
  });

  const hostRules: HostRule[] = [];
  const hostOwner = new Map<string, number>();
  (r.list(top.hostRules, ["hostRules"]) ?? []).forEach((item, i) => {
    const at: FieldPath = ["hostRules", i];
    const hr = r.record(item, at);
    if (!hr) return;
    r.unknownFields(hr, at, ["hosts", "pathMatcher"], ["description"]);
    const hosts: string[] = [];
    const list = r.list(hr.hosts, [...at, "hosts"]);
    if (!list || list.length === 0) r.problem([...at, "hosts"], "a host rule needs at least one host");
    (list ?? []).forEach((h, k) => {
      const hat = [...at, "hosts", k];
      const text = r.string(h, hat);
      if (text === undefined) return;
      const host = text.toLowerCase();
      if (!HOST_PATTERN.test(host)) r.problem(hat, `"${text}": a host is a name with an optional :port; * may only come first, followed by . or -`);
      else if (hostOwner.has(host)) r.problem(hat, `host "${text}" is already in hostRules[${hostOwner.get(host)}]; each host may appear in one host rule`);
      else {
        hostOwner.set(host, i);
        hosts.push(host);
      }
    });
    const pm = r.string(hr.pathMatcher, [...at, "pathMatcher"]);
    if (!pm) r.problem(at, "pathMatcher is required");
    else if (!matcherNames.has(pm)) r.problem([...at, "pathMatcher"], `no path matcher is named "${pm}"${matcherNames.size ? ` (there is ${[...matcherNames.keys()].join(", ")})` : ""}`);
    else hostRules.push({ hosts, pathMatcher: pm });
  });

  if (r.problems.length > 0 || !defaultTarget) throw new UrlMapError(r.problems);
  return { name, defaultTarget, hostRules, pathMatchers };
}

// ---------------------------------------------------------------------------------------------
// Matching

/** One decision the proxy made, in order, with the field that decided it. */
export interface UrlMapStep {
  readonly stage: "host" | "path" | "route" | "default";
  /** The URL map field this step looked at. */
  readonly field: FieldPath;
  readonly label: string;
  readonly verdict: "match" | "no-match" | "chosen" | "outranked";
  readonly why: string;
}

export interface UrlMapDecision {
  readonly host: string;
  readonly path: string;
  /** The host rule chosen, or null when none matched. */
  readonly hostRule: { readonly index: number; readonly pattern: string } | null;
  readonly pathMatcher: string | null;
  /** The path or route rule that decided, or null when a default service did. */
  readonly rule: { readonly kind: "pathRule" | "routeRule"; readonly index: number; readonly label: string } | null;
  readonly target: UrlMapTarget;
  /** Which default answered, if one did. */
  readonly fellBack: "url-map" | "path-matcher" | null;
  /** One line: what decided. */
  readonly decidedBy: string;
  readonly steps: readonly UrlMapStep[];
}

/** Named wrong models of URL-map matching, each a mode of this matcher. */
export const URL_MAP_MODELS = {
  "first-path-rule-wins": "path rules are tried in the order they are listed and the first that matches wins (really: the longest path wins, whatever the order)",
} as const;
export type UrlMapModel = keyof typeof URL_MAP_MODELS;

export interface MatchOptions {
  /** Picks among weightedBackendServices; the same seed gives the same pick. */
  readonly seed?: number;
  readonly model?: UrlMapModel | null;
}

/** How specific a matching host pattern is: exact names first, then longer wildcard suffixes, `*` last. */
function hostRank(pattern: string, request: HttpRequest): number | null {
  const { hostname, port } = splitHostPort(pattern);
  if (port !== null && port !== request.port) return null;
  const portBonus = port !== null ? 0.5 : 0;
  if (hostname === "*") return portBonus;
  if (hostname.startsWith("*")) {
    const suffix = hostname.slice(1);
    const name = request.hostname;
    if (name.length > suffix.length && name.endsWith(suffix) && /^[a-z0-9.-]+$/.test(name.slice(0, name.length - suffix.length))) return 1 + suffix.length + portBonus;
    return null;
  }
  return hostname === request.hostname ? 100000 + portBonus : null;
}

/**
 * Whether a path rule's path matches, and how long a match it is (the longest wins). The one matcher GKE's
 * Ingress `ImplementationSpecific` paths also go through (src/sim/kube/l7/path.ts).
 */
export const pathRuleMatch = gcePathRuleMatch;

function describeTarget(t: UrlMapTarget): string {
  return t.kind === "service" ? `backend service ${t.name}` : `a ${t.status} redirect ${t.description}`;
}

function pickAction(action: RuleAction, seed: number): { target: UrlMapTarget; note: string } {
  if (action.kind === "target") return { target: action.target, note: "" };
  const total = action.services.reduce((s, x) => s + x.weight, 0);
  let draw = seededRandom(seed)() * total;
  for (const s of action.services) {
    draw -= s.weight;
    if (draw < 0) return { target: s.target, note: ` (weighted: ${s.target.name} drawn with weight ${s.weight} of ${total})` };
  }
  const last = action.services[action.services.length - 1]!;
  return { target: last.target, note: "" };
}

function headerHolds(h: HeaderMatch, request: HttpRequest): { ok: boolean; text: string } {
  const value = headerValue(request, h.name);
  const c = h.condition;
  let ok: boolean;
  let text: string;
  switch (c.kind) {
    case "present":
      ok = (value !== null) === c.value;
      text = `${h.name} ${c.value ? "present" : "absent"}`;
      break;
    case "exact":
      ok = value !== null && value === c.value;
      text = `${h.name} = "${c.value}"`;
      break;
    case "prefix":
      ok = value !== null && value.startsWith(c.value);
      text = `${h.name} starts with "${c.value}"`;
      break;
    case "suffix":
      ok = value !== null && value.endsWith(c.value);
      text = `${h.name} ends with "${c.value}"`;
      break;
    case "regex":
      ok = value !== null && c.re.full(value);
      text = `${h.name} matches /${c.value}/`;
      break;
    case "range": {
      const n = value !== null && /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
      ok = Number.isFinite(n) && n >= c.start && n < c.end;
      text = `${h.name} in [${c.start}, ${c.end})`;
      break;
    }
  }
  // invertMatch turns the result over; an absent header still fails a value match before inversion.
  return { ok: h.invert ? !ok : ok, text: h.invert ? `not (${text})` : text };
}

function queryHolds(q: QueryMatch, request: HttpRequest): { ok: boolean; text: string } {
  // The first occurrence of a repeated parameter is the one compared.
  const found = request.queryParams.find(([n]) => n === q.name);
  const value = found ? found[1] : null;
  const c = q.condition;
  if (c.kind === "present") return { ok: (value !== null) === c.value, text: `?${q.name} ${c.value ? "present" : "absent"}` };
  if (c.kind === "exact") return { ok: value === c.value, text: `?${q.name} = "${c.value}"` };
  return { ok: value !== null && c.re.full(value), text: `?${q.name} matches /${c.value}/` };
}

/** Whether one match rule holds, and the first condition that failed. */
export function matchRuleHolds(m: MatchRule, request: HttpRequest): { ok: boolean; conditions: string; failed: string | null } {
  const parts: string[] = [];
  let failed: string | null = null;
  const path = m.ignoreCase ? request.path.toLowerCase() : request.path;
  const p = m.path;
  if (p.kind !== "any") {
    const value = m.ignoreCase && p.kind !== "regex" ? p.value.toLowerCase() : p.value;
    const ok = p.kind === "prefix" ? path.startsWith(value) : p.kind === "full" ? path === value : p.re.full(request.path);
    const text = p.kind === "prefix" ? `prefixMatch ${p.value}` : p.kind === "full" ? `fullPathMatch ${p.value}` : `regexMatch ${p.value}`;
    parts.push(text + (m.ignoreCase && p.kind !== "regex" ? " (ignoreCase)" : ""));
    if (!ok) failed ??= `path ${request.path} fails ${text}`;
  }
  for (const h of m.headers) {
    const r = headerHolds(h, request);
    parts.push(r.text);
    if (!r.ok) failed ??= `header ${r.text} does not hold`;
  }
  for (const q of m.query) {
    const r = queryHolds(q, request);
    parts.push(r.text);
    if (!r.ok) failed ??= `query ${r.text} does not hold`;
  }
  return { ok: failed === null, conditions: parts.length ? parts.join(" and ") : "any request", failed };
}

/**
 * The URL map's decision for a request, step by step.
 *
 * @example matchUrlMap(map, parseHttpRequest({ url: "https://www.example.com/" })).target
 */
export function matchUrlMap(map: UrlMap, request: HttpRequest, options: MatchOptions = {}): UrlMapDecision {
  const seed = options.seed ?? 0;
  const steps: UrlMapStep[] = [];
  const base = { host: request.host, path: request.path };

  // 1. Host rules: every pattern is compared; the most specific match wins.
  let best: { index: number; pattern: string; k: number; rank: number } | null = null;
  const hostHits: { index: number; k: number; pattern: string; rank: number }[] = [];
  map.hostRules.forEach((rule, index) => {
    rule.hosts.forEach((pattern, k) => {
      const rank = hostRank(pattern, request);
      if (rank === null) {
        steps.push({ stage: "host", field: ["hostRules", index, "hosts", k], label: `hostRules[${index}] ${pattern}`, verdict: "no-match", why: `${pattern} does not match Host ${request.host}` });
        return;
      }
      hostHits.push({ index, k, pattern, rank });
      if (!best || rank > best.rank) best = { index, pattern, k, rank };
    });
  });
  for (const hit of hostHits) {
    const chosen = best !== null && hit.index === (best as { index: number }).index && hit.k === (best as { k: number }).k;
    steps.push({
      stage: "host", field: ["hostRules", hit.index, "hosts", hit.k], label: `hostRules[${hit.index}] ${hit.pattern}`,
      verdict: chosen ? "match" : "outranked",
      why: chosen
        ? `${hit.pattern} matches Host ${request.host}${hostHits.length > 1 ? " and is the most specific match (exact names first, then the longest wildcard suffix)" : ""}: path matcher ${map.hostRules[hit.index]!.pathMatcher}`
        : `${hit.pattern} matches too, but a more specific host pattern wins`,
    });
  }
  const chosenHost = best as { index: number; pattern: string } | null;
  if (chosenHost === null) {
    steps.push({ stage: "default", field: ["defaultService"], label: "defaultService", verdict: "chosen", why: `No host rule matches ${request.host}, so the URL map's default answers: ${describeTarget(map.defaultTarget)}` });
    return { ...base, hostRule: null, pathMatcher: null, rule: null, target: map.defaultTarget, fellBack: "url-map", decidedBy: `no host rule for ${request.host} → the URL map's default, ${describeTarget(map.defaultTarget)}`, steps };
  }
  const hostRule = { index: chosenHost.index, pattern: chosenHost.pattern };
  const matcherIndex = map.pathMatchers.findIndex((m) => m.name === map.hostRules[chosenHost.index]!.pathMatcher);
  const matcher = map.pathMatchers[matcherIndex]!;
  const hostPart = `hostRules[${hostRule.index}] ${hostRule.pattern} → pathMatcher ${matcher.name}`;

  // 2a. Path rules: the longest matching path, whatever the order (or, under the wrong model, the first listed).
  if (matcher.pathRules.length > 0) {
    let winner: { rule: number; path: string; length: number } | null = null;
    const firstListed = options.model === "first-path-rule-wins";
    const hits: { rule: number; k: number; path: string; length: number }[] = [];
    matcher.pathRules.forEach((rule, j) => {
      rule.paths.forEach((p, k) => {
        const length = pathRuleMatch(p, request.path);
        if (length === null) {
          steps.push({ stage: "path", field: ["pathMatchers", matcherIndex, "pathRules", j, "paths", k], label: `pathRules[${j}] ${p}`, verdict: "no-match", why: `${p} does not match ${request.path}${p.endsWith("/*") && request.path === p.slice(0, -2) ? ` (${p} covers ${p.slice(0, -1)} and below, not ${request.path} itself)` : ""}` });
          return;
        }
        hits.push({ rule: j, k, path: p, length });
        if (firstListed ? winner === null : !winner || length > winner.length) winner = { rule: j, path: p, length };
      });
    });
    const w = winner as { rule: number; path: string } | null;
    for (const hit of hits) {
      const chosen = w !== null && hit.rule === w.rule && hit.path === w.path;
      steps.push({
        stage: "path", field: ["pathMatchers", matcherIndex, "pathRules", hit.rule, "paths", hit.k], label: `pathRules[${hit.rule}] ${hit.path}`,
        verdict: chosen ? "match" : "outranked",
        why: chosen
          ? `${hit.path} matches ${request.path}${firstListed ? " and is listed first (this model)" : hits.length > 1 ? " and is the longest matching path" : ""}`
          : firstListed ? `${hit.path} matches too, but an earlier rule was taken (this model)` : `${hit.path} matches too, but a longer path wins`,
      });
    }
    if (w !== null) {
      const picked = pickAction(matcher.pathRules[w.rule]!.action, seed);
      const label = `pathRules[${w.rule}] ${w.path}`;
      return { ...base, hostRule, pathMatcher: matcher.name, rule: { kind: "pathRule", index: w.rule, label }, target: picked.target, fellBack: null, decidedBy: `${hostPart} → ${label} → ${describeTarget(picked.target)}${picked.note}`, steps };
    }
  }

  // 2b. Route rules: lowest priority number first; the first whose any match rule holds.
  const ordered = [...matcher.routeRules].sort((a, b) => a.priority - b.priority);
  for (const rule of ordered) {
    const field: FieldPath = ["pathMatchers", matcherIndex, "routeRules", rule.index];
    const label = `routeRules[${rule.index}] priority ${rule.priority}`;
    const results = rule.matchRules.map((m) => matchRuleHolds(m, request));
    const holding = rule.matchRules.length === 0 ? 0 : results.findIndex((x) => x.ok);
    if (holding >= 0) {
      const picked = pickAction(rule.action, seed);
      const what = rule.matchRules.length === 0 ? "has no match rules, so it matches every request" : `matchRules[${holding}] holds (${results[holding]!.conditions})`;
      steps.push({ stage: "route", field, label, verdict: "match", why: `${what}: ${describeTarget(picked.target)}${picked.note}` });
      return { ...base, hostRule, pathMatcher: matcher.name, rule: { kind: "routeRule", index: rule.index, label }, target: picked.target, fellBack: null, decidedBy: `${hostPart} → ${label} → ${describeTarget(picked.target)}${picked.note}`, steps };
    }
    steps.push({ stage: "route", field, label, verdict: "no-match", why: results.map((x, k) => `matchRules[${k}]: ${x.failed}`).join("; ") });
  }

  steps.push({
    stage: "default", field: ["pathMatchers", matcherIndex, "defaultService"], label: `pathMatcher ${matcher.name} defaultService`, verdict: "chosen",
    why: `No rule in path matcher ${matcher.name} matches ${request.path}, so its default answers: ${describeTarget(matcher.defaultTarget)}`,
  });
  return { ...base, hostRule, pathMatcher: matcher.name, rule: null, target: matcher.defaultTarget, fellBack: "path-matcher", decidedBy: `${hostPart} → no rule for ${request.path} → the path matcher's default, ${describeTarget(matcher.defaultTarget)}`, steps };
}

/** Whether a backend service is GKE Ingress's default backend (`kube-system/default-http-backend`, a 404 server). */
export function isGkeDefaultBackend(target: UrlMapTarget): boolean {
  return target.kind === "service" && /kube-system-default-http-backend/.test(target.name);
}
