import fc from "fast-check";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { EXAMPLE_URL_MAP, EXAMPLE_URL_MAP_YAML, API_BACKEND, DEFAULT_HTTP_BACKEND, WEB_BACKEND } from "../../../src/sim/edge/gfe-examples";
import { GfeYamlError, readUrlMapYaml } from "../../../src/sim/edge/gfe-yaml";
import { parseHttpRequest } from "../../../src/sim/edge/gfe-request";
import { decodeUrlMap, isGkeDefaultBackend, matchUrlMap, UrlMapError, type UrlMap } from "../../../src/sim/edge/url-map";

const RUNS = Number(process.env.EDGE_PROPERTY_RUNS ?? 200);

const route = (map: UrlMap, url: string, host = "", extra: { method?: string; headersText?: string } = {}) =>
  matchUrlMap(map, parseHttpRequest({ url, host, ...extra }));
const serviceOf = (map: UrlMap, url: string, host = "") => {
  const t = route(map, url, host).target;
  return t.kind === "service" ? t.name : `redirect ${t.status}`;
};
const problemsOf = (raw: unknown): string[] => {
  try {
    decodeUrlMap(raw);
  } catch (error) {
    if (error instanceof UrlMapError) return error.problems.map((p) => `${p.path.join(".")}: ${p.message}`);
    throw error;
  }
  return [];
};

/**
 * The URL maps overview's worked example (cloud.google.com/load-balancing/docs/url-map-concepts):
 * example.net serves training videos with HD and SD paths on their own services, example.org the
 * organisation's site; anything else goes to the default service.
 */
const OVERVIEW = decodeUrlMap({
  name: "video-org-url-map",
  defaultService: "org-site",
  hostRules: [
    { hosts: ["example.org"], pathMatcher: "org-site" },
    { hosts: ["example.net"], pathMatcher: "video-site" },
  ],
  pathMatchers: [
    { name: "org-site", defaultService: "org-site" },
    {
      name: "video-site", defaultService: "video-site",
      pathRules: [
        { paths: ["/video/hd", "/video/hd/*"], service: "video-hd" },
        { paths: ["/video/sd", "/video/sd/*"], service: "video-sd" },
      ],
    },
  ],
});

