import { describe, expect, it } from "vitest";
import {
  computeTrace, EVENT_TYPES, eventsOfType, fibreMs, getScenario, greatCircleKm, hopsOf, InputError, parameterSpace, site,
  totalMs, type Trace,
} from "../../src/sim/index";

const scenario = getScenario("cloudflare-gke");
const combos = parameterSpace(scenario);
const label = (p: Record<string, string>) => Object.entries(p).map(([k, v]) => `${k}=${v}`).join(" ");
const cases = combos.map((params) => ({ name: label(params), params, trace: computeTrace("cloudflare-gke", params) }));

const reachesPod = (t: Trace) => t.hops.some((h) => h.events.some((e) => e.type === "deliver" && h.device.id === "pod"));
const goesPastEdge = (p: Record<string, string>) => !(p.cloudflare === "on" && p.cache === "hit");

describe("cloudflare-gke: invariants over all parameter combinations", () => {
  it("covers every combination", () => {
    expect(cases).toHaveLength(4 * 2 * 2 * 2 * 3 * 3);
  });

  it.each(cases)("$name", ({ params, trace }) => {
    const terminations = eventsOfType(trace, "tls-terminate");
    const anycast = eventsOfType(trace, "anycast-route");
    if (params.cloudflare === "on") {
      // Two TLS terminations and two anycast decisions whenever the request gets past the CDN.
      expect(terminations).toHaveLength(goesPastEdge(params) ? 2 : 1);
      expect(anycast).toHaveLength(goesPastEdge(params) ? 2 : 1);
      expect(terminations[0]!.hop.device.kind).toBe("cdn-edge");
    } else {
      expect(terminations).toHaveLength(1);
      expect(anycast).toHaveLength(1);
      expect(terminations[0]!.hop.device.kind).toBe("gfe");
      expect(trace.hops.some((h) => h.device.kind === "cdn-edge")).toBe(false);
    }
    expect(terminations.map((t) => t.event.ordinal)).toEqual(terminations.map((_, i) => i + 1));

    // The NEG path never rewrites a destination: no DNAT anywhere, no kube-proxy.
    expect(eventsOfType(trace, "dnat")).toHaveLength(0);

    // The return path retraces the forward path, less Maglev (direct server return).
    const forward = hopsOf(trace, "request").map((h) => h.device.id);
    const back = hopsOf(trace, "response").map((h) => h.device.id);
    expect(back).toEqual([...forward].reverse().filter((id) => id !== "maglev"));
    expect(hopsOf(trace, "response").every((h) => h.leg === 5)).toBe(true);

    // Physics: the one-way time to the turnaround point is never below the fibre floor.
    const request = hopsOf(trace, "request");
    const first = site(request[0]!.device.location);
    const last = site(request.at(-1)!.device.location);
    expect(totalMs(request)).toBeGreaterThanOrEqual(fibreMs(greatCircleKm(first, last)) - 0.001);
    expect(totalMs(hopsOf(trace, "response"))).toBeGreaterThanOrEqual(fibreMs(greatCircleKm(first, last)) - 0.001);

    // Which outcome the parameters imply.
    const status = hopsOf(trace, "response")[0]!.events.find((e) => e.type === "respond");
    const expectPod = goesPastEdge(params) && params.host === "www.example.com" && params["pod-health"] !== "all-unhealthy";
    expect(reachesPod(trace)).toBe(expectPod);
    if (!goesPastEdge(params)) expect(status).toMatchObject({ status: "200 OK", by: "Cloudflare's cache" });
    else if (params.host !== "www.example.com") expect(status).toMatchObject({ status: "404 Not Found" });
    else if (params["pod-health"] === "all-unhealthy") expect(status).toMatchObject({ status: "502 Bad Gateway" });
    else expect(status).toMatchObject({ status: "200 OK", by: "application" });

    // An unhealthy Pod is never chosen.
    for (const { event } of eventsOfType(trace, "lb-select")) {
      if (event.layer !== "L7") continue;
      expect(event.candidates.map((c) => c.id)).toContain(event.chosen ?? event.candidates[0]!.id);
      if (params["pod-health"] === "target-unhealthy") expect(event.chosen).not.toBe("10.4.1.5:8080");
    }

    // Every hop's packets line up: what one hop sends is what the next receives.
    const hops = trace.hops;
    for (let i = 1; i < hops.length; i++) {
      if (hops[i]!.in !== null && hops[i - 1]!.out !== null) expect(hops[i]!.in).toEqual(hops[i - 1]!.out);
    }
  });
});

