/**
 * The interview engine's shapes, shared by every question kind, template, grader, the practice page
 * and `npm run sim -- quiz`. Everything here is JSON: a variant is computed once (at build time, in the
 * command line, or in the browser) and can be shipped, stored and graded without the simulator.
 *
 * A **template** is a pure function of a seed: it picks the variant's parameters with `seededRandom`,
 * runs the simulator, and reads the prompt, the options and the **key** off the trace. The key is an
 * answer in exactly the form a learner submits (`quiz grade --answer` takes the same JSON); what the
 * grader needs beyond it — why each option is right or wrong, the trace step that shows it — is the
 * **rubric**. Answers that the classic wrong mental models would give are computed by running the same
 * scenario under a named wrong model (`CoreScenario.models`, `computeTrace(…, model)`), never typed.
 */

export const QUESTION_KINDS = [
  "single-choice",
  "multiple-choice",
  "ordering",
  "fill-in",
  "numeric",
  "trace-builder",
  "predict-header",
  "diagnosis",
  "open",
] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

/** Something to choose, order or place. `id` is never shown; `text` is. */
export interface Choice {
  readonly id: string;
  readonly text: string;
}

/**
 * What a fill-in field holds, which decides how two spellings are compared: `ip` (IPv4 or IPv6, any
 * canonical spelling), `ip-port` (`10.4.1.5:8080`, `10.4.1.5 : 8080`, `[fd00::1]:80`), `cidr` (host bits
 * allowed: `10.4.1.9/24` equals `10.4.1.0/24`), `protocol` (`tcp`/`TCP`/`6`), `port` (1–65535),
 * `name` (a chain, device or host name: case-insensitive, surrounding space ignored), `text` (exact after trimming).
 */
export type FieldType = "ip" | "ip-port" | "cidr" | "protocol" | "port" | "name" | "text";

export interface FieldSpec {
  readonly id: string;
  readonly label: string;
  readonly type: FieldType;
  /** An example of the expected form ("10.0.0.1:80"), never the answer. */
  readonly placeholder?: string;
}

/** Units a numeric answer may carry; a learner may type the unit ("36 ms", "1.2 KB") or leave it off. */
export type NumericUnit = "ms" | "us" | "s" | "bytes" | "count" | "addresses" | "probability" | "percent" | "km";

/** What the learner submits, per kind. A variant's `key` is one of these. */
export interface AnswerOf {
  "single-choice": { readonly choice: string };
  "multiple-choice": { readonly choices: readonly string[] };
  ordering: { readonly order: readonly string[] };
  "fill-in": { readonly fields: Readonly<Record<string, string>> };
  /** A number in the variant's unit, or text with a unit the grader converts ("0.036 s"). */
  numeric: { readonly value: number | string };
  /** Hops in order, each with the ids of the marks the learner set (e.g. "tls", "anycast"). */
  "trace-builder": { readonly hops: readonly { readonly item: string; readonly marks: readonly string[] }[] };
  "predict-header": { readonly fields: Readonly<Record<string, string>> };
  "diagnosis": { readonly choice: string };
  /** Open explanation: the learner's own text (kept, not graded) and the checklist items they say it covers. */
  open: { readonly text?: string; readonly checked: readonly string[] };
}
export type Answer = AnswerOf[QuestionKind];

/** What the learner sees besides the prompt and exhibits, per kind. */
export interface ViewOf {
  "single-choice": { readonly options: readonly Choice[] };
  "multiple-choice": { readonly options: readonly Choice[] };
  ordering: { readonly items: readonly Choice[] };
  "fill-in": { readonly fields: readonly FieldSpec[] };
  numeric: { readonly unit: NumericUnit; readonly label: string };
  "trace-builder": { readonly options: readonly Choice[]; readonly marks: readonly Choice[] };
  /** `after` names the hop after which the header is asked for. */
  "predict-header": { readonly after: { readonly step: string; readonly name: string }; readonly fields: readonly FieldSpec[] };
  "diagnosis": { readonly options: readonly Choice[] };
  /** Shown only after the learner has written an answer (the practice page hides it until then). */
  open: { readonly checklist: readonly Choice[] };
}

