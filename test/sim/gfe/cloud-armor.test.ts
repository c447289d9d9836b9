import fc from "fast-check";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { CloudArmorError, decodeSecurityPolicy, evaluateSecurityPolicy, requestSeries, type ArmorRequest } from "../../../src/sim/edge/cloud-armor";
import { evaluateCel, parseCel } from "../../../src/sim/edge/gfe-cel";
import { compileRe2 } from "../../../src/sim/edge/gfe-re2";
import { parseAddress, parseIpRange } from "../../../src/sim/edge/gfe-ip";
import { EXAMPLE_POLICY, EXAMPLE_POLICY_YAML } from "../../../src/sim/edge/gfe-examples";
import { readSecurityPolicyYaml } from "../../../src/sim/edge/gfe-yaml";
import { parseHttpRequest, type HttpRequest } from "../../../src/sim/edge/gfe-request";

const RUNS = Number(process.env.EDGE_PROPERTY_RUNS ?? 200);
const GET = (url = "https://www.example.com/", headersText = "") => parseHttpRequest({ url, headersText });
const one = (ip: string, request: HttpRequest = GET(), regionCode = "US", t = 0): ArmorRequest => ({ t, ip, regionCode, request });
const everyone = { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: ["*"] } };
const dflt = (action = "allow") => ({ priority: 2147483647, action, match: everyone });
const problemsOf = (raw: unknown): string[] => {
  try {
    decodeSecurityPolicy(raw);
  } catch (error) {
    if (error instanceof CloudArmorError) return error.problems.map((p) => `${p.path.join(".")}: ${p.message}`);
    throw error;
  }
  return [];
};

describe("RE2 subset", () => {
  it("refuses what RE2 refuses, with the reason", () => {
    expect(() => compileRe2("(a)\\1")).toThrow(/no backreferences/);
    expect(() => compileRe2("foo(?=bar)")).toThrow(/no lookaround/);
    expect(() => compileRe2("a{1001}")).toThrow(/up to 1000/);
    expect(() => compileRe2("*a")).toThrow(/missing argument to repetition/);
    expect(() => compileRe2("(a")).toThrow(/missing closing \)/);
  });
  it("matches whole strings for URL maps and searches for CEL", () => {
    const re = compileRe2("/api/v[0-9]+/.*");
    expect(re.full("/api/v2/x")).toBe(true);
    expect(re.full("/x/api/v2/x")).toBe(false);
    expect(re.search("/x/api/v2/x")).toBe(true);
    expect(compileRe2("(?i)^/ADMIN").search("/admin/x")).toBe(true);
    expect(compileRe2("\\A/a\\z").full("/a")).toBe(true);
  });
});

describe("Cloud Armor rules language (subset)", () => {
  const ctx = { ip: "9.9.9.9", regionCode: "AU", request: GET("https://www.example.com/login.html?x=1", "Cookie: 80=BLAH; a=b\nUser-Agent: WordPress/6.0") };
  // Examples from the custom rules language reference (cloud.google.com/armor/docs/rules-language-reference).
  it.each([
    ["inIpRange(origin.ip, '9.9.9.0/24')", true],
    ["request.headers['cookie'].contains('80=BLAH')", true],
    ["origin.region_code == 'AU'", true],
    ["request.path.matches('/login.html')", true],
    ["request.headers['user-agent'].contains('WordPress')", true],
    ["inIpRange(origin.ip, '1.2.3.4/32') && origin.region_code == 'AU'", false],
    ["!(origin.region_code == 'AU') || request.method == 'POST'", false],
    ["request.query.contains('x=1')", true],
  ])("%s → %s", (text, expected) => {
    expect(evaluateCel(parseCel(text), ctx)).toBe(expected);
  });

  it("treats a missing header as CEL's error, which && and || absorb when the other side decides", () => {
    expect(evaluateCel(parseCel("request.headers['x-missing'] == 'a'"), ctx)).toEqual({ error: "no such key: 'x-missing'" });
    expect(evaluateCel(parseCel("request.headers['x-missing'] == 'a' && false"), ctx)).toBe(false);
    expect(evaluateCel(parseCel("true || request.headers['x-missing'] == 'a'"), ctx)).toBe(true);
    expect(evaluateCel(parseCel("!(request.headers['x-missing'] == 'a')"), ctx)).toEqual({ error: "no such key: 'x-missing'" });
  });

  it("names the character and the fix in parse errors", () => {
    expect(() => parseCel("origin.ip = '1'")).toThrow(/character 11: unexpected "=" \(CEL compares with ==\)/);
    expect(() => parseCel("origin.region_code == 'FR' & true")).toThrow(/CEL writes &&/);
    expect(() => parseCel("request.headers['User-Agent'].contains('x')")).toThrow(/lower case: request\.headers\['user-agent'\]/);
    expect(() => parseCel("origin.country == 'FR'")).toThrow(/unknown attribute origin\.country/);
    expect(() => parseCel("request.path.matches('(a)\\\\1')")).toThrow(/backreferences/);
    expect(() => parseCel("inIpRange(origin.ip, '300.1.1.1/8')")).toThrow(/inIpRange/);
    expect(() => parseCel("request.path")).toThrow(/must be true or false/);
    expect(() => parseCel("(origin.ip == '1'")).toThrow(/expected "\)"/);
  });
});

