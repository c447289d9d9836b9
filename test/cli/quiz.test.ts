import { spawnSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { QUESTION_KINDS } from "../../src/quiz/engine/types";

/** The real command line, as `npm run sim -- quiz …` runs it. */
const sim = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "scripts/sim.ts", ...args], { encoding: "utf8" });

interface Listed {
  id: string;
  kind: string;
  lesson: string;
  concepts: string[];
  title: string;
}
interface Shown {
  template: string;
  seed: number;
  kind: string;
  prompt: string;
  exhibits: unknown[];
  options?: { id: string; text: string }[];
  key: Record<string, unknown>;
}

let templates: Listed[] = [];

beforeAll(() => {
  const out = sim("quiz", "list", "--json");
  expect(out.status, out.stderr).toBe(0);
  templates = JSON.parse(out.stdout) as Listed[];
});

/** The first template of one of these kinds; the bank has each by the time it is complete. */
function firstOf(kinds: readonly string[]): Listed {
  const found = templates.find((t) => kinds.includes(t.kind));
  if (!found) throw new Error(`the bank has no template of kind ${kinds.join(" or ")}`);
  return found;
}

/** An answer that is well formed but not the key: another option, or the order reversed. */
function wrongAnswer(shown: Shown): unknown {
  const options = shown.options ?? [];
  if (shown.kind === "single-choice" || shown.kind === "diagnosis") return { choice: options.find((o) => o.id !== shown.key["choice"])!.id };
  if (shown.kind === "multiple-choice") return { choices: [options.find((o) => !(shown.key["choices"] as string[]).includes(o.id))!.id] };
  if (shown.kind === "ordering") return { order: [...(shown.key["order"] as string[])].reverse() };
  throw new Error(`no wrong answer for ${shown.kind}`);
}

