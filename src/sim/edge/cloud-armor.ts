import { InputError } from "../net/errors";
import { seededRandom } from "../random";
import { evaluateCel, parseCel, type CelExpr } from "./gfe-cel";
import { FieldReader, formatFieldPath, type FieldPath, type FieldProblem, type Raw } from "./gfe-fields";
import { parseAddress, parseIpRange, type IpRange } from "./gfe-ip";
import type { HttpRequest } from "./gfe-request";

/**
 * A Cloud Armor security policy (compute.v1 `SecurityPolicy`, as `gcloud compute security-policies
 * export` writes it) and the GFE's evaluation of it, request by request.
 *
 * From the security policy overview and the rate limiting overview:
 * - Rules are evaluated from the lowest priority number up (0 is evaluated first); the first rule
 *   that matches decides, and nothing after it is evaluated. Every policy has a default rule at
 *   priority 2147483647 that matches every address (`srcIpRanges: ['*']`). Priorities are unique.
 * - A match is `versionedExpr: SRC_IPS_V1` with `config.srcIpRanges` (up to ten addresses or CIDRs),
 *   or `expr.expression` in the rules language (the subset in `gfe-cel.ts`).
 * - Actions: `allow`, `deny(403|404|502)`, `throttle`, `rate_based_ban`. A rate-based rule's
 *   `rateLimitOptions` count matching requests per key (`enforceOnKey`: one counter for `ALL`, one per
 *   client address for `IP`) against `rateLimitThreshold` (count per intervalSec): requests within it
 *   get `conformAction` (allow), the rest `exceedAction` (`deny(403|404|429|502)`). A
 *   `rate_based_ban` then bans the key for `banDurationSec`: at once when it exceeds the threshold, or,
 *   with `banThreshold`, once the requests that exceeded number more than `banThreshold.count` in
 *   `banThreshold.intervalSec`. A banned key's requests all get `exceedAction`.
 * - `preview: true`: the rule is evaluated and its would-be action logged
 *   (`previewSecurityPolicy` in the request log), but not enforced; evaluation goes on.
 *
 * The model's own choices, where Google documents no exact algorithm: a sliding window of
 * `intervalSec` seconds; a throttle counts only the requests it let through, so a client sending
 * twice the threshold gets the threshold through; a ban lasts `banDurationSec` from the request that
 * set it off. Not modelled: `redirect` and reCAPTCHA actions, the
 * preconfigured WAF rules, Adaptive Protection, enforceOnKey types other than ALL and IP, edge
 * security policies (which apply before the cache).
 */

export type ArmorAction =
  | { readonly kind: "allow" }
  | { readonly kind: "deny"; readonly status: 403 | 404 | 502 }
  | { readonly kind: "throttle" }
  | { readonly kind: "rate_based_ban" };

export interface RateLimitOptions {
  readonly threshold: { readonly count: number; readonly intervalSec: number };
  readonly exceedStatus: 403 | 404 | 429 | 502;
  readonly enforceOnKey: "ALL" | "IP";
  readonly banThreshold: { readonly count: number; readonly intervalSec: number } | null;
  readonly banDurationSec: number | null;
}

export type ArmorMatch =
  | { readonly kind: "src-ips"; readonly ranges: readonly IpRange[] }
  | { readonly kind: "expr"; readonly expression: string; readonly expr: CelExpr };

export interface SecurityRule {
  readonly priority: number;
  /** Its place in the list as written (priority, not this, decides). */
  readonly index: number;
  readonly description: string;
  readonly action: ArmorAction;
  readonly actionText: string;
  readonly match: ArmorMatch;
  readonly preview: boolean;
  readonly rateLimit: RateLimitOptions | null;
}

export interface SecurityPolicy {
  readonly name: string;
  /** As written; evaluation sorts by priority. */
  readonly rules: readonly SecurityRule[];
}

export const DEFAULT_RULE_PRIORITY = 2147483647;

