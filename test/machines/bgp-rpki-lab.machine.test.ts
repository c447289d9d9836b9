import { describe, expect, it } from "vitest";
import { initialTransition, transition } from "xstate";
import { bgpRpkiLabMachine, formatRovParam, labAnnouncement, parseRovParam, type BgpRpkiLabEvent } from "../../src/machines/bgp-rpki-lab.machine";

const start = (input = {}) => initialTransition(bgpRpkiLabMachine, input)[0];
const run = (events: BgpRpkiLabEvent[], input = {}) => events.reduce((s, e) => transition(bgpRpkiLabMachine, s, e)[0], start(input));

describe("BGP/RPKI lab machine", () => {
  it("opens on a sub-prefix hijack with a minimal ROA and no ROV: every user city is captured", () => {
    const s = start();
    expect(s.context.kind).toBe("sub-prefix");
    expect(s.context.outcome.share.cities).toBe(1);
    expect(s.context.view.router).toBe("3215@paris");
    expect(labAnnouncement(s.context)).toMatch(/6 of 6 user cities/);
  });

  it("dropping Invalid at the attacker's upstream stops the sub-prefix hijack; lowering preference does not", () => {
    expect(run([{ type: "SET_ROV", asn: 174, mode: "drop-invalid" }]).context.outcome.share.cities).toBe(0);
    expect(run([{ type: "SET_ROV", asn: 174, mode: "depref-invalid" }]).context.outcome.share.cities).toBe(1);
  });

  it("a forged origin passes ROV everywhere; the loose-maxLength case passes too, a minimal ROA stops it", () => {
    const all = { type: "SET_ROV_ALL", asns: [3356, 1299, 174, 2914, 3215, 2516, 7922, 64500, 64501, 64502, 64503], mode: "drop-invalid" } as const;
    const forged = run([all, { type: "SET_KIND", kind: "forged-origin" }]);
    expect(forged.context.outcome.hijackValidation?.state).toBe("Valid");
    expect(forged.context.outcome.share.routers).toBeGreaterThan(0);
    const loose = run([all, { type: "SET_KIND", kind: "forged-sub-prefix" }, { type: "SET_ROA", roa: "loose" }]);
    expect(loose.context.outcome.share.routers).toBe(1);
    expect(transition(bgpRpkiLabMachine, loose, { type: "SET_ROA", roa: "minimal" })[0].context.outcome.share.routers).toBe(0);
  });

  it("steps one router through validation, import, best path and FIB, and stays within the stages", () => {
    let s = start();
    expect(s.context.stage).toBe(0);
    expect(s.context.view.sentences.validation).toContain("Invalid");
    for (let i = 0; i < 5; i++) s = transition(bgpRpkiLabMachine, s, { type: "STEP_FORWARD" })[0];
    expect(s.context.stage).toBe(3);
    expect(s.context.view.sentences.fib).toContain("ATTACKER");
    s = transition(bgpRpkiLabMachine, s, { type: "STEP_BACK" })[0];
    expect(s.context.stage).toBe(2);
    s = transition(bgpRpkiLabMachine, s, { type: "SELECT_ROUTER", router: "64500@madrid" })[0];
    expect(s.context.stage).toBe(0);
    expect(s.context.view.asName).toBe("Madrid access ISP");
  });

  it("keeps each VRP field's error at that field and the last good VRP in force", () => {
    let s = run([{ type: "SET_KIND", kind: "forged-sub-prefix" }, { type: "SET_ROA", roa: "custom" }]);
    // The form starts as the loose ROA 34.98.0.0/16-24 AS15169: the forged /24 is Valid.
    expect(s.context.outcome.hijackValidation?.state).toBe("Valid");
    s = transition(bgpRpkiLabMachine, s, { type: "EDIT_VRP", field: "maxLength", text: "40" })[0];
    expect(s.context.vrpErrors.maxLength).toMatch(/longer than 32/);
    expect(s.context.vrpErrors.prefix).toBeUndefined();
    expect(s.context.outcome.hijackValidation?.state).toBe("Valid");
    s = transition(bgpRpkiLabMachine, s, { type: "EDIT_VRP", field: "maxLength", text: "16" })[0];
    expect(s.context.vrpErrors).toEqual({});
    expect(s.context.outcome.hijackValidation?.state).toBe("Invalid");
    s = transition(bgpRpkiLabMachine, s, { type: "EDIT_VRP", field: "asn", text: "AS99999999999" })[0];
    expect(s.context.vrpErrors.asn).toMatch(/at most 4294967295/);
    s = transition(bgpRpkiLabMachine, s, { type: "EDIT_VRP", field: "prefix", text: "34.98.0.0/33" })[0];
    expect(s.context.vrpErrors.prefix).toMatch(/at most \/32/);
  });

  it("opens on the state a link gives, ignoring values it does not know", () => {
    const s = start({ kind: "exact-prefix", roa: "none", attacker: "singapore", rov: parseRovParam("2914:drop-invalid,1:bogus"), router: "2516@tokyo" });
    expect(s.context.kind).toBe("exact-prefix");
    expect(s.context.outcome.hijackValidation?.state).toBe("NotFound");
    expect(s.context.rov).toEqual({ 2914: "drop-invalid" });
    expect(formatRovParam(s.context.rov)).toBe("2914:drop-invalid");
    const bad = start({ kind: "teleport", router: "1@nowhere" });
    expect(bad.context.kind).toBe("sub-prefix");
    expect(bad.context.router).toBe("3215@paris");
  });

  it("reads a permalink: known settings apply, anything unreadable is named, the rest of the link still applies", () => {
    const good = run([{ type: "LOAD_LINK", params: { kind: "forged-origin", rov: "174:drop-invalid", step: "2516@tokyo" } }]);
    expect(good.context.linkProblems).toEqual([]);
    expect(good.context.kind).toBe("forged-origin");
    expect(good.context.router).toBe("2516@tokyo");
    const bad = run([{ type: "LOAD_LINK", params: { kind: "<script>", roa: "loose", rov: "174:drop,x", router: "1@mars", seed: "7", preset: "" } }]);
    expect(bad.context.roa).toBe("loose");
    expect(bad.context.kind).toBe("sub-prefix");
    expect(bad.context.linkProblems).toHaveLength(4);
    expect(bad.context.linkProblems.join(" ")).toMatch(/kind "<script>".*rov.*"seed" is not a setting.*router "1@mars"/s);
  });
});
