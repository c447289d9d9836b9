import { initialTransition, transition } from "xstate";
import { describe, expect, it } from "vitest";
import { dnsChainMachine, type DnsChainEvent } from "../../src/machines/dns-chain.machine";

const start = (input = {}) => initialTransition(dnsChainMachine, input)[0];
const send = (s: ReturnType<typeof start>, ...events: DnsChainEvent[]) => events.reduce((acc, e) => transition(dnsChainMachine, acc, e)[0], s);

describe("DNS-chain stepper machine", () => {
  it("opens on a cold, proxied lookup with minimisation, at the browser's query", () => {
    const s = start();
    expect(s.context.input).toEqual({ setup: "proxied", cache: "cold", qnameMinimisation: true });
    expect(s.context.cursor).toBe(0);
    expect(s.context.chain.steps[0]!.id).toBe("stub-query");
    expect(s.context.chain.steps.map((x) => x.id)).toEqual(["stub-query", "priming", "root", "tld", "authoritative", "stub-answer"]);
  });

  it("steps forward and back within the chain, and jumps to either end", () => {
    let s = send(start(), { type: "NEXT" }, { type: "NEXT" });
    expect(s.context.chain.steps[s.context.cursor]!.id).toBe("root");
    s = send(s, { type: "LAST" }, { type: "NEXT" });
    expect(s.context.chain.steps[s.context.cursor]!.id).toBe("stub-answer");
    s = send(s, { type: "FIRST" }, { type: "PREV" });
    expect(s.context.cursor).toBe(0);
    expect(send(s, { type: "GOTO", index: 99 }).context.cursor).toBe(5);
  });

  it("recomputes on a setting and returns to the first step", () => {
    let s = send(start(), { type: "LAST" }, { type: "SET_CACHE", cache: "warm" });
    expect(s.context.cursor).toBe(0);
    expect(s.context.chain.resolverQueries).toBe(1);
    s = send(s, { type: "SET_SETUP", setup: "dns-only" });
    expect(s.context.chain.connectsTo.ip).toBe("34.98.10.5");
    s = send(s, { type: "SET_CACHE", cache: "cold" }, { type: "SET_QMIN", on: false });
    expect(s.context.chain.steps.find((x) => x.id === "root")!.query!.question.name).toBe("www.example.com.");
  });

  it("opens on the settings it is given, and ignores values it does not know", () => {
    expect(start({ setup: "cloud-dns", cache: "hot", qmin: false }).context.input).toEqual({ setup: "cloud-dns", cache: "hot", qnameMinimisation: false });
    expect(start({ setup: "purple", cache: "?" }).context.input).toEqual({ setup: "proxied", cache: "cold", qnameMinimisation: true });
  });
});

describe("DNS-chain stepper machine: links", () => {
  it("opens on a URL's settings and step, ignoring what it does not know", () => {
    const s = send(start(), { type: "LOAD_STATE", setup: "cloud-dns", cache: "cold", qmin: "off", step: "tld" });
    expect(s.context.input).toEqual({ setup: "cloud-dns", cache: "cold", qnameMinimisation: false });
    expect(s.context.chain.steps[s.context.cursor]!.id).toBe("tld");
    const odd = send(start(), { type: "LOAD_STATE", setup: "nope", cache: null, qmin: "maybe", step: "nowhere" });
    expect(odd.context.input).toEqual({ setup: "proxied", cache: "cold", qnameMinimisation: true });
    expect(odd.context.cursor).toBe(0);
  });
});

describe("a link's bad values", () => {
  it("are each said, and the lab opens on what it can", () => {
    const opened = transition(dnsChainMachine, initialTransition(dnsChainMachine, {})[0], { type: "LOAD_STATE", setup: "<b>", cache: "warm", qmin: "maybe", step: "nowhere" })[0];
    expect(opened.context.input.cache).toBe("warm");
    expect(opened.context.cursor).toBe(0);
    expect(opened.context.linkProblems).toHaveLength(3);
    expect(opened.context.linkProblems.join(" ")).toMatch(/setup="<b>".*qmin="maybe".*step="nowhere"/);
  });

  it("take a step by its number, counted from 1, and say nothing when all is well", () => {
    const opened = transition(dnsChainMachine, initialTransition(dnsChainMachine, {})[0], { type: "LOAD_STATE", setup: "dns-only", step: "2" })[0];
    expect(opened.context.cursor).toBe(1);
    expect(opened.context.linkProblems).toEqual([]);
  });
});
