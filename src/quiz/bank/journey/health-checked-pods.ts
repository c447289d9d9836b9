import { flagshipOutcome, type SiteId } from "../../../sim/index";
import { seededRandom } from "../../../sim/random";
import type { Choice, Template, Why } from "../../engine/types";
import {
  CITIES, LESSON, REGION_NAMES, countWord, hop, journeyLab, journeyTrace, listing, paramLabel, requireEvent, settingsExhibit, siteName,
} from "./shared";
import { orderedChoices, orderRandom, pick, pickWeighted } from "../draw";

/**
 * Health checks decide which Pods the GFE may pick: it spreads requests over the healthy endpoints of
 * the NEGs and skips the failing ones; with none healthy it answers 502 itself. The exhibit is the
 * health the trace's GFE read, printed as `gcloud compute backend-services get-health` does; the key
 * is every healthy endpoint (any of them could get the request), or the GFE's own 502.
 */
const ID = "health-checked-pods";

function params(seed: number): Record<string, string> {
  if (seed === 0) return { "pod-health": "target-unhealthy", region: "us-central1", cloudflare: "on", city: "paris" };
  const random = seededRandom(seed);
  return {
    "pod-health": pickWeighted(random, [["all-healthy", 1], ["target-unhealthy", 2], ["all-unhealthy", 1]] as const),
    region: pick(random, REGION_NAMES),
    cloudflare: pick(random, ["on", "off"]),
    city: pick(random, CITIES),
  };
}

/** The project the illustrative resource URLs name. */
const PROJECT = "example-project";
const COMPUTE = `https://www.googleapis.com/compute/v1/projects/${PROJECT}`;

