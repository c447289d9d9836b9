import fc from "fast-check";

/**
 * Malformed values for the browser fuzz test (`fuzz.test.ts`): what a learner might type, paste or put in
 * a link, sorted into kinds. Each kind pairs a hand-picked list (the edge cases worth naming) with a
 * fast-check generator (the ones nobody thought of). Every draw is seeded, so a failure names a value that
 * reproduces on the next run; `FUZZ_SEED` moves the whole set, `FUZZ_RUNS` sets how many values each
 * field gets.
 */

/** Set by any markup payload that runs; the test fails when the page ever has it. */
export const CANARY = "__pwned";
/** Carried by every markup payload's element, so markup that was parsed (run or not) can be found. */
export const MARKER = "data-fuzz-pwn";

const run = (tag: string) => `window.${CANARY}='${tag}'`;

/** HTML and script a page must show as text: tags with handlers, a script element, a javascript: URL, an attribute break-out. */
const MARKUP = [
  `<img src=x ${MARKER} onerror="${run("img")}">`,
  `<script ${MARKER}>${run("script")}</script>`,
  `"><svg ${MARKER} onload="${run("svg")}">`,
  `'><iframe ${MARKER} srcdoc="<script>parent.${CANARY}=1</script>"></iframe>`,
  `<a ${MARKER} href="javascript:${run("href")}">link</a>`,
  `</textarea><img src=x ${MARKER} onerror="${run("textarea")}">`,
  `{{constructor.constructor('${run("template")}')()}}`,
  `\${${run("literal")}}`,
  `<style ${MARKER}>*{display:none}</style>`,
] as const;

/** A YAML document whose aliases expand to `10^levels` strings ("billion laughs"): a parser must refuse or bound it. */
function billionLaughs(levels: number): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < levels; i++) {
    const prev = String.fromCharCode(96 + i);
    const name = String.fromCharCode(97 + i);
    lines.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(",")}]`);
  }
  return lines.join("\n");
}

const deepFlow = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;
const deepBlock = (depth: number) => Array.from({ length: depth }, (_, i) => `${" ".repeat(i)}a:`).join("\n") + " 1";
const serviceWith = (spec: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n${spec}\n`;

/** YAML that is hostile rather than wrong: alias bombs, deep nesting, tags, merge keys, duplicate keys, many documents. */
const YAML = [
  billionLaughs(9),
  `${billionLaughs(6)}\nkind: *f`,
  deepFlow(5000),
  deepBlock(140), // about 10,000 characters
  `a: &x\n  b: *x`,
  `x: !!js/function "function(){${run("yaml")}}"`,
  `apiVersion: !!binary aGVsbG8=\nkind: !<tag:yaml.org,2002:str> Service`,
  `<<: *undefined_anchor`,
  `kind: Service\nkind: Service\nmetadata: {name: a, name: b}`,
  Array.from({ length: 2000 }, () => "---").join("\n"),
  serviceWith("  ports:\n  - port: 1e309\n    targetPort: -1\n    protocol: ICMP"),
  serviceWith("  clusterIP: 10.96.0.256\n  ports: [{port: 80}]"),
  serviceWith(`  selector: {app: "${"x".repeat(10_000)}"}\n  ports: [{port: 80}]`),
  "\t- tab: indented",
  "key: [unclosed",
  "? [complex, key]\n: value",
] as const;

