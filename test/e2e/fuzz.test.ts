import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { KIND_LABELS } from "../../src/components/practice/catalogue";
import type { QuestionKind } from "../../src/quiz/engine/types";
import { getScenario } from "../../src/sim/scenarios/index";
import { hydrated, url, useBrowser } from "./browser";
import { discoverTextFields, fieldLocator, inspectField, messagesIn, reveal, settle, stepperMoves, TEXT_FIELDS, type TextField } from "./fuzz-page";
import { CANARY, describeValue, FUZZ_RUNS, fuzzValues, KIND_NAMES, KINDS, type FuzzKind, type FuzzValue } from "./fuzz-values";

/**
 * The Robustness gate's fuzz half: every text field of every built page, and every URL parameter a lab
 * reads, given malformed values (blank, 10,000 characters, RTL and control characters, markup, YAML
 * bombs, numbers at the edges, almost-right addresses, bad host names; see `fuzz-values.ts`). After each
 * one: no page error or console error, nothing typed ran or became markup, the lab is still hydrated and
 * its stepper still moves, and a rejected value is explained at its field — `aria-describedby` pointing
 * at visible text, or `aria-invalid` with an alert beside it — never only somewhere else in the lab.
 *
 * Fields are found in the DOM after hydration, so a new lab's fields are fuzzed without a change here;
 * `KNOWN_FIELDS` only makes sure none of today's disappears unnoticed. `FUZZ_RUNS` sets the values per
 * field (default 6, about three minutes here; 16 gives every field every kind, named and generated),
 * `FUZZ_SEED` moves them; `FUZZ_DEBUG=1` logs each value's time.
 */

const DIST = process.env.E2E_DIST ?? "dist";

/** Every page of the built site, as the server serves it. */
function builtPages(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "pagefind" || name === "_astro" ? [] : builtPages(path);
    return name.endsWith(".html") ? [`/${relative(DIST, path).replace(/index\.html$/, "")}`] : [];
  });
}
const PAGES = builtPages(DIST).sort();

const PRACTICE = "/practice/";
const SEARCH = "site-search";

/** Today's fields, by page: `scope label`. A field missing from here is still fuzzed; one missing from the page fails. */
const KNOWN_FIELDS: Readonly<Record<string, readonly string[]>> = {
  "/": [`${SEARCH} Search the course`],
  "/lessons/life-of-a-packet/": [
    'section.lab[aria-labelledby="pod-range-title"] Cluster Pod range (CIDR)',
    'section.lab[aria-labelledby="pod-range-title"] Range per node',
    'section.lab[aria-labelledby="pod-range-title"] Address to place',
    ...["leg-1", "certificate", "leg-3", "journey", "bypass"].map((lab) => `#lab-${lab} Host`),
  ],
  "/lessons/services-and-kube-proxy/": [
    "#lab-paste Kubernetes YAML (Services, EndpointSlices or Pods, and Nodes)",
    "#lab-paste Source IP",
    "#lab-paste Destination IP:PORT",
    "#lab-paste Seed (picks the random draws)",
  ],
};
/**
 * Question kinds the practice page answers in text today; each must still be offered, with a field. (An
 * open answer's textarea is fuzzed too whenever the deck list offers one.)
 */
const TEXT_KINDS: readonly QuestionKind[] = ["fill-in", "predict-header", "numeric"];

let page: Page;
let errors: string[];
useBrowser({ width: 1366, height: 900 }, (_, p, e) => ((page = p), (errors = e)));

/** A problem found, with the field and the value that caused it. */
type Finding = string;

/** Page errors logged since the last call, moved into findings (so each is reported once, with its value). */
function takeErrors(): string[] {
  return errors.splice(0, errors.length);
}

/** How a learner commits a value: Enter in a one-line field, then leaving it; on a question card, Check. */
async function commit(field: TextField): Promise<void> {
  const target = fieldLocator(page, field);
  // The search answers as it is typed into, and closes its results when it loses focus: nothing to commit.
  if (field.scope === SEARCH) return;
  if (field.tag !== "textarea") await target.press("Enter");
  if ((await target.count()) > 0) await target.evaluate((el) => (el as HTMLElement).blur());
  if (field.scope === "article.practice-card") {
    const card = page.locator(field.scope);
    const button = card.getByRole("button", { name: /^(Check|Compare with the model answer)$/ });
    if ((await button.count()) > 0 && (await button.first().getAttribute("aria-disabled")) !== "true") await button.first().click();
  }
}

