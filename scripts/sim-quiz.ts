/**
 * `npm run sim -- quiz …` — the question bank from the command line: list the templates, show one
 * seeded variant with its key, grade an answer exactly as the practice page does. Like the rest of
 * `npm run sim`, its flags and JSON fields are a public contract; bad input exits 2 naming it.
 *
 * @example
 * npm run sim -- quiz show host-header-status --seed 3 --json   # … "key": { "choice": "default-404" }
 * npm run sim -- quiz grade host-header-status --seed 3 --answer '{"choice":"default-404"}'
 */
import { editDistance } from "../src/sim/net/edit-distance";
import { InputError, parseSeed } from "../src/sim/index";
import { TEMPLATES, findTemplate, makeVariant } from "../src/quiz/bank/index";
import { gradeAnswer } from "../src/quiz/engine/grade";
import type { AnyTemplate, AnyVariant, Choice, Exhibit, QuizResult } from "../src/quiz/engine/types";

interface QuizArgs {
  readonly positional: readonly string[];
  readonly seed: string | undefined;
  readonly answer: string | undefined;
  readonly json: boolean;
}

/** This command's flags: `--seed` and `--answer` (each once, `--flag value` or `--flag=value`) and `--json`. */
function parseQuizArgs(argv: readonly string[], valued: readonly string[]): QuizArgs {
  const positional: string[] = [];
  const values = new Map<string, string>();
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--json") {
      json = true;
      continue;
    }
    if (!arg.startsWith("--")) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (!valued.includes(name)) throw new InputError(arg, `unknown option; this command takes ${[...valued, "--json"].join(", ")}`);
    // JSON never starts with "--", so a flag where a value should be means the value is missing.
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && value.startsWith("--"))) throw new InputError(name, `${name} needs a value`);
    if (values.has(name)) throw new InputError(name, `${name} is given twice`);
    values.set(name, value);
  }
  return { positional, seed: values.get("--seed"), answer: values.get("--answer"), json };
}


/** Template ids close to `id`: a few edits away, or containing it (or contained in it). */
export function closeIds(id: string, ids: readonly string[]): string[] {
  const wanted = id.toLowerCase();
  return ids
    .map((candidate) => ({ candidate, d: editDistance(wanted, candidate) }))
    .filter(({ candidate, d }) => d <= Math.max(2, Math.floor(wanted.length / 3)) || (wanted.length >= 3 && (candidate.includes(wanted) || wanted.includes(candidate))))
    .sort((a, b) => a.d - b.d || a.candidate.localeCompare(b.candidate))
    .slice(0, 5)
    .map(({ candidate }) => candidate);
}

function template(args: QuizArgs): AnyTemplate {
  if (args.positional.length > 1) throw new InputError(args.positional[1]!, "one template at a time");
  const id = args.positional[0];
  if (!id) throw new InputError("", "name a template; npm run sim -- quiz list shows them");
  const found = findTemplate(id);
  if (found) return found;
  const close = closeIds(id, TEMPLATES.map((t) => t.id));
  throw new InputError(id, `no such template${close.length ? `; did you mean ${close.join(", ")}?` : ""} (npm run sim -- quiz list shows them all)`);
}

function seed(args: QuizArgs): number {
  if (args.seed === undefined) throw new InputError("--seed", "give the variant's seed, e.g. --seed 0");
  return parseSeed(args.seed);
}

function listCommand(args: QuizArgs): string | object {
  if (args.positional.length) throw new InputError(args.positional[0]!, "quiz list takes no template");
  const rows = TEMPLATES.map((t) => ({
    id: t.id,
    kind: t.kind,
    title: t.title,
    lesson: t.lesson,
    concepts: [...t.concepts],
    ...(t.source === undefined ? {} : { source: t.source }),
  }));
  if (args.json) return rows;
  if (rows.length === 0) return "the bank has no templates yet";
  const width = (pick: (r: (typeof rows)[number]) => string) => Math.max(...rows.map((r) => pick(r).length));
  const [id, kind, lesson] = [width((r) => r.id), width((r) => r.kind), width((r) => r.lesson)];
  return rows.map((r) => `${r.id.padEnd(id)}  ${r.kind.padEnd(kind)}  ${r.lesson.padEnd(lesson)}  ${r.concepts.join(", ")}`).join("\n");
}

/** What the learner chooses from, per kind, under the contract's names. */
function choicesOf(variant: AnyVariant): Record<string, unknown> {
  switch (variant.kind) {
    case "single-choice":
    case "multiple-choice":
    case "diagnosis":
      return { options: variant.view.options };
    case "ordering":
      return { options: variant.view.items };
    case "trace-builder":
      return { options: variant.view.options, marks: variant.view.marks };
    case "fill-in":
      return { fields: variant.view.fields };
    case "predict-header":
      return { after: variant.view.after, fields: variant.view.fields };
    case "numeric":
      return { unit: variant.view.unit, label: variant.view.label };
    case "open":
      return { checklist: variant.view.checklist };
  }
}