/** The kinds of malformed value, each a named list and a generator. */
export const KINDS = {
  blank: {
    named: ["", " ", "   \t  ", "\u00a0", "\n\n", "\u200b", "\u3000"],
    generated: fc.array(fc.constantFrom(" ", "\t", "\n", "\r", "\u00a0", "\u2028", "\u200b", "\ufeff"), { maxLength: 40 }).map((c) => c.join("")),
  },
  long: {
    named: ["a".repeat(10_000), "9".repeat(10_000), "10.0.0.1 ".repeat(1112).slice(0, 10_000), "é".repeat(10_000), `${"a".repeat(63)}.`.repeat(157)],
    generated: fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 8 }).map((s) => s.repeat(Math.ceil(10_000 / s.length)).slice(0, 10_000)),
  },
  unicode: {
    named: [
      "\u202eexample.com", // right-to-left override
      "مثال.إختبار",
      "🦊🚀.example.com",
      "e\u0301\u0301\u0301\u0301\u0301",
      "a\u0000b",
      "\u0000",
      "\u0001\u0002\u001b[31mred\u007f",
      "１０.０.０.１", // full-width digits
      "𝟏𝟎.𝟎.𝟎.𝟏",
      "١٠.٠.٠.١", // Arabic-Indic digits
      "ｅｘａｍｐｌｅ.com",
      "\u2028line\u2029para",
    ],
    generated: fc.oneof(fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }), fc.string({ unit: "binary", minLength: 1, maxLength: 40 })),
  },
  markup: {
    named: MARKUP,
    generated: fc.tuple(fc.string({ maxLength: 12 }), fc.constantFrom(...MARKUP), fc.string({ maxLength: 12 })).map(([a, p, b]) => `${a}${p}${b}`),
  },
  yaml: {
    named: YAML,
    generated: fc.oneof(
      fc.integer({ min: 200, max: 3000 }).map(deepFlow),
      fc.integer({ min: 50, max: 140 }).map(deepBlock),
      fc.integer({ min: 3, max: 8 }).map(billionLaughs),
      fc.string({ unit: fc.constantFrom(":", "-", "?", "&", "*", "!", "|", ">", "'", '"', "%", "@", "`", "#", "[", "]", "{", "}", ",", " ", "\n", "a") }),
    ),
  },
  numbers: {
    named: ["-1", "0", "-0", "1e309", "-1e309", "NaN", "Infinity", "0x10", "0b11", "0o7", "1_000", "9007199254740993", "1.5", "08", "+5", "5 ", "1,000", "٣"],
    generated: fc.oneof(
      fc.double().map(String),
      fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(String),
      fc.integer({ min: -(2 ** 31), max: 2 ** 31 }).map((n) => `0x${n.toString(16)}`),
      fc.integer().map((n) => `${n}e${n % 400}`),
    ),
  },
  addresses: {
    named: [
      "10.0.0.256",
      "10.0.0.0/33",
      "::ffff:1.2.3.4/129",
      "10.0.0",
      "10.0.0.0.0",
      "010.0.0.1",
      "10.0.0.1/",
      "/24",
      "/-1",
      "/0",
      "/33",
      "10.0.0.0/24/24",
      "10.4.0.1/14", // host bits set
      "1.2.3.4:99999",
      "1.2.3.4:-1",
      "1.2.3.4:",
      ":80",
      "[::1]:80",
      "10.96.0.15 :80",
      "255.255.255.255/32x",
      "0.0.0.0/0",
      "10.0.0.1\n10.0.0.2",
      "2001:db8::/200",
    ],
    generated: fc
      .tuple(fc.ipV4(), fc.integer({ min: 0, max: 3 }), fc.integer({ min: -5, max: 1000 }), fc.oneof(fc.constant(""), fc.integer({ min: -3, max: 99 }).map((p) => `/${p}`), fc.integer({ min: -2, max: 99_999 }).map((p) => `:${p}`)))
      .map(([ip, at, octet, suffix]) => {
        const octets = ip.split(".");
        octets[at] = String(octet);
        return `${octets.join(".")}${suffix}`;
      }),
  },
  hosts: {
    named: [
      "-a.example.com",
      "a-.example.com",
      "a..example.com",
      `${"x".repeat(64)}.example.com`,
      `${"a".repeat(63)}.`.repeat(4) + "com",
      "ex ample.com",
      "*.example.com",
      "exa_mple.com",
      "xn--.example.com",
      ".",
      "example.com..",
      "https://example.com/",
      "user@example.com",
      "example.com:443",
      "ex%41mple.com",
      "example.123",
      "localhost",
    ],
    generated: fc
      .tuple(fc.domain(), fc.nat(), fc.constantFrom("_", " ", "..", "-.", ".-", "/", "@", ":", "%", "*", "\\", "#", "?"))
      .map(([domain, at, bad]) => {
        const i = at % (domain.length + 1);
        return `${domain.slice(0, i)}${bad}${domain.slice(i)}`;
      }),
  },
} satisfies Record<string, { named: readonly string[]; generated: fc.Arbitrary<string> }>;

export type FuzzKind = keyof typeof KINDS;
export const KIND_NAMES = Object.keys(KINDS) as FuzzKind[];

/**
 * How many values each field gets (`FUZZ_RUNS`). The default, 6, keeps the whole browser file near three
 * minutes on a busy two-core machine: each field gets six of the eight kinds (which six turns with the field,
 * so a page's fields cover them all); 8 gives every field every kind, 16 every kind both named and generated.
 */
export const FUZZ_RUNS = Math.max(1, Number(process.env.FUZZ_RUNS ?? 6) || 6);
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20_251_111) || 0;

/** A stable 31-bit hash of a field's name, so each field draws its own values. */
function hash(text: string): number {
  let h = 2166136261;
  for (const c of text) h = Math.imul(h ^ c.codePointAt(0)!, 16777619);
  return (h >>> 1) % 2 ** 30;
}

export interface FuzzValue {
  readonly kind: FuzzKind;
  readonly value: string;
}

/**
 * `runs` malformed values for the field named `key`, deterministic for a given seed. The kinds come in turn,
 * starting at one the field's hash picks; named and generated values alternate, and each kind's next turn
 * takes the other — so eight runs give every kind, sixteen every kind both ways.
 *
 * @example
 * fuzzValues("/lessons/life-of-a-packet/ lab-journey Host", 16) // 16 values, the same on every run
 */
export function fuzzValues(key: string, runs: number = FUZZ_RUNS): FuzzValue[] {
  const base = (FUZZ_SEED + hash(key)) % 2 ** 30;
  return Array.from({ length: runs }, (_, i) => {
    const kind = KIND_NAMES[(i + base) % KIND_NAMES.length]!;
    const turn = Math.floor(i / KIND_NAMES.length);
    const named = (i + turn + Math.floor(base / KIND_NAMES.length)) % 2 === 0;
    const { named: list, generated } = KINDS[kind];
    const arbitrary = named ? fc.constantFrom(...list) : generated;
    const [value] = fc.sample(arbitrary as fc.Arbitrary<string>, { seed: base + i, numRuns: 1 });
    return { kind, value: value! };
  });
}

/** A value shown in a test's name or message: short, with control characters made visible. */
export function describeValue(value: string): string {
  const chars = [...value];
  const shown = JSON.stringify(chars.slice(0, 60).join("")).replace(/[\u007f-\u009f\u2028\u2029\u200b-\u200f\u202a-\u202e\ufeff]/g, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, "0")}`);
  return `${shown}${chars.length > 60 ? `… (${value.length} chars)` : ""}`;
}
