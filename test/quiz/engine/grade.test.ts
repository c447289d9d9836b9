import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { gradeAnswer } from "../../../src/quiz/engine/grade";
import { MISCONCEPTIONS } from "../../../src/quiz/engine/misconceptions";
import { labHref, type AnyVariant, type LabLink, type QuestionKind, type QuizResult, type Variant } from "../../../src/quiz/engine/types";

/**
 * The grader against small hand-built variants of every kind. These test the grading rules, not a
 * trace: the keys below are literals on purpose, and the bank's own tests grade keys read from traces.
 */

const RUNS = Number(process.env.FC_RUNS ?? 300);
const LAB: LabLink = { page: "/lessons/life-of-a-packet/", lab: "journey", query: { "scenario.city": "tokyo" } };

function variant<K extends QuestionKind>(kind: K, parts: Pick<Variant<K>, "view" | "key" | "rubric"> & Partial<Variant<K>>): Variant<K> {
  return { template: `test-${kind}`, kind, seed: 1, title: kind, prompt: "A question.", exhibits: [], misconceptions: [], hints: [], explanation: "Why.", lab: LAB, ...parts } as Variant<K>;
}
const why = (text: string, step: string | null = null) => ({ why: text, step });

const singleChoice = variant("single-choice", {
  view: { options: [{ id: "cf", text: "Cloudflare's edge" }, { id: "gfe", text: "The GFE" }, { id: "pod", text: "The Pod" }] },
  key: { choice: "cf" },
  rubric: {
    options: {
      cf: why("The proxied site's certificate is served by Cloudflare, which must read HTTP to cache and filter.", "request:cf-edge"),
      gfe: why("The GFE ends a second TLS session, the one Cloudflare opens to the origin.", "request:gfe"),
      pod: why("The Pod only ever talks to the GFE; the browser's session ended long before.", "request:pod"),
    },
  },
  misconceptions: [{ misconception: "tls-at-pod", answer: { choice: "pod" } }],
});

const diagnosis = variant("diagnosis", {
  view: { options: [{ id: "nat", text: "Cloud NAT drops the inbound flow" }, { id: "fw", text: "A firewall rule lacks the proxy ranges" }] },
  key: { choice: "fw" },
  rubric: {
    options: {
      nat: why("Cloud NAT never sees inbound connections, so it cannot drop them.", null),
      fw: why("The GFE connects from Google's proxy ranges, which the VPC firewall must allow.", "request:firewall"),
    },
  },
  misconceptions: [{ misconception: "cloud-nat-inbound", answer: { choice: "nat" } }],
});

const multipleChoice = variant("multiple-choice", {
  view: { options: [{ id: "a", text: "A" }, { id: "b", text: "B" }, { id: "c", text: "C" }, { id: "d", text: "D" }] },
  key: { choices: ["a", "b", "c"] },
  rubric: { options: { a: why("A holds.", "s-a"), b: why("B holds.", "s-b"), c: why("C holds.", "s-c"), d: why("D does not hold.", "s-d") } },
  misconceptions: [{ misconception: "reply-retraces-all", answer: { choices: ["a", "b", "d"] } }],
});

const items = ["dns", "syn", "tls", "http"].map((id) => ({ id, text: id.toUpperCase() }));
const itemsWhy = Object.fromEntries(items.map((i) => [i.id, why(`${i.text} has its place.`, `step-${i.id}`)]));
const ordering = (strategy: "lcs" | "all-or-nothing") =>
  variant("ordering", {
    view: { items },
    key: { order: ["dns", "syn", "tls", "http"] },
    rubric: { strategy, orders: [["dns", "syn", "tls", "http"], ["syn", "dns", "tls", "http"]], items: itemsWhy },
    misconceptions: [{ misconception: "no-conntrack", answer: { order: ["dns", "tls", "syn", "http"] } }],
  });

