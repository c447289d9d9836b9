/**
 * The flagship journey's templates (`src/quiz/bank/journey/`), seeds 0…49 each (JOURNEY_SEEDS): the
 * bank's common checks (`area-checks.ts`), with every rubric step a hop of the trace the variant's lab
 * link opens. Then a few facts per template, checked against the simulator independently of the template.
 */
import { describe, expect, it } from "vitest";
import { computeTrace, fibreMs, flagshipOutcome, getScenario, greatCircleKm, hopById, scenarioDefaults, site, type Trace } from "../../../src/sim/index";
import { REGIONS } from "../../../src/sim/scenarios/cloudflare-gke";
import { JOURNEY_TEMPLATES } from "../../../src/quiz/bank/journey/index";
import type { AnyVariant } from "../../../src/quiz/engine/types";
import { areaChecks, as } from "./area-checks";

/** The trace the variant's lab link opens: its settings (shared or the lab's own) over the defaults, at the variant's seed. */
function labTrace(v: AnyVariant): Trace {
  if (!v.lab) throw new Error("no lab link");
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(v.lab.query)) {
    const [prefix, name] = [key.slice(0, key.indexOf(".")), key.slice(key.indexOf(".") + 1)];
    if (prefix === "scenario" || prefix === v.lab.lab) params[name] = value;
  }
  return computeTrace("cloudflare-gke", params, v.seed);
}

const { everySeed, template, timeout: TIMEOUT } = areaChecks({
  name: "journey",
  folder: "journey",
  templates: JOURNEY_TEMPLATES,
  seeds: { env: "JOURNEY_SEEDS", default: 50 },
  kinds: ["single-choice", "multiple-choice", "diagnosis", "ordering", "fill-in", "predict-header", "numeric"],
  lesson: "life-of-a-packet",
  knownStep: (v) => {
    const trace = labTrace(v);
    return (step) => hopById(trace, step) !== undefined;
  },
});