describe("cloudflare-gke: the flagship trace", () => {
  const trace = computeTrace("cloudflare-gke");

  it("visits the devices of the five legs in order", () => {
    expect(hopsOf(trace, "request").map((h) => [h.leg, h.device.id])).toEqual([
      [1, "browser"], [1, "isp-router"], [1, "cf-edge"], [2, "cf-router"], [3, "maglev"], [3, "gfe"],
      [4, "backbone"], [4, "node"], [4, "pod"],
    ]);
  });

  it("delivers to 10.4.1.5 with the destination untouched since the GFE", () => {
    const gfe = trace.hops.find((h) => h.device.id === "gfe" && h.direction === "request")!;
    const pod = trace.hops.find((h) => h.device.id === "pod" && h.direction === "request")!;
    expect(gfe.out!.layers[0]).toMatchObject({ kind: "ipv4", dst: "10.4.1.5" });
    expect(pod.in!.layers[0]).toMatchObject({ kind: "ipv4", src: "35.191.12.34", dst: "10.4.1.5" });
    expect(pod.in!.layers.some((l) => l.kind === "tls")).toBe(false);
  });

  it("carries the user's address to the Pod only in X-Forwarded-For", () => {
    const pod = trace.hops.find((h) => h.device.id === "pod" && h.direction === "request")!;
    expect(pod.in!.layers.at(-1)).toMatchObject({ kind: "http", forwardedFor: "198.51.100.23, 162.158.84.17, 34.98.10.5" });
    const direct = computeTrace("cloudflare-gke", { cloudflare: "off" });
    const directPod = direct.hops.find((h) => h.device.id === "pod" && h.direction === "request")!;
    expect(directPod.in!.layers.at(-1)).toMatchObject({ forwardedFor: "198.51.100.23, 34.98.10.5" });
  });

  it("routes on the node by the /24 that holds the chosen Pod", () => {
    const via = (t: Trace) => eventsOfType(t, "forward").find((f) => f.hop.device.id === "node" && f.hop.direction === "request")!.event.via;
    expect(via(trace)).toMatch(/^route 10\.4\.1\.0\/24 → /);
    expect(via(computeTrace("cloudflare-gke", { "pod-health": "target-unhealthy" }))).toMatch(/^route 10\.4\.2\.0\/24 → /);
    expect(via(computeTrace("cloudflare-gke", {}, 2))).toMatch(/^route 10\.4\.3\.0\/24 → /);
  });

  it("resolves DNS to Cloudflare with the proxy on and to Google without it", () => {
    expect(eventsOfType(trace, "dns-resolve")[0]!.event.answer).toBe("104.18.32.7");
    const direct = computeTrace("cloudflare-gke", { cloudflare: "off" });
    expect(eventsOfType(direct, "dns-resolve")[0]!.event.answer).toBe("34.98.10.5");
  });

  it("encapsulates twice: GRE from Maglev to the GFE, Geneve across the VPC", () => {
    expect(eventsOfType(trace, "encap").map((e) => [e.hop.device.id, e.event.protocol])).toEqual([
      ["maglev", "gre"], ["backbone", "geneve"], ["node", "geneve"],
    ]);
    const maglev = trace.hops.find((h) => h.device.id === "maglev")!;
    expect(maglev.out!.layers.map((l) => l.kind)).toEqual(["ipv4", "gre", "ipv4", "tcp", "tls", "http"]);
  });

  it("reaches the nearest PoPs from each city", () => {
    for (const city of ["paris", "tokyo", "sao-paulo", "new-york"]) {
      const t = computeTrace("cloudflare-gke", { city });
      const [first, second] = eventsOfType(t, "anycast-route").map((a) => a.event.chosen);
      expect(first).toBe(city);
      expect(second).toBe(city);
    }
  });

  it("crosses the ocean on Google's backbone, not the public internet", () => {
    const backbone = eventsOfType(trace, "forward").find((f) => f.hop.device.id === "backbone")!;
    expect(backbone.event.distanceKm).toBeGreaterThan(6500);
    const node = trace.hops.find((h) => h.device.id === "node" && h.direction === "request")!;
    expect(node.propagationMs).toBeGreaterThan(30);
  });

  it("puts the Pod elsewhere when the backend region changes", () => {
    const eu = computeTrace("cloudflare-gke", { region: "europe-west1" });
    expect(eu.hops.find((h) => h.device.id === "node")!.device.location).toBe("saint-ghislain");
    expect(totalMs(hopsOf(eu, "request"))).toBeLessThan(totalMs(hopsOf(trace, "request")));
  });
});

describe("the event vocabulary", () => {
  it("contains every type quizzes rely on", () => {
    expect(EVENT_TYPES).toEqual(expect.arrayContaining([
      "dns-resolve", "anycast-route", "tls-terminate", "tls-originate", "waf", "cache", "lb-select", "url-map",
      "health-check", "encap", "decap", "dnat", "snat", "conntrack", "forward", "deliver",
    ]));
  });

  it("is the only vocabulary traces use", () => {
    const used = new Set(cases.flatMap(({ trace }) => trace.hops.flatMap((h) => h.events.map((e) => e.type))));
    for (const type of used) expect(EVENT_TYPES).toContain(type);
  });
});

describe("cloudflare-gke: determinism and inputs", () => {
  it("gives the same trace byte for byte for the same parameters and seed", () => {
    const a = JSON.stringify(computeTrace("cloudflare-gke", { city: "tokyo" }, 42));
    const b = JSON.stringify(computeTrace("cloudflare-gke", { city: "tokyo" }, 42));
    expect(a).toBe(b);
  });

  it("varies ports and endpoint rotation with the seed", () => {
    const a = computeTrace("cloudflare-gke", {}, 0);
    const b = computeTrace("cloudflare-gke", {}, 1);
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(b));
    const chosen = (t: Trace) => eventsOfType(t, "lb-select").find((e) => e.event.layer === "L7")!.event.chosen;
    expect(chosen(a)).toBe("10.4.1.5:8080");
    expect(chosen(b)).toBe("10.4.2.7:8080");
  });

  it("rejects unknown scenarios, parameters and values with a reason", () => {
    expect(() => computeTrace("nope")).toThrow(/no such scenario; there is cloudflare-gke/);
    expect(() => computeTrace("cloudflare-gke", { town: "paris" })).toThrow(/has no parameter "town"/);
    expect(() => computeTrace("cloudflare-gke", { city: "lyon" })).toThrow(InputError);
    expect(() => computeTrace("cloudflare-gke", { city: "lyon" })).toThrow(/city must be one of paris, tokyo, sao-paulo, new-york/);
    expect(() => computeTrace("cloudflare-gke", {}, -1)).toThrow(/a seed is a whole number/);
  });
});
