import { initialTransition, transition } from "xstate";
import { describe, expect, it } from "vitest";
import { selectedCell, sslMatrixDefaults, sslMatrixMachine, sslMatrixParams, type SslMatrixEvent } from "../../src/machines/ssl-matrix.machine";

const start = (input = {}) => initialTransition(sslMatrixMachine, input)[0];
const send = (s: ReturnType<typeof start>, ...events: SslMatrixEvent[]) => events.reduce((acc, e) => transition(sslMatrixMachine, acc, e)[0], s);
const cell = (s: ReturnType<typeof start>) => selectedCell(s.context).result;
const stepId = (s: ReturnType<typeof start>) => cell(s).steps[s.context.cursor]!.id;

describe("SSL-mode matrix machine", () => {
  it("opens on Full (strict) with a valid certificate, both listeners, an HTTPS visitor, at the first step", () => {
    const s = start();
    expect(s.context).toMatchObject({ mode: "strict", cert: "valid", cursor: 0, settings: { listener: "both", visitor: "https", alwaysUseHttps: false } });
    expect(s.context.matrix.rows).toHaveLength(5);
    expect(stepId(s)).toBe("visitor-https");
  });

  it("selects a cell and steps through its trace, clamped at both ends", () => {
    let s = send(start(), { type: "SELECT", mode: "strict", cert: "self-signed" });
    expect(cell(s).outcome.code).toBe(526);
    s = send(s, { type: "LAST" }, { type: "NEXT" });
    expect(stepId(s)).toBe("visitor-sees");
    s = send(s, { type: "PREV" });
    expect(stepId(s)).toBe("edge-rejects");
    s = send(s, { type: "FIRST" }, { type: "PREV" });
    expect(s.context.cursor).toBe(0);
    expect(send(s, { type: "GOTO", index: 99 }).context.cursor).toBe(cell(s).steps.length - 1);
  });

  it("recomputes every cell on a setting, keeping the selected cell and restarting its trace", () => {
    let s = send(start(), { type: "SELECT", mode: "flexible", cert: "valid" }, { type: "LAST" });
    expect(cell(s).outcome.code).toBe(200);
    s = send(s, { type: "SET_LISTENER", listener: "https-only" });
    expect(s.context.cursor).toBe(0);
    expect(s.context.mode).toBe("flexible");
    expect(cell(s).outcome.kind).toBe("redirect-loop");
    s = send(s, { type: "SET_VISITOR", visitor: "http" }, { type: "SELECT", mode: "full", cert: "self-signed" });
    expect(cell(s).hops.edgeOrigin?.port).toBe(443);
    s = send(s, { type: "SET_LISTENER", listener: "both" });
    expect(cell(s).hops.edgeOrigin?.port).toBe(80);
    s = send(s, { type: "SET_ALWAYS_HTTPS", on: true });
    expect(cell(s).steps[1]!.id).toBe("edge-always-https");
  });

  it("opens where a link points: settings, cell and step by id or number", () => {
    let s = send(start(), { type: "LOAD_STATE", mode: "full", cert: "none", listener: "both", visitor: "https", step: "origin-tls-fails" });
    expect(cell(s).outcome.code).toBe(525);
    expect(stepId(s)).toBe("origin-tls-fails");
    expect(s.context.linkProblems).toEqual([]);
    s = send(start(), { type: "LOAD_STATE", mode: "strict", cert: "expired", https: "on", visitor: "http", step: "2" });
    expect(s.context.settings.alwaysUseHttps).toBe(true);
    expect(s.context.cursor).toBe(1);
  });

  it("a bad value in a link opens the lab on its defaults with a message naming it", () => {
    const s = send(start(), { type: "SELECT", mode: "off", cert: "none" }, { type: "LOAD_STATE", mode: "fullest", cert: "expired" });
    expect(s.context).toMatchObject({ mode: "strict", cert: "valid", cursor: 0 });
    expect(s.context.linkProblems.join(" ")).toContain('mode="fullest" is not one of off, flexible, full, strict, origin-pull');
    const stale = send(start(), { type: "LOAD_STATE", mode: "full", step: "no-such-step", unknownKeys: ["colour"] });
    expect(stale.context.mode).toBe("full");
    expect(stale.context.cursor).toBe(0);
    expect(stale.context.linkProblems).toHaveLength(2);
  });

  it("writes its permalink parameters", () => {
    const s = send(start(), { type: "SELECT", mode: "flexible", cert: "origin-ca" }, { type: "SET_ALWAYS_HTTPS", on: true });
    expect(sslMatrixParams(s.context)).toEqual({ mode: "flexible", cert: "origin-ca", listener: "both", visitor: "https", https: "on" });
  });

  it("falls back to where its props open it, and leaves those values out of a permalink", () => {
    const props = { mode: "flexible", cert: "valid", listener: "https-only" } as const;
    const s = send(start(props), { type: "SELECT", mode: "strict", cert: "none" }, { type: "LOAD_STATE", cert: "made-up" });
    expect(s.context).toMatchObject({ mode: "flexible", cert: "valid", settings: { listener: "https-only" } });
    expect(cell(s).outcome.kind).toBe("redirect-loop");
    expect(sslMatrixDefaults(s.context)).toEqual({ mode: "flexible", cert: "valid", listener: "https-only", visitor: "https", https: "off" });
    expect(send(start(props), { type: "LOAD_STATE", mode: "full" }).context.settings.listener).toBe("https-only");
  });
});