describe("the keys agree with the simulator", () => {
  it("long-haul-fibre-time: the key is the great-circle distance from the user's city to the region, at 200 km/ms", () => {
    everySeed(template("long-haul-fibre-time"), (v, seed) => {
      const p = template("long-haul-fibre-time").params(seed);
      const region = REGIONS[p.region as keyof typeof REGIONS];
      const expected = fibreMs(greatCircleKm(site(p.city as never), site(region.site)));
      const value = as(v, "numeric").key.value as number;
      return Math.abs(value - expected) < 0.05 ? null : `key ${value} ms, distance says ${expected.toFixed(2)} ms`;
    });
  }, TIMEOUT);

  it("host-header-status: only the Ingress's host reaches a Pod; other names get the default service's 404", () => {
    everySeed(template("host-header-status"), (v, seed) => {
      const host = template("host-header-status").params(seed).host;
      const expected = host === "www.example.com" ? "pod-200" : "default-404";
      return as(v, "single-choice").key.choice === expected ? null : `${host}: key ${as(v, "single-choice").key.choice}`;
    });
  }, TIMEOUT);

  it("anycast-sites: every anycast decision stays in the user's own city", () => {
    everySeed(template("anycast-sites"), (v, seed) => {
      const city = site(template("anycast-sites").params(seed).city as never).name;
      const fields = as(v, "fill-in").key.fields;
      return Object.values(fields).every((f) => f === city) ? null : `${JSON.stringify(fields)} for ${city}`;
    });
  }, TIMEOUT);

  it("cache-status: DYNAMIC without a Cache Rule, whatever the site holds; otherwise the state decides", () => {
    everySeed(template("cache-status"), (v, seed) => {
      const p = template("cache-status").params(seed);
      const expected = p["cache-rule"] === "none" ? "dynamic" : p.cache === "hit" ? "hit" : p.cache === "expired" ? "expired" : "miss";
      return as(v, "single-choice").key.choice === expected ? null : `${JSON.stringify(p)}: key ${as(v, "single-choice").key.choice}`;
    });
  }, TIMEOUT);

  it("header-after-cloudflare: a new connection from Cloudflare's egress to the VIP on 443, the browser in X-Forwarded-For", () => {
    everySeed(template("header-after-cloudflare"), (v, seed) => {
      const p = template("header-after-cloudflare").params(seed) as Record<string, string>;
      const trace = computeTrace("cloudflare-gke", p, seed);
      const browser = hopById(trace, "request:browser")!.out!.layers.find((l) => l.kind === "ipv4");
      const f = as(v, "predict-header").key.fields;
      if (browser?.kind !== "ipv4") return "no browser packet";
      if (f["src-ip"] === browser.src) return "the source is still the browser's";
      return f["dst-port"] === "443" && f.xff === browser.src && f.host === p.host ? null : JSON.stringify(f);
    });
  }, TIMEOUT);

  it("health-checked-pods: the key is every healthy Pod, or the GFE's 502 when none is", () => {
    everySeed(template("health-checked-pods"), (v, seed) => {
      const p = template("health-checked-pods").params(seed);
      const choices = [...as(v, "multiple-choice").key.choices].sort();
      const expected = p["pod-health"] === "all-healthy" ? ["pod-10.4.1.5", "pod-10.4.2.7", "pod-10.4.3.9"]
        : p["pod-health"] === "target-unhealthy" ? ["pod-10.4.2.7", "pod-10.4.3.9"] : ["none-502"];
      return choices.join() === expected.join() ? null : `${p["pod-health"]}: ${choices.join()}`;
    });
  }, TIMEOUT);

  it("maglev-rebuild-share: about 1/N of flows move, far fewer than hashing modulo N", () => {
    everySeed(template("maglev-rebuild-share"), (v, seed) => {
      const p = template("maglev-rebuild-share").params(seed);
      const n = p.change === "leave" ? (p.gfes as number) : (p.gfes as number) + 1;
      const value = as(v, "numeric").key.value as number;
      return value >= 100 / n - 0.5 && value <= 100 / n + 3 ? null : `${value}% for 1/${n}`;
    });
  }, TIMEOUT);

  it("cold-connections: the extra time is one round trip from the GFE's site to the region; the round trips are 5 through Cloudflare, 3 without", () => {
    everySeed(template("cold-connections"), (v, seed) => {
      const p = template("cold-connections").params(seed);
      const value = as(v, "numeric").key.value as number;
      if (p.ask === "round-trips") return value === (p.cloudflare === "on" ? 5 : 3) ? null : `${value} round trips`;
      const region = REGIONS[p.region as keyof typeof REGIONS];
      const rtt = 2 * fibreMs(greatCircleKm(site(p.city as never), site(region.site)));
      return Math.abs(value - rtt) < 0.1 ? null : `${value} ms, one round trip is ${rtt.toFixed(2)} ms`;
    });
  }, TIMEOUT);

  it("bypass-origin-protection: none reaches the Pod (or the default service), Cloud Armor answers 403, mTLS ends the handshake", () => {
    everySeed(template("bypass-origin-protection"), (v, seed) => {
      const p = template("bypass-origin-protection").params(seed);
      const routed = p.host === "www.example.com";
      const expected = p["origin-protection"] === "mtls" ? "mtls" : !routed ? "default-404" : p["origin-protection"] === "cloud-armor" ? "armor-403" : "pod";
      return as(v, "single-choice").key.choice === expected ? null : `${JSON.stringify(p)}: key ${as(v, "single-choice").key.choice}`;
    });
  }, TIMEOUT);

  it("leg-3-order: ECMP, then Maglev, then TLS before the URL map, and the request leaves last", () => {
    everySeed(template("leg-3-order"), (v) => {
      const order = as(v, "ordering").key.order;
      const at = (id: string) => order.indexOf(id);
      if (order[0] !== "ecmp" || order[1] !== "maglev" || order.at(-1) !== "to-pod") return order.join(" → ");
      if (!(at("tls") < at("url-map") && at("url-map") < at("endpoint"))) return order.join(" → ");
      if (order.includes("cloud-armor") && !(at("url-map") < at("cloud-armor") && at("cloud-armor") < at("endpoint"))) return order.join(" → ");
      return order.includes("handshake") && at("handshake") < at("endpoint") ? order.join(" → ") : null;
    });
  }, TIMEOUT);

  it("every template's seed 0 runs the scenario's own defaults where it does not set a parameter", () => {
    const defaults = scenarioDefaults(getScenario("cloudflare-gke"));
    for (const t of JOURNEY_TEMPLATES) {
      const v = t.variant(0);
      const trace = labTrace(v as AnyVariant);
      expect(flagshipOutcome(trace).status, t.id).toBeTruthy();
      for (const key of Object.keys(v.lab?.query ?? {})) expect(Object.keys(defaults), `${t.id}: ${key}`).toContain(key.slice(key.indexOf(".") + 1));
    }
  });
});