const fillIn = variant("fill-in", {
  view: {
    fields: [
      { id: "src", label: "Source address", type: "ip" },
      { id: "dst", label: "Destination", type: "ip-port" },
      { id: "proto", label: "Protocol", type: "protocol" },
      { id: "range", label: "Pod range", type: "cidr" },
    ],
  },
  key: { fields: { src: "10.128.0.7", dst: "10.4.1.5:8080", proto: "tcp", range: "10.4.0.0/16" } },
  rubric: {
    fields: {
      src: why("With externalTrafficPolicy: Cluster kube-proxy masquerades to the node's address.", "netfilter-request"),
      dst: why("The DNAT rule rewrote the Service address to this endpoint.", "netfilter-request"),
      proto: why("Only the addresses change; the protocol stays TCP.", null),
      range: why("The Pod range is the cluster's /16.", null),
    },
  },
  misconceptions: [{ misconception: "nodeport-keeps-client", answer: { fields: { src: "203.0.113.9", dst: "10.4.1.5:8080", proto: "tcp", range: "10.4.0.0/16" } } }],
});

const predictHeader = variant("predict-header", {
  view: {
    after: { step: "request:gfe", name: "the GFE" },
    fields: [
      { id: "dst", label: "Destination address", type: "ip" },
      { id: "port", label: "Destination port", type: "port" },
    ],
  },
  key: { fields: { dst: "fd00:10:4::5", port: "8080" } },
  rubric: { fields: { dst: why("The GFE sends to the Pod's own address, a NEG endpoint.", "request:gfe"), port: why("The container port, not the Service port.", "request:gfe") } },
  misconceptions: [{ misconception: "kube-proxy-on-neg-path", answer: { fields: { dst: "fd00:10:96::a", port: "8080" } } }],
});

const numeric = variant("numeric", {
  view: { unit: "bytes", label: "Largest inner packet" },
  key: { value: 1450 },
  rubric: { value: 1450, unit: "bytes", absolute: 0, relative: 0, why: why("VXLAN adds 50 bytes of outer headers to a 1500-byte path.", "request:encap") },
  misconceptions: [{ misconception: "encap-free", answer: { value: 1500 } }],
});

const latency = variant("numeric", {
  view: { unit: "ms", label: "Round trip" },
  key: { value: 36 },
  rubric: { value: 36, unit: "ms", absolute: 1, relative: 0.05, why: why("Two crossings of the long haul at two thirds of light speed.", null) },
  lab: null,
});

const traceOptions = [
  { id: "browser", text: "Browser" }, { id: "cf", text: "Cloudflare edge" }, { id: "maglev", text: "Maglev" }, { id: "gfe", text: "GFE" },
  { id: "pod", text: "Pod" }, { id: "lb", text: "Load balancer appliance" }, { id: "kube-proxy", text: "kube-proxy" },
];
const traceBuilder = variant("trace-builder", {
  view: { options: traceOptions, marks: [{ id: "tls", text: "TLS ends here" }, { id: "anycast", text: "Anycast decides here" }] },
  key: {
    hops: [
      { item: "browser", marks: [] },
      { item: "cf", marks: ["tls", "anycast"] },
      { item: "maglev", marks: ["anycast"] },
      { item: "gfe", marks: ["tls"] },
      { item: "pod", marks: [] },
    ],
  },
  rubric: {
    hops: [
      { item: "browser", role: "The browser opens the connection.", step: "request:browser", marks: { tls: "The browser starts TLS; it does not end it.", anycast: "The browser sends to one address." } },
      { item: "cf", role: "Cloudflare's edge answers the proxied name.", step: "request:cf", marks: { tls: "Cloudflare must read HTTP, so the browser's TLS ends here.", anycast: "Cloudflare's address is announced from every data centre." } },
      { item: "maglev", role: "Maglev hashes the flow to a GFE.", step: "request:maglev", marks: { tls: "Maglev forwards packets without reading them.", anycast: "The load balancer's address is anycast from Google's edge." } },
      { item: "gfe", role: "The GFE terminates TLS and picks the Pod.", step: "request:gfe", marks: { tls: "The GFE must see the Host and path for the URL map.", anycast: "The GFE is reached by Maglev's choice, not by routing." } },
      { item: "pod", role: "The Pod serves the request.", step: "request:pod", marks: { tls: "The Pod is reached over the GFE's own connection.", anycast: "The Pod has one address in one place." } },
    ],
    offPath: {
      lb: why("The load balancer is Google's edge itself, not a box of its own.", "request:maglev"),
      "kube-proxy": why("With NEGs the GFE sends to the Pod's address, which kube-proxy's rules never match.", "request:node"),
    },
    weights: { order: 0.6, tls: 0.2, anycast: 0.2 },
  },
  misconceptions: [
    {
      misconception: "tls-at-pod",
      answer: { hops: [{ item: "browser", marks: [] }, { item: "cf", marks: ["anycast"] }, { item: "maglev", marks: ["anycast"] }, { item: "gfe", marks: [] }, { item: "pod", marks: ["tls"] }] },
    },
    {
      misconception: "separate-lb-box",
      answer: {
        hops: [
          { item: "browser", marks: [] }, { item: "cf", marks: ["tls", "anycast"] }, { item: "maglev", marks: ["anycast"] },
          { item: "lb", marks: [] }, { item: "gfe", marks: ["tls"] }, { item: "pod", marks: [] },
        ],
      },
    },
  ],
});