describe("Cloud Armor security policy", () => {
  it("decodes the example's export text to the example object", () => {
    expect(parse(EXAMPLE_POLICY_YAML)).toEqual(EXAMPLE_POLICY);
  });

  it("evaluates by priority, lowest number first; the first match decides and nothing after it runs", () => {
    const policy = readSecurityPolicyYaml(EXAMPLE_POLICY_YAML);
    const scanner = evaluateSecurityPolicy(policy, [one("198.51.100.9", GET("https://www.example.com/admin"))])[0]!;
    expect(scanner.rule.priority).toBe(100);
    expect(scanner.status).toBe(403);
    expect(scanner.evaluated.map((e) => e.priority)).toEqual([100]);
    const admin = evaluateSecurityPolicy(policy, [one("203.0.113.7", GET("https://www.example.com/admin/users"))])[0]!;
    expect([admin.rule.priority, admin.status]).toEqual([500, 404]);
    const home = evaluateSecurityPolicy(policy, [one("203.0.113.7")])[0]!;
    expect([home.rule.priority, home.status]).toEqual([1000, null]);
    expect(home.evaluated.map((e) => [e.priority, e.matched])).toEqual([[100, false], [500, false], [1000, true]]);
  });

  it("gives the same verdicts whatever order the rules are listed in (property)", () => {
    const rule = fc.record({
      priority: fc.integer({ min: 0, max: 5000 }),
      action: fc.constantFrom("allow", "deny(403)", "deny(404)", "deny(502)"),
      range: fc.constantFrom("10.0.0.0/8", "10.1.0.0/16", "192.0.2.0/24", "10.1.2.3", "2001:db8::/32"),
    });
    fc.assert(
      fc.property(fc.uniqueArray(rule, { selector: (r) => r.priority, maxLength: 6 }), fc.constantFrom("10.1.2.3", "10.9.9.9", "192.0.2.44", "2001:db8::1", "203.0.113.1"), fc.boolean(), (rules, ip, dfltDeny) => {
        const raw = rules.map((r) => ({ priority: r.priority, action: r.action, match: { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: [r.range] } } }));
        const a = evaluateSecurityPolicy(decodeSecurityPolicy({ name: "p", rules: [...raw, dflt(dfltDeny ? "deny(403)" : "allow")] }), [one(ip)])[0]!;
        const b = evaluateSecurityPolicy(decodeSecurityPolicy({ name: "p", rules: [dflt(dfltDeny ? "deny(403)" : "allow"), ...raw.reverse()] }), [one(ip)])[0]!;
        expect(b.rule.priority).toBe(a.rule.priority);
        expect(b.status).toBe(a.status);
        // The decision is the lowest-numbered rule that matches.
        const matching = rules.filter((r) => (r.range.includes("/") ? (r.range === "10.0.0.0/8" ? ip.startsWith("10.") : r.range === "10.1.0.0/16" ? ip.startsWith("10.1.") : r.range === "192.0.2.0/24" ? ip.startsWith("192.0.2.") : ip.startsWith("2001:db8:")) : ip === r.range));
        const lowest = matching.sort((x, y) => x.priority - y.priority)[0];
        expect(a.rule.priority).toBe(lowest ? lowest.priority : 2147483647);
      }),
      { numRuns: RUNS },
    );
  });

  it("under the armor-first-listed model, a rule listed early decides even with a higher number", () => {
    const policy = decodeSecurityPolicy({ name: "p", rules: [{ priority: 2000, action: "deny(403)", match: everyone }, { priority: 1000, action: "allow", match: { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: ["203.0.113.0/24"] } } }, dflt()] });
    expect(evaluateSecurityPolicy(policy, [one("203.0.113.5")])[0]!.status).toBe(null);
    expect(evaluateSecurityPolicy(policy, [one("203.0.113.5")], "armor-first-listed")[0]!.status).toBe(403);
  });

  it("logs a preview rule's would-be action and goes on to the next rule", () => {
    const policy = decodeSecurityPolicy({ name: "p", rules: [{ priority: 10, action: "deny(403)", preview: true, match: { expr: { expression: "origin.region_code == 'FR'" } } }, dflt()] });
    const v = evaluateSecurityPolicy(policy, [one("203.0.113.5", GET(), "FR")])[0]!;
    expect(v.status).toBe(null);
    expect(v.rule.priority).toBe(2147483647);
    expect(v.previewed).toEqual([{ priority: 10, wouldBe: "deny(403)" }]);
  });

  it("throttles a client to the threshold: twice the rate gets the threshold through", () => {
    const policy = decodeSecurityPolicy({ name: "p", rules: [{ priority: 1000, action: "throttle", match: everyone, rateLimitOptions: { rateLimitThreshold: { count: 60, intervalSec: 60 }, conformAction: "allow", exceedAction: "deny(429)", enforceOnKey: "IP" } }, dflt()] });
    const series = requestSeries(3, [{ ip: "203.0.113.5", regionCode: "FR", rate: 2, durationSec: 120 }, { ip: "203.0.113.6", regionCode: "FR", rate: 0.5, durationSec: 120 }], GET());
    const verdicts = evaluateSecurityPolicy(policy, series);
    const fast = verdicts.filter((v) => v.ip === "203.0.113.5");
    const slow = verdicts.filter((v) => v.ip === "203.0.113.6");
    const allowed = fast.filter((v) => v.status === null).length;
    expect(allowed).toBeGreaterThanOrEqual(110);
    expect(allowed).toBeLessThanOrEqual(121);
    expect(fast.some((v) => v.status === 429)).toBe(true);
    expect(slow.every((v) => v.status === null)).toBe(true); // per-IP keys: the slow client is not affected
    // No 60-second window ever lets more than 60 of the fast client's requests through.
    const times = fast.filter((v) => v.status === null).map((v) => v.t);
    for (const t of times) expect(times.filter((u) => u > t - 60 && u <= t).length).toBeLessThanOrEqual(60);
  });

  it("enforceOnKey ALL shares one counter among clients", () => {
    const policy = decodeSecurityPolicy({ name: "p", rules: [{ priority: 1000, action: "throttle", match: everyone, rateLimitOptions: { rateLimitThreshold: { count: 10, intervalSec: 10 }, conformAction: "allow", exceedAction: "deny(429)" } }, dflt()] });
    const series = requestSeries(1, [{ ip: "203.0.113.5", regionCode: "FR", rate: 1, durationSec: 10 }, { ip: "203.0.113.6", regionCode: "DE", rate: 1, durationSec: 10 }], GET());
    expect(evaluateSecurityPolicy(policy, series).filter((v) => v.status === null).length).toBe(10);
  });

  it("bans a key for banDurationSec once it exceeds the threshold, then lets it back", () => {
    const policy = readSecurityPolicyYaml(EXAMPLE_POLICY_YAML);
    const series = requestSeries(5, [{ ip: "203.0.113.7", regionCode: "FR", rate: 3, durationSec: 60 }, { ip: "203.0.113.7", regionCode: "FR", rate: 0.1, durationSec: 100, startSec: 400 }], GET());
    const v = evaluateSecurityPolicy(policy, series);
    const firstExceed = v.findIndex((x) => x.status === 429);
    expect(v.slice(0, firstExceed).every((x) => x.status === null)).toBe(true);
    expect(firstExceed).toBe(100);
    const banStart = v[firstExceed]!.t;
    expect(v.filter((x) => x.t > banStart && x.t < banStart + 300).every((x) => x.status === 429 && x.outcome.startsWith("banned"))).toBe(true);
    expect(v.filter((x) => x.t >= banStart + 300).every((x) => x.status === null)).toBe(true);
  });

  it("with banThreshold, throttles first and bans only after enough requests exceeded", () => {
    const policy = decodeSecurityPolicy({ name: "p", rules: [{ priority: 1000, action: "rate_based_ban", match: everyone, rateLimitOptions: { rateLimitThreshold: { count: 10, intervalSec: 60 }, banThreshold: { count: 5, intervalSec: 60 }, banDurationSec: 600, conformAction: "allow", exceedAction: "deny(403)", enforceOnKey: "IP" } }, dflt()] });
    const series = requestSeries(2, [{ ip: "203.0.113.9", regionCode: "FR", rate: 1, durationSec: 30 }], GET());
    const v = evaluateSecurityPolicy(policy, series);
    const outcomes = v.map((x) => x.outcome.split(":")[0]);
    expect(outcomes.slice(0, 10).every((o) => o === "conform")).toBe(true);
    expect(outcomes.slice(10, 15).every((o) => o === "exceed")).toBe(true);
    expect(v[15]!.outcome).toMatch(/banned for 600 s/);
    expect(outcomes.slice(16).every((o) => o === "banned")).toBe(true);
  });

  it("refuses a policy the API refuses, each problem at its field", () => {
    expect(problemsOf({ name: "p", rules: [{ priority: 1, action: "allow", match: everyone }] })).toEqual([expect.stringMatching(/^rules: .*default rule at priority 2147483647/)]);
    expect(problemsOf({ name: "p", rules: [{ priority: 1, action: "allow", match: everyone }, { priority: 1, action: "deny(403)", match: everyone }, dflt()] })[0]).toMatch(/rules\.1\.priority: priority 1 is already used/);
    expect(problemsOf({ name: "p", rules: [{ priority: 1, action: "deny(418)", match: everyone }, dflt()] })[0]).toMatch(/rules\.0\.action: "deny\(418\)"/);
    expect(problemsOf({ name: "p", rules: [{ priority: 1, action: "throttle", match: everyone }, dflt()] })[0]).toMatch(/throttle needs rateLimitOptions/);
    expect(problemsOf({ name: "p", rules: [{ priority: 1, action: "allow", match: { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: Array.from({ length: 11 }, (_, i) => `10.0.${i}.0/24`) } } }, dflt()] })[0]).toMatch(/at most 10 ranges/);
    expect(problemsOf({ name: "p", rules: [{ priority: 1, action: "allow", match: { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: ["10.0.0.0/33"] } } }, dflt()] })[0]).toMatch(/srcIpRanges\.0: .*prefix length/);
    expect(problemsOf({ name: "p", rules: [{ priority: 2147483647, action: "allow", match: { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: ["10.0.0.0/8"] } } }] })[0]).toMatch(/must match srcIpRanges \['\*'\]/);
  });

  it("locates a bad expression at its YAML line", () => {
    const text = "name: p\nrules:\n- action: deny(403)\n  priority: 1\n  match:\n    expr:\n      expression: origin.ip = '1'\n- action: allow\n  priority: 2147483647\n  match:\n    versionedExpr: SRC_IPS_V1\n    config:\n      srcIpRanges: ['*']\n";
    expect(() => readSecurityPolicyYaml(text)).toThrow(/^line 7: rules\[0\]\.match\.expr\.expression: at character 11/);
  });

  it("builds the same series from the same seed", () => {
    const clients = [{ ip: "203.0.113.7", regionCode: "FR", rate: 3, durationSec: 20 }];
    expect(requestSeries(9, clients, GET())).toEqual(requestSeries(9, clients, GET()));
    expect(requestSeries(9, clients, GET())).not.toEqual(requestSeries(10, clients, GET()));
    expect(() => requestSeries(1, [{ ...clients[0]!, regionCode: "fr" }], GET())).toThrow(/two capital letters/);
  });
});

describe("address ranges", () => {
  it.each([
    ["2001:db8::/32", "2001:db8:1::1", true],
    ["2001:db8::/32", "2001:db9::1", false],
    ["10.0.0.0/8", "::ffff:10.1.2.3", true],
    ["0.0.0.0/0", "2001:db8::1", false],
    ["fe80::1:2:3:4/128", "fe80:0:0:0:1:2:3:4", true],
    ["64:ff9b::/96", "64:ff9b::192.0.2.33", true],
    ["173.245.48.0/20", "173.245.63.255", true],
    ["173.245.48.0/20", "173.245.64.0", false],
  ])("%s contains %s: %s", (range, address, expected) => {
    expect(parseIpRange(range).contains(address)).toBe(expected);
  });
  it.each(["1.2.3", "1.2.3.256", "01.2.3.4", "1:2:3:4:5:6:7:8:9", "1::2::3", "::g", "1:2:3:4:5:6:7::8"])("refuses %s", (text) => {
    expect(() => parseAddress(text)).toThrow(/not an IPv4 or IPv6 address/);
  });
});