function exhibitText(exhibit: Exhibit): string {
  switch (exhibit.kind) {
    case "settings":
      return exhibit.chips.map((c) => `  ${c.label}: ${c.value}`).join("\n");
    case "output":
      return `  $ ${exhibit.command}\n${exhibit.text.replace(/^/gm, "  ")}`;
    case "packet": {
      const width = Math.max(...exhibit.rows.map(([field]) => field.length));
      return [`  ${exhibit.title}`, ...exhibit.rows.map(([field, value]) => `    ${field.padEnd(width)}  ${value}`)].join("\n");
    }
    case "text":
      return exhibit.text.replace(/^/gm, "  ");
  }
}

const choiceLines = (heading: string, choices: readonly Choice[]) => [`${heading}:`, ...choices.map((c) => `  ${c.id.padEnd(Math.max(...choices.map((x) => x.id.length)))}  ${c.text}`)];

function showText(variant: AnyVariant): string {
  const lines = [`${variant.template} (${variant.kind}), seed ${variant.seed}: ${variant.title}`, "", variant.prompt];
  for (const exhibit of variant.exhibits) lines.push("", exhibitText(exhibit));
  const c = choicesOf(variant);
  lines.push("");
  if (c["options"]) lines.push(...choiceLines(variant.kind === "ordering" ? "items" : "options", c["options"] as Choice[]));
  if (c["marks"]) lines.push(...choiceLines("marks", c["marks"] as Choice[]));
  if (c["after"]) lines.push(`the header after ${(c["after"] as { name: string }).name}:`);
  if (c["fields"]) {
    const fields = c["fields"] as { id: string; label: string; type: string }[];
    const width = Math.max(...fields.map((f) => f.id.length));
    lines.push("fields:", ...fields.map((f) => `  ${f.id.padEnd(width)}  ${f.label} (${f.type})`));
  }
  if (c["unit"]) lines.push(`${c["label"] as string} (in ${c["unit"] as string})`);
  if (c["checklist"]) lines.push(...choiceLines("checklist", c["checklist"] as Choice[]));
  lines.push("", `key: ${JSON.stringify(variant.key)}`);
  return lines.join("\n");
}

function showCommand(args: QuizArgs): string | object {
  const t = template(args);
  const variant = makeVariant(t, seed(args));
  if (!args.json) return showText(variant);
  return {
    template: variant.template,
    seed: variant.seed,
    kind: variant.kind,
    title: variant.title,
    prompt: variant.prompt,
    ...choicesOf(variant),
    exhibits: variant.exhibits,
    hints: variant.hints,
    key: variant.key,
  };
}

function gradeText(result: QuizResult): string {
  if (result.type !== "graded") return `${result.type}: ${result.message}`;
  const lines = [`graded: score ${Number(result.score.toFixed(3))}`];
  for (const p of result.parts) {
    lines.push(`  ${p.label}: ${Number(p.earned.toFixed(3))} of weight ${Number(p.weight.toFixed(3))}`, ...p.notes.map((n) => `    ${n}`));
  }
  if (result.firstDeparture) {
    const d = result.firstDeparture;
    lines.push(`first departure at ${d.part}${d.step ? ` (step ${d.step})` : ""}: ${d.message}`);
    if (d.href) lines.push(`  see ${d.href}`);
  }
  if (result.misconception) lines.push(`misconception: ${result.misconception.name} — ${result.misconception.whyWrong}`);
  return lines.join("\n");
}

function parseAnswer(text: string): { readonly answer: unknown } | { readonly problem: string } {
  try {
    return { answer: JSON.parse(text) as unknown };
  } catch (error) {
    return { problem: `the answer is not JSON (${(error as Error).message}); write it in the form quiz show prints the key` };
  }
}

function gradeCommand(args: QuizArgs): string | object {
  const t = template(args);
  const variant = makeVariant(t, seed(args));
  if (args.answer === undefined) throw new InputError("--answer", "give the answer as JSON, in the form quiz show prints the key");
  const answer = parseAnswer(args.answer);
  // Text that is not JSON is an answer the grader cannot read: invalid, as the page would say, not a usage error.
  const result: QuizResult = "answer" in answer ? gradeAnswer(variant, answer.answer) : { type: "invalid", message: answer.problem, part: null };
  return args.json ? { template: variant.template, seed: variant.seed, ...result } : gradeText(result);
}

/** `npm run sim -- quiz <list|show|grade> …`; throws `InputError` for bad input (the caller exits 2). */
export function quizCommand(argv: readonly string[]): void {
  const [sub, ...rest] = argv;
  let out: string | object;
  if (sub === "list") out = listCommand(parseQuizArgs(rest, []));
  else if (sub === "show") out = showCommand(parseQuizArgs(rest, ["--seed"]));
  else if (sub === "grade") out = gradeCommand(parseQuizArgs(rest, ["--seed", "--answer"]));
  else throw new InputError(sub ?? "", "quiz takes a subcommand: list, show or grade");
  console.log(typeof out === "string" ? out : JSON.stringify(out, null, 2));
}
