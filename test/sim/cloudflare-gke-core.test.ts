import { describe, expect, it } from "vitest";
import {
  computeTrace, getScenario, hopById, LEG_NAMES, LEG_STAGES, parameterSpace, toCoreTrace, type HttpLayer, type Trace, type TlsLayer,
} from "../../src/sim/index";
import { cacheStore } from "../../src/sim/edge/cloudflare-cache";
import { ORIGIN_CERTIFICATES } from "../../src/sim/edge/gfe-certificates";
import { tlsSegments } from "../../src/sim/edge/journey";

const scenario = getScenario("cloudflare-gke");
const trace = (params: Record<string, string> = {}, seed = 0) => computeTrace("cloudflare-gke", params, seed);
const label = (p: Record<string, string>) => Object.entries(p).map(([k, v]) => `${k}=${v}`).join(" ");

/**
 * What the browser finally got, read from packets rather than events where it can be: the HTTP
 * status on the last packet it received, else the alert on that packet, else the alert it sent itself.
 */
function browserGot(t: Trace): string {
  const last = t.hops.at(-1)!;
  const http = last.in?.layers.find((l): l is HttpLayer => l.kind === "http");
  if (http?.status) return http.status;
  const received = last.in?.layers.find((l): l is TlsLayer => l.kind === "tls")?.alert;
  const sent = last.events.flatMap((e) => (e.type === "tls-alert" && e.sentBy === "browser" ? [e.alert] : []))[0];
  return `TLS alert ${received ?? sent}`;
}

// The suggested values, plus free hosts the suggestions miss: one only some load-balancer
// certificates cover (526, bad_certificate) and one no edge certificate covers (two labels under a wildcard).
const space = [
  ...parameterSpace(scenario),
  ...parameterSpace(scenario).filter((p) => p.host === "www.example.com").flatMap((p) => [{ ...p, host: "shop.example.com" }, { ...p, host: "a.b.example.com" }]),
];

describe("stable hop ids and the scenario's stages", () => {
  it("names every hop by its direction and device, in the default trace", () => {
    expect(trace().hops.map((h) => h.id)).toEqual([
      "request:browser", "request:isp-router", "request:cf-unimog", "request:cf-edge", "request:cf-router", "request:google-router",
      "request:maglev", "request:gfe", "request:backbone", "request:node", "request:pod",
      "response:pod", "response:node", "response:backbone", "response:gfe", "response:google-router", "response:cf-router",
      "response:cf-edge", "response:isp-router", "response:browser",
    ]);
    expect(hopById(trace(), "request:gfe")!.device.kind).toBe("gfe");
    expect(hopById(trace({ cloudflare: "off" }), "request:cf-edge")).toBeUndefined();
  });

  it("keeps the five legs as the scenario's stages, out of the JSON contract", () => {
    const t = trace();
    expect(scenario.stages).toBe(LEG_STAGES);
    expect(t.stages.map((s) => [s.id, s.leg, s.title])).toEqual([1, 2, 3, 4, 5].map((leg) => [`leg-${leg}`, leg, LEG_NAMES[leg as 1]]));
    expect(Object.keys(JSON.parse(JSON.stringify(t)))).toEqual(["scenario", "params", "seed", "hops"]);
    expect(JSON.parse(JSON.stringify(t.hops[0]))).toHaveProperty("id", "request:browser");
  });
});