describe("npm run sim -- quiz", () => {
  it("is in --help", () => {
    const out = sim("--help");
    for (const usage of ["quiz list [--json]", "quiz show TEMPLATE --seed N [--json]", "quiz grade TEMPLATE --seed N --answer JSON [--json]"]) {
      expect(out.stdout).toContain(usage);
    }
  });

  it("list --json gives each template's id, kind, lesson and concepts", () => {
    expect(templates.length).toBeGreaterThan(0);
    for (const t of templates) {
      expect(t.id).toMatch(/^[a-z0-9-]+$/);
      expect(QUESTION_KINDS).toContain(t.kind);
      expect(t.lesson).toMatch(/^[a-z0-9-]+$/);
      expect(t.concepts.length).toBeGreaterThan(0);
      expect(typeof t.title).toBe("string");
    }
  });

  it("list prints one aligned line per template", () => {
    const out = sim("quiz", "list");
    expect(out.status, out.stderr).toBe(0);
    const lines = out.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(templates.length);
    const kindColumn = lines.map((line, i) => line.indexOf(`  ${templates[i]!.kind}  `));
    expect(new Set(kindColumn).size).toBe(1);
    expect(lines[0]).toContain(templates[0]!.concepts.join(", "));
  });

  it("show --json gives the variant and a key that grade accepts with full marks", () => {
    // One template per kind, a few kinds: each run starts the simulator afresh.
    const sample = templates.filter((t, i) => templates.findIndex((u) => u.kind === t.kind) === i).slice(0, 4);
    for (const t of sample) {
      const out = sim("quiz", "show", t.id, "--seed", "7", "--json");
      expect(out.status, out.stderr).toBe(0);
      const shown = JSON.parse(out.stdout) as Shown;
      expect(shown).toMatchObject({ template: t.id, seed: 7, kind: t.kind });
      expect(shown.prompt.length).toBeGreaterThan(0);
      expect(Array.isArray(shown.exhibits)).toBe(true);
      const graded = sim("quiz", "grade", t.id, "--seed", "7", "--answer", JSON.stringify(shown.key), "--json");
      expect(graded.status, graded.stderr).toBe(0);
      const result = JSON.parse(graded.stdout);
      expect(result, `${t.id}: ${graded.stdout}`).toMatchObject({ type: "graded", score: 1, firstDeparture: null, misconception: null });
      expect(result.parts.length).toBeGreaterThan(0);
    }
  }, 120_000);

  it("show prints the prompt, the options and the key", () => {
    const t = firstOf(["single-choice", "diagnosis", "multiple-choice"]);
    const shown = JSON.parse(sim("quiz", "show", t.id, "--seed", "3", "--json").stdout) as Shown;
    const out = sim("quiz", "show", t.id, "--seed", "3");
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toContain(shown.prompt);
    for (const o of shown.options!) expect(out.stdout).toContain(o.text);
    expect(out.stdout).toContain(`key: ${JSON.stringify(shown.key)}`);
  });

  it("grades a wrong answer below full marks and says where it departs", () => {
    const t = firstOf(["single-choice", "diagnosis", "multiple-choice", "ordering"]);
    const shown = JSON.parse(sim("quiz", "show", t.id, "--seed", "11", "--json").stdout) as Shown;
    const out = sim("quiz", "grade", t.id, "--seed", "11", "--answer", JSON.stringify(wrongAnswer(shown)), "--json");
    expect(out.status, out.stderr).toBe(0);
    const result = JSON.parse(out.stdout);
    expect(result.type).toBe("graded");
    expect(result.score).toBeLessThan(1);
    expect(result.firstDeparture).not.toBeNull();
    const text = sim("quiz", "grade", t.id, "--seed", "11", "--answer", JSON.stringify(wrongAnswer(shown)));
    expect(text.stdout).toMatch(/^graded: score /);
    expect(text.stdout).toContain("first departure at ");
  });

  it.each([
    ["not JSON", "choice b"],
    ["JSON of the wrong shape", '{"nope":1}'],
    ["a bare number", "42"],
  ])("an answer that is %s is invalid, not a crash", (_, answer) => {
    const t = templates[0]!;
    const out = sim("quiz", "grade", t.id, "--seed", "0", "--answer", answer, "--json");
    expect(out.status, out.stderr).toBe(0);
    const result = JSON.parse(out.stdout);
    expect(result.type).toBe("invalid");
    expect(result.message.length).toBeGreaterThan(0);
  });

  it("an unknown template exits 2 and suggests close ids", () => {
    const t = templates[0]!;
    const typo = `${t.id.slice(0, -1)}${t.id.endsWith("x") ? "y" : "x"}`;
    const out = sim("quiz", "show", typo, "--seed", "0");
    expect(out.status).toBe(2);
    expect(out.stderr).toContain(`error: ${typo}: no such template; did you mean ${t.id}`);
    const far = sim("quiz", "grade", "zzzzzzzzzzzzzzzzzzzzzzzz", "--seed", "0", "--answer", "{}");
    expect(far.status).toBe(2);
    expect(far.stderr).toContain("no such template (npm run sim -- quiz list shows them all)");
  });

  it.each([
    [["--seed", "-1"], "a seed is a whole number from 0 to 4294967295"],
    [["--seed", "4294967296"], "a seed is a whole number from 0 to 4294967295"],
    [["--seed", "three"], "a seed is a whole number from 0 to 4294967295"],
    [[], "--seed: give the variant's seed"],
  ])("a bad seed %j exits 2", (flags, message) => {
    const out = sim("quiz", "show", templates[0]!.id, ...flags);
    expect(out.status).toBe(2);
    expect(out.stderr).toContain(message);
  });

  it("an unknown subcommand or option exits 2", () => {
    expect(sim("quiz", "play").status).toBe(2);
    const out = sim("quiz", "show", templates[0]!.id, "--seed", "0", "--answer", "{}");
    expect(out.status).toBe(2);
    expect(out.stderr).toContain("unknown option");
  });
});