const open = variant("open", {
  view: { checklist: [{ id: "proxy", text: "TLS ends at each proxy" }, { id: "urlmap", text: "The GFE needs HTTP for the URL map" }, { id: "neg", text: "NEGs skip kube-proxy" }] },
  key: { text: "…", checked: ["proxy", "urlmap", "neg"] },
  rubric: {
    modelAnswer: "TLS ends at Cloudflare and again at the GFE.",
    checklist: { proxy: why("Each proxy that reads HTTP must decrypt.", "request:cf"), urlmap: why("Routing by path needs the plaintext request.", "request:gfe"), neg: why("The GFE sends to the Pod's address.", null) },
  },
});

const ALL: readonly AnyVariant[] = [singleChoice, diagnosis, multipleChoice, ordering("lcs"), ordering("all-or-nothing"), fillIn, predictHeader, numeric, latency, traceBuilder, open];

function graded(result: QuizResult) {
  if (result.type !== "graded") throw new Error(`expected graded, got ${result.type}: ${result.message}`);
  return result;
}
/** A sentence: no stray space, closing punctuation ("kube-proxy …" may start lower case: it is a name). */
const sentence = /^\S.*[.!?]$/;

describe("every kind", () => {
  it.each(ALL.map((v) => [`${v.kind} (${v.template}${v.kind === "ordering" ? `, ${v.rubric.strategy}` : ""})`, v] as const))("gives the key full marks: %s", (_, v) => {
    const result = graded(gradeAnswer(v, v.key));
    expect(result.score).toBe(1);
    expect(result.firstDeparture).toBeNull();
    expect(result.misconception).toBeNull();
    expect(result.parts.reduce((s, p) => s + p.weight, 0)).toBeCloseTo(1, 9);
    for (const part of result.parts) for (const note of part.notes) expect(note).toMatch(sentence);
  });

  it.each(ALL.filter((v) => v.misconceptions.length).map((v) => [v.kind, v] as const))("recognises each misconception's answer: %s", (_, v) => {
    for (const m of v.misconceptions) {
      const result = graded(gradeAnswer(v, m.answer));
      expect(result.score).toBeLessThan(1);
      expect(result.misconception).toEqual(MISCONCEPTIONS[m.misconception]);
      expect(result.firstDeparture).not.toBeNull();
      expect(result.firstDeparture!.message).toMatch(sentence);
      expect(result.firstDeparture!.message).not.toMatch(/^incorrect/i);
      expect(result.firstDeparture!.href).toBe(v.lab ? labHref(v.lab, result.firstDeparture!.step) : null);
    }
  });

  it("never throws on any JSON, and a malformed shape is invalid, never graded", () => {
    fc.assert(
      fc.property(fc.constantFrom(...ALL), fc.anything({ withNullPrototype: true, withObjectString: true }), (v, answer) => {
        const result = gradeAnswer(v, answer);
        expect(["incomplete", "invalid", "graded"]).toContain(result.type);
      }),
      { numRuns: RUNS },
    );
    for (const v of ALL) {
      for (const answer of [42, "a", [], {}, { choice: 3 }, { hops: [{ item: 1 }] }, { fields: { x: 1 } }, { order: "dns" }]) {
        expect(gradeAnswer(v, answer).type).toBe("invalid");
      }
      // Nothing entered yet is not a malformed answer: it is not answered yet.
      for (const answer of [null, undefined]) expect(gradeAnswer(v, answer).type).toBe("incomplete");
    }
  });

  it("keeps every graded result consistent: score in [0, 1], weights summing to 1, a departure exactly when not perfect", () => {
    const ids = (v: AnyVariant): string[] => {
      switch (v.kind) {
        case "single-choice": case "diagnosis": case "multiple-choice": return v.view.options.map((o) => o.id);
        case "ordering": return v.view.items.map((i) => i.id);
        case "trace-builder": return v.view.options.map((o) => o.id);
        case "open": return v.view.checklist.map((c) => c.id);
        default: return ["x"];
      }
    };
    const answerFor = (v: AnyVariant) => {
      const id = fc.constantFrom(...ids(v));
      switch (v.kind) {
        case "single-choice": case "diagnosis": return id.map((choice) => ({ choice }));
        case "multiple-choice": return fc.uniqueArray(id).map((choices) => ({ choices }));
        case "ordering": return fc.shuffledSubarray(ids(v)).map((order) => ({ order }));
        case "open": return fc.uniqueArray(id).map((checked) => ({ text: "mine", checked }));
        case "numeric": return fc.oneof(fc.double({ min: 0, max: 4000, noNaN: true }), fc.constantFrom("36 ms", "1.45 KB", "0.036 s")).map((value) => ({ value }));
        case "trace-builder":
          return fc.array(fc.record({ item: id, marks: fc.subarray(v.view.marks.map((m) => m.id)) }), { maxLength: 7 }).map((hops) => ({ hops }));
        default:
          return fc.constant(v.key);
      }
    };
    for (const v of ALL) {
      fc.assert(
        fc.property(answerFor(v), (answer) => {
          const result = gradeAnswer(v, answer);
          if (result.type !== "graded") return;
          expect(result.score).toBeGreaterThanOrEqual(0);
          expect(result.score).toBeLessThanOrEqual(1);
          expect(result.parts.reduce((s, p) => s + p.weight, 0)).toBeCloseTo(1, 9);
          expect(result.firstDeparture === null).toBe(result.score === 1);
          for (const part of result.parts) for (const note of part.notes) expect(note).toMatch(sentence);
        }),
        { numRuns: Math.ceil(RUNS / 3) },
      );
    }
  });

  it("grades thousands of answers a second", () => {
    const start = performance.now();
    let n = 0;
    while (n < 3000) for (const v of ALL) (gradeAnswer(v, v.misconceptions[0]?.answer ?? v.key), n++);
    expect(performance.now() - start).toBeLessThan(3000);
  });
});