describe("URL map: documented behaviour", () => {
  it("routes the URL maps overview's example", () => {
    expect(serviceOf(OVERVIEW, "https://example.net/video/hd/intro.mp4")).toBe("video-hd");
    expect(serviceOf(OVERVIEW, "https://example.net/video/sd")).toBe("video-sd");
    expect(serviceOf(OVERVIEW, "https://example.net/video/4k/x")).toBe("video-site");
    expect(serviceOf(OVERVIEW, "https://example.org/video/hd/x")).toBe("org-site");
    expect(route(OVERVIEW, "https://example.com/").fellBack).toBe("url-map");
    expect(route(OVERVIEW, "https://example.net/about").fellBack).toBe("path-matcher");
  });

  it("matches /a/b/c/* before /a/b/* whatever their order (PathMatcher.pathRules reference)", () => {
    const make = (first: string, second: string) =>
      decodeUrlMap({ name: "m", defaultService: "d", hostRules: [{ hosts: ["*"], pathMatcher: "p" }], pathMatchers: [{ name: "p", defaultService: "d", pathRules: [{ paths: [first], service: first === "/a/b/*" ? "short" : "long" }, { paths: [second], service: second === "/a/b/*" ? "short" : "long" }] }] });
    for (const map of [make("/a/b/*", "/a/b/c/*"), make("/a/b/c/*", "/a/b/*")]) {
      expect(serviceOf(map, "/a/b/c/d", "x.example")).toBe("long");
      expect(serviceOf(map, "/a/b/x", "x.example")).toBe("short");
    }
  });

  it("feeds the path matcher nothing after the first ? or # (PathRule.paths reference)", () => {
    const map = decodeUrlMap(EXAMPLE_URL_MAP);
    const d = route(map, "https://www.example.com/api?next=/other/*");
    expect(d.path).toBe("/api");
    expect(d.target).toMatchObject({ name: API_BACKEND });
    expect(problemsOf({ ...EXAMPLE_URL_MAP, pathMatchers: [{ ...EXAMPLE_URL_MAP.pathMatchers[0], pathRules: [{ paths: ["/a?b"], service: "x" }] }] })[0]).toMatch(/cannot contain \? or #/);
  });

  it("allows * in a path only at the end after a /", () => {
    const bad = (p: string) => problemsOf({ name: "m", defaultService: "d", pathMatchers: [{ name: "p", defaultService: "d", pathRules: [{ paths: [p], service: "s" }] }] });
    expect(bad("/a*")[0]).toMatch(/only allowed at the end, after a \//);
    expect(bad("/*/b")[0]).toMatch(/only allowed at the end/);
    expect(bad("a/*")[0]).toMatch(/must start with \//);
    expect(bad("/a/*")).toEqual([]);
  });

  it("does not match /foo with /foo/* (GKE writes both /foo and /foo/* for pathType Prefix)", () => {
    const map = decodeUrlMap({ name: "m", defaultService: "d", hostRules: [{ hosts: ["*"], pathMatcher: "p" }], pathMatchers: [{ name: "p", defaultService: "d", pathRules: [{ paths: ["/foo/*"], service: "foo" }] }] });
    expect(serviceOf(map, "/foo", "h.example")).toBe("d");
    expect(serviceOf(map, "/foo/", "h.example")).toBe("foo");
    expect(serviceOf(map, "/foo/bar", "h.example")).toBe("foo");
    expect(route(map, "/foo", "h.example").steps.find((s) => s.stage === "path")?.why).toMatch(/covers \/foo\/ and below, not \/foo itself/);
  });

  it("reads host wildcards as gcloud url-maps add-host-rule describes them (*-foo.example.com, example.com)", () => {
    const map = decodeUrlMap({ name: "m", defaultService: "d", hostRules: [{ hosts: ["*-foo.example.com", "example.com"], pathMatcher: "www" }], pathMatchers: [{ name: "www", defaultService: "www" }] });
    expect(serviceOf(map, "/", "bar-foo.example.com")).toBe("www");
    expect(serviceOf(map, "/", "a.b-foo.example.com")).toBe("www");
    expect(serviceOf(map, "/", "example.com")).toBe("www");
    expect(serviceOf(map, "/", "-foo.example.com")).toBe("d"); // * matches a non-empty run
    expect(serviceOf(map, "/", "foo.example.com")).toBe("d");
    expect(serviceOf(map, "/", "www.example.com")).toBe("d");
  });

  it("refuses host patterns the HostRule reference forbids, and a host in two rules", () => {
    const bad = (hosts: string[][]) => problemsOf({ name: "m", defaultService: "d", hostRules: hosts.map((h) => ({ hosts: h, pathMatcher: "p" })), pathMatchers: [{ name: "p", defaultService: "d" }] });
    expect(bad([["www.*.com"]])[0]).toMatch(/\* may only come first/);
    expect(bad([["*example.com"]])[0]).toMatch(/\* may only come first, followed by \. or -/);
    expect(bad([["a.example.com"], ["A.example.com"]])[0]).toMatch(/already in hostRules\[0\]/);
    expect(bad([["www.example.com:8080", "*"]])).toEqual([]);
  });

  it("prefers an exact host, then the longest wildcard, then *", () => {
    const map = decodeUrlMap({
      name: "m", defaultService: "d",
      hostRules: [
        { hosts: ["*"], pathMatcher: "any" },
        { hosts: ["*.example.com"], pathMatcher: "wide" },
        { hosts: ["*.shop.example.com"], pathMatcher: "narrow" },
        { hosts: ["eu.shop.example.com"], pathMatcher: "exact" },
      ],
      pathMatchers: ["any", "wide", "narrow", "exact"].map((name) => ({ name, defaultService: name })),
    });
    expect(serviceOf(map, "/", "eu.shop.example.com")).toBe("exact");
    expect(serviceOf(map, "/", "us.shop.example.com")).toBe("narrow");
    expect(serviceOf(map, "/", "www.example.com")).toBe("wide");
    expect(serviceOf(map, "/", "example.org")).toBe("any");
  });

  it("matches the Host case-insensitively and with or without its port", () => {
    const map = decodeUrlMap({ name: "m", defaultService: "d", hostRules: [{ hosts: ["www.example.com"], pathMatcher: "p" }, { hosts: ["www.example.com:8443"], pathMatcher: "q" }], pathMatchers: [{ name: "p", defaultService: "p" }, { name: "q", defaultService: "q" }] });
    expect(serviceOf(map, "/", "WWW.Example.COM")).toBe("p");
    expect(serviceOf(map, "/", "www.example.com:443")).toBe("p");
    expect(serviceOf(map, "/", "www.example.com:8443")).toBe("q");
  });

  it("evaluates route rules from the lowest priority number; the first that matches applies (HttpRouteRule.priority)", () => {
    const map = decodeUrlMap({
      name: "m", defaultService: "d", hostRules: [{ hosts: ["*"], pathMatcher: "p" }],
      pathMatchers: [{
        name: "p", defaultService: "d",
        routeRules: [
          { priority: 16, matchRules: [{ prefixMatch: "/" }], service: "catch-all" },
          { priority: 2, matchRules: [{ prefixMatch: "/api/", headerMatches: [{ headerName: "x-canary", exactMatch: "1" }] }], service: "canary" },
          { priority: 5, matchRules: [{ regexMatch: "/api/v[0-9]+/.*" }, { fullPathMatch: "/API", ignoreCase: true }], service: "api" },
          { priority: 9, matchRules: [{ prefixMatch: "/", queryParameterMatches: [{ name: "debug", presentMatch: true }] }], service: "debug" },
        ],
      }],
    });
    expect(serviceOf(map, "/api/v2/users", "h.example")).toBe("api");
    expect(matchUrlMap(map, parseHttpRequest({ url: "/api/v2/users", host: "h.example", headersText: "X-Canary: 1" })).target).toMatchObject({ name: "canary" });
    expect(serviceOf(map, "/api", "h.example")).toBe("api"); // fullPathMatch with ignoreCase
    expect(serviceOf(map, "/x?debug", "h.example")).toBe("debug");
    expect(serviceOf(map, "/x", "h.example")).toBe("catch-all");
    expect(problemsOf({ name: "m", defaultService: "d", pathMatchers: [{ name: "p", defaultService: "d", routeRules: [{ priority: 1, service: "a" }, { priority: 1, service: "b" }] }] })[0]).toMatch(/priority 1 is already used/);
  });

  it("refuses pathRules and routeRules in one path matcher, and a host rule naming no path matcher", () => {
    const problems = problemsOf({ name: "m", defaultService: "d", hostRules: [{ hosts: ["a.example"], pathMatcher: "nope" }], pathMatchers: [{ name: "p", defaultService: "d", pathRules: [{ paths: ["/*"], service: "s" }], routeRules: [{ priority: 1, service: "s" }] }] });
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/only one of pathRules or routeRules/), expect.stringMatching(/no path matcher is named "nope"/)]));
  });

  it("sends an unknown Host on GKE Ingress to the default backend, a 404 server", () => {
    const map = readUrlMapYaml(EXAMPLE_URL_MAP_YAML);
    const d = route(map, "https://example.com/");
    expect(d.fellBack).toBe("url-map");
    expect(d.target).toMatchObject({ name: DEFAULT_HTTP_BACKEND });
    expect(isGkeDefaultBackend(d.target)).toBe(true);
    expect(d.steps.at(-1)?.why).toMatch(/No host rule matches example\.com/);
    expect(serviceOf(map, "https://www.example.com/shop")).toBe(WEB_BACKEND);
    expect(serviceOf(map, "https://www.example.com/apix")).toBe(WEB_BACKEND);
  });

  it("picks among weighted backend services by the seed, in proportion to the weights", () => {
    const map = decodeUrlMap({ name: "m", defaultService: "d", hostRules: [{ hosts: ["*"], pathMatcher: "p" }], pathMatchers: [{ name: "p", defaultService: "d", routeRules: [{ priority: 1, routeAction: { weightedBackendServices: [{ backendService: "blue", weight: 90 }, { backendService: "green", weight: 10 }] } }] }] });
    const picks = Array.from({ length: 2000 }, (_, seed) => matchUrlMap(map, parseHttpRequest({ url: "/", host: "h.example" }), { seed }).target);
    const green = picks.filter((t) => t.kind === "service" && t.name === "green").length / picks.length;
    expect(green).toBeGreaterThan(0.07);
    expect(green).toBeLessThan(0.13);
    expect(matchUrlMap(map, parseHttpRequest({ url: "/", host: "h.example" }), { seed: 7 })).toEqual(matchUrlMap(map, parseHttpRequest({ url: "/", host: "h.example" }), { seed: 7 }));
  });
});