/** Why an option, item or field is what it is, and the trace step that shows it (for a link into the lab). */
export interface Why {
  readonly why: string;
  /** Core-trace step id ("request:gfe", "netfilter-request"), or null when no single step shows it. */
  readonly step: string | null;
}

/** What the grader needs beyond the key, per kind. Shown only after an answer is checked. */
export interface RubricOf {
  "single-choice": { readonly options: Readonly<Record<string, Why>> };
  "multiple-choice": { readonly options: Readonly<Record<string, Why>> };
  /**
   * `all-or-nothing`: full marks only for an accepted order. `lcs`: the share of the best accepted
   * order kept in sequence (longest common subsequence ÷ its length). Either way an answer may match
   * any of `orders` (several valid orders), and the key is `orders[0]`.
   */
  ordering: { readonly strategy: "all-or-nothing" | "lcs"; readonly orders: readonly (readonly string[])[]; readonly items: Readonly<Record<string, Why>> };
  "fill-in": { readonly fields: Readonly<Record<string, Why>> };
  /** Accepted when |answer − value| ≤ max(absolute, relative × |value|). */
  numeric: { readonly value: number; readonly unit: NumericUnit; readonly absolute: number; readonly relative: number; readonly why: Why };
  "trace-builder": {
    /** The key's hops with why each is there and why each mark is set or not, by mark id. */
    readonly hops: readonly { readonly item: string; readonly role: string; readonly step: string; readonly marks: Readonly<Record<string, string>> }[];
    /** Every option not on the path: why not, and the step that shows what happens instead. */
    readonly offPath: Readonly<Record<string, Why>>;
    /** Share of the score for the order, then for each mark (by id); sums to 1. */
    readonly weights: Readonly<Record<string, number>>;
  };
  "predict-header": { readonly fields: Readonly<Record<string, Why>> };
  "diagnosis": { readonly options: Readonly<Record<string, Why>> };
  /** The model answer, and why each checklist item belongs (the step that shows it). */
  open: { readonly modelAnswer: string; readonly checklist: Readonly<Record<string, Why>> };
}

/** Material shown with the prompt: the settings that shape the variant, command output, a packet's header. */
export type Exhibit =
  | { readonly kind: "settings"; readonly chips: readonly { readonly key: string; readonly label: string; readonly value: string }[] }
  | { readonly kind: "output"; readonly command: string; readonly text: string }
  | { readonly kind: "packet"; readonly title: string; readonly rows: readonly (readonly [field: string, value: string])[] }
  | { readonly kind: "text"; readonly text: string };

/** Where the lab that computes this variant lives, opened on the variant's settings. */
export interface LabLink {
  /** Site path of the lesson page, "/lessons/life-of-a-packet/". */
  readonly page: string;
  /** The lab's id on that page ("journey", "nat"): its URL keys are `<lab>.…` and its anchor `#lab-<lab>`. */
  readonly lab: string;
  /** Query parameters that open the lab on this variant ("scenario.city": "tokyo", "nat.preset": "hairpin"). */
  readonly query: Readonly<Record<string, string>>;
}

/** A link into the lab, at a step when one is given: `/lessons/x/?scenario.city=tokyo&journey.step=request%3Agfe#lab-journey`. */
export function labHref(link: LabLink, step: string | null = null): string {
  const query = new URLSearchParams(link.query);
  if (step !== null) query.set(`${link.lab}.step`, step);
  const search = query.toString();
  return `${link.page}${search ? `?${search}` : ""}#lab-${link.lab}`;
}

/** An answer a named wrong model gives: computed by running the scenario under that model. */
export interface MisconceptionAnswer<K extends QuestionKind = QuestionKind> {
  /** An id of `MISCONCEPTIONS` (`misconceptions.ts`). */
  readonly misconception: string;
  readonly answer: AnswerOf[K];
}