describe("single choice and diagnosis", () => {
  it("scores 1 or 0 with the chosen option's why as the note", () => {
    const wrong = graded(gradeAnswer(singleChoice, { choice: "gfe" }));
    expect(wrong.score).toBe(0);
    expect(wrong.parts[0]!.notes[0]).toBe(singleChoice.rubric.options.gfe!.why);
    expect(wrong.firstDeparture).toMatchObject({ part: "gfe", step: "request:gfe", href: labHref(LAB, "request:gfe") });
    expect(wrong.misconception).toBeNull();
    expect(graded(gradeAnswer(diagnosis, { choice: "fw" })).parts[0]!.notes).toEqual([diagnosis.rubric.options.fw!.why]);
  });

  it("keeps not chosen apart from an option that does not exist", () => {
    expect(gradeAnswer(singleChoice, { choice: "" })).toEqual({ type: "incomplete", message: "Choose the option that holds." });
    expect(gradeAnswer(diagnosis, { choice: " " }).type).toBe("incomplete");
    expect(gradeAnswer(singleChoice, { choice: "toString" })).toMatchObject({ type: "invalid", part: "choice" });
    expect(gradeAnswer(singleChoice, { choices: ["cf"] })).toMatchObject({ type: "invalid", part: "choice" });
  });
});