/** Every problem in a security policy, each at its field. */
export class CloudArmorError extends InputError {
  readonly problems: readonly FieldProblem[];
  constructor(problems: readonly FieldProblem[]) {
    const text = problems.map((p) => (p.path.length ? `${formatFieldPath(p.path)}: ${p.message}` : p.message)).join("\n");
    super("security policy", text);
    this.message = text;
    this.problems = problems;
  }
}

function readAction(r: FieldReader, text: string | undefined, path: FieldPath): ArmorAction | undefined {
  if (text === undefined) {
    r.problem(path, "action is required");
    return undefined;
  }
  if (text === "allow" || text === "throttle" || text === "rate_based_ban") return { kind: text };
  const deny = /^deny\((403|404|502)\)$/.exec(text);
  if (deny) return { kind: "deny", status: Number(deny[1]) as 403 | 404 | 502 };
  if (text === "redirect" || text.startsWith("redirect")) r.problem(path, "redirect actions (reCAPTCHA, 302) are not modelled here");
  else r.problem(path, `"${text}": an action is allow, deny(403), deny(404), deny(502), throttle or rate_based_ban`);
  return undefined;
}

function readThreshold(r: FieldReader, raw: unknown, path: FieldPath): { count: number; intervalSec: number } | undefined {
  const t = r.record(raw, path);
  if (!t) return undefined;
  r.unknownFields(t, path, ["count", "intervalSec"]);
  const count = r.integer(t.count, [...path, "count"], 1, 1_000_000);
  const intervalSec = r.integer(t.intervalSec, [...path, "intervalSec"], 1, 3600);
  if (t.count === undefined) r.problem(path, "count is required");
  if (t.intervalSec === undefined) r.problem(path, "intervalSec is required");
  return count !== undefined && intervalSec !== undefined ? { count, intervalSec } : undefined;
}

function readRateLimit(r: FieldReader, raw: Raw, path: FieldPath, ban: boolean): RateLimitOptions | undefined {
  r.unknownFields(raw, path, ["rateLimitThreshold", "conformAction", "exceedAction", "enforceOnKey", "banThreshold", "banDurationSec"], ["enforceOnKeyName"]);
  const threshold = readThreshold(r, raw.rateLimitThreshold, [...path, "rateLimitThreshold"]);
  if (raw.rateLimitThreshold === undefined) r.problem(path, "rateLimitThreshold is required");
  const conform = r.string(raw.conformAction, [...path, "conformAction"]);
  if (conform !== undefined && conform !== "allow") r.problem([...path, "conformAction"], `conformAction can only be "allow"`);
  const exceedText = r.string(raw.exceedAction, [...path, "exceedAction"]);
  const exceed = exceedText === undefined ? null : /^deny\((403|404|429|502)\)$/.exec(exceedText);
  if (exceedText === undefined) r.problem(path, "exceedAction is required");
  else if (!exceed) r.problem([...path, "exceedAction"], `"${exceedText}": exceedAction is deny(403), deny(404), deny(429) or deny(502) here (redirect is not modelled)`);
  const keyText = r.string(raw.enforceOnKey, [...path, "enforceOnKey"]) ?? "ALL";
  if (keyText !== "ALL" && keyText !== "IP") r.problem([...path, "enforceOnKey"], `"${keyText}": this model counts per ALL or IP only`);
  const banThreshold = raw.banThreshold === undefined ? null : readThreshold(r, raw.banThreshold, [...path, "banThreshold"]) ?? null;
  const banDurationSec = r.integer(raw.banDurationSec, [...path, "banDurationSec"], 1, 86400) ?? null;
  if (!ban && (raw.banThreshold !== undefined || raw.banDurationSec !== undefined)) r.problem([...path, raw.banThreshold !== undefined ? "banThreshold" : "banDurationSec"], "banThreshold and banDurationSec can only be set when the action is rate_based_ban");
  if (ban && raw.banDurationSec === undefined) r.problem(path, "banDurationSec is required for rate_based_ban");
  if (!threshold || !exceed) return undefined;
  return { threshold, exceedStatus: Number(exceed[1]) as 403 | 404 | 429 | 502, enforceOnKey: keyText === "IP" ? "IP" : "ALL", banThreshold, banDurationSec };
}

