import { flagshipOutcome, type Trace } from "../../../sim/index";
import { GFE_URL_MAP } from "../../../sim/edge/gfe";
import { seededRandom } from "../../../sim/random";
import type { Choice, Exhibit, Template, Why } from "../../engine/types";
import { http } from "../journey/shared";
import {
  answeredBy, cachedTrace, CITIES, hop, journeyLab, LESSON, misconceptionAnswers, requireEvent,
  responseHops, settingsExhibit, siteName, type Params,
} from "./shared";
import type { SiteId } from "../../../sim/index";
import { orderedChoices, orderRandom, pick } from "../draw";

/**
 * A diagnosis: a setting is broken, the learner sees what the tools show — what `curl` prints, the
 * load balancer's log entry, the backend service's health — and names the component at fault. Output
 * and key are both computed from the variant's trace: the key from who wrote the answer the browser
 * got and why. Under tls-at-pod the request reaches the Pod whatever the Host or certificate, so that
 * model blames the application — read off the trace under the model.
 */
const ID = "diagnose-the-failure";

const BROKEN: Readonly<Record<string, Params>> = {
  unhealthy: { "pod-health": "all-unhealthy" },
  "unknown-host": { host: "api.example.com" },
  "cert-proxied": { cloudflare: "on", "origin-cert": "managed-proxied" },
  "origin-ca-direct": { cloudflare: "off", "origin-cert": "origin-ca" },
};

function params(seed: number): Params {
  if (seed === 0) return { broken: "unhealthy", city: "paris", cloudflare: "on" };
  const random = seededRandom(seed);
  const broken = pick(random, Object.keys(BROKEN));
  const city = pick(random, CITIES);
  const cloudflare = BROKEN[broken]!.cloudflare ?? pick(random, ["on", "off"]);
  return { broken, city, cloudflare };
}
const scenarioParams = (p: Params): Params => ({ city: p.city!, cloudflare: p.cloudflare!, ...BROKEN[p.broken!] });

type Fault = "neg-health" | "url-map" | "lb-cert" | "edge-cert" | "kube-proxy" | "app" | "cloud-armor";

/** The component at fault, read from who wrote what the browser got, and why. */
function faultOf(trace: Trace): Fault {
  const outcome = flagshipOutcome(trace);
  const at = answeredBy(trace);
  if (at.id === "response:pod") return "app";
  if (/failed_to_pick_backend/.test(outcome.summary)) return "neg-health";
  if (/default service/.test(outcome.summary)) return "url-map";
  if (/^(525|526)/.test(outcome.status)) return "lb-cert";
  if (outcome.status.startsWith("TLS alert")) {
    const alert = trace.hops.flatMap((h) => h.events).find((e) => e.type === "tls-alert");
    if (alert?.type === "tls-alert" && alert.sentBy === "cf-edge" && /edge certificate/.test(alert.why)) return "edge-cert";
    return "lb-cert";
  }
  if (outcome.status.startsWith("403")) return "cloud-armor";
  throw new Error(`${ID}: cannot place ${outcome.status} at ${outcome.at}`);
}

/** What `curl -sI` prints for the browser's answer, or the error curl reports when TLS fails. */
function curlExhibit(trace: Trace, host: string): Exhibit {
  const last = responseHops(trace).at(-1)!;
  const answer = http(last.in);
  const command = `curl -sI https://${host}/`;
  if (!answer?.status) {
    const alert = trace.hops.flatMap((h) => h.events).find((e) => e.type === "tls-alert");
    const text = alert?.type === "tls-alert" && /unknown_ca/.test(alert.alert)
      ? "curl: (60) SSL certificate problem: unable to get local issuer certificate"
      : "curl: (35) TLS connect error: sslv3 alert handshake failure";
    return { kind: "output", command: `curl -I https://${host}/`, text };
  }
  const viaCloudflare = trace.hops.some((h) => h.device.id === "cf-edge");
  const lines = [`HTTP/2 ${answer.status.split(" ")[0]}`];
  if (viaCloudflare) lines.push("server: cloudflare");
  if (answer.cacheStatus) lines.push(`cf-cache-status: ${answer.cacheStatus}`);
  if (answer.cacheControl) lines.push(`cache-control: ${answer.cacheControl}`);
  if (!viaCloudflare && answeredBy(trace).device.kind === "gfe") lines.push("via: 1.1 google");
  return { kind: "output", command, text: lines.join("\n") };
}

/** The load balancer's request log, when the request reached the GFE and it logged a status. */
function logExhibit(trace: Trace): Exhibit | null {
  const gfe = trace.hops.find((h) => h.id === "response:gfe");
  const status = http(gfe?.out ?? null)?.status;
  if (!gfe || !status) return null;
  const details = /failed_to_pick_backend/.test(flagshipOutcome(trace).summary) ? "failed_to_pick_backend" : "response_sent_by_backend";
  return {
    kind: "output",
    command: "gcloud logging read 'resource.type=\"http_load_balancer\"' --limit=1 --format='value(httpRequest.status,jsonPayload.statusDetails)'",
    text: `${status.split(" ")[0]}\t${details}`,
  };
}