/**
 * The site search answers every query (with results or "Nothing found"), or closes for a blank one. Its
 * list is closed (Escape) before each value is typed, so an answer to the previous query does not count.
 */
async function searchAnswered(value: string): Promise<void> {
  if (value.trim() === "") return;
  await page.waitForFunction(() => !document.querySelector("#site-search-results")?.hasAttribute("hidden"), undefined, { timeout: 15_000 });
}

/**
 * On a question card, gives every other empty field its placeholder's example (or "x"), so a Check grades
 * the fuzzed field instead of stopping at "fill in the others first" — an incomplete answer is not a rejected one.
 */
async function fillTheOthers(field: TextField): Promise<void> {
  const all = page.locator(field.scope).locator(TEXT_FIELDS);
  for (let i = 0; i < (await all.count()); i++) {
    if (i === field.index) continue;
    const other = all.nth(i);
    // Blank counts as empty, as the grader trims: a value left from fuzzing that field would read as missing.
    if ((await other.inputValue()).trim() !== "") continue;
    const example = ((await other.getAttribute("placeholder")) ?? "").replace(/^e\.g\.\s*/, "");
    await other.fill(example || "x");
  }
}

/**
 * Types each value into the field, commits it, and looks at the page: the findings, one line each.
 * `reopen` brings the field back when a value locked it (a graded practice answer).
 */
async function fuzzField(path: string, field: TextField, values: readonly FuzzValue[], reopen: () => Promise<void>): Promise<Finding[]> {
  const findings: Finding[] = [];
  const target = () => fieldLocator(page, field);
  await reveal(target());
  const original = await target().inputValue();
  if (field.scope === "article.practice-card") await fillTheOthers(field);
  const baseline = new Set((await inspectField(page, field)).loose);
  for (const { kind, value } of values) {
    const started = Date.now();
    const say = (what: string) => findings.push(`${path} ${field.key} ← ${kind} ${describeValue(value)}: ${what}`);
    try {
      if (field.scope === SEARCH) await target().press("Escape");
      await target().fill(value);
    } catch (error) {
      // A number field refuses text itself; that is the browser's check, not the lab's.
      if (field.type === "number" && /Cannot type text/.test(String(error))) continue;
      say(`could not be typed (${(error as Error).message.split("\n")[0]})`);
      continue;
    }
    try {
      await commit(field);
      if (field.scope === SEARCH) await searchAnswered(value);
      await settle(page, field.scope);
    } catch (error) {
      say(`the page did not settle (${(error as Error).message.split("\n")[0]})`);
    }
    for (const e of takeErrors()) say(e);
    const report = await inspectField(page, field);
    if (report.canary !== undefined) say(`typed script ran (window.${CANARY} = ${JSON.stringify(report.canary)})`);
    if (report.markup > 0) say(`typed markup became ${report.markup} element(s)`);
    if (!report.hydrated || !report.present) {
      say("the lab is gone (unmounted or no longer hydrated)");
      await reopen();
      if (field.scope === "article.practice-card") await fillTheOthers(field);
      continue;
    }
    if (report.invalid && report.tied.length === 0 && report.adjacent.length === 0) say("marked invalid with no message tied to the field");
    const loose = report.loose.filter((m) => !baseline.has(m));
    if (loose.length > 0) say(`a message the field does not point at: ${loose.map((m) => JSON.stringify(m)).join("; ")}`);
    const stuck = await stepperMoves(page, field.scope);
    if (stuck) say(stuck);
    for (const e of takeErrors()) say(e);
    if (report.readOnly) {
      // A graded answer locks the card: try again, or open the question afresh.
      const retry = page.locator(field.scope).getByRole("button", { name: "Try again" });
      if ((await retry.count()) > 0) await retry.first().click();
      if ((await inspectField(page, field)).readOnly) await reopen();
      await fillTheOthers(field);
    }
    if (process.env.FUZZ_DEBUG) console.log(`${Date.now() - started} ms  ${field.key} ← ${kind} ${describeValue(value)}`);
  }
  // Back to where it started: the lab takes a good value again, with nothing left complaining.
  if (field.scope !== "article.practice-card") {
    if (field.scope === SEARCH) await target().press("Escape");
    await target().fill(original);
    await commit(field);
    if (field.scope === SEARCH) await searchAnswered(original);
    await settle(page, field.scope);
    const report = await inspectField(page, field);
    const left = report.loose.filter((m) => !baseline.has(m));
    if (report.invalid || left.length > 0) findings.push(`${path} ${field.key}: its original value ${describeValue(original)} is not taken back cleanly (${[...report.tied, ...left].join("; ") || "still marked invalid"})`);
    const stuck = await stepperMoves(page, field.scope);
    if (stuck) findings.push(`${path} ${field.key}: after fuzzing, ${stuck}`);
    for (const e of takeErrors()) findings.push(`${path} ${field.key} ← its original value: ${e}`);
  }
  return findings;
}

