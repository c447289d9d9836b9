/**
 * Which backend an Ingress sends a request to.
 *
 * 1. Host: the rules whose `host` equals the request's host win; else those whose `*.` wildcard covers it
 *    (exactly one label); else the rules without a host. Rules for one host in several entries are pooled.
 *    A host that has rules never falls back to the host-less ones (GKE gives each host its own path matcher).
 * 2. Path, among the chosen rules' paths: the longest matching path wins; at equal length Exact beats Prefix
 *    (Kubernetes Ingress concept page, "Multiple matches"). `Prefix` is element-wise (see path.ts).
 *    `ImplementationSpecific` is what GKE does with it: the path goes into the URL map as written, so `/foo`
 *    is exact and `/foo/*` matches `/foo/` and anything under it. Other controllers mean other things
 *    (ingress-nginx treats it as a prefix or, with an annotation, a regex); this model is GKE's.
 * 3. No path matched: `spec.defaultBackend` if the Ingress has one, else the controller's own default
 *    backend answers 404 (on GKE, `default-http-backend` in kube-system).
 *
 * Simplification: several Ingresses are pooled as one controller would (ingress-nginx merges them); GKE gives
 * each Ingress its own load balancer and address, so pass only the one the client reached.
 */
import { chooseCertificate } from "../../tls/handshake/sni";
import type { SubStep } from "../../core/trace";
import type { RouteBackend, RouteCandidate, RouteDecision, RouteModel, RouteStatus, DecidingRule } from "./decision";
import { hostMatches } from "./host";
import type { Ingress, IngressPath, IngressServiceBackend } from "./ingress-read";
import { gcePathRuleMatch, prefixLength, prefixPathMatches, stringPrefixMatches } from "./path";
import type { RouteRequest } from "./request";

/** A Service the matcher can check a backend against: name, namespace and its ports. */
export interface KnownService {
  readonly namespace: string;
  readonly name: string;
  readonly ports: readonly { readonly name: string; readonly port: number }[];
}

export interface MatchContext {
  readonly model?: RouteModel | null;
  /** The Services in the input; null when none were given (then backends are not checked). */
  readonly services?: readonly KnownService[] | null;
  readonly seed?: number;
}

/** How long a match a path is (higher wins), or null when it does not match. */
export function ingressPathRank(p: IngressPath, path: string, model: RouteModel | null = null): number | null {
  if (p.pathType === "Exact") return p.path === path ? p.path.length + 0.5 : null;
  if (p.pathType === "Prefix") {
    const ok = model === "prefix-is-string-prefix" ? stringPrefixMatches(p.path, path) : prefixPathMatches(p.path, path);
    return ok ? prefixLength(p.path) : null;
  }
  return gcePathRuleMatch(p.path, path);
}

function pathText(p: IngressPath): string {
  return `${p.pathType} ${p.path}`;
}

function backendText(b: IngressServiceBackend | null): string {
  return b === null ? "(no Service backend)" : `${b.service}:${b.port}`;
}

/** Whether a Service with that name and port exists; null when no Services were given. */
export function checkService(services: readonly KnownService[] | null | undefined, namespace: string, b: { service: string; port: number | string }): string | null {
  if (!services || services.length === 0) return null;
  const svc = services.find((s) => s.namespace === namespace && s.name === b.service);
  if (svc === undefined) return `no Service ${namespace}/${b.service} in the input`;
  const ok = typeof b.port === "number" ? svc.ports.some((p) => p.port === b.port) : svc.ports.some((p) => p.name === b.port);
  return ok ? null : `Service ${namespace}/${b.service} has no port ${typeof b.port === "number" ? b.port : JSON.stringify(b.port)}`;
}

function classNotes(ingresses: readonly Ingress[]): string[] {
  const notes: string[] = [];
  for (const ing of ingresses) {
    const c = ing.className;
    if (c === null || c === "gce") {
      notes.push(`Ingress ${ing.namespace}/${ing.name}: class ${c ?? "(none: GKE's default, gce)"} — GKE builds an external Application Load Balancer (a global forwarding rule, target proxy and URL map) for it.`);
    } else if (c === "gce-internal") {
      notes.push(`Ingress ${ing.namespace}/${ing.name}: class gce-internal — GKE builds a regional internal Application Load Balancer. It needs a proxy-only subnet (purpose REGIONAL_MANAGED_PROXY) in the cluster's region and VPC before it can be created; the proxies connect to the Pods from that subnet, so firewall rules must allow it.`);
    } else {
      notes.push(`Ingress ${ing.namespace}/${ing.name}: class ${c} is not a GKE class, so GKE's controller ignores it; another controller would serve it. The matching here follows the Kubernetes rules, and ImplementationSpecific as GKE reads it.`);
    }
  }
  return notes;
}

