/**
 * The flagship's wrong models (`src/sim/edge/models.ts`): each model's trace differs from the real
 * one exactly where its belief does, and nowhere else; models are deterministic and recorded on the
 * trace; real traces carry no model. And `wireBytes` against the bytes the pcap export writes.
 */
import { describe, expect, it } from "vitest";
import {
  computeTrace, FLAGSHIP_MODELS, getScenario, InputError, parameterSpace, toCoreTrace, wireBytes, encapsulationBytes,
  type Hop, type Trace, type TraceEvent,
} from "../../src/sim/index";
import { hopsOf } from "../../src/sim/trace";
import { seededRandom } from "../../src/sim/random";
import type { Layer, Packet } from "../../src/sim/net/packet";
import { traceToPcapng } from "../../src/sim/pcap/index";
import { readPcapng } from "./pcap/read-pcapng";
import { MISCONCEPTIONS } from "../../src/quiz/engine/misconceptions";

const ID = "cloudflare-gke";
const SPACE = parameterSpace(getScenario(ID));

/** A seeded sample of the parameter space (the whole space is tens of thousands of combinations). */
function sample(count: number, seed: number): Record<string, string>[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => SPACE[Math.floor(random() * SPACE.length)]!);
}
const SAMPLE = [{}, { cloudflare: "off" }, { cloudflare: "bypassed" }, { "cache-rule": "cache-everything", cache: "hit" }, ...sample(40, 7)];

const ids = (hops: readonly Hop[]) => hops.map((h) => h.id);
const events = (hop: Hop | undefined, type: TraceEvent["type"]) => hop?.events.filter((e) => e.type === type) ?? [];
const hop = (t: Trace, id: string) => t.hops.find((h) => h.id === id);
const ip = (p: Packet | null | undefined, at: "first" | "last" = "last") => {
  const layers = (p?.layers ?? []).filter((l): l is Extract<Layer, { kind: "ipv4" }> => l.kind === "ipv4");
  return at === "first" ? layers[0] : layers.at(-1);
};
const tcpOf = (p: Packet | null | undefined) => p?.layers.filter((l): l is Extract<Layer, { kind: "tcp" }> => l.kind === "tcp").at(-1);
/** A real trace that reaches the Pod: the model's changes are all visible on it. */
const reachesPod = (t: Trace) => t.hops.some((h) => h.id === "request:pod");

const pairs = (model: string) =>
  SAMPLE.map((params) => ({ params, real: computeTrace(ID, params), wrong: computeTrace(ID, params, 0, model) }));

describe("model plumbing", () => {
  it("knows exactly the misconception ids it models, each with a one-sentence belief", () => {
    expect(Object.keys(getScenario(ID).models ?? {}).sort()).toEqual(Object.keys(FLAGSHIP_MODELS).sort());
    for (const [id, belief] of Object.entries(FLAGSHIP_MODELS)) {
      expect(MISCONCEPTIONS[id], id).toBeDefined();
      expect(belief).toMatch(/^[A-Z].*\.$/);
    }
  });

  it("rejects an unknown model with an InputError listing the known ones", () => {
    expect(() => computeTrace(ID, {}, 0, "tls-at-the-cdn")).toThrow(InputError);
    expect(() => computeTrace(ID, {}, 0, "tls-at-the-cdn")).toThrow(/tls-at-pod.*separate-lb-box.*encap-free/s);
  });

  it("records the model on the trace and the core trace; a real trace has none", () => {
    const real = computeTrace(ID, {});
    expect("model" in JSON.parse(JSON.stringify(real))).toBe(false);
    expect(toCoreTrace(real).model).toBeNull();
    for (const model of Object.keys(FLAGSHIP_MODELS)) {
      const t = computeTrace(ID, { city: "tokyo" }, 3, model);
      expect(t.model).toBe(model);
      expect(toCoreTrace(t).model).toBe(model);
      expect(JSON.stringify(computeTrace(ID, { city: "tokyo" }, 3, model))).toBe(JSON.stringify(t));
    }
  });

  it("computes every sampled variant under every model, and the core trace's outcome for it", () => {
    for (const model of Object.keys(FLAGSHIP_MODELS)) {
      for (const params of SAMPLE) expect(() => toCoreTrace(computeTrace(ID, params, 1, model)), `${model} ${JSON.stringify(params)}`).not.toThrow();
    }
  });
});

