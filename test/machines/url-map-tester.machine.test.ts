import { initialTransition, transition, type SnapshotFrom } from "xstate";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { BACKEND_KINDS, ENDPOINT_HEALTHS, URL_MAP_TESTER_GFES, urlMapTesterMachine, type UrlMapTesterEvent, type UrlMapTesterInput } from "../../src/machines/url-map-tester.machine";
import { readUrlMapTesterLink, urlMapTesterLinkParams } from "../../src/machines/url-map-tester-link";
import { writeLabState } from "../../src/components/lab/url-state";
import { decodeLabInput, encodeLabInput } from "../../src/sim/core/permalink";
import { readSecurityPolicyYaml, readUrlMapYaml } from "../../src/sim/edge/gfe-yaml";
import { API_BACKEND, DEFAULT_HTTP_BACKEND, EXAMPLE_URL_MAP_YAML, WEB_BACKEND } from "../../src/sim/edge/gfe-examples";

type Snapshot = SnapshotFrom<typeof urlMapTesterMachine>;
const OPTIONS = { kinds: BACKEND_KINDS, healths: ENDPOINT_HEALTHS, gfes: URL_MAP_TESTER_GFES };
const readers = { readUrlMapYaml, readSecurityPolicyYaml };

function start(input: UrlMapTesterInput = {}): Snapshot {
  return initialTransition(urlMapTesterMachine, input)[0];
}
function send(snapshot: Snapshot, ...events: UrlMapTesterEvent[]): Snapshot {
  return events.reduce((s, e) => transition(urlMapTesterMachine, s, e)[0], snapshot);
}
const serviceOf = (s: Snapshot) => {
  const t = s.context.result!.decision.target;
  return t.kind === "service" ? t.name : t.kind;
};

