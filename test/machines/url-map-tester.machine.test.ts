import { initialTransition, transition, type SnapshotFrom } from "xstate";
import { describe, expect, it } from "vitest";
import { urlMapTesterMachine, type UrlMapTesterEvent, type UrlMapTesterInput } from "../../src/machines/url-map-tester.machine";
import { readSecurityPolicyYaml, readUrlMapYaml } from "../../src/sim/edge/gfe-yaml";
import { API_BACKEND, DEFAULT_HTTP_BACKEND, EXAMPLE_URL_MAP_YAML, WEB_BACKEND } from "../../src/sim/edge/gfe-examples";

type Snapshot = SnapshotFrom<typeof urlMapTesterMachine>;
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