async function open(path: string): Promise<void> {
  await page.goto(url(path));
  await hydrated(page);
}

describe("every text field, fuzzed", () => {
  it.each(PAGES)("%s: the page's fields take malformed values", { timeout: 240_000 }, async (path) => {
    await open(path);
    // The search box is the same on every page: fuzzed once, on the home page.
    const fields = (await discoverTextFields(page)).filter((f) => f.scope !== SEARCH || path === "/");
    expect(fields.map((f) => f.key)).toEqual(expect.arrayContaining([...(KNOWN_FIELDS[path] ?? [])]));
    const findings: Finding[] = [];
    for (const field of fields) {
      findings.push(
        ...(await fuzzField(path, field, fuzzValues(`${path} ${field.key}`), async () => {
          await open(path);
        })),
      );
    }
    expect(findings).toEqual([]);
  });

  // Questions open one at a time: from the deck list, open the first question of each kind and fuzz what it
  // asks to be typed.
  it(`${PRACTICE}: each kind of question's text fields take malformed values`, { timeout: 240_000 }, async () => {
    await open(PRACTICE);
    const byKind = new Map<QuestionKind, string>();
    const labels = new Map(Object.entries(KIND_LABELS).map(([kind, label]) => [label, kind as QuestionKind]));
    const links = await page.locator("a[href^='?q=']").evaluateAll((as) => as.map((a) => ({ href: a.getAttribute("href")!, kind: a.parentElement?.querySelector(".kind-tag")?.textContent?.trim() ?? "" })));
    for (const { href, kind } of links) {
      const known = labels.get(kind);
      if (known && !byKind.has(known)) byKind.set(known, href);
    }
    expect([...byKind.keys()], "the deck list offers no question of these kinds").toEqual(expect.arrayContaining([...TEXT_KINDS]));
    const findings: Finding[] = [];
    for (const [kind, href] of byKind) {
      const question = `${PRACTICE}${href}&seed=1`;
      const reopen = async () => {
        await open(question);
        await page.locator("article.practice-card").waitFor();
      };
      await reopen();
      const fields = (await discoverTextFields(page)).filter((f) => f.scope === "article.practice-card");
      if (TEXT_KINDS.includes(kind)) expect(fields.length, `a ${kind} question (${href}) offers no text field`).toBeGreaterThan(0);
      if (fields.length > 0) {
        // Check with nothing typed at all: whatever the card says must be said at a field.
        await commit(fields[0]!);
        await settle(page, fields[0]!.scope);
        for (const e of takeErrors()) findings.push(`${question} (${kind}) checked empty: ${e}`);
        const empty = await inspectField(page, fields[0]!);
        if (empty.loose.length > 0) findings.push(`${question} (${kind}) checked with nothing typed: a message no field points at: ${empty.loose.map((m) => JSON.stringify(m)).join("; ")}`);
        if (empty.readOnly) await reopen();
      }
      for (const field of fields) findings.push(...(await fuzzField(`${question} (${kind})`, field, fuzzValues(`${PRACTICE} ${kind} ${field.name}`), reopen)));
    }
    expect(findings).toEqual([]);
  });
});

/** A lab on a page, as its URL parameters are named. */
interface LabOnPage {
  readonly id: string;
  readonly kind: "journey" | "manifest" | "step";
  readonly scenarioId: string | null;
}

