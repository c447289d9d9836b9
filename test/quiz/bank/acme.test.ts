/**
 * The acme templates (src/quiz/bank/acme/), seeds 0…199 each (ACME_SEEDS): the bank's common checks
 * (`area-checks.ts`), every rubric step a step of the lab's CA check; then facts checked independently
 * of the templates — the record name against RFC 8555 §7.1.4/§8.4 by hand, the CAA key re-read from
 * the dig exhibit, and lab links opened through the lab's machine.
 */
import { describe, expect, it } from "vitest";
import { initialTransition, transition } from "xstate";
import { acmeLabMachine } from "../../../src/machines/acme-lab.machine";
import { ACME_TEMPLATES } from "../../../src/quiz/bank/acme/index";
import { decideCaa, type CaaRecord } from "../../../src/sim/tls/acme/caa";
import { areaChecks, as } from "./area-checks";

const STEP_IDS = new Set(["order", "hijack", "takeover", "mailbox", "lookup", "fetch", "redirect", "compare", "mpic", "caa", "issue", "detect"]);

const { everySeed, template, misconceptionsUsed } = areaChecks({
  name: "acme",
  folder: "acme",
  templates: ACME_TEMPLATES,
  seeds: { env: "ACME_SEEDS", default: 200 },
  count: { min: 3, max: 5, minKinds: 2 },
  lesson: "why-a-certificate-cannot-be-forged",
  labIds: ["acme"],
  knownStep: () => (step) => STEP_IDS.has(step),
  questionInExhibits: ["caa-decision"],
});

describe("acme questions, checked independently", () => {
  it("challenge-material: the record is _acme-challenge. + the name without any \"*.\"; the body is token.thumbprint", () => {
    everySeed(template("challenge-material"), (v) => {
      const f = as(v, "fill-in");
      const name = /for (\S+) with/.exec(f.prompt)![1]!;
      const token = /token (\S+?)\.( |$)/.exec(f.prompt)![1]!;
      const thumb = /thumbprint of that key: (\S+)/.exec(f.exhibits.map((e) => (e.kind === "text" ? e.text : "")).join(""))![1]!;
      if (f.key.fields.record !== `_acme-challenge.${name.replace(/^\*\./, "")}`) return `record ${f.key.fields.record} for ${name}`;
      if (name.startsWith("*.")) return f.key.fields.body === undefined ? null : "a wildcard has an http-01 body";
      return f.key.fields.body === `${token}.${thumb}` ? null : `body ${f.key.fields.body}`;
    });
  });

  it("caa-decision: the key is what the dig exhibit's records give, re-read from its text", () => {
    const seenAllowed = new Set<number>();
    everySeed(template("caa-decision"), (v) => {
      const m = as(v, "multiple-choice");
      const out = m.exhibits.find((e) => e.kind === "output");
      if (!out || out.kind !== "output") return "no exhibit";
      const zone: Record<string, { caa: CaaRecord[] }> = {};
      for (const line of out.text.split("\n").filter((l) => !l.startsWith(";;"))) {
        const [, name, flags, tag, value] = /^(\S+)\.\s+\d+\s+IN\s+CAA\s+(\d+) (\S+) "(.*)"$/.exec(line)!;
        (zone[name!] ??= { caa: [] }).caa.push({ flags: Number(flags), tag: tag!, value: value! });
      }
      const ordered = /certificate for (\S+);/.exec(m.prompt)![1]!;
      const wildcard = ordered.startsWith("*.");
      const allowed = ["letsencrypt.org", "pki.goog", "sectigo.com"].filter((ca) => decideCaa(zone, ordered.replace(/^\*\./, ""), wildcard, ca).allowed);
      seenAllowed.add(allowed.length);
      const key = [...m.key.choices].sort().join();
      return key === (allowed.length ? allowed.sort().join() : "none") ? null : `key ${key}, exhibit gives ${allowed.join() || "none"}`;
    });
    expect([...seenAllowed].sort()).toEqual([0, 1, 2, 3]);
  });

  it("ca-check-outcome: every outcome occurs, and the lab opened on the variant's link ends at the key's step", () => {
    const keys = new Set<string>();
    everySeed(template("ca-check-outcome"), (v) => {
      const s = as(v, "single-choice");
      keys.add(s.key.choice);
      const params = Object.fromEntries(Object.entries(v.lab!.query).map(([k, val]) => [k.replace(/^acme\./, ""), val]));
      const lab = transition(acmeLabMachine, initialTransition(acmeLabMachine, {})[0], { type: "LOAD_LINK", params })[0].context;
      if (lab.linkProblems.length) return lab.linkProblems.join(" ");
      const end = lab.check.outcome === "issued" ? "issued" : lab.check.failedStep;
      return end === s.key.choice ? null : `lab ends at ${end}, key ${s.key.choice}`;
    });
    expect([...keys].sort()).toEqual(["caa", "compare", "fetch", "issued", "lookup", "mpic"]);
  });

  it("validation-order: the lookup always comes first and signing last", () => {
    everySeed(template("validation-order"), (v) => {
      const o = as(v, "ordering").key.order;
      return o[0] === "lookup" && o.at(-1) === "issue" ? null : o.join(",");
    });
  });

  it("the misconceptions the bank uses all appear for some seed", () => {
    const used = misconceptionsUsed();
    for (const id of ["single-vantage-ca", "caa-no-climb", "issuewild-ignored", "wildcard-record-name"]) expect(used, id).toContain(id);
  });
});