describe("multiple choice", () => {
  const score = (choices: string[]) => graded(gradeAnswer(multipleChoice, { choices })).score;

  it("cannot be gamed by ticking everything", () => {
    expect(score(["a", "b", "c", "d"])).toBe(0);
  });

  it("gives each right tick its share and takes a wrong tick's share of the wrong options", () => {
    expect(score(["a", "b"])).toBeCloseTo(2 / 3, 9);
    expect(score(["a"])).toBeCloseTo(1 / 3, 9);
    expect(score(["a", "b", "d"])).toBe(0);
    expect(score(["d"])).toBe(0);
  });

  it("writes a note for each wrong tick and each missed option, and departs at the first", () => {
    const result = graded(gradeAnswer(multipleChoice, { choices: ["a", "d"] }));
    const notes = result.parts[0]!.notes;
    expect(notes.some((n) => n.includes("You ticked “D”, but it does not hold") && n.includes("D does not hold."))).toBe(true);
    expect(notes.some((n) => n.includes("“B” holds too, and you left it unticked"))).toBe(true);
    expect(notes.some((n) => n.includes("“C” holds too, and you left it unticked"))).toBe(true);
    expect(result.firstDeparture).toMatchObject({ part: "b", step: "s-b" });
  });

  it("is incomplete with nothing ticked and invalid with an option not on offer", () => {
    expect(gradeAnswer(multipleChoice, { choices: [] }).type).toBe("incomplete");
    expect(gradeAnswer(multipleChoice, { choices: ["a", "e"] })).toMatchObject({ type: "invalid", part: "choices" });
  });
});

describe("ordering", () => {
  const lcs = ordering("lcs");
  const strict = ordering("all-or-nothing");

  it("accepts any of the accepted orders", () => {
    for (const v of [lcs, strict]) {
      const second = graded(gradeAnswer(v, { order: ["syn", "dns", "tls", "http"] }));
      expect(second.score).toBe(1);
      expect(second.firstDeparture).toBeNull();
    }
  });

  it("scores the longest common subsequence of the closest order, or nothing when all-or-nothing", () => {
    // Against either order, three of four stay in sequence.
    expect(graded(gradeAnswer(lcs, { order: ["dns", "syn", "http", "tls"] })).score).toBe(0.75);
    expect(graded(gradeAnswer(strict, { order: ["dns", "syn", "http", "tls"] })).score).toBe(0);
    // Reversed, one item of the first order stays in sequence, but "syn, dns" of the second does.
    expect(graded(gradeAnswer(lcs, { order: ["http", "tls", "syn", "dns"] })).score).toBe(0.5);
  });

  it("departs at the first position that leaves the closest order", () => {
    // Closest to the second accepted order (syn, dns, tls, http): it leaves it at position 3.
    const result = graded(gradeAnswer(lcs, { order: ["syn", "dns", "http", "tls"] }));
    expect(result.firstDeparture).toMatchObject({ part: "order", step: "step-tls", message: expect.stringMatching(/^Position 3: “TLS” comes here, not “HTTP”/) });
    const first = graded(gradeAnswer(lcs, { order: ["tls", "dns", "syn", "http"] }));
    expect(first.firstDeparture!.message).toMatch(/^Position 1: “DNS” comes here, not “TLS”/);
  });

  it("names the items out of place with their why", () => {
    const result = graded(gradeAnswer(lcs, { order: ["dns", "syn", "http", "tls"] }));
    expect(result.parts[0]!.notes).toEqual(["“HTTP” is out of place: it comes right after “TLS”. HTTP has its place."]);
  });

  it("is incomplete until every item is placed, and invalid for unknown or repeated items", () => {
    expect(gradeAnswer(lcs, { order: [] }).type).toBe("incomplete");
    expect(gradeAnswer(lcs, { order: ["dns", "syn"] })).toEqual({ type: "incomplete", message: "Place every item: “TLS” and “HTTP” are not placed yet." });
    expect(gradeAnswer(lcs, { order: ["dns", "dns", "tls", "http"] })).toMatchObject({ type: "invalid", part: "order" });
    expect(gradeAnswer(lcs, { order: ["dns", "syn", "tls", "ftp"] })).toMatchObject({ type: "invalid", part: "order" });
  });

  it("grades a partial sequence when the accepted orders leave items out, penalising extras", () => {
    const v = variant("ordering", {
      view: { items: [...items, { id: "ftp", text: "FTP" }] },
      key: { order: ["dns", "syn", "tls", "http"] },
      rubric: { strategy: "lcs", orders: [["dns", "syn", "tls", "http"]], items: { ...itemsWhy, ftp: why("FTP plays no part in a web request.", null) } },
    });
    expect(graded(gradeAnswer(v, { order: ["dns", "syn", "tls", "http", "ftp"] })).score).toBe(0.8);
    const short = graded(gradeAnswer(v, { order: ["dns", "syn", "tls"] }));
    expect(short.score).toBe(0.75);
    expect(short.firstDeparture!.message).toMatch(/^Position 4: the sequence goes on with “HTTP”/);
  });
});