async function labsOnPage(): Promise<LabOnPage[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>("section[id^='lab-']")].map((section) => {
      // Astro serialises an island's props as `{"name":[type, value]}`.
      let scenarioId: string | null = null;
      try {
        const props = JSON.parse(section.closest("astro-island")?.getAttribute("props") ?? "{}") as Record<string, [number, unknown]>;
        scenarioId = typeof props.scenarioId?.[1] === "string" ? props.scenarioId[1] : null;
      } catch {
        scenarioId = null;
      }
      const kind = section.classList.contains("journey-lab") ? "journey" : section.classList.contains("manifest-lab") ? "manifest" : "step";
      return { id: section.id.slice("lab-".length), kind, scenarioId } as const;
    }),
  );
}

/** The URL parameters each kind of lab reads (`url-state.ts`, `steplab/url.ts`, `shared-settings.ts`). */
/** The keys of labs that keep their own state in the address bar, by lab id (the edge's labs). */
const OWN_KEYS: Readonly<Record<string, readonly string[]>> = {
  maglev: ["size", "gfes", "removed", "before", "flow", "step", "seed"],
  "url-map-tester": ["url", "host", "method", "headers", "ip", "region", "rate", "seed", "map", "policy", "kind", "gfe", "health", "step"],
  bgp: ["router", "prefix", "withdrawn", "step"],
  anycast: ["router", "prefix", "withdrawn", "step"],
  rpki: ["kind", "victim", "roa", "attacker", "rov", "router", "step"],
  "dns-chain": ["setup", "cache", "qmin", "step"],
  "static-ip": ["preset", "in"],
  compare: ["city", "region", "cache-rule", "cache", "connections", "origin-protection"],
  resolver: ["ns", "policy", "server", "name", "ndots", "hostnet"],
  cni: ["cni", "path", "overlay", "step"],
  nat: ["preset", "vms", "natIps", "minPorts", "maxPorts", "connections", "to", "dynamic", "eim", "inbound", "destination", "pga", "nat", "from", "masquerade"],
  route: ["preset", "in", "url", "method", "headers", "via", "model", "step"],
};

function paramsOf(lab: LabOnPage): string[] {
  const keys = lab.kind === "journey" && lab.scenarioId ? getScenario(lab.scenarioId).params.map((p) => p.key) : [];
  const own = OWN_KEYS[lab.id] ?? (lab.kind === "journey" ? ["step", "sub", ...keys] : ["preset", "in", "step", "sub", "services", "seed"]);
  return own.map((p) => `${lab.id}.${p}`);
}

/** The shared settings (`scenario.<key>`) of the page's journey labs. */
function sharedParams(labs: readonly LabOnPage[]): string[] {
  const scenarios = new Set(labs.filter((l) => l.kind === "journey" && l.scenarioId).map((l) => l.scenarioId!));
  return [...scenarios].flatMap((id) => getScenario(id).params.map((p) => `scenario.${p.key}`));
}

/**
 * A value a link may carry without a message: an empty one (the same as no parameter) and a plain whole
 * number (a step index from before step ids, a seed, a cluster size).
 */
const mayPassQuietly = (value: string) => value.trim() === "" || /^\d+$/.test(value);

/** The server and the browser cap a request's line; keep every link under it by shortening each value. */
const MAX_QUERY = 12_000;
function query(params: readonly string[], value: string): string {
  const room = Math.max(8, Math.floor(MAX_QUERY / params.length / 3));
  const short = [...value].slice(0, room).join("");
  return params.map((p) => `${encodeURIComponent(p)}=${encodeURIComponent(short)}`).join("&");
}

/**
 * Values for links: `FUZZ_RUNS / 4` of them, at least two (a page load each, and a lesson's is seconds here).
 * Each load sets every parameter of the page at once, so each lab meets every one of them.
 */
const linkValues = (path: string): FuzzValue[] => {
  const count = Math.max(2, Math.ceil(FUZZ_RUNS / 4));
  const rounds = Math.ceil(count / KIND_NAMES.length);
  const values = fuzzValues(`link ${path}`, rounds * KIND_NAMES.length);
  // Markup and unicode first: what a crafted link would carry; a blank value is the same as none, and a long one has a load of its own.
  const order: readonly FuzzKind[] = ["markup", "unicode", "hosts", "numbers", "addresses", "yaml", "blank", "long"];
  const rank = (v: FuzzValue, i: number) => Math.floor(i / KIND_NAMES.length) * KIND_NAMES.length + order.indexOf(v.kind);
  return values
    .map((v, i) => ({ v, r: rank(v, i) }))
    .sort((a, b) => a.r - b.r)
    .slice(0, count)
    .map(({ v }) => v);
};