/**
 * @example
 * matchIngress([ingress], parseRouteRequest("http://shop.example.com/cart/1")).backend // { service: "cart", port: 80 }
 */
export function matchIngress(ingresses: readonly Ingress[], request: RouteRequest, ctx: MatchContext = {}): RouteDecision {
  const model = ctx.model ?? null;
  const steps: SubStep[] = [];
  const notes = classNotes(ingresses);
  const candidates: RouteCandidate[] = [];
  const done = (status: RouteStatus, backend: RouteBackend | null, namespace: string | null, rule: DecidingRule | null, summary: string): RouteDecision =>
    ({ via: "ingress", backend, backendNamespace: namespace, status, rule, candidates, steps, summary, notes });

  // The load balancer's frontends: HTTP on 80 always; HTTPS on 443 only when spec.tls names a certificate.
  const tls = ingresses.flatMap((ing) => ing.tls.filter((t) => t.secretName !== ""));
  if (request.port !== (request.scheme === "https" ? 443 : 80)) {
    steps.push({ kind: "listener", label: `${request.scheme} port ${request.port}`, detail: "An Ingress load balancer listens on 80 (HTTP) and 443 (HTTPS) only.", taken: false });
    return done(null, null, null, null, `Nothing listens on port ${request.port}: the connection is refused before any rule is read.`);
  }
  if (request.scheme === "https") {
    if (tls.length === 0) {
      steps.push({ kind: "listener", label: "https port 443", detail: "No spec.tls certificate, so the load balancer has no HTTPS frontend.", taken: false });
      return done(null, null, null, null, "No Ingress has spec.tls, so there is no HTTPS frontend on 443: the connection is refused.");
    }
    const choice = chooseCertificate(tls.map((t) => ({ name: t.secretName, names: t.hosts })), request.host);
    steps.push({ kind: "tls", label: `SNI ${choice.sni ?? "(none)"} → Secret ${tls[choice.index ?? 0]!.secretName}`, detail: `${choice.rule} ${choice.clientCheck}`, taken: true });
    notes.push("The certificate's names are read from spec.tls[].hosts here; a real load balancer reads them from the certificate in the Secret.");
  }

  // 1. Host.
  const all = ingresses.flatMap((ing) => ing.rules.map((rule, ruleIndex) => ({ ing, rule, ruleIndex })));
  const exact = all.filter((r) => r.rule.host !== null && !r.rule.host.startsWith("*.") && hostMatches(r.rule.host, request.host, "one-label"));
  const wild = all.filter((r) => r.rule.host !== null && r.rule.host.startsWith("*.") && hostMatches(r.rule.host, request.host, model === "wildcard-any-depth" ? "any-labels" : "one-label"));
  const longestWild = Math.max(0, ...wild.map((r) => r.rule.host!.length));
  const open = all.filter((r) => r.rule.host === null);
  const chosen = exact.length > 0 ? exact : wild.length > 0 ? wild.filter((r) => r.rule.host!.length === longestWild) : open;
  const hostWhy = exact.length > 0 ? `rules for host ${request.host} exactly` : wild.length > 0 ? `rules for wildcard ${chosen[0]!.rule.host} (one label in front of it)` : open.length > 0 ? "rules without a host (every host)" : "none";
  for (const r of all) {
    const inChosen = chosen.includes(r);
    const why = r.rule.host === null
      ? (inChosen ? "applies to every host" : `a host-specific rule for ${request.host} takes the request, so host-less rules are not consulted`)
      : hostMatches(r.rule.host, request.host, model === "wildcard-any-depth" ? "any-labels" : "one-label")
        ? (inChosen ? `host ${r.rule.host} covers ${request.host}` : `${r.rule.host} covers it but a more specific host rule wins`)
        : r.rule.host.startsWith("*.") && hostMatches(r.rule.host, request.host, "any-labels")
          ? `${r.rule.host} covers exactly one label in front of ${r.rule.host.slice(2)}; ${request.host} has more`
          : `host ${r.rule.host} is not ${request.host}`;
    steps.push({ kind: "host", label: `rules[${r.ruleIndex}] host ${r.rule.host ?? "*"} (Ingress ${r.ing.name})`, detail: why, taken: inChosen });
  }
  steps.push({ kind: "host-choice", label: `host ${request.host}`, detail: `Using ${hostWhy}.`, taken: chosen.length > 0 });

  // 2. Path.
  type Cand = { ing: Ingress; ruleIndex: number; pathIndex: number; p: IngressPath; rank: number | null; order: number; host: string | null };
  let order = 0;
  const cands: Cand[] = chosen.flatMap((r) => r.rule.paths.map((p, pathIndex) => ({ ing: r.ing, ruleIndex: r.ruleIndex, pathIndex, p, rank: ingressPathRank(p, request.path, model), order: order++, host: r.rule.host })));
  const matched = cands.filter((c) => c.rank !== null);
  const best = model === "first-rule-wins"
    ? matched[0]
    : [...matched].sort((a, b) => b.rank! - a.rank! || a.order - b.order)[0];
  const ruleOf = (c: Cand): DecidingRule => ({
    kind: "Ingress", namespace: c.ing.namespace, name: c.ing.name, ruleIndex: c.ruleIndex, matchIndex: c.pathIndex,
    text: `${c.host === null ? "any host" : `host ${c.host}`}, ${pathText(c.p)} → ${backendText(c.p.backend)}`,
  });
  for (const c of cands) {
    const rule = ruleOf(c);
    let why: string;
    if (c.rank === null) {
      why = c.p.pathType === "Exact" ? `${request.path} is not exactly ${c.p.path}`
        : c.p.pathType === "Prefix" ? (stringPrefixMatches(c.p.path, request.path) ? `${c.p.path} is a string prefix of ${request.path} but not a whole path element` : `${c.p.path} is not a path-element prefix of ${request.path}`)
          : c.p.path.endsWith("/*") ? `GKE reads ${c.p.path} as "starts with ${c.p.path.slice(0, -1)}"; ${request.path} does not` : `GKE reads ${c.p.path} (no /*) as an exact path; ${request.path} is not it`;
    } else if (c === best) {
      why = model === "first-rule-wins" ? "the first matching path in list order (the wrong model: order does not decide)" : `the longest matching path${c.p.pathType === "Exact" ? " (Exact wins a tie with Prefix)" : ""}`;
    } else {
      why = model === "first-rule-wins" ? `matches, but ${pathText(best!.p)} came first in the list` : `matches, but ${pathText(best!.p)} is ${best!.rank! > c.rank ? "longer" : "earlier at the same length and type"}`;
    }
    candidates.push({ rule, matched: c.rank !== null, why, won: c === best });
    steps.push({ kind: "path", label: `${rule.text}`, detail: why, taken: c === best });
  }

  if (best !== undefined && best.p.backend !== null) {
    const rule = ruleOf(best);
    const problem = checkService(ctx.services, best.ing.namespace, best.p.backend);
    if (problem !== null) {
      steps.push({ kind: "backend", label: backendText(best.p.backend), detail: `${problem}: GKE's controller refuses to sync this Ingress (the URL map keeps its old state); ingress-nginx answers 503.`, taken: false });
      return done(503, best.p.backend, best.ing.namespace, rule, `${pathText(best.p)} matched, but ${problem}.`);
    }
    steps.push({ kind: "backend", label: backendText(best.p.backend), detail: "The request goes to this Service's port.", taken: true });
    return done(200, best.p.backend, best.ing.namespace, rule, `${request.method} ${request.host}${request.path} → ${backendText(best.p.backend)} by ${rule.text}.`);
  }
  const owner = chosen[0]?.ing.defaultBackend ? chosen[0].ing : ingresses.find((ing) => ing.defaultBackend !== null);
  if (owner !== undefined && owner.defaultBackend !== null) {
    const rule: DecidingRule = { kind: "Ingress", namespace: owner.namespace, name: owner.name, ruleIndex: -1, matchIndex: null, text: `spec.defaultBackend → ${backendText(owner.defaultBackend)}` };
    const problem = checkService(ctx.services, owner.namespace, owner.defaultBackend);
    steps.push({ kind: "default", label: rule.text, detail: problem ?? "No rule matched, so the Ingress's own default backend takes it.", taken: problem === null });
    if (problem !== null) return done(503, owner.defaultBackend, owner.namespace, rule, `No rule matched, and the default backend is broken: ${problem}.`);
    return done(200, owner.defaultBackend, owner.namespace, rule, `No rule matched ${request.host}${request.path}; spec.defaultBackend ${backendText(owner.defaultBackend)} takes it.`);
  }
  steps.push({ kind: "default", label: "controller default backend", detail: "No rule matched and no spec.defaultBackend: the controller's own default backend (GKE: kube-system/default-http-backend) answers 404.", taken: true });
  return done(404, null, null, null, `No rule matches ${request.host}${request.path}: 404 from the default backend.`);
}