function readMatch(r: FieldReader, raw: unknown, path: FieldPath): ArmorMatch | undefined {
  const m = r.record(raw, path);
  if (!m) {
    r.problem(path, "match is required");
    return undefined;
  }
  r.unknownFields(m, path, ["versionedExpr", "config", "expr"], ["exprOptions"]);
  if (m.expr !== undefined && (m.versionedExpr !== undefined || m.config !== undefined)) {
    r.problem([...path, "expr"], "a match is either versionedExpr + config or expr, not both");
    return undefined;
  }
  if (m.expr !== undefined) {
    const e = r.record(m.expr, [...path, "expr"]);
    const text = e ? r.string(e.expression, [...path, "expr", "expression"]) : undefined;
    if (e && text === undefined) r.problem([...path, "expr"], "expression is required");
    if (text === undefined) return undefined;
    try {
      return { kind: "expr", expression: text, expr: parseCel(text) };
    } catch (error) {
      if (error instanceof InputError) {
        r.problem([...path, "expr", "expression"], error.reason);
        return undefined;
      }
      throw error;
    }
  }
  const version = r.string(m.versionedExpr, [...path, "versionedExpr"]);
  if (version !== "SRC_IPS_V1") {
    r.problem([...path, "versionedExpr"], version === undefined ? "versionedExpr (SRC_IPS_V1) or expr is required" : `"${version}": the only versionedExpr is SRC_IPS_V1`);
    return undefined;
  }
  const config = r.record(m.config, [...path, "config"]);
  const list = config ? r.list(config.srcIpRanges, [...path, "config", "srcIpRanges"]) : undefined;
  if (!list || list.length === 0) {
    r.problem([...path, "config", "srcIpRanges"], "srcIpRanges needs at least one address or range");
    return undefined;
  }
  if (list.length > 10) r.problem([...path, "config", "srcIpRanges"], `a rule holds at most 10 ranges; this one has ${list.length}`);
  const ranges: IpRange[] = [];
  list.forEach((item, k) => {
    const at = [...path, "config", "srcIpRanges", k];
    const text = r.string(item, at);
    if (text === undefined) return;
    try {
      ranges.push(parseIpRange(text));
    } catch (error) {
      if (error instanceof InputError) r.problem(at, `"${text}": ${error.reason}`);
      else throw error;
    }
  });
  return { kind: "src-ips", ranges };
}

/**
 * Decodes and validates a security policy; every problem is collected before anything is thrown.
 *
 * @throws CloudArmorError with each problem at its field path
 */
