import { flagshipOutcome } from "../scenarios/to-core-trace";
import { computeTrace } from "../scenarios/index";
import { GFE_DEFAULT_BACKEND, GFE_URL_MAP, urlMapRoutes } from "./gfe";
import { GOOGLE } from "./google-edge";

/**
 * Which requests the load balancer accepts is decided by the Host header, through the URL map —
 * not by DNS, and not by who owns the domain. The cases are read off the flagship's own trace
 * (`computeTrace("cloudflare-gke", { cloudflare: "bypassed", host })`: a client that knows the
 * load balancer's address and connects to it directly), not modelled again here.
 *
 * The source says a request with the wrong Host is "rejected (404/403)". What the trace shows: with
 * no matching host rule the URL map's default service answers — on GKE Ingress the cluster's
 * default backend, a 404. A 403 comes only from something that denies, such as a Cloud Armor rule,
 * and a policy attached to the web Service's backend service does not even see a request the URL
 * map sent to the default backend. And the Host header keeps out nobody who sends the right one: it
 * is public, in every link to the site.
 */

export interface HostHeaderCase {
  readonly id: "matching" | "unknown-host" | "ip-literal" | "matching-cloud-armor" | "unknown-cloud-armor";
  /** The Host header (and SNI, when it is a name) the client sends. */
  readonly host: string;
  readonly protection: "none" | "cloud-armor";
  readonly status: string;
  /** Who wrote the answer. */
  readonly by: string;
  /** The URL-map rule that matched, or null (the default service). */
  readonly matchedRule: string | null;
  /** The flagship's hop that shows it ("response:pod", "request:gfe"), for a link into the journey lab. */
  readonly step: string;
  /** Whether this row was read off a flagship trace, or (an IP literal, which the scenario's host parameter refuses) off its URL map. */
  readonly source: "trace" | "url-map";
  readonly note: string;
}

function fromTrace(id: HostHeaderCase["id"], host: string, protection: HostHeaderCase["protection"], note: string, model: string | null): HostHeaderCase {
  const trace = computeTrace("cloudflare-gke", { cloudflare: "bypassed", host, "origin-protection": protection }, 0, model);
  const outcome = flagshipOutcome(trace);
  const urlMap = trace.hops.flatMap((h) => h.events).find((e) => e.type === "url-map");
  const respond = trace.hops.find((h) => h.id === outcome.at)?.events.find((e) => e.type === "respond");
  return {
    id, host, protection, status: outcome.status, by: respond && "by" in respond ? respond.by : outcome.summary,
    matchedRule: urlMap && urlMap.type === "url-map" ? urlMap.matchedRule : null, step: outcome.at, source: "trace", note,
  };
}

/**
 * The Host-header cases for a client that connects to the load balancer's address directly, under
 * the real behaviour or one of the flagship's wrong models (`tls-at-pod`: the GFE cannot read Host).
 *
 * @example hostHeaderCases().find((c) => c.id === "unknown-host")?.status // "404 Not Found"
 */
export function hostHeaderCases(model: string | null = null): HostHeaderCase[] {
  // The IP literal is not a host name the scenario takes; under tls-at-pod the GFE reads no Host at
  // all, so the literal fares as any unrouted name does under that model.
  const ipLiteral = model === null ? null : fromTrace("ip-literal", "api.example.com", "none", "", model);
  const ipLiteralRoutes = ipLiteral ? ipLiteral.status === "200 OK" : urlMapRoutes(GOOGLE.vip, "/");
  const fromTraceUnder = (id: HostHeaderCase["id"], host: string, protection: HostHeaderCase["protection"], note: string) => fromTrace(id, host, protection, note, model);
  return [
    fromTraceUnder("matching", GFE_URL_MAP.host, "none",
      "The Host matches the Ingress rule, so the request reaches a Pod — from anyone who knows the address, Cloudflare or not. The Host header is not a secret."),
    fromTraceUnder("unknown-host", "api.example.com", "none",
      `No host rule matches, so the URL map's default service answers: on GKE Ingress ${GFE_DEFAULT_BACKEND}, which returns 404.`),
    {
      id: "ip-literal", host: GOOGLE.vip, protection: "none",
      status: ipLiteralRoutes ? "200 OK" : "404 Not Found",
      by: ipLiteral ? ipLiteral.by : ipLiteralRoutes ? "the web Service" : `the URL map's default service (on GKE Ingress, ${GFE_DEFAULT_BACKEND})`,
      matchedRule: ipLiteralRoutes ? `host ${GFE_URL_MAP.host}` : null, step: "request:gfe", source: "url-map",
      note: "A scanner that types the address sends it as the Host and sends no SNI (RFC 6066 §3 forbids IP literals there), so the load balancer presents its default certificate; a scanner that ignores certificate errors then meets the URL map, which has no rule for an address.",
    },
    fromTraceUnder("matching-cloud-armor", GFE_URL_MAP.host, "cloud-armor",
      "With a Cloud Armor policy that allows only Cloudflare's ranges on the web backend service, the same request is denied: 403 comes from Cloud Armor, not from the Host check."),
    fromTraceUnder("unknown-cloud-armor", "api.example.com", "cloud-armor",
      "The policy is attached to the web Service's backend service; a request the URL map sends to the default service never meets it, so this is still the default backend's 404."),
  ];
}
