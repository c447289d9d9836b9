import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_INPUT, ORIGIN_CERTS, ORIGIN_LISTENERS, SSL_MODES, VISITOR_SCHEMES, parseSslMode, parseZoneHost, type SslInput,
} from "../../../../src/sim/tls/cloudflare-ssl/inputs";
import { browserValidates, cloudflareValidates, runSslMode, SSL_WRONG_MODELS } from "../../../../src/sim/tls/cloudflare-ssl/run";
import { sslMatrix, matrixCell } from "../../../../src/sim/tls/cloudflare-ssl/matrix";
import { InputError } from "../../../../src/sim/net/errors";

const RUNS = Number(process.env.EDGE_PROPERTY_RUNS ?? 200);
const run = (over: Partial<SslInput>) => runSslMode({ ...DEFAULT_INPUT, ...over });

const arbInput: fc.Arbitrary<SslInput> = fc.record({
  mode: fc.constantFrom(...SSL_MODES.map((m) => m.value)),
  cert: fc.constantFrom(...ORIGIN_CERTS.map((c) => c.value)),
  listener: fc.constantFrom(...ORIGIN_LISTENERS.map((l) => l.value)),
  visitor: fc.constantFrom(...VISITOR_SCHEMES.map((v) => v.value)),
  host: fc.constantFrom("www.example.com", "example.com", "api.example.com", "a.b.example.com"),
  alwaysUseHttps: fc.boolean(),
});