export const healthCheckedPods: Template<"multiple-choice"> = {
  id: ID,
  kind: "multiple-choice",
  title: "Health checks and the Pod the GFE picks",
  lesson: LESSON,
  concepts: ["health-checks", "neg", "gfe"],
  file: "src/quiz/bank/journey/health-checked-pods.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const trace = journeyTrace(p, seed);
    const proxied = p.cloudflare === "on";
    const gfeHop = hop(trace, "request:gfe");
    const gfeName = gfeHop.device.name;
    const health = requireEvent(gfeHop, "health-check");
    const select = gfeHop.events.find((e) => e.type === "lb-select" && e.layer === "L7");
    if (!select || select.type !== "lb-select") throw new Error(`${ID}: the GFE made no L7 choice`);
    const backendService = requireEvent(gfeHop, "url-map").backendService;
    if (!backendService) throw new Error(`${ID}: the request matched no backend service`);
    const outcome = flagshipOutcome(trace);

    const endpoints = select.candidates.map((c) => {
      const m = /^(\S+) on (\S+), in the zonal NEG of (\S+)/.exec(c.detail);
      if (!m) throw new Error(`${ID}: cannot read the endpoint ${c.id}: ${c.detail}`);
      const [ip, port] = c.id.split(":");
      const healthy = health.endpoints.find((e) => e.ip === c.id)?.healthy;
      if (healthy === undefined) throw new Error(`${ID}: no health for ${c.id}`);
      return { id: `pod-${ip}`, ip: ip!, port: port!, pod: m[1]!, node: m[2]!, zone: m[3]!, healthy };
    });
    const healthy = endpoints.filter((e) => e.healthy);
    const none502 = outcome.at === "response:gfe" && outcome.status.startsWith("502");
    const key = healthy.length > 0 ? healthy.map((e) => e.id) : none502 ? ["none-502"] : null;
    if (!key) throw new Error(`${ID}: no healthy endpoint, yet the outcome is ${outcome.status} at ${outcome.at}`);

    const choices: Choice[] = [
      ...endpoints.map((e) => ({ id: e.id, text: `Pod ${e.pod} (${e.ip}) on ${e.node}, in ${e.zone}` })),
      { id: "none-502", text: `No Pod: ${gfeName} answers 502 Bad Gateway itself` },
      ...(proxied ? [{ id: "cf-521", text: "No Pod: Cloudflare's edge answers 521 (web server is down) without waiting for Google" }] : []),
    ];
    const chosenNote = select.chosen ? ` (in this run ${gfeName} picked ${select.chosen})` : "";
    const whys: Record<string, Why> = {
      ...Object.fromEntries(endpoints.map((e) => [e.id, e.healthy
        ? { why: `It passes its health check, so it is among the ${countWord(healthy.length)} endpoints the GFE spreads requests over${chosenNote}. There is no shared counter: which one gets a given request is the GFE's own choice.`, step: gfeHop.id }
        : { why: `It is failing its health check, so the GFE skips it; no request is sent to an endpoint the probes mark unhealthy.`, step: gfeHop.id }])),
      "none-502": none502
        ? { why: `Every endpoint is failing its health check, so ${gfeName} has nothing to pick and answers 502 Bad Gateway itself (logged as failed_to_pick_backend).`, step: outcome.at }
        : { why: `${listing(healthy.map((e) => e.ip))} ${healthy.length === 1 ? "is" : "are"} healthy, so the GFE has an endpoint to send to and does not answer itself.`, step: gfeHop.id },
      "cf-521": {
        why: none502
          ? `Cloudflare's edge reaches the load balancer fine; it is the GFE that has no backend, and its 502 is what Cloudflare relays to the browser.`
          : `A healthy endpoint exists, and Cloudflare's edge relays whatever the load balancer answers. 521 means Cloudflare could not connect to the origin at all, which is not the case here.`,
        step: proxied ? "response:cf-edge" : null,
      },
    };

    const getHealth = endpoints.map((e) => [
      "---",
      `backend: ${COMPUTE}/zones/${e.zone}/networkEndpointGroups/${backendService}`,
      "status:",
      "  healthStatus:",
      `  - healthState: ${e.healthy ? "HEALTHY" : "UNHEALTHY"}`,
      `    instance: ${COMPUTE}/zones/${e.zone}/instances/${e.node}`,
      `    ipAddress: ${e.ip}`,
      `    port: ${e.port}`,
      "  kind: compute#backendServiceGroupHealth",
    ].join("\n")).join("\n");

    const city = siteName(p.city as SiteId);
    const region = paramLabel("region", p.region!).value;
    return {
      template: ID, kind: "multiple-choice", seed, title: this.title,
      prompt:
        `A browser in ${city} requests https://www.example.com/ ${proxied ? "through Cloudflare" : "directly"}. The web Service runs three Pods on GKE in ${region}, ` +
        `one per zone, each in its zone's NEG behind the backend service ${backendService}. ${gfeName} handles the request; the health ` +
        "checks report what is shown below. Where can this request end up? Select every option that is possible.",
      exhibits: [
        settingsExhibit(p, ["pod-health", "region", "cloudflare", "city"]),
        { kind: "output", command: `gcloud compute backend-services get-health ${backendService} --global`, text: getHealth },
      ],
      view: { options: orderedChoices(orderRandom(seed, ID), choices) },
      key: { choices: key },
      rubric: { options: Object.fromEntries(choices.map((c) => [c.id, whys[c.id]!])) },
      misconceptions: [],
      hints: [
        "The GFE reads the health checks' results before it picks an endpoint. What does it do with an endpoint marked UNHEALTHY?",
        "If no endpoint is healthy, who is left to answer the request, and with which status?",
      ],
      explanation:
        `Google's health checkers probe each NEG endpoint from ${health.probeSources}, and the GFE picks only among the healthy ones, spreading requests over the zonal NEGs by their healthy capacity. ` +
        (healthy.length > 0
          ? `Here ${listing(healthy.map((e) => e.ip))} ${healthy.length === 1 ? "is" : "are"} healthy, so ${healthy.length === 1 ? "that Pod gets every request" : "any of them may get this request"}` +
            `${healthy.length < endpoints.length ? `; ${listing(endpoints.filter((e) => !e.healthy).map((e) => e.ip))} gets none until it passes again` : ""}.`
          : `Here none is healthy, so the GFE answers 502 Bad Gateway itself${proxied ? " and Cloudflare passes it on" : ""}: the request never leaves Google's edge.`),
      lab: journeyLab("leg-3", p),
    };
  },
};