describe("url-map tester machine", () => {
  it("computes the example's decision synchronously, without the YAML reader", () => {
    const s = start();
    expect(s.context.readers).toBeNull();
    expect(serviceOf(s)).toBe(API_BACKEND);
    expect(s.context.result!.status).toBe("200 OK");
    expect(s.context.result!.steps.map((x) => x.stage)).toEqual(expect.arrayContaining(["url-map", "cloud-armor", "backend"]));
  });

  it("sends an unknown Host to the default backend's 404, with no Cloud Armor", () => {
    const s = send(start(), { type: "CHANGE", field: "host", text: "example.com" });
    expect(serviceOf(s)).toBe(DEFAULT_HTTP_BACKEND);
    expect(s.context.result!.status).toBe("404 Not Found");
    expect(s.context.result!.armor).toBeNull();
  });

  it("keeps each field's error at the field and the last good result, marked stale", () => {
    const s = send(start(), { type: "CHANGE", field: "url", text: "no-slash" }, { type: "CHANGE", field: "sourceIp", text: "300.1.1.1" });
    expect(s.context.errors.url).toMatch(/path starting with \//);
    expect(s.context.errors.sourceIp).toMatch(/not an IPv4 or IPv6 address/);
    expect(s.context.stale).toBe(true);
    expect(serviceOf(s)).toBe(API_BACKEND);
    const fixed = send(s, { type: "CHANGE", field: "url", text: "https://www.example.com/" }, { type: "CHANGE", field: "sourceIp", text: "203.0.113.7" });
    expect(fixed.context.stale).toBe(false);
    expect(serviceOf(fixed)).toBe(WEB_BACKEND);
  });

  it("waits for the YAML reader after a YAML edit, then locates problems by line", () => {
    const edited = send(start(), { type: "CHANGE", field: "urlMap", text: EXAMPLE_URL_MAP_YAML.replace("- /api/*", "- /api*") });
    expect(edited.context.pending).toBe(true);
    expect(edited.context.stale).toBe(true);
    const loaded = send(edited, { type: "READERS_LOADED", readers });
    expect(loaded.context.pending).toBe(false);
    expect(loaded.context.yamlProblems.urlMap?.[0]).toMatchObject({ line: 18, field: "pathMatchers[0].pathRules[1].paths[1]" });
    expect(loaded.context.errors.urlMap).toMatch(/line 18/);
    const fixed = send(loaded, { type: "CHANGE", field: "urlMap", text: EXAMPLE_URL_MAP_YAML.replace("- /api\n", "") });
    expect(fixed.context.errors.urlMap).toBeUndefined();
    expect(serviceOf(send(fixed, { type: "CHANGE", field: "url", text: "https://www.example.com/api" }))).toBe(WEB_BACKEND);
  });

  it("lets a request rate trip the rate-based ban, answered by the GFE", () => {
    const s = send(start({ url: "https://www.example.com/" }), { type: "CHANGE", field: "rate", text: "5" });
    expect(s.context.result!.status).toBe("429");
    expect(s.context.result!.armor!.allowed).toBe(100);
    expect(s.context.result!.backend).toBeNull();
  });

  it("answers 502 when no endpoint is healthy, and takes the extra node hop with instance groups", () => {
    const down = send(start(), { type: "SET_HEALTH", index: 0, health: "UNHEALTHY" }, { type: "SET_HEALTH", index: 1, health: "DRAINING" }, { type: "SET_HEALTH", index: 2, health: "UNKNOWN" });
    expect(down.context.result!.status).toBe("502 Bad Gateway");
    const ig = send(start(), { type: "SET_BACKEND_KIND", kind: "instance-group" });
    expect(ig.context.result!.backend!.hops).toHaveLength(2);
  });

  it("steps through the decision and stops at both ends", () => {
    const s = start();
    const last = s.context.result!.steps.length - 1;
    expect(send(s, { type: "STEP", to: "previous" }).context.cursor).toBe(0);
    expect(send(s, { type: "STEP", to: "next" }).context.cursor).toBe(1);
    expect(send(s, { type: "STEP", to: "last" }, { type: "STEP", to: "next" }).context.cursor).toBe(last);
  });

  it("reports a failed reader load at its own key, and keeps working", () => {
    const s = send(start(), { type: "CHANGE", field: "policy", text: "x" }, { type: "READERS_FAILED", message: "offline" });
    expect(s.context.errors.readers).toMatch(/offline/);
    expect(send(s, { type: "READERS_LOADED", readers }).context.errors.policy).toMatch(/line 1/);
  });
});

describe("url-map tester permalinks (LOAD_STATE)", () => {
  const LAB = "url-map-tester";
  const linkOf = (s: Snapshot) => {
    const { params, defaults, step } = urlMapTesterLinkParams(s.context, encodeLabInput);
    return new URLSearchParams(writeLabState("", LAB, params, defaults, step));
  };
  const reopen = (query: URLSearchParams) => {
    const patch = readUrlMapTesterLink(query, LAB, decodeLabInput, OPTIONS);
    return patch ? send(start(), { type: "READERS_LOADED", readers }, { type: "LOAD_STATE", patch }) : start();
  };

  it("a link carries what changed — request, client, backends, edited YAML, decision — and reopens it", () => {
    const edited = EXAMPLE_URL_MAP_YAML.replace("/api/*", "/v2/*");
    const s = send(
      start(),
      { type: "READERS_LOADED", readers },
      { type: "CHANGE", field: "url", text: "https://www.example.com/v2/cart" },
      { type: "CHANGE", field: "headers", text: "User-Agent: Mozilla/5.0" },
      { type: "CHANGE", field: "urlMap", text: edited },
      { type: "CHANGE", field: "sourceIp", text: "198.51.100.4" },
      { type: "SET_BACKEND_KIND", kind: "instance-group" },
      { type: "SET_HEALTH", index: 1, health: "DRAINING" },
      { type: "SET_GFE", gfe: "tokyo" },
      { type: "SET_SEED", seed: 5 },
      { type: "STEP", to: "next" },
      { type: "STEP", to: "next" },
    );
    const query = linkOf(s);
    expect([...query.keys()].sort()).toEqual([`${LAB}.gfe`, `${LAB}.headers`, `${LAB}.health`, `${LAB}.ip`, `${LAB}.kind`, `${LAB}.map`, `${LAB}.seed`, `${LAB}.step`, `${LAB}.url`].sort());
    expect(query.get(`${LAB}.map`)).toMatch(/^1\./);
    const r = reopen(query);
    expect(r.context.texts).toEqual(s.context.texts);
    expect({ kind: r.context.backendKind, health: r.context.health, gfe: r.context.gfe, seed: r.context.seed, cursor: r.context.cursor }).toEqual({ kind: "instance-group", health: s.context.health, gfe: "tokyo", seed: 5, cursor: 2 });
    expect(r.context.result).toEqual(s.context.result);
    expect(r.context.linkErrors).toEqual({});
    expect([...linkOf(start()).keys()]).toEqual([]);
  });

  it("explains each bad link value at its control and applies the rest", () => {
    const query = new URLSearchParams({
      [`${LAB}.kind`]: "anycast",
      [`${LAB}.gfe`]: "mars",
      [`${LAB}.health`]: "HEALTHY,SICK",
      [`${LAB}.step`]: "99",
      [`${LAB}.map`]: "1.garbage!!",
      [`${LAB}.policy`]: "7.abc",
      [`${LAB}.ip`]: "300.1.1.1",
      [`${LAB}.host`]: "example.com",
    });
    const s = reopen(query);
    expect(s.context.linkErrors.kind).toMatch(/"anycast" is not one of neg or instance-group/);
    expect(s.context.linkErrors.gfe).toMatch(/"mars"/);
    expect(s.context.linkErrors.health).toMatch(/"HEALTHY,SICK"/);
    expect(s.context.linkErrors.urlMap).toMatch(/URL map could not be read/);
    expect(s.context.linkErrors.policy).toMatch(/format "7"/);
    expect(s.context.errors.sourceIp).toMatch(/not an IPv4 or IPv6 address/);
    expect(s.context.texts.host).toBe("example.com");
    expect(s.context.texts.urlMap).toBe(EXAMPLE_URL_MAP_YAML);
    // The source address blocks the result; fixing it gives the link's Host its answer, and the step's message stays until stepping.
    const fixed = send(s, { type: "CHANGE", field: "sourceIp", text: "203.0.113.7" });
    expect(fixed.context.result!.status).toBe("404 Not Found");
    const stepped = send(fixed, { type: "STEP", to: "next" }, { type: "SET_BACKEND_KIND", kind: "neg" }, { type: "SET_GFE", gfe: "paris" }, { type: "SET_HEALTH", index: 0, health: "HEALTHY" });
    expect(Object.keys(stepped.context.linkErrors).sort()).toEqual(["policy", "urlMap"]);
    expect(send(stepped, { type: "CHANGE", field: "urlMap", text: EXAMPLE_URL_MAP_YAML }, { type: "CHANGE", field: "policy", text: s.context.texts.policy }).context.linkErrors).toEqual({});
  });

  it("a bad seed is explained at its field and keeps the last result", () => {
    const s = reopen(new URLSearchParams({ [`${LAB}.seed`]: "-1" }));
    expect(s.context.errors.seed).toMatch(/whole number/);
    expect(s.context.result).not.toBeNull();
  });

  it("a link's YAML loaded before the reader waits for it instead of showing the example's answer", () => {
    const s = send(start(), { type: "LOAD_STATE", patch: { texts: { urlMap: EXAMPLE_URL_MAP_YAML.replace("/api/*", "/v2/*") }, step: null, linkErrors: {} } });
    expect(s.context.pending).toBe(true);
    expect(s.context.stale).toBe(true);
  });

  it("never throws, whatever a link holds", () => {
    const key = fc.constantFrom("url", "host", "method", "headers", "ip", "region", "rate", "seed", "map", "policy", "kind", "gfe", "health", "step");
    fc.assert(
      fc.property(fc.dictionary(key, fc.string({ maxLength: 40 })), (entries) => {
        const query = new URLSearchParams(Object.entries(entries).map(([k, v]) => [`${LAB}.${k}`, v]));
        reopen(query);
      }),
      { numRuns: Number(process.env.EDGE_PROPERTY_RUNS ?? 100) },
    );
  });
});