describe("every lab's permalink, fuzzed", () => {
  const labPages = PAGES.filter((p) => p.startsWith("/lessons/"));

  it.each(labPages)("%s: opens with malformed parameters, says so in each lab, and keeps working", { timeout: 240_000 }, async (path) => {
    await open(path);
    const labs = await labsOnPage();
    if (labs.length === 0) return;
    const params = [...sharedParams(labs), ...labs.flatMap(paramsOf)];
    // Plus one long value for the first lab's step alone, at a length a link can still carry.
    const loads = [...linkValues(path).map((v) => ({ ...v, params })), { kind: "long" as const, value: KINDS.long.named[0]!.slice(0, 3000), params: [`${labs[0]!.id}.step`] }];
    const findings: Finding[] = [];
    for (const { kind, value, params: these } of loads) {
      const say = (what: string) => findings.push(`${path}?${these.length > 1 ? "(every parameter)" : these[0]}=${kind} ${describeValue(value)}: ${what}`);
      await page.goto(url(`${path}?${query(these, value)}`));
      try {
        await hydrated(page);
        for (const lab of labs) await settle(page, `#lab-${lab.id}`);
      } catch (error) {
        say(`the page did not settle (${(error as Error).message.split("\n")[0]})`);
      }
      for (const e of takeErrors()) say(e);
      const canary = await page.evaluate((name) => (window as unknown as Record<string, unknown>)[name], CANARY);
      if (canary !== undefined) say(`a parameter ran as script (${JSON.stringify(canary)})`);
      for (const lab of labs) {
        if (!these.some((p) => p.startsWith(`${lab.id}.`) || p.startsWith("scenario."))) continue;
        if ((await page.locator(`#lab-${lab.id}`).count()) === 0) {
          say(`lab ${lab.id} is gone`);
          continue;
        }
        if (!mayPassQuietly(value) && (await messagesIn(page, `#lab-${lab.id}`)).length === 0) say(`lab ${lab.id} shows no message about its link`);
        const stuck = await stepperMoves(page, `#lab-${lab.id}`);
        if (stuck) say(`lab ${lab.id}: ${stuck}`);
      }
      for (const e of takeErrors()) say(e);
    }
    expect(findings).toEqual([]);
  });

  it(`${PRACTICE}: opens with a malformed question, seed or deck, and says so`, { timeout: 240_000 }, async () => {
    await open(PRACTICE);
    const known = new URLSearchParams((await page.locator("a[href^='?q=']").first().getAttribute("href")) ?? "").get("q") ?? "";
    const findings: Finding[] = [];
    for (const { kind, value } of linkValues(PRACTICE)) {
      for (const search of [`q=${encodeURIComponent(value.slice(0, 3000))}`, `q=${encodeURIComponent(known)}&seed=${encodeURIComponent(value.slice(0, 3000))}`, `deck=${encodeURIComponent(value.slice(0, 3000))}`]) {
        const say = (what: string) => findings.push(`${PRACTICE}?${search.split("=")[0]}…=${kind} ${describeValue(value)}: ${what}`);
        await page.goto(url(`${PRACTICE}?${search}`));
        try {
          await hydrated(page);
          await settle(page, ".practice-app");
        } catch (error) {
          say(`the page did not settle (${(error as Error).message.split("\n")[0]})`);
        }
        for (const e of takeErrors()) say(e);
        if ((await page.locator(".practice-app").count()) === 0) say("the practice app is gone");
        else if (!mayPassQuietly(value) && (await messagesIn(page, ".practice-app")).length === 0) say("no message about the link");
        const canary = await page.evaluate((name) => (window as unknown as Record<string, unknown>)[name], CANARY);
        if (canary !== undefined) say(`a parameter ran as script (${JSON.stringify(canary)})`);
      }
    }
    expect(findings).toEqual([]);
  });
});
