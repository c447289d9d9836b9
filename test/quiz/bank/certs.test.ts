/**
 * The certs templates (src/quiz/bank/certs/), seeds 0…199 each (CERTS_SEEDS): the bank's common checks
 * (`area-checks.ts`), then facts checked against RFC 9525 / RFC 5280 cases stated here, independently of the
 * templates' own code paths.
 */
import { describe, expect, it } from "vitest";
import { CERTS_TEMPLATES } from "../../../src/quiz/bank/certs/index";
import { X509_MISCONCEPTIONS } from "../../../src/quiz/engine/misconceptions/x509";
import { SAMPLE_IDS } from "../../../src/sim/tls/samples";
import { areaChecks, as } from "./area-checks";

const { everySeed, template, misconceptionsUsed } = areaChecks({
  name: "certs",
  folder: "certs",
  templates: CERTS_TEMPLATES,
  seeds: { env: "CERTS_SEEDS", default: 200 },
  count: { min: 3, max: 5, minKinds: 2 },
  lesson: "validating-a-certificate-chain",
  labIds: ["certs"],
  // The certificates (or their validity periods) are the question; the prompt barely changes.
  questionInExhibits: ["names-covered", "valid-instants", "first-failure"],
  // A lab link opens one of the lab's samples (the lab reads certs.sample and nothing else from a question).
  extra: () => (v) => {
    const keys = Object.keys(v.lab?.query ?? {});
    if (keys.some((k) => k !== "certs.sample")) return `lab query ${JSON.stringify(v.lab?.query)}`;
    const sample = v.lab?.query["certs.sample"];
    return sample === undefined || SAMPLE_IDS.includes(sample) ? null : `lab sample ${sample} is not one of ${SAMPLE_IDS.join(", ")}`;
  },
});

describe("certs questions, checked independently", () => {
  it("names-covered: seed 0 (*.example.com and example.com) covers the apex, www and web, not a deeper name, a look-alike or an address", () => {
    const v = as(template("names-covered").variant(0), "multiple-choice");
    const text = (ids: readonly string[]) => ids.map((id) => v.view.options.find((o) => o.id === id)!.text).sort();
    expect(text(v.key.choices)).toEqual(["example.com", "web.example.com", "www.example.com"]);
    // RFC 9525 §6.3: "*" is one label, so the multi-label belief adds img.cdn.example.com.
    expect(text(v.misconceptions.find((m) => m.misconception === "multi-label-wildcard")!.answer.choices)).toContain("img.cdn.example.com");
  });

  it("names-covered: an IP reference identity is covered only by an iPAddress entry, never by the CN", () => {
    everySeed(template("names-covered"), (v) => {
      if (v.kind !== "multiple-choice") return "kind";
      const sanLine = v.exhibits[0]!.kind === "output" ? v.exhibits[0]!.text : "";
      const ipOption = v.view.options.find((o) => /^\d+\.\d+\.\d+\.\d+$/.test(o.text))!;
      const listed = sanLine.includes(`IP Address:${ipOption.text}`);
      return v.key.choices.includes(ipOption.id) === listed ? null : `IP ${ipOption.text} listed=${listed} but key says otherwise`;
    });
  });

  it("first-failure: seed 0 (expired leaf and a wrong host) fails first on the leaf's validity, not its name", () => {
    const v = as(template("first-failure").variant(0), "single-choice");
    expect(v.key.choice).toBe("validity@0");
    expect(v.view.options.map((o) => o.id)).toContain("trusted");
  });

  it("first-failure: a CN-only leaf fails the name check, and the CN fallback would trust it", () => {
    const seeds = Array.from({ length: 200 }, (_, s) => s).filter((s) => template("first-failure").params(s).defects === "cn-only");
    expect(seeds.length).toBeGreaterThan(0);
    for (const s of seeds) {
      const v = as(template("first-failure").variant(s), "single-choice");
      expect(v.key.choice).toBe("name@0");
      expect(v.misconceptions).toContainEqual({ misconception: "cn-fallback", answer: { choice: "trusted" } });
    }
  });

  it("valid-instants: both bounds are inclusive and a second past notAfter is refused", () => {
    everySeed(template("valid-instants"), (v) => {
      if (v.kind !== "multiple-choice") return "kind";
      const dates = v.exhibits.flatMap((e) => (e.kind === "output" ? [...e.text.matchAll(/not(Before|After)=(.+)/g)].map((m) => [m[1]!, Date.parse(m[2]!.replace(" GMT", "Z").replace(/(\w+)\s+(\d+) (\S+) (\d+)Z/, "$1 $2 $4 $3 GMT"))] as const) : []));
      const start = Math.max(...dates.filter(([k]) => k === "Before").map(([, t]) => t));
      const end = Math.min(...dates.filter(([k]) => k === "After").map(([, t]) => t));
      for (const o of v.view.options) {
        const t = Date.parse(o.text.replace(" UTC", "Z").replace(" ", "T"));
        const valid = t >= start && t <= end;
        if (valid !== v.key.choices.includes(o.id)) return `${o.text}: within [${new Date(start).toISOString()}, ${new Date(end).toISOString()}] is ${valid}`;
      }
      return null;
    });
  });

  it("path-length: the root's pathlen 1 with an unconstrained CA below allows exactly one intermediate (seed 0)", () => {
    const v = as(template("path-length").variant(0), "numeric");
    expect(v.key.value).toBe(1);
  });

  it("path-length: the answer is the tighter of the root's limit and one more than the top CA's", () => {
    everySeed(template("path-length"), (v, seed) => {
      if (v.kind !== "numeric") return "kind";
      const p = template("path-length").params(seed);
      const root = p.root === "none" ? Infinity : Number(p.root);
      const top = p.top === "none" ? Infinity : Number(p.top) + 1;
      const expected = Math.min(root, top);
      return v.key.value === expected ? null : `key ${v.key.value}, RFC 5280 gives ${expected}`;
    });
  });

  it("names every x509 misconception over the seeds, and only those", () => {
    const used = misconceptionsUsed();
    for (const m of X509_MISCONCEPTIONS) expect(used, m.id).toContain(m.id);
    for (const id of used) expect(X509_MISCONCEPTIONS.map((m) => m.id)).toContain(id);
  });
});