/** The backend service's health, as `gcloud compute backend-services get-health` lists NEG endpoints. */
function healthExhibit(p: Params): Exhibit {
  const routed = cachedTrace({ ...scenarioParams(p), host: GFE_URL_MAP.host, cloudflare: "off", "origin-cert": "certificate-manager" }, 0);
  const health = requireEvent(hop(routed, "request:gfe"), "health-check");
  return {
    kind: "output",
    command: `gcloud compute backend-services get-health ${GFE_URL_MAP.backendService} --global`,
    text: health.endpoints.map((e) => {
      const [ip, port] = e.ip.split(":");
      return ["---", "status:", "  healthStatus:", `  - healthState: ${e.healthy ? "HEALTHY" : "UNHEALTHY"}`, `    ipAddress: ${ip}`, `    port: ${port}`].join("\n");
    }).join("\n"),
  };
}

export const diagnoseTheFailure: Template<"diagnosis"> = {
  id: ID,
  kind: "diagnosis",
  title: "Diagnose the failure",
  lesson: LESSON,
  concepts: ["health-checks", "url-map", "tls-termination", "gfe"],
  file: "src/quiz/bank/flagship/diagnose-the-failure.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const sp = scenarioParams(p);
    const host = sp.host ?? GFE_URL_MAP.host;
    const trace = cachedTrace(sp, 0);
    const fault = faultOf(trace);
    const outcome = flagshipOutcome(trace);
    const at = answeredBy(trace);
    const proxied = sp.cloudflare === "on";
    const texts: Record<Fault, string> = {
      "neg-health": "The Pods behind the NEG: none of them passes the load balancer's health check",
      "url-map": `The Ingress and its URL map: no rule routes ${host} to the web Service`,
      "lb-cert": "The certificate the load balancer presents",
      "edge-cert": "Cloudflare's edge certificate for the zone",
      "kube-proxy": "kube-proxy's Service rules on the nodes",
      app: "The web application in the Pods",
      "cloud-armor": "A Cloud Armor policy on the backend service",
    };
    const ids: Fault[] = [fault, ...(["neg-health", "url-map", "lb-cert", "kube-proxy", "app"] as const).filter((f) => f !== fault)];
    const step = outcome.at;
    const whys: Record<string, Why> = {
      "neg-health": fault === "neg-health"
        ? { why: `Right: every endpoint fails its health check, so ${at.device.name} cannot pick a backend and answers 502 itself (statusDetails failed_to_pick_backend).`, step }
        : { why: "The health checks pass for at least one endpoint (see get-health), so the GFE has a Pod to send to.", step },
      "url-map": fault === "url-map"
        ? { why: `Right: the GFE finds no host rule for ${host} and sends the request to the URL map's default service, which answers 404 (logged as response_sent_by_backend: the default backend is a backend).`, step }
        : { why: `The URL map routes ${host} to the web Service; the failure is elsewhere.`, step },
      "lb-cert": fault === "lb-cert"
        ? { why: `Right: ${outcome.summary}`, step }
        : { why: "The load balancer's certificate is fine for this name: the TLS handshakes complete.", step },
      "edge-cert": { why: `Cloudflare's edge certificate covers ${host}: the browser's handshake with the edge completes.`, step },
      "kube-proxy": { why: "kube-proxy is not on this path at all: with container-native load balancing the GFE connects to Pod addresses, and the node routes them to the Pod's veth without Service rules.", step: "request:gfe" },
      app: { why: `The application never wrote this answer: ${outcome.summary}`, step },
      "cloud-armor": { why: "No Cloud Armor policy is attached in this setup.", step },
    };
    const options: Choice[] = ids.map((id) => ({ id, text: texts[id] }));
        // Only the settings a user would know; the broken one is for the output to reveal.
    const exhibits: Exhibit[] = [settingsExhibit(sp, ["city", "cloudflare"]), curlExhibit(trace, host)];
    const log = logExhibit(trace);
    if (log) exhibits.push(log);
    exhibits.push(healthExhibit(p));
    return {
      template: ID, kind: "diagnosis", seed, title: this.title,
      prompt:
        `Users in ${siteName(sp.city as SiteId)} report that https://${host}/ is broken. ${proxied ? "The zone is proxied by Cloudflare (Full (strict))" : "DNS points straight at the load balancer (no Cloudflare proxy)"}; ` +
        "the app runs on GKE behind an Ingress with container-native load balancing. From the output below, which component is at fault?",
      exhibits,
      view: { options: orderedChoices(orderRandom(seed, ID), options) },
      key: { choice: fault },
      rubric: { options: Object.fromEntries(ids.map((id) => [id, whys[id]!])) },
      misconceptions: misconceptionAnswers<"diagnosis">(["tls-at-pod"], (model) => {
        const believed = faultOf(cachedTrace(sp, 0, model));
        return ids.includes(believed) ? { choice: believed } : null;
      }, { choice: fault }),
      hints: [
        "First ask who wrote the answer: the application, the load balancer, Cloudflare, or nobody (a failed handshake)?",
        "A status the load balancer writes itself comes with a statusDetails in its log; a handshake failure never produces an HTTP status at all.",
      ],
      explanation: `${outcome.summary} So the fault is ${texts[fault].charAt(0).toLowerCase()}${texts[fault].slice(1)}. Reading who produced the answer — Cloudflare's error page, the GFE's own status, a backend's response, or a TLS alert — narrows a failure to one component before any configuration is opened.`,
      lab: journeyLab("journey", sp),
    };
  },
};