describe("tls-at-pod", () => {
  it("ends the browser's one TLS session at the Pod; nothing in between reads the request", () => {
    for (const { params, real, wrong } of pairs("tls-at-pod")) {
      const where = wrong.hops.flatMap((h) => h.events.filter((e) => e.type === "tls-terminate").map(() => h.id));
      if (hop(wrong, "request:pod")) expect(where, JSON.stringify(params)).toEqual(["request:pod"]);
      else expect(where).toEqual([]);
      for (const h of wrong.hops) {
        expect(events(h, "url-map")).toEqual([]);
        expect(events(h, "cache")).toEqual([]);
        expect(events(h, "tls-originate")).toEqual([]);
      }
      if (!reachesPod(real)) continue;
      // Same devices, and the packet the Pod receives is the browser's session, unread.
      expect(ids(wrong.hops)).toEqual(ids(real.hops));
      const atPod = hop(wrong, "request:pod")!.in!;
      const session = atPod.layers.find((l) => l.kind === "tls");
      expect(session).toMatchObject({ client: "browser", server: "pod" });
      const http = atPod.layers.find((l) => l.kind === "http");
      expect(http && "forwardedFor" in http).toBe(false);
      // Routing decisions that do not read the request are the real ones.
      for (const id of ["request:isp-router", "request:google-router", "request:maglev"]) expect(hop(wrong, id)!.events).toEqual(hop(real, id)!.events);
    }
  });

  it("cannot route by host: an unrouted host reaches the Pod instead of the default backend", () => {
    const real = computeTrace(ID, { host: "api.example.com" });
    const wrong = computeTrace(ID, { host: "api.example.com" }, 0, "tls-at-pod");
    expect(toCoreTrace(real).outcome.status).toBe("404 Not Found");
    expect(toCoreTrace(wrong).outcome).toMatchObject({ status: "200 OK", at: "response:pod" });
  });
});