describe("URL map: YAML input", () => {
  it("decodes the example's export text to the example object", () => {
    expect(parse(EXAMPLE_URL_MAP_YAML)).toEqual(EXAMPLE_URL_MAP);
  });

  it("names each problem by line and field", () => {
    const text = ["name: m", "defaultService: d", "hostRules:", "- hosts:", "  - www.*.com", "  pathMatcher: p", "pathMatchers:", "- name: p", "  defaultService: d", "  pathRules:", "  - paths: ['/a*']", "    service: s", ""].join("\n");
    try {
      readUrlMapYaml(text);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(GfeYamlError);
      const problems = (error as GfeYamlError).problems;
      expect(problems.map((p) => [p.line, p.field])).toEqual([[5, "hostRules[0].hosts[0]"], [11, "pathMatchers[0].pathRules[0].paths[0]"]]);
    }
  });

  it("reports a YAML syntax error at its line", () => {
    expect(() => readUrlMapYaml("name: m\ndefaultService: [a\n")).toThrow(/line \d+:/);
  });
});

describe("URL map: properties", () => {
  const paths = fc.array(fc.stringMatching(/^\/[a-c]{1,2}(\/[a-c]{1,2}){0,2}(\/\*)?$/), { minLength: 1, maxLength: 8 }).map((ps) => [...new Set(ps)]);
  const request = fc.stringMatching(/^\/[a-c]{1,2}(\/[a-c]{1,2}){0,3}\/?$/);

  it("the longest matching path wins, whatever order the rules are listed in", () => {
    fc.assert(
      fc.property(paths, request, fc.integer(), (ps, path, seed) => {
        const rules = ps.map((p, i) => ({ paths: [p], service: `s${i}` }));
        const shuffled = [...rules].sort((a, b) => ((a.paths[0]!.length * 31 + seed) % 7) - ((b.paths[0]!.length * 31 + seed) % 7));
        const make = (pr: typeof rules) => decodeUrlMap({ name: "m", defaultService: "d", hostRules: [{ hosts: ["*"], pathMatcher: "p" }], pathMatchers: [{ name: "p", defaultService: "d", pathRules: pr }] });
        const a = serviceOf(make(rules), path, "h.example");
        const b = serviceOf(make([...shuffled].reverse()), path, "h.example");
        expect(a).toBe(b);
        // And no matching path is longer than the winner's.
        const matching = ps.filter((p) => (p.endsWith("/*") ? path.startsWith(p.slice(0, -1)) : path === p));
        if (matching.length === 0) expect(a).toBe("d");
        else expect(ps[Number(a.slice(1))]).toBe(matching.sort((x, y) => y.replace("*", "").length - x.replace("*", "").length || (x.endsWith("*") ? 1 : -1))[0]);
      }),
      { numRuns: RUNS },
    );
  });

  it("route rules decide by priority, not by listing order", () => {
    const rules = fc.uniqueArray(fc.record({ priority: fc.integer({ min: 0, max: 50 }), prefix: fc.stringMatching(/^\/[ab]{0,3}$/) }), { selector: (r) => r.priority, minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(rules, request, (rs, path) => {
        const make = (list: typeof rs) => decodeUrlMap({ name: "m", defaultService: "d", hostRules: [{ hosts: ["*"], pathMatcher: "p" }], pathMatchers: [{ name: "p", defaultService: "d", routeRules: list.map((r) => ({ priority: r.priority, matchRules: [{ prefixMatch: r.prefix }], service: `p${r.priority}` })) }] });
        const expected = [...rs].sort((a, b) => a.priority - b.priority).find((r) => path.startsWith(r.prefix));
        expect(serviceOf(make(rs), path, "h.example")).toBe(expected ? `p${expected.priority}` : "d");
        expect(serviceOf(make([...rs].reverse()), path, "h.example")).toBe(expected ? `p${expected.priority}` : "d");
      }),
      { numRuns: RUNS },
    );
  });

  it("the first-path-rule-wins model differs from the real matcher only when rules overlap", () => {
    const map = readUrlMapYaml(EXAMPLE_URL_MAP_YAML);
    const req = parseHttpRequest({ url: "https://www.example.com/api/v1" });
    expect(matchUrlMap(map, req).target).toMatchObject({ name: API_BACKEND });
    expect(matchUrlMap(map, req, { model: "first-path-rule-wins" }).target).toMatchObject({ name: WEB_BACKEND });
    const plain = parseHttpRequest({ url: "https://www.example.com/shop" });
    expect(matchUrlMap(map, plain, { model: "first-path-rule-wins" }).target).toEqual(matchUrlMap(map, plain).target);
  });
});