describe("toCoreTrace over the whole parameter space", () => {
  const failures: string[] = [];
  const check = (ok: boolean, what: string, params: Record<string, string>) => {
    if (!ok && failures.length < 20) failures.push(`${what} — ${label(params)}`);
  };
  /** Each id's role: the device kind and leg it had wherever it occurred. */
  const roles = new Map<string, Set<string>>();
  const outcomes = new Map<string, Set<string>>();
  for (const params of space) {
    const t = trace(params);
    const ids = t.hops.map((h) => h.id);
    check(new Set(ids).size === ids.length, "hop ids are unique", params);
    for (const h of t.hops) {
      check(h.id === `${h.direction}:${h.device.id}`, `hop id ${h.id} names its direction and device`, params);
      const role = roles.get(h.id) ?? new Set();
      role.add(`${h.device.kind} leg ${h.leg}`);
      roles.set(h.id, role);
    }
    const core = toCoreTrace(t);
    const stageIds = new Set(core.stages.map((s) => s.id));
    const tables = new Map(core.tables.map((x) => [x.id, x]));
    check(core.steps.map((s) => s.id).join() === ids.join(), "one step per hop, same ids, same order", params);
    check(core.steps.every((s) => stageIds.has(s.stage)), "every step's stage exists", params);
    check(core.steps.some((s) => s.id === core.outcome.at), `outcome step ${core.outcome.at} exists`, params);
    check(core.outcome.status === browserGot(t), `outcome ${core.outcome.status} is what the browser got (${browserGot(t)})`, params);
    for (const step of core.steps) {
      const hop = hopById(t, step.id)!;
      check(step.events.length === hop.events.length && step.events.every((e, i) => e.type === hop.events[i]!.type && e.text.length > 0), "events keep their types, with text", params);
      check(JSON.stringify(step.in?.layers ?? null) === JSON.stringify(hop.in?.layers ?? null), "in is the hop's packet", params);
      for (const sub of step.sub) {
        const table = sub.ref && tables.get(sub.ref.table);
        check(!!table && (sub.ref!.row === null || sub.ref!.row < table.rows.length), `sub-step ${sub.label} points at a row of a table`, params);
      }
    }
    const seen = outcomes.get(core.outcome.status) ?? new Set();
    seen.add(core.outcome.at);
    outcomes.set(core.outcome.status, seen);
  }

  it("holds every invariant", () => {
    expect(failures).toEqual([]);
  });

  it("gives each id one role wherever it occurs", () => {
    for (const [id, role] of roles) expect([id, [...role]]).toEqual([id, [[...role][0]]]);
    expect(roles.size).toBe(20);
  });

  it("meets every outcome the journey can have, each at the step that produces it", () => {
    const found = Object.fromEntries([...outcomes].map(([status, at]) => [status, [...at].sort()]));
    expect(found).toEqual({
      "200 OK": ["response:cf-edge", "response:pod"],
      "404 Not Found": ["response:cf-edge", "response:gfe"],
      "403 Forbidden": ["response:gfe"],
      "502 Bad Gateway": ["response:gfe"],
      "525 SSL Handshake Failed": ["response:cf-edge"],
      "526 Invalid SSL Certificate": ["response:cf-edge"],
      "TLS alert handshake_failure (40)": ["request:cf-edge", "request:gfe"],
      "TLS alert certificate_required (116)": ["request:gfe"],
      "TLS alert unknown_ca (48)": ["response:browser"],
      "TLS alert bad_certificate (42)": ["response:browser"],
    });
  });
});