describe("Cloudflare's documented behaviour, case by case", () => {
  // ssl-modes/full-strict: unexpired, issued by a public CA or Cloudflare's Origin CA, CN or SAN matching; else 526.
  it("Full (strict) answers 526 to a self-signed, an expired and a wrong-host certificate, naming the check that failed", () => {
    const failed = { "self-signed": "self-signed", expired: "validity", "wrong-host": "name" } as const;
    for (const [cert, check] of Object.entries(failed)) {
      const r = run({ mode: "strict", cert: cert as keyof typeof failed });
      expect(r.outcome.status).toBe("526 Invalid SSL Certificate");
      expect(r.verdict?.failedCheck).toBe(check);
      expect(r.hops.edgeOrigin?.origin).toBe("rejected");
      expect(r.steps.some((s) => s.id === "origin-response")).toBe(false);
    }
  });

  it("Full (strict) accepts a public certificate and an Origin CA one, and authenticates the origin", () => {
    for (const cert of ["valid", "origin-ca"] as const) {
      const r = run({ mode: "strict", cert });
      expect(r.outcome).toMatchObject({ status: "200 OK", grade: "secure" });
      expect(r.hops.edgeOrigin).toEqual({ scheme: "https", port: 443, encrypted: true, origin: "verified" });
    }
  });

  // ssl-modes/full: "will not be validated in any way. It can be expired, self-signed, or not even have a matching CN/SAN".
  it("Full accepts every certificate it is shown, without authenticating the origin", () => {
    for (const cert of ["valid", "self-signed", "expired", "wrong-host", "origin-ca"] as const) {
      const r = run({ mode: "full", cert });
      expect(r.outcome.status).toBe("200 OK");
      expect(r.outcome.grade).toBe("weak");
      expect(r.hops.edgeOrigin).toEqual({ scheme: "https", port: 443, encrypted: true, origin: "unverified" });
      expect(r.verdict).toBeNull();
    }
  });

  it("never answers 502 for a certificate: the source material's claim is a wrong model", () => {
    for (const mode of ["full", "strict"] as const) {
      expect(run({ mode, cert: "self-signed" }).outcome.code).not.toBe(502);
      expect(runSslMode({ ...DEFAULT_INPUT, mode, cert: "self-signed" }, "self-signed-502").outcome.code).toBe(502);
    }
  });

  // cloudflare-5xx-errors/error-525: the handshake fails in Full or Full (strict) — no certificate, 443 closed to TLS, no SNI, no shared cipher.
  it("525 when the origin cannot complete a handshake, in Full and both strict modes alike", () => {
    for (const mode of ["full", "strict", "origin-pull"] as const) {
      const r = run({ mode, cert: "none" });
      expect(r.outcome.status).toBe("525 SSL Handshake Failed");
      expect(r.verdict).toBeNull();
    }
    expect(run({ mode: "flexible", cert: "none" }).outcome.status).toBe("200 OK");
  });

  // error-521: the origin refuses the connection; listen on 443 for Full and Full (strict), 80 for Flexible.
  it("521 when nothing listens on 443 and the mode needs it; Flexible works against the same origin", () => {
    for (const mode of ["full", "strict", "origin-pull"] as const) expect(run({ mode, listener: "http-only" }).outcome.status).toBe("521 Web Server Is Down");
    expect(run({ mode: "flexible", listener: "http-only" }).outcome.status).toBe("200 OK");
  });

  // ssl/troubleshooting/too-many-redirects: Flexible sends HTTP to an origin that redirects HTTP to HTTPS.
  it("Flexible in front of an origin that redirects HTTP to HTTPS loops, whatever the certificate", () => {
    for (const cert of ORIGIN_CERTS.map((c) => c.value)) {
      for (const visitor of ["https", "http"] as const) {
        const r = run({ mode: "flexible", cert, listener: "https-only", visitor });
        expect(r.outcome.kind).toBe("redirect-loop");
        expect(r.outcome.shown).toContain("ERR_TOO_MANY_REDIRECTS");
        expect(r.steps.filter((s) => s.id.endsWith("origin-redirect")).length).toBeGreaterThan(0);
      }
    }
    expect(run({ mode: "full", listener: "https-only" }).outcome.status).toBe("200 OK");
  });

  // ssl-modes/off: "redirects any HTTPS request to plaintext HTTP".
  it("Off sends an HTTPS visitor to http:// and fetches the origin over port 80", () => {
    const r = run({ mode: "off", cert: "valid" });
    expect(r.steps.map((s) => s.id).slice(0, 4)).toEqual(["visitor-https", "edge-tls", "edge-redirect-http", "r2-visitor-http"]);
    expect(r.finalUrl).toBe("http://www.example.com/");
    expect(r.outcome).toMatchObject({ status: "200 OK", short: "200 over HTTP", grade: "weak" });
    expect(r.hops.visitorEdge?.encrypted).toBe(false);
    expect(run({ mode: "off", listener: "https-only" }).outcome.kind).toBe("redirect-loop");
  });

  // ssl-modes/full: "If your visitor uses http, then Cloudflare connects to the origin using plaintext HTTP".
  it("Full and Full (strict) follow the visitor's scheme; Strict (SSL-Only Origin Pull) always uses TLS", () => {
    for (const mode of ["full", "strict"] as const) {
      const r = run({ mode, cert: "self-signed", visitor: "http" });
      expect(r.hops.edgeOrigin).toEqual({ scheme: "http", port: 80, encrypted: false, origin: "plain" });
      expect(r.outcome.status).toBe("200 OK");
    }
    const pull = run({ mode: "origin-pull", cert: "self-signed", visitor: "http" });
    expect(pull.hops.visitorEdge?.encrypted).toBe(false);
    expect(pull.outcome.status).toBe("526 Invalid SSL Certificate");
  });

  it("Always Use HTTPS upgrades at the edge, before the origin is contacted, and is not offered in Off", () => {
    const r = run({ mode: "strict", visitor: "http", alwaysUseHttps: true });
    expect(r.steps[1]!.id).toBe("edge-always-https");
    expect(r.finalUrl).toBe("https://www.example.com/");
    expect(r.outcome.grade).toBe("secure");
    expect(run({ mode: "off", visitor: "http", alwaysUseHttps: true }).finalUrl).toBe("http://www.example.com/");
  });

  it("a name the edge certificate does not cover fails before the mode matters", () => {
    for (const mode of SSL_MODES.map((m) => m.value)) {
      expect(run({ mode, host: "a.b.example.com" }).outcome.short).toBe("No edge cert");
    }
  });

  // origin-ca troubleshooting: browsers do not trust the Origin CA, so a visitor who bypasses Cloudflare sees an error.
  it("a browser refuses the Origin CA certificate that Cloudflare accepts", () => {
    expect(cloudflareValidates("origin-ca", "www.example.com").result).toBe("SUCCESS");
    const direct = browserValidates("origin-ca", "www.example.com");
    expect(direct.result).toBe("FAILURE");
    expect(browserValidates("valid", "www.example.com").result).toBe("SUCCESS");
  });

  it("an Origin CA certificate names hosts by SAN only: its CN is not a host name", () => {
    const v = cloudflareValidates("origin-ca", "api.example.com");
    const name = v.checks.find((c) => c.check === "name")!;
    expect(name.ok).toBe(true);
    expect(name.detail).toContain("*.example.com");
  });
});