export interface Variant<K extends QuestionKind = QuestionKind> {
  readonly template: string;
  readonly kind: K;
  readonly seed: number;
  readonly title: string;
  readonly prompt: string;
  readonly exhibits: readonly Exhibit[];
  readonly view: ViewOf[K];
  /** The right answer, in exactly the form the learner submits. */
  readonly key: AnswerOf[K];
  readonly rubric: RubricOf[K];
  /** Answers the wrong models give for this variant (each checked to differ from the key). */
  readonly misconceptions: readonly MisconceptionAnswer<K>[];
  /** Ordered from gentlest to most revealing; none gives the key outright. */
  readonly hints: readonly string[];
  /** Shown when the learner reveals or has answered: the reasoning, in the course's words. */
  readonly explanation: string;
  readonly lab: LabLink | null;
}

/** A variant of any kind, discriminated by `kind`. */
export type AnyVariant = { [K in QuestionKind]: Variant<K> }[QuestionKind];

/**
 * A template: one question, any number of seeded variants. Adding a question is one file exporting
 * one of these and a line in its registry (`bank/flagship/index.ts`, `bank/cluster/index.ts`).
 */
export interface Template<K extends QuestionKind = QuestionKind> {
  readonly id: string;
  readonly kind: K;
  readonly title: string;
  /** The lesson's slug (a file in `content/lessons/`). */
  readonly lesson: string;
  /** Ids from `CONCEPTS` (`concepts.ts`). */
  readonly concepts: readonly string[];
  /** The source file, relative to the repository ("src/quiz/bank/flagship/double-anycast.ts"), for error messages. */
  readonly file: string;
  /** Set when the question is one of the source material's interview questions ("seed 000, question 3"). */
  readonly source?: string;
  /**
   * The parameters a seed picks (the scenario settings and any other choice). Two seeds with different
   * parameters must give a different question (prompt, exhibits or key); equal parameters may give the same variant.
   */
  params(seed: number): Readonly<Record<string, string | number>>;
  variant(seed: number): Variant<K>;
}
export type AnyTemplate = { [K in QuestionKind]: Template<K> }[QuestionKind];

/** Where an answer first leaves the trace, for one sentence of feedback and a link. */
export interface FirstDeparture {
  /** The part of the answer (a field id, an option id, "order", a hop position as "hop-3"). */
  readonly part: string;
  /** The trace step that shows the right thing there, or null. */
  readonly step: string | null;
  readonly message: string;
  /** `labHref(variant.lab, step)`, or null without a lab. */
  readonly href: string | null;
}

export interface PartScore {
  readonly id: string;
  readonly label: string;
  /** Share of this part earned, 0 to 1. */
  readonly earned: number;
  /** Its weight in the total; weights sum to 1. */
  readonly weight: number;
  /** One sentence each: what is right or wrong here, and why. */
  readonly notes: readonly string[];
}

/**
 * What grading returns. Not answered yet is not wrong: `incomplete` comes back with a nudge and no
 * score, `invalid` with what to fix (a malformed address, an unknown option), and only a well-formed
 * answer is `graded`.
 */
export type QuizResult =
  | {
      readonly type: "incomplete";
      readonly message: string;
      /** The first part still to fill in (a field id, "value"), when one part is to blame, so the page can show the message there. */
      readonly part?: string;
    }
  | { readonly type: "invalid"; readonly message: string; readonly part: string | null }
  | {
      readonly type: "graded";
      /** 0 to 1. */
      readonly score: number;
      readonly parts: readonly PartScore[];
      /** null for a perfect answer. */
      readonly firstDeparture: FirstDeparture | null;
      /** The wrong model this answer matches, if any: what it believes and why that is wrong. */
      readonly misconception: { readonly id: string; readonly name: string; readonly belief: string; readonly whyWrong: string } | null;
    };