describe("separate-lb-box", () => {
  it("adds an appliance after the backbone that checks health, picks the real Pod and DNATs to it", () => {
    for (const { params, real, wrong } of pairs("separate-lb-box")) {
      if (!reachesPod(real)) {
        expect(ids(wrong.hops)).toEqual(ids(real.hops));
        continue;
      }
      const expected = ids(real.hops).flatMap((id) =>
        id === "request:backbone" ? [id, "request:lb-appliance"] : id === "response:node" ? [id, "response:lb-appliance"] : [id]);
      expect(ids(wrong.hops), JSON.stringify(params)).toEqual(expected);
      expect(events(hop(wrong, "request:gfe"), "lb-select")).toEqual([]);
      const box = hop(wrong, "request:lb-appliance")!;
      const realPick = events(hop(real, "request:gfe"), "lb-select")[0] as Extract<TraceEvent, { type: "lb-select" }>;
      const boxPick = events(box, "lb-select")[0] as Extract<TraceEvent, { type: "lb-select" }>;
      expect(boxPick.chosen).toBe(realPick.chosen);
      expect(events(box, "dnat")).toEqual([{ type: "dnat", from: expect.stringMatching(/\.250:80$/), to: realPick.chosen }]);
      // The Pod receives what it really receives (one router later: one less TTL), but the GFE addressed the appliance.
      const realIn = hop(real, "request:pod")!.in!;
      expect(hop(wrong, "request:pod")!.in).toEqual({ layers: realIn.layers.map((l) => (l.kind === "ipv4" ? { ...l, ttl: l.ttl - 1 } : l)) });
      expect(ip(hop(wrong, "request:gfe")!.out)!.dst).toMatch(/\.250$/);
      expect(hop(wrong, "request:lb-appliance")!.device.name).toMatch(/^Regional load-balancer appliance for 34\.98\.10\.5 \(/);
    }
  });
});

describe("kube-proxy-on-neg-path", () => {
  it("sends to the node's NodePort and DNATs at the node; the Pod receives the same packet", () => {
    for (const { params, real, wrong } of pairs("kube-proxy-on-neg-path")) {
      expect(ids(wrong.hops)).toEqual(ids(real.hops));
      if (!reachesPod(real)) continue;
      const gfeOut = hop(wrong, "request:gfe")!.out!;
      expect(ip(gfeOut)!.dst, JSON.stringify(params)).toMatch(/^10\.1(28|32|46)\.0\.1[234]$/);
      expect(tcpOf(gfeOut)!.dstPort).toBe(31380);
      const dnat = events(hop(wrong, "request:node"), "dnat");
      expect(dnat).toHaveLength(1);
      expect(events(hop(real, "request:node"), "dnat")).toEqual([]);
      expect(hop(wrong, "request:pod")!.in).toEqual(hop(real, "request:pod")!.in);
      // The reply is translated back at the node.
      expect(ip(hop(wrong, "response:node")!.out)!.src).toBe(ip(gfeOut)!.dst);
      expect(hop(wrong, "response:pod")).toEqual(hop(real, "response:pod"));
    }
  });
});

describe("reply-retraces-all", () => {
  it("sends the response back through every request device in reverse, and leaves the request alone", () => {
    for (const { params, real, wrong } of pairs("reply-retraces-all")) {
      expect(hopsOf(wrong, "request"), JSON.stringify(params)).toEqual(hopsOf(real, "request"));
      const requestDevices = hopsOf(wrong, "request").map((h) => h.device.id);
      const responseDevices = hopsOf(wrong, "response").map((h) => h.device.id);
      // The response starts where the request ended and passes every earlier request device in reverse.
      const ended = requestDevices.indexOf(responseDevices[0]!);
      expect(responseDevices).toEqual(requestDevices.slice(0, ended + 1).reverse());
      const realResponse = hopsOf(real, "response").map((h) => h.device.id);
      expect(responseDevices.filter((d) => !realResponse.includes(d)).every((d) => d === "maglev" || d === "cf-unimog")).toBe(true);
    }
  });
});

describe("cloud-nat-inbound", () => {
  it("puts a NAT gateway after the backbone; the node and the Pod see its address as the source", () => {
    for (const { params, real, wrong } of pairs("cloud-nat-inbound")) {
      if (!reachesPod(real)) {
        expect(ids(wrong.hops)).toEqual(ids(real.hops));
        continue;
      }
      const expected = ids(real.hops).flatMap((id) =>
        id === "request:backbone" ? [id, "request:cloud-nat"] : id === "response:node" ? [id, "response:cloud-nat"] : [id]);
      expect(ids(wrong.hops), JSON.stringify(params)).toEqual(expected);
      expect(hop(wrong, "request:gfe")).toEqual(hop(real, "request:gfe"));
      const snat = events(hop(wrong, "request:cloud-nat"), "snat")[0] as Extract<TraceEvent, { type: "snat" }>;
      const seen = ip(hop(wrong, "request:pod")!.in)!.src;
      expect(snat.to.startsWith(`${seen}:`)).toBe(true);
      expect(seen).not.toBe(ip(hop(real, "request:pod")!.in)!.src);
      expect(ip(hop(wrong, "response:gfe")!.in)!.src).toBe(ip(hop(real, "response:gfe")!.in)!.src);
    }
  });
});

describe("encap-free", () => {
  it("changes nothing but the encapsulation notes; under it wireBytes counts no tunnel header", () => {
    const strip = (t: Trace) => JSON.parse(JSON.stringify(t.hops, (k, v) => (k === "note" ? undefined : v)));
    for (const { real, wrong } of pairs("encap-free")) {
      expect(strip(wrong)).toEqual(strip(real));
      for (const h of wrong.hops) {
        for (const e of h.events) if (e.type === "encap") expect(e.note).toMatch(/no bytes/);
        if (!h.out) continue;
        expect(encapsulationBytes(h.out, "encap-free")).toBe(0);
        const inner = { layers: h.out.layers.slice(h.out.layers.map((l) => l.kind).lastIndexOf("ipv4")) };
        expect(wireBytes(h.out, "encap-free")).toBe(wireBytes(inner));
      }
    }
  });
});

/** The total length field of the innermost IPv4 header, walking the tunnels the way a dissector does. */
function innermostLength(data: Uint8Array): number {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const ihl = (data[0]! & 0x0f) * 4;
  const proto = data[9];
  if (proto === 4) return innermostLength(data.subarray(ihl));
  if (proto === 47) return innermostLength(data.subarray(ihl + 4));
  if (proto === 17) {
    const port = view.getUint16(ihl + 2);
    if (port === 6081) return innermostLength(data.subarray(ihl + 8 + 8 + (data[ihl + 8]! & 0x3f) * 4));
    if (port === 4789) return innermostLength(data.subarray(ihl + 8 + 8 + 14));
    if (port === 6080) return innermostLength(data.subarray(ihl + 8 + 4 + data[ihl + 8 + 1]! * 0));
  }
  return view.getUint16(2);
}

describe("wireBytes against the pcap export", () => {
  const traces = [...SAMPLE.slice(0, 20).map((p) => computeTrace(ID, p)), ...sample(10, 99).map((p) => computeTrace(ID, p, 5))];

  it("equals the length of every packet the capture writes, and the capture's own inner length under encap-free", () => {
    let checked = 0;
    let tunnelled = 0;
    for (const trace of traces) {
      const core = toCoreTrace(trace);
      const file = readPcapng(traceToPcapng(core));
      const sent = trace.hops.filter((h) => h.out);
      expect(file.packets).toHaveLength(sent.length);
      sent.forEach((h, i) => {
        const data = file.packets[i]!.data;
        expect(wireBytes(h.out!), h.id).toBe(data.length);
        expect(new DataView(data.buffer, data.byteOffset).getUint16(2)).toBe(data.length);
        expect(wireBytes(h.out!, "encap-free"), h.id).toBe(innermostLength(data));
        if (encapsulationBytes(h.out!) > 0) tunnelled++;
        checked++;
      });
    }
    expect(checked).toBeGreaterThan(300);
    expect(tunnelled).toBeGreaterThan(50);
  });

  it("counts Maglev's GRE as 24 bytes and the VPC's Geneve as 36", () => {
    const t = computeTrace(ID, {});
    const maglev = hop(t, "request:maglev")!;
    expect(wireBytes(maglev.out!) - wireBytes(maglev.in!)).toBe(24);
    const backbone = hop(t, "request:backbone")!;
    expect(wireBytes(backbone.out!) - wireBytes(backbone.in!)).toBe(36);
  });
});