export function decodeSecurityPolicy(raw: unknown): SecurityPolicy {
  const r = new FieldReader();
  const top = r.record(raw, []);
  if (!top) throw new CloudArmorError(r.problems.length ? r.problems : [{ path: [], message: "expected a security policy (a mapping with name and rules)" }]);
  r.unknownFields(top, [], ["name", "rules"], ["kind", "id", "selfLink", "creationTimestamp", "fingerprint", "description", "type", "labelFingerprint", "adaptiveProtectionConfig", "advancedOptionsConfig", "ddosProtectionConfig", "region"]);
  const name = r.string(top.name, ["name"]) ?? "(unnamed)";
  const rules: SecurityRule[] = [];
  const seen = new Map<number, number>();
  const list = r.list(top.rules, ["rules"]) ?? [];
  list.forEach((item, i) => {
    const at: FieldPath = ["rules", i];
    const rule = r.record(item, at);
    if (!rule) return;
    r.unknownFields(rule, at, ["priority", "action", "match", "preview", "rateLimitOptions", "description"], ["kind", "headerAction", "redirectOptions"]);
    const priority = r.integer(rule.priority, [...at, "priority"], 0, DEFAULT_RULE_PRIORITY);
    if (rule.priority === undefined) r.problem(at, "priority is required");
    else if (priority !== undefined && seen.has(priority)) r.problem([...at, "priority"], `priority ${priority} is already used by rules[${seen.get(priority)}]; priorities must be unique`);
    if (priority !== undefined) seen.set(priority, i);
    const actionText = r.string(rule.action, [...at, "action"]);
    const action = readAction(r, actionText, [...at, "action"]);
    const match = readMatch(r, rule.match, [...at, "match"]);
    const rated = action?.kind === "throttle" || action?.kind === "rate_based_ban";
    const rlRaw = r.record(rule.rateLimitOptions, [...at, "rateLimitOptions"]);
    let rateLimit: RateLimitOptions | null = null;
    if (rated && !rlRaw) r.problem(at, `${action!.kind} needs rateLimitOptions`);
    else if (!rated && rlRaw) r.problem([...at, "rateLimitOptions"], "rateLimitOptions only go with throttle or rate_based_ban");
    else if (rlRaw) rateLimit = readRateLimit(r, rlRaw, [...at, "rateLimitOptions"], action?.kind === "rate_based_ban") ?? null;
    const preview = r.boolean(rule.preview, [...at, "preview"]) ?? false;
    if (priority === DEFAULT_RULE_PRIORITY && match && !(match.kind === "src-ips" && match.ranges.length === 1 && match.ranges[0]!.text === "*")) {
      r.problem([...at, "match"], "the default rule (priority 2147483647) must match srcIpRanges ['*']");
    }
    if (priority !== undefined && action && match && (!rated || rateLimit)) {
      rules.push({ priority, index: i, description: r.string(rule.description, [...at, "description"]) ?? "", action, actionText: actionText!, match, preview, rateLimit });
    }
  });
  if (!seen.has(DEFAULT_RULE_PRIORITY) && !r.problems.some((p) => p.path[0] === "rules" && p.path[2] === "priority")) {
    r.problem(["rules"], "a security policy always has its default rule at priority 2147483647 (srcIpRanges ['*'], allow or deny)");
  }
  if (r.problems.length > 0) throw new CloudArmorError(r.problems);
  return { name, rules };
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/** One request as Cloud Armor sees it: the address that connected to the GFE and its region code. */
export interface ArmorRequest {
  /** Seconds from the start of the series. */
  readonly t: number;
  readonly ip: string;
  /** ISO 3166-1 alpha-2, as Google geolocates `ip`. */
  readonly regionCode: string;
  readonly request: HttpRequest;
}

export interface RuleEvaluation {
  readonly priority: number;
  readonly index: number;
  readonly label: string;
  readonly matched: boolean;
  readonly preview: boolean;
  readonly why: string;
}

export interface ArmorVerdict {
  readonly t: number;
  readonly ip: string;
  /** The rule whose action was enforced. */
  readonly rule: { readonly priority: number; readonly index: number; readonly label: string };
  /** null: let through to the backend; a number: the status the GFE answers with. */
  readonly status: number | null;
  /** allow / deny / throttle: conform / throttle: exceed / ban: banned … */
  readonly outcome: string;
  readonly evaluated: readonly RuleEvaluation[];
  /** Preview rules that matched, and what they would have done. */
  readonly previewed: readonly { readonly priority: number; readonly wouldBe: string }[];
}

/** Named wrong models of Cloud Armor, each a mode of this evaluator. */
export const ARMOR_MODELS = {
  "armor-first-listed": "rules are evaluated in the order they are listed (really: by priority, lowest number first)",
} as const;
export type ArmorModel = keyof typeof ARMOR_MODELS;

function ruleLabel(rule: SecurityRule): string {
  return `priority ${rule.priority === DEFAULT_RULE_PRIORITY ? "2147483647 (default rule)" : rule.priority} ${rule.actionText}${rule.description ? ` — ${rule.description}` : ""}`;
}

function matchWhy(rule: SecurityRule, req: ArmorRequest): { matched: boolean; why: string } {
  if (rule.match.kind === "src-ips") {
    const hit = rule.match.ranges.find((range) => range.contains(req.ip));
    return hit
      ? { matched: true, why: `${req.ip} is in ${hit.text === "*" ? "* (every address)" : hit.text}` }
      : { matched: false, why: `${req.ip} is in none of ${rule.match.ranges.map((x) => x.text).join(", ")}` };
  }
  const v = evaluateCel(rule.match.expr, { ip: req.ip, regionCode: req.regionCode, request: req.request });
  if (typeof v === "object") return { matched: false, why: `${rule.match.expression} → error (${v.error}), which does not match` };
  return { matched: v === true, why: `${rule.match.expression} → ${String(v)}` };
}

interface KeyState {
  /** Times of the requests the rule counted (those it let through). */
  counted: number[];
  /** Times of requests that exceeded, for banThreshold. */
  exceeded: number[];
  bannedUntil: number;
}

/** Evaluates requests in time order, keeping each rate-based rule's counters between them. */
export class ArmorEvaluator {
  private readonly order: readonly SecurityRule[];
  private readonly state = new Map<string, KeyState>();

  constructor(policy: SecurityPolicy, readonly model: ArmorModel | null = null) {
    this.order = model === "armor-first-listed" ? [...policy.rules].sort((a, b) => a.index - b.index) : [...policy.rules].sort((a, b) => a.priority - b.priority);
  }

  private key(rule: SecurityRule, req: ArmorRequest): KeyState {
    const id = `${rule.priority}|${rule.rateLimit!.enforceOnKey === "IP" ? req.ip : "*"}`;
    let s = this.state.get(id);
    if (!s) this.state.set(id, (s = { counted: [], exceeded: [], bannedUntil: -Infinity }));
    return s;
  }

  /** What a rate-based rule does to this request: conform (allow) or exceed (its status), updating its counters. */
  private rate(rule: SecurityRule, req: ArmorRequest): { status: number | null; outcome: string } {
    const rl = rule.rateLimit!;
    const s = this.key(rule, req);
    const keyText = rl.enforceOnKey === "IP" ? `key ${req.ip}` : "key ALL";
    if (req.t < s.bannedUntil) {
      return { status: rl.exceedStatus, outcome: `banned: ${keyText} is banned until t=${s.bannedUntil.toFixed(1)} s` };
    }
    const since = req.t - rl.threshold.intervalSec;
    s.counted = s.counted.filter((t) => t > since);
    if (s.counted.length < rl.threshold.count) {
      s.counted.push(req.t);
      return { status: null, outcome: `conform: ${s.counted.length} of ${rl.threshold.count} in the last ${rl.threshold.intervalSec} s for ${keyText} → allow` };
    }
    const over = `${keyText} is over ${rl.threshold.count} per ${rl.threshold.intervalSec} s`;
    if (rule.action.kind === "rate_based_ban") {
      if (rl.banThreshold === null) {
        s.bannedUntil = req.t + rl.banDurationSec!;
        return { status: rl.exceedStatus, outcome: `exceed: ${over}, so it is banned for ${rl.banDurationSec} s → deny(${rl.exceedStatus})` };
      }
      const bsince = req.t - rl.banThreshold.intervalSec;
      s.exceeded = s.exceeded.filter((t) => t > bsince);
      s.exceeded.push(req.t);
      if (s.exceeded.length > rl.banThreshold.count) {
        s.bannedUntil = req.t + rl.banDurationSec!;
        return { status: rl.exceedStatus, outcome: `exceed: ${over}, and ${s.exceeded.length} requests exceeded in ${rl.banThreshold.intervalSec} s (banThreshold ${rl.banThreshold.count}): banned for ${rl.banDurationSec} s → deny(${rl.exceedStatus})` };
      }
      return { status: rl.exceedStatus, outcome: `exceed: ${over} → deny(${rl.exceedStatus}) (${s.exceeded.length} of banThreshold ${rl.banThreshold.count} so far)` };
    }
    return { status: rl.exceedStatus, outcome: `exceed: ${over} → deny(${rl.exceedStatus})` };
  }

  /** The verdict for the next request (requests must come in time order). */
  evaluate(req: ArmorRequest): ArmorVerdict {
    const evaluated: RuleEvaluation[] = [];
    const previewed: { priority: number; wouldBe: string }[] = [];
    for (const rule of this.order) {
      const label = ruleLabel(rule);
      const m = matchWhy(rule, req);
      evaluated.push({ priority: rule.priority, index: rule.index, label, matched: m.matched, preview: rule.preview, why: m.why });
      if (!m.matched) continue;
      const done = rule.rateLimit ? this.rate(rule, req) : rule.action.kind === "deny" ? { status: rule.action.status as number | null, outcome: `deny(${rule.action.status})` } : { status: null, outcome: "allow" };
      if (rule.preview) {
        previewed.push({ priority: rule.priority, wouldBe: done.outcome });
        continue;
      }
      return { t: req.t, ip: req.ip, rule: { priority: rule.priority, index: rule.index, label }, status: done.status, outcome: done.outcome, evaluated, previewed };
    }
    // Unreachable for a decoded policy: its default rule matches every address (unless it is in preview).
    return { t: req.t, ip: req.ip, rule: { priority: DEFAULT_RULE_PRIORITY, index: -1, label: "no enforced rule matched" }, status: null, outcome: "allow", evaluated, previewed };
  }
}

/**
 * Every request's verdict, in time order.
 *
 * @example evaluateSecurityPolicy(policy, requestSeries({ seed: 1, clients: [...] }, request))
 */
export function evaluateSecurityPolicy(policy: SecurityPolicy, requests: readonly ArmorRequest[], model: ArmorModel | null = null): ArmorVerdict[] {
  const evaluator = new ArmorEvaluator(policy, model);
  return [...requests].sort((a, b) => a.t - b.t).map((req) => evaluator.evaluate(req));
}

/** A client sending the same request at a steady rate, for a series. */
export interface ArmorClient {
  readonly ip: string;
  readonly regionCode: string;
  /** Requests per second. */
  readonly rate: number;
  readonly durationSec: number;
  readonly startSec?: number;
}

/**
 * A seeded series: each client's requests spread over its duration at its rate, each time jittered
 * within its slot, all merged in time order. Same seed, same series.
 *
 * @throws InputError for a bad address, region code or rate
 */
export function requestSeries(seed: number, clients: readonly ArmorClient[], request: HttpRequest): ArmorRequest[] {
  const out: ArmorRequest[] = [];
  const random = seededRandom(seed);
  for (const c of clients) {
    parseAddress(c.ip);
    if (!/^[A-Z]{2}$/.test(c.regionCode)) throw new InputError(c.regionCode, "a region code is two capital letters (ISO 3166-1), e.g. FR");
    if (!(c.rate > 0) || c.rate > 1000) throw new InputError(String(c.rate), "the rate must be above 0 and at most 1000 requests per second");
    const n = Math.max(1, Math.round(c.rate * c.durationSec));
    for (let k = 0; k < n; k++) out.push({ t: Math.round(((c.startSec ?? 0) + (k + random()) / c.rate) * 1000) / 1000, ip: c.ip.trim(), regionCode: c.regionCode, request });
  }
  return out.sort((a, b) => a.t - b.t || a.ip.localeCompare(b.ip));
}