describe("toCoreTrace: outcomes and decision tables", () => {
  it.each([
    [{}, "200 OK", "response:pod"],
    [{ "cache-rule": "cache-everything", cache: "hit" }, "200 OK", "response:cf-edge"],
    [{ host: "api.example.com" }, "404 Not Found", "response:gfe"],
    [{ "pod-health": "all-unhealthy" }, "502 Bad Gateway", "response:gfe"],
    [{ cloudflare: "bypassed", "origin-protection": "cloud-armor" }, "403 Forbidden", "response:gfe"],
    [{ "origin-cert": "managed-proxied" }, "525 SSL Handshake Failed", "response:cf-edge"],
    [{ "origin-cert": "managed-issued-dns-only", host: "shop.example.com" }, "526 Invalid SSL Certificate", "response:cf-edge"],
    [{ host: "a.b.example.com" }, "TLS alert handshake_failure (40)", "request:cf-edge"],
    [{ cloudflare: "bypassed", "origin-protection": "mtls" }, "TLS alert certificate_required (116)", "request:gfe"],
    [{ cloudflare: "off", "origin-cert": "origin-ca" }, "TLS alert unknown_ca (48)", "response:browser"],
  ])("%j → %s at %s", (params, status, at) => {
    expect(toCoreTrace(trace(params)).outcome).toMatchObject({ status, at });
  });

  it("names the 502's log detail and the cache in the summary", () => {
    expect(toCoreTrace(trace({ "pod-health": "all-unhealthy" })).outcome.summary).toContain("failed_to_pick_backend");
    expect(toCoreTrace(trace({ "cache-rule": "cache-everything", cache: "hit" })).outcome.summary).toContain("Cloudflare's cache");
  });

  it("points Maglev's table at the GFE it chose and the URL map at the rule or the default", () => {
    const core = toCoreTrace(trace());
    const maglev = core.steps.find((s) => s.id === "request:maglev")!;
    const table = core.tables.find((x) => x.id === maglev.tables[0])!;
    const gfeName = /GFE (\S+)/.exec(core.steps.find((s) => s.id === "request:gfe")!.node.name)![1]!;
    expect(table.rows[maglev.sub[0]!.ref!.row!]).toMatch(new RegExp(`^${gfeName}  owns \\d+ of 65537 table slots`));
    const urlMap = (t: ReturnType<typeof toCoreTrace>) => t.steps.find((s) => s.id === "request:gfe")!.sub.find((s) => s.kind === "rule")!;
    expect(urlMap(core).ref!.row).toBe(0);
    expect(urlMap(toCoreTrace(trace({ host: "api.example.com" }))).ref!.row).toBe(1);
    const isp = core.steps.find((s) => s.id === "request:isp-router")!;
    expect(core.tables.find((x) => x.id === isp.tables[0])!.rows[isp.sub[0]!.ref!.row!]).toMatch(/^\*> 104\.16\.0\.0\/13 {2}exit paris/);
  });

  it("reads a trace that went through JSON (no stages on it) with the flagship's legs", () => {
    const t = trace({ city: "tokyo" });
    const core = toCoreTrace(JSON.parse(JSON.stringify(t)));
    expect(core.stages.map((s) => s.id)).toEqual(["leg-1", "leg-2", "leg-3", "leg-4", "leg-5"]);
    expect(core).toEqual(toCoreTrace(t));
  });
});

describe("stage functions on their own", () => {
  const base = { mode: "on" as const, host: "www.example.com", protection: "none" as const, originCert: ORIGIN_CERTIFICATES["certificate-manager"]!, edgeCertNames: ["example.com", "*.example.com"] };

  it("decides each TLS segment as the real checks do", () => {
    expect(tlsSegments(base)).toEqual({ a: "ok", b: "ok" });
    expect(tlsSegments({ ...base, host: "a.b.example.com" })).toEqual({ a: "edge-no-cert", b: null });
    expect(tlsSegments({ ...base, originCert: ORIGIN_CERTIFICATES["managed-proxied"]! })).toEqual({ a: "ok", b: "gfe-no-cert" });
    expect(tlsSegments({ ...base, host: "shop.example.com", originCert: ORIGIN_CERTIFICATES["managed-issued-dns-only"]! })).toEqual({ a: "ok", b: "cf-rejects" });
    // Cloudflare accepts its Origin CA; a browser going direct does not, and a script that bypasses does not check.
    expect(tlsSegments({ ...base, originCert: ORIGIN_CERTIFICATES["origin-ca"]! }).b).toBe("ok");
    expect(tlsSegments({ ...base, mode: "off", originCert: ORIGIN_CERTIFICATES["origin-ca"]! }).a).toBe("client-rejects");
    expect(tlsSegments({ ...base, mode: "bypassed", originCert: ORIGIN_CERTIFICATES["origin-ca"]! }).a).toBe("ok");
    expect(tlsSegments({ ...base, mode: "bypassed", protection: "mtls" }).a).toBe("gfe-needs-client-cert");
  });

  it("stores by max-age, else by Cloudflare's default TTL for the status, and never an uncacheable status", () => {
    expect(cacheStore("k", "/", "MISS", "200 OK", "public, max-age=60")).toMatchObject({ result: "STORE", ttlSeconds: 60 });
    expect(cacheStore("k", "/", "MISS", "404 Not Found", undefined)).toMatchObject({ result: "STORE", ttlSeconds: 180 });
    expect(cacheStore("k", "/", "EXPIRED", "502 Bad Gateway", undefined)).toMatchObject({ result: "EXPIRED" });
    expect(cacheStore("k", "/", "DYNAMIC", "200 OK", "public, max-age=60")).toMatchObject({ result: "DYNAMIC" });
  });
});