describe("inputs", () => {
  it("reads full-strict as strict and rejects unknown values with the list", () => {
    expect(parseSslMode("full-strict")).toBe("strict");
    expect(parseSslMode("origin_pull")).toBe("origin-pull");
    expect(() => parseSslMode("fullest")).toThrow(/off, flexible, full, strict, origin-pull/);
    expect(() => parseZoneHost("www.example.org")).toThrow(InputError);
    expect(parseZoneHost("WWW.Example.COM.")).toBe("www.example.com");
  });
});

describe("invariants over every input", () => {
  it("is deterministic, with unique step ids ending in what the visitor sees", () => {
    fc.assert(fc.property(arbInput, (input) => {
      const a = runSslMode(input);
      expect(JSON.stringify(runSslMode(input))).toBe(JSON.stringify(a));
      const ids = a.steps.map((s) => s.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.at(-1)).toBe("visitor-sees");
    }), { numRuns: RUNS });
  });

  it("Flexible and Off never encrypt the origin hop; only the strict modes authenticate it", () => {
    fc.assert(fc.property(arbInput, (input) => {
      const r = runSslMode(input);
      const hop = r.hops.edgeOrigin;
      if (hop && (input.mode === "flexible" || input.mode === "off")) expect(hop).toMatchObject({ encrypted: false, origin: "plain" });
      if (hop?.origin === "verified") expect(["strict", "origin-pull"]).toContain(input.mode);
      if (r.outcome.code === 526) expect(["strict", "origin-pull"]).toContain(input.mode);
      if (r.outcome.code === 525) expect(input.cert).toBe("none");
    }), { numRuns: RUNS });
  });

  it("a page is graded secure exactly when both hops are encrypted and the origin was verified", () => {
    fc.assert(fc.property(arbInput, (input) => {
      const r = runSslMode(input);
      if (r.outcome.kind !== "page") return;
      const secure = r.hops.visitorEdge!.encrypted && r.hops.edgeOrigin!.encrypted && r.hops.edgeOrigin!.origin === "verified";
      expect(r.outcome.grade === "secure").toBe(secure);
    }), { numRuns: RUNS });
  });

  it("whatever Full (strict) serves, Full serves too (Full accepts a superset)", () => {
    fc.assert(fc.property(arbInput, (input) => {
      if (runSslMode({ ...input, mode: "strict" }).outcome.kind === "page") {
        expect(runSslMode({ ...input, mode: "full" }).outcome.kind).toBe("page");
      }
    }), { numRuns: RUNS });
  });

  it("a redirect loop needs a plain-HTTP request to an origin that redirects HTTP", () => {
    fc.assert(fc.property(arbInput, (input) => {
      const r = runSslMode(input);
      if (r.outcome.kind === "redirect-loop") {
        expect(input.listener).toBe("https-only");
        expect(r.steps.some((s) => s.id.endsWith("origin-redirect"))).toBe(true);
      }
    }), { numRuns: RUNS });
  });

  it("every wrong model changes some cell of the matrix", () => {
    for (const model of SSL_WRONG_MODELS) {
      const differs = SSL_MODES.some((m) => ORIGIN_CERTS.some((c) => ORIGIN_LISTENERS.some((l) => {
        const input = { ...DEFAULT_INPUT, mode: m.value, cert: c.value, listener: l.value };
        return JSON.stringify(runSslMode(input).outcome) !== JSON.stringify(runSslMode(input, model).outcome);
      })));
      expect(differs, model).toBe(true);
    }
  });
});

describe("the matrix", () => {
  it("holds one run per mode and certificate", () => {
    const m = sslMatrix({ listener: "both", visitor: "https", host: "www.example.com", alwaysUseHttps: false });
    expect(m.rows).toHaveLength(SSL_MODES.length);
    expect(m.rows.every((row) => row.length === ORIGIN_CERTS.length)).toBe(true);
    expect(matrixCell(m, "strict", "self-signed").result.outcome.code).toBe(526);
    expect(matrixCell(m, "full", "self-signed").result.outcome.code).toBe(200);
  });
});