describe("fill-in and predict-header", () => {
  it("compares every field by its type's equivalence, one equal part each", () => {
    const result = graded(gradeAnswer(fillIn, { fields: { src: " 10.128.0.7 ", dst: "10.4.1.5 : 8080", proto: "6", range: "10.4.7.7/16" } }));
    expect(result.score).toBe(1);
    expect(result.parts.map((p) => p.weight)).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it("scores each field apart and departs at the first wrong one, in the view's order", () => {
    const result = graded(gradeAnswer(fillIn, { fields: { src: "10.128.0.7", dst: "10.4.1.5:80", proto: "udp", range: "10.4.0.0/16" } }));
    expect(result.score).toBe(0.5);
    expect(result.parts.map((p) => p.earned)).toEqual([1, 0, 0, 1]);
    expect(result.parts[1]!.notes[0]).toBe("Destination is 10.4.1.5:8080, not 10.4.1.5:80. The DNAT rule rewrote the Service address to this endpoint.");
    expect(result.firstDeparture).toMatchObject({ part: "dst", step: "netfilter-request" });
  });

  it("reports a malformed value at its field, and empty fields as incomplete, by name", () => {
    expect(gradeAnswer(fillIn, { fields: { src: "10.128.0.256", dst: "10.4.1.5:8080", proto: "tcp", range: "10.4.0.0/16" } })).toMatchObject({
      type: "invalid", part: "src", message: expect.stringMatching(/^Source address: .*256/),
    });
    expect(gradeAnswer(fillIn, { fields: { src: "10.128.0.7", dst: "", proto: "tcp" } })).toEqual({ type: "incomplete", message: "Fill in Destination and Pod range as well.", part: "dst" });
    expect(gradeAnswer(fillIn, { fields: {} }).type).toBe("incomplete");
    expect(gradeAnswer(fillIn, { fields: { src: "10.128.0.7", port: "80" } })).toMatchObject({ type: "invalid", part: null });
  });

  it("says after which hop a predicted header departs, and links to that step", () => {
    const result = graded(gradeAnswer(predictHeader, { fields: { dst: "FD00:10:4:0::5", port: "80" } }));
    expect(result.score).toBe(0.5);
    expect(result.firstDeparture).toMatchObject({ part: "port", step: "request:gfe", href: labHref(LAB, "request:gfe") });
    expect(result.firstDeparture!.message).toMatch(/^After the GFE: Destination port is 8080, not 80\./);
  });

  it("recognises a misconception by equivalence, not by spelling", () => {
    const result = graded(gradeAnswer(predictHeader, { fields: { dst: "FD00:10:96:0:0:0:0:A", port: "08080" } }));
    expect(result.misconception?.id).toBe("kube-proxy-on-neg-path");
  });
});

describe("numeric", () => {
  it("accepts within max(absolute, relative × value), converting units", () => {
    for (const value of [36, "36", "36 ms", "0.036 s", "36000 µs", "37.8", "34.2 ms"]) expect(graded(gradeAnswer(latency, { value })).score).toBe(1);
    for (const value of [38, "33 ms", "0.04 s"]) expect(graded(gradeAnswer(latency, { value })).score).toBe(0);
    expect(graded(gradeAnswer(numeric, { value: "1.45 KB" })).score).toBe(1);
    expect(graded(gradeAnswer(numeric, { value: 1451 })).score).toBe(0);
  });

  it("says what the trace gives, and has no link without a lab", () => {
    const result = graded(gradeAnswer(latency, { value: "50 ms" }));
    expect(result.parts[0]!.notes[0]).toBe("The trace gives 36 ms (anything within 1.8 ms of it counts), not 50 ms. Two crossings of the long haul at two thirds of light speed.");
    expect(result.firstDeparture).toMatchObject({ part: "value", step: null, href: null });
  });

  it("refuses a unit of the wrong kind and text that is no number", () => {
    expect(gradeAnswer(latency, { value: "36 km" })).toMatchObject({ type: "invalid", part: "value", message: expect.stringMatching(/distance.*time/) });
    expect(gradeAnswer(latency, { value: "soon" })).toMatchObject({ type: "invalid", part: "value" });
    expect(gradeAnswer(latency, { value: "" }).type).toBe("incomplete");
  });

  it("recognises a misconception's number in any spelling", () => {
    expect(graded(gradeAnswer(numeric, { value: "1.5 KB" })).misconception?.id).toBe("encap-free");
    expect(graded(gradeAnswer(numeric, { value: "1400" })).misconception).toBeNull();
  });
});

describe("trace builder", () => {
  const keyHops = traceBuilder.key.hops;
  const withHops = (hops: { item: string; marks: string[] }[]) => graded(gradeAnswer(traceBuilder, { hops }));
  const copy = () => keyHops.map((h) => ({ item: h.item, marks: [...h.marks] }));

  it("departs at a missing hop, with that hop's step", () => {
    const hops = copy().filter((h) => h.item !== "maglev");
    const result = withHops(hops);
    expect(result.firstDeparture).toMatchObject({ part: "hop-3", step: "request:maglev" });
    expect(result.firstDeparture!.message).toMatch(/^Hop 3: the trace has Maglev here, not GFE\. GFE comes at hop 4\./);
    expect(result.parts[0]!.notes).toContain("Maglev is missing. Maglev hashes the flow to a GFE.");
  });

  it("departs at an off-path device, quoting why it is not on the path", () => {
    const hops = copy();
    hops.splice(3, 0, { item: "kube-proxy", marks: [] });
    const result = withHops(hops);
    expect(result.firstDeparture).toMatchObject({ part: "hop-4", step: "request:gfe", href: labHref(LAB, "request:gfe") });
    expect(result.firstDeparture!.message).toContain(traceBuilder.rubric.offPath["kube-proxy"]!.why);
    expect(result.parts[0]!.notes[0]).toBe(`kube-proxy is not on this path. ${traceBuilder.rubric.offPath["kube-proxy"]!.why}`);
  });

  it("departs at a wrong mark, with the rubric's sentence for it", () => {
    const hops = copy();
    hops[3]!.marks = [];
    const result = withHops(hops);
    expect(result.firstDeparture).toMatchObject({ part: "hop-4", step: "request:gfe" });
    expect(result.firstDeparture!.message).toBe("Hop 4 (GFE): “TLS ends here” belongs here. The GFE must see the Host and path for the URL map.");
    expect(result.score).toBeCloseTo(0.6 + 0.2 * 0.5 + 0.2, 9);
  });

  it("departs where the answer stops short or runs on", () => {
    expect(withHops(copy().slice(0, 4)).firstDeparture).toMatchObject({ part: "hop-5", step: "request:pod" });
    const longer = withHops([...copy(), { item: "lb", marks: [] }]);
    expect(longer.firstDeparture).toMatchObject({ part: "hop-6", step: "request:pod" });
    expect(longer.firstDeparture!.message).toMatch(/^Hop 6: the path ends at Pod; nothing comes after it\. The load balancer is Google's edge itself/);
  });

  it("weights the order and each mark as the rubric says", () => {
    const result = withHops(copy().map((h) => ({ item: h.item, marks: [] })));
    expect(result.parts.map((p) => [p.id, p.weight, p.earned])).toEqual([["order", 0.6, 1], ["tls", 0.2, 0], ["anycast", 0.2, 0]]);
    expect(result.score).toBeCloseTo(0.6, 9);
    const reversed = withHops(copy().reverse());
    expect(reversed.parts[0]!.earned).toBe(0.2);
  });

  it("is incomplete with fewer than two hops, invalid with a device or mark not on offer", () => {
    expect(gradeAnswer(traceBuilder, { hops: [] }).type).toBe("incomplete");
    expect(gradeAnswer(traceBuilder, { hops: [{ item: "browser", marks: [] }] }).type).toBe("incomplete");
    expect(gradeAnswer(traceBuilder, { hops: [{ item: "browser", marks: [] }, { item: "router", marks: [] }] })).toMatchObject({ type: "invalid", part: "hop-2" });
    expect(gradeAnswer(traceBuilder, { hops: [{ item: "browser", marks: [] }, { item: "cf", marks: ["nat"] }] })).toMatchObject({ type: "invalid", part: "hop-2" });
  });

  it("grades a path that passes a device twice, mark by occurrence", () => {
    const v = variant("trace-builder", {
      view: { options: [{ id: "pod-a", text: "Pod A" }, { id: "node", text: "Node" }, { id: "pod-b", text: "Pod B" }], marks: [{ id: "dnat", text: "DNAT here" }] },
      key: { hops: [{ item: "pod-a", marks: [] }, { item: "node", marks: ["dnat"] }, { item: "pod-b", marks: [] }, { item: "node", marks: [] }, { item: "pod-a", marks: [] }] },
      rubric: {
        hops: [
          { item: "pod-a", role: "Pod A calls the Service.", step: "s1", marks: { dnat: "Pods do not rewrite addresses." } },
          { item: "node", role: "The node's rules pick an endpoint.", step: "s2", marks: { dnat: "The Service address becomes Pod B's." } },
          { item: "pod-b", role: "Pod B answers.", step: "s3", marks: { dnat: "Pods do not rewrite addresses." } },
          { item: "node", role: "Conntrack reverses the DNAT on the reply.", step: "s4", marks: { dnat: "The reply is un-DNATed, not DNATed." } },
          { item: "pod-a", role: "Pod A gets the reply.", step: "s5", marks: { dnat: "Pods do not rewrite addresses." } },
        ],
        offPath: {},
        weights: { order: 0.5, dnat: 0.5 },
      },
    });
    expect(graded(gradeAnswer(v, v.key)).score).toBe(1);
    const wrongNode = graded(gradeAnswer(v, { hops: v.key.hops.map((h, i) => ({ item: h.item, marks: i === 3 ? ["dnat"] : [...h.marks] })) }));
    expect(wrongNode.firstDeparture).toMatchObject({ part: "hop-4", step: "s4", message: "Hop 4 (Node): “DNAT here” does not belong here. The reply is un-DNATed, not DNATed." });
    expect(wrongNode.score).toBeCloseTo(0.5 + 0.5 * 0.5, 9);
  });
});

describe("open", () => {
  it("scores the share of the checklist ticked, names what is left out, and infers no misconception", () => {
    const result = graded(gradeAnswer(open, { text: "TLS ends at the proxies.", checked: ["proxy"] }));
    expect(result.score).toBeCloseTo(1 / 3, 9);
    expect(result.firstDeparture).toMatchObject({ part: "urlmap", step: "request:gfe", message: "Your answer leaves out “The GFE needs HTTP for the URL map”. Routing by path needs the plaintext request." });
    expect(result.misconception).toBeNull();
    expect(graded(gradeAnswer(open, { text: "Not sure.", checked: [] })).score).toBe(0);
  });

  it("is incomplete before anything is written or ticked, invalid for an item not on the list", () => {
    expect(gradeAnswer(open, { checked: [] }).type).toBe("incomplete");
    expect(gradeAnswer(open, { text: " ", checked: [] }).type).toBe("incomplete");
    expect(gradeAnswer(open, { checked: ["proxy", "maglev"] })).toMatchObject({ type: "invalid", part: "checked" });
  });
});
