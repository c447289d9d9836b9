import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { TEMPLATES } from "../../../src/quiz/bank/index";
import { formatQuestionIssues, idFilesOf, questionEntry, questionEntrySchema, type BankContext } from "../../../src/quiz/engine/schema";
import type { AnyTemplate, Template, Variant } from "../../../src/quiz/engine/types";

/** The same context `src/content.config.ts` gives the `questions` collection, read from the working tree. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => `${e.parentPath.replaceAll("\\", "/")}/${e.name}`);
}
const lessons = filesUnder("content/lessons").filter((f) => f.endsWith(".mdx")).map((f) => f.slice("content/lessons/".length, -".mdx".length));
const bankFiles = filesUnder("src/quiz/bank");
const contextWith = (templates: readonly AnyTemplate[]): BankContext => ({ lessons, bankFiles, idFiles: idFilesOf(templates) });

/**
 * A template that exists only here, to be broken one field at a time. It claims a real file of the bank
 * (the flagship registry) so only the field under test is wrong.
 */
function fixture(overrides: Partial<Pick<Template<"single-choice">, "id" | "kind" | "lesson" | "concepts" | "file" | "title" | "source">> = {}): AnyTemplate {
  const base = {
    id: "index",
    kind: "single-choice" as const,
    title: "Where does the browser's TLS session end?",
    lesson: "life-of-a-packet",
    concepts: ["tls-termination"],
    file: "src/quiz/bank/flagship/index.ts",
    ...overrides,
  };
  const variant = (seed: number): Variant<"single-choice"> => ({
    template: base.id,
    kind: "single-choice",
    seed,
    title: base.title,
    prompt: "A browser opens https://shop.example. Which device decrypts its TLS records first?",
    exhibits: [],
    view: { options: [{ id: "a", text: "Cloudflare's edge" }, { id: "b", text: "The Pod" }] },
    key: { choice: "a" },
    rubric: { options: { a: { why: "It terminates TLS.", step: null }, b: { why: "It sees a new connection.", step: null } } },
    misconceptions: [],
    hints: ["Which devices must read the Host header?"],
    explanation: "Every proxy that reads HTTP ends TLS.",
    lab: null,
  });
  return { ...base, params: () => ({}), variant } as AnyTemplate;
}

function issuesOf(template: AnyTemplate, others: readonly AnyTemplate[] = []): string[] {
  const result = questionEntrySchema(contextWith([template, ...others])).safeParse(questionEntry(template));
  return result.success ? [] : formatQuestionIssues(result.error.issues);
}

describe("the question bank's authoring format", () => {
  it("reads the lessons and the bank's files from the tree", () => {
    expect(lessons).toContain("life-of-a-packet");
    expect(bankFiles).toContain("src/quiz/bank/index.ts");
  });

  it.each(TEMPLATES.map((t) => [t.id, t] as const))("%s passes the schema the build runs", (_, template) => {
    expect(issuesOf(template, TEMPLATES.filter((t) => t !== template))).toEqual([]);
  });

  it("no two templates share an id", () => {
    const clashes = [...idFilesOf(TEMPLATES)].filter(([, files]) => files.length > 1);
    expect(clashes).toEqual([]);
  });

  it("the fixture itself is valid, so each case below breaks exactly one field", () => {
    expect(issuesOf(fixture())).toEqual([]);
  });

  it.each([
    ["kind", { kind: "essay" }, /^src\/quiz\/bank\/flagship\/index\.ts: kind: "essay" is not a question kind; expected one of single-choice, /],
    ["lesson", { lesson: "life-of-packets" }, /^src\/quiz\/bank\/flagship\/index\.ts: lesson: "life-of-packets" is not a lesson .*life-of-a-packet/],
    ["concepts (empty)", { concepts: [] }, /^src\/quiz\/bank\/flagship\/index\.ts: concepts: tag the question with at least one concept/],
    ["concepts (unknown)", { concepts: ["tls-termination", "tls-offload"] }, /^src\/quiz\/bank\/flagship\/index\.ts: concepts\.1: "tls-offload" is not a concept/],
    ["concepts (twice)", { concepts: ["dns", "dns"] }, /^src\/quiz\/bank\/flagship\/index\.ts: concepts\.1: "dns" is listed twice/],
    ["file (missing)", { id: "ghost", file: "src/quiz/bank/flagship/ghost.ts" }, /^src\/quiz\/bank\/flagship\/ghost\.ts: file: no such file under src\/quiz\/bank\//],
    ["file (outside the bank)", { id: "trace-grader", file: "src/quiz/trace-grader.ts" }, /^src\/quiz\/trace-grader\.ts: file: a template lives under src\/quiz\/bank\//],
    ["file (named otherwise)", { id: "where-tls-ends" }, /^src\/quiz\/bank\/flagship\/index\.ts: file: the file is named after the template's id: expected …\/where-tls-ends\.ts/],
    ["id (not kebab-case)", { id: "Index" }, /^src\/quiz\/bank\/flagship\/index\.ts: id: "Index" is not a kebab-case id/],
    ["title", { title: " " }, /^src\/quiz\/bank\/flagship\/index\.ts: title: give the question a title/],
    ["source", { source: "" }, /^src\/quiz\/bank\/flagship\/index\.ts: source: leave `source` out/],
  ] as const)("a bad %s fails naming the file and the field", (_, overrides, message) => {
    const issues = issuesOf(fixture(overrides as Parameters<typeof fixture>[0]));
    expect(issues.length, issues.join("\n")).toBeGreaterThan(0);
    expect(issues.some((line) => message.test(line)), issues.join("\n")).toBe(true);
  });

  it("a duplicate id fails naming both files", () => {
    const clash = fixture({ id: "index", file: "src/quiz/bank/cluster/index.ts" });
    const issues = issuesOf(fixture(), [clash]);
    expect(issues).toEqual(['src/quiz/bank/flagship/index.ts: id: the id "index" is also used by src/quiz/bank/cluster/index.ts; ids are unique']);
  });

  it("a template whose seed 0 throws is reported with its file", () => {
    const broken = { ...fixture(), variant: () => { throw new Error("no such city: atlantis"); } } as AnyTemplate;
    expect(() => questionEntry(broken)).toThrow("src/quiz/bank/flagship/index.ts: variant(0) throws: no such city: atlantis");
  });

  it("a wrongly typed field is caught before the references are checked", () => {
    const entry = { ...questionEntry(fixture()), concepts: "dns" };
    const result = questionEntrySchema(contextWith([fixture()])).safeParse(entry);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join("."))).toEqual(["concepts"]);
  });
});
