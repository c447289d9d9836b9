/**
 * Cloudflare's SSL/TLS encryption modes against good and broken origins: what the visitor ends up seeing,
 * which hop is encrypted, whether the origin was authenticated, and the ordered steps that led there.
 *
 * The rules, from Cloudflare's documentation (developers.cloudflare.com/ssl/origin-configuration/ssl-modes/):
 * - Off: an HTTPS request is redirected to plain HTTP; the origin is reached over HTTP.
 * - Flexible: HTTPS between visitor and Cloudflare; every connection to the origin is plain HTTP on port 80.
 * - Full: Cloudflare connects to the origin with the scheme the visitor used; over HTTPS the origin must present
 *   a certificate, which "will not be validated in any way" — expired, self-signed or for another name all pass.
 * - Full (strict): as Full, and the certificate must be unexpired, issued by a publicly trusted CA or Cloudflare's
 *   Origin CA, and carry "a Common Name (CN) or Subject Alternative Name (SAN) that matches" the host; otherwise 526.
 * - Strict (SSL-Only Origin Pull), Enterprise: always HTTPS to the origin, validated as in Full (strict).
 * The 52x pages (…/cloudflare-5xx-errors/): 521 when the origin refuses the connection (nothing listening on the
 * port the mode needs, or a firewall rejecting Cloudflare); 525 when the TLS handshake with the origin fails in Full
 * or Full (strict) (no certificate, port 443 not speaking TLS, no SNI support, no shared cipher suite); 526 when
 * Full (strict) cannot validate the certificate. A self-signed origin certificate is 526 in Full (strict), accepted
 * in Full — never 502, which is Cloudflare passing on (or failing to get) a bad gateway answer from the origin.
 *
 * What the model leaves out: 522 (Cloudflare's SYN unanswered for 19 s, or the request unacknowledged for 90 s —
 * a firewall that drops rather than rejects), revocation, the Custom Origin Trust Store, Authenticated Origin Pulls,
 * the exact second at a validity bound (Cloudflare's docs write notBefore < now < notAfter; the engine follows
 * RFC 5280's inclusive bounds), HSTS, caching, and non-standard ports (Flexible falls back to Full on those).
 */
import { matchReferenceId } from "../x509/names";
import type { CheckResult, Verdict } from "../x509/types";
import { validatePath } from "../x509/validate";
import {
  BROWSER_TRUST_STORE, CLOUDFLARE_TRUST_STORE, ORIGIN_CHAINS, PUBLIC_ROOT, VALIDATION_AT, sanText, signatureOk,
} from "./certificates";
import { EDGE_CERT_NAMES, ORIGIN_CERTS, SSL_MODES, labelOf, type SslInput, type SslMode } from "./inputs";

/**
 * Wrong mental models, each a mode of this simulator (the misconceptions in src/quiz/engine/misconceptions/ssl-modes.ts):
 * - "self-signed-502": the source material's claim — a self-signed origin certificate makes Cloudflare answer 502.
 * - "full-validates-origin": Full checks the origin's certificate as Full (strict) does.
 * - "flexible-encrypts-origin": Flexible encrypts the hop to the origin (HTTPS, unchecked, like Full).
 * - "strict-rejects-origin-ca": Full (strict) trusts public CAs only, so an Origin CA certificate fails.
 */
export type SslWrongModel = "self-signed-502" | "full-validates-origin" | "flexible-encrypts-origin" | "strict-rejects-origin-ca";
export const SSL_WRONG_MODELS: readonly SslWrongModel[] = [
  "self-signed-502", "full-validates-origin", "flexible-encrypts-origin", "strict-rejects-origin-ca",
];

export type Actor = "visitor" | "edge" | "origin";

export interface SslStep {
  /** Stable: links, answer keys and the lab's stepper point here. A request the browser repeats gets "r2-…". */
  readonly id: string;
  readonly actor: Actor;
  /** What happens, with this case's values. */
  readonly what: string;
  /** Why: the rule or documented behaviour that decides it. */
  readonly why: string;
  /** Full (strict)'s checks on the origin's certificate, as the X.509 engine ran them. */
  readonly checks?: readonly CheckResult[];
}

/** One hop of the last request: its scheme and port, whether it is encrypted, and (edge→origin) whether the origin was authenticated. */
export interface Hop {
  readonly scheme: "https" | "http";
  readonly port: 443 | 80;
  readonly encrypted: boolean;
  /**
   * edge→origin only: "verified" (Full (strict) checked the certificate and accepted it), "unverified" (TLS,
   * certificate unchecked), "plain" (no TLS), "rejected" (Full (strict) refused the certificate: no request crossed),
   * "failed" (no TLS session: the connection was refused or the handshake failed).
   */
  readonly origin?: "verified" | "unverified" | "plain" | "rejected" | "failed";
}

export type OutcomeKind = "page" | "error-page" | "redirect-loop" | "browser-error";

export interface SslOutcome {
  readonly kind: OutcomeKind;
  /** The HTTP status line the visitor's browser finally received, or null when it received none. */
  readonly status: string | null;
  readonly code: number | null;
  /** What the visitor sees, one sentence. */
  readonly shown: string;
  /** For a matrix cell: "200 OK", "526", "Redirect loop", … */
  readonly short: string;
  /** "secure": a page with both hops encrypted and the origin authenticated; "weak": a page, but not all of that; "broken": no page. */
  readonly grade: "secure" | "weak" | "broken";
}

export interface SslResult {
  readonly input: SslInput;
  readonly model: SslWrongModel | null;
  readonly outcome: SslOutcome;
  /** The hops of the last request the browser made; edgeOrigin null when it never left Cloudflare. */
  readonly hops: { readonly visitorEdge: Hop | null; readonly edgeOrigin: Hop | null };
  /** The URL the browser was on at the end. */
  readonly finalUrl: string;
  /** Full (strict)'s verdict on the origin's certificate, when it ran. */
  readonly verdict: Verdict | null;
  readonly steps: readonly SslStep[];
}

/** Chromium's and Firefox's redirect limit: after 20 redirects the browser stops with ERR_TOO_MANY_REDIRECTS. */
export const BROWSER_REDIRECT_LIMIT = 20;

const STATUS = {
  200: "200 OK",
  301: "301 Moved Permanently",
  502: "502 Bad Gateway",
  521: "521 Web Server Is Down",
  525: "525 SSL Handshake Failed",
  526: "526 Invalid SSL Certificate",
} as const;

const port = (scheme: "https" | "http"): 443 | 80 => (scheme === "https" ? 443 : 80);

/** The scheme Cloudflare uses towards the origin (Full follows the visitor; Strict (SSL-Only Origin Pull) never does). */
export function originScheme(mode: SslMode, visitorScheme: "https" | "http", model: SslWrongModel | null = null): "https" | "http" {
  if (mode === "off") return "http";
  if (mode === "flexible") return model === "flexible-encrypts-origin" ? "https" : "http";
  if (mode === "origin-pull") return "https";
  return visitorScheme;
}

/** Whether the mode checks the origin's certificate (under a wrong model, Full does too). */
export function checksCertificate(mode: SslMode, model: SslWrongModel | null = null): boolean {
  return mode === "strict" || mode === "origin-pull" || (mode === "full" && model === "full-validates-origin");
}

/** Full (strict)'s check: the X.509 engine over the origin's chain, Cloudflare's trust store and the CN-or-SAN name rule. */
export function cloudflareValidates(cert: Exclude<SslInput["cert"], "none">, host: string, model: SslWrongModel | null = null): Verdict {
  return validatePath({
    chain: ORIGIN_CHAINS[cert],
    roots: model === "strict-rejects-origin-ca" ? [PUBLIC_ROOT] : CLOUDFLARE_TRUST_STORE,
    signatureOk,
    at: VALIDATION_AT,
    host,
    // The docs accept "a Common Name (CN) or Subject Alternative Name (SAN) that matches". The engine's
    // cn-fallback reads the CN only when the certificate has no DNS SAN; the two differ only for a certificate
    // whose SANs miss the host while its CN names it, which none of this model's certificates is.
    nameModel: "cn-fallback",
  });
}

/** What a browser would say of the same chain (a visitor who bypasses Cloudflare): public roots only, RFC 9525 names. */
export function browserValidates(cert: Exclude<SslInput["cert"], "none">, host: string): Verdict {
  return validatePath({ chain: ORIGIN_CHAINS[cert], roots: BROWSER_TRUST_STORE, signatureOk, at: VALIDATION_AT, host, nameModel: "rfc9525" });
}

/**
 * Follows one visitor through the zone's settings to an outcome.
 *
 * @example runSslMode({ ...DEFAULT_INPUT, mode: "full", cert: "self-signed" }).outcome.status // "200 OK"
 * @example runSslMode({ ...DEFAULT_INPUT, mode: "strict", cert: "self-signed" }).outcome.status // "526 Invalid SSL Certificate"
 */
export function runSslMode(input: SslInput, model: SslWrongModel | null = null): SslResult {
  const steps: SslStep[] = [];
  const { mode, cert, listener, host } = input;
  const modeName = labelOf(SSL_MODES, mode);
  const seen = new Map<string, string>();
  let scheme = input.visitor;
  let round = 0;
  let verdict: Verdict | null = null;
  let visitorEdge: Hop | null = null;
  let edgeOrigin: Hop | null = null;
  let redirects = 0;

  const add = (id: string, actor: Actor, what: string, why: string, checks?: readonly CheckResult[]) => {
    steps.push({ id: round > 1 ? `r${round}-${id}` : id, actor, what, why, ...(checks ? { checks } : {}) });
  };
  const url = () => `${scheme}://${host}/`;
  const finish = (outcome: SslOutcome): SslResult => {
    steps.push({ id: "visitor-sees", actor: "visitor", what: outcome.shown, why: whySees(outcome, mode) });
    return { input, model, outcome, hops: { visitorEdge, edgeOrigin }, finalUrl: url(), verdict, steps };
  };

  for (;;) {
    const again = seen.get(scheme);
    if (again !== undefined) {
      steps.push({
        id: "loop", actor: "visitor",
        what: `The browser asks for ${url()} again — the request of step ${again} — and the same redirects follow.`,
        why: `Nothing in the loop changes: each side keeps sending the visitor to the scheme the other redirects away from. Browsers stop after ${BROWSER_REDIRECT_LIMIT} redirects.`,
      });
      return finish({
        kind: "redirect-loop", status: null, code: null, grade: "broken", short: "Redirect loop",
        shown: `ERR_TOO_MANY_REDIRECTS: the browser gives up after ${BROWSER_REDIRECT_LIMIT} redirects between http:// and https://.`,
      });
    }
    round++;
    seen.set(scheme, round > 1 ? `r${round}-visitor-${scheme}` : `visitor-${scheme}`);
    visitorEdge = { scheme, port: port(scheme), encrypted: scheme === "https" };
    edgeOrigin = null;
    add(`visitor-${scheme}`, "visitor", `The browser requests ${url()}: TCP to Cloudflare's anycast address on port ${port(scheme)}.`,
      round === 1 ? "The DNS record is proxied, so the name resolves to Cloudflare, never to the origin." : `It follows redirect ${redirects}.`);

    if (scheme === "https") {
      const covered = EDGE_CERT_NAMES.find((n) => matchReferenceId({ san: [{ type: "dns", value: n }], commonName: null }, host).ok);
      if (covered === undefined) {
        add("edge-tls", "edge", `No edge certificate covers ${host}: Cloudflare's Universal SSL certificate names ${EDGE_CERT_NAMES.join(" and ")}.`,
          "A wildcard stands for exactly one label (RFC 9525 §6.3), so the edge has no certificate to present for this name and the handshake fails before any setting of the mode matters.");
        return finish({
          kind: "browser-error", status: null, code: null, grade: "broken", short: "No edge cert",
          shown: `ERR_SSL_VERSION_OR_CIPHER_MISMATCH: Cloudflare's edge has no certificate for ${host}.`,
        });
      }
      add("edge-tls", "edge", `Cloudflare's edge completes the TLS handshake with its own certificate for ${host} (${covered}, Universal SSL).`,
        "The visitor's TLS session ends at Cloudflare: this hop is encrypted in every mode that lets it be, and it says nothing about the origin.");
      if (mode === "off") {
        redirects++;
        add("edge-redirect-http", "edge", `Cloudflare answers ${STATUS[301]} with Location: http://${host}/.`,
          "With the mode Off Cloudflare redirects every HTTPS request to plain HTTP (the docs name no status code; the model writes 301).");
        scheme = "http";
        continue;
      }
    } else if (input.alwaysUseHttps) {
      if (mode === "off") {
        add("edge-always-https", "edge", "Always Use HTTPS is on, but it does nothing here.", "Cloudflare does not offer Always Use HTTPS while the mode is Off.");
      } else {
        redirects++;
        add("edge-always-https", "edge", `Always Use HTTPS: Cloudflare answers ${STATUS[301]} with Location: https://${host}/ without contacting the origin.`,
          "The upgrade happens at the edge, which is where Cloudflare recommends doing it rather than at the origin.");
        scheme = "https";
        continue;
      }
    }

    const toOrigin = originScheme(mode, scheme, model);
    const whyScheme = mode === "off" || mode === "flexible"
      ? (model === "flexible-encrypts-origin" && mode === "flexible"
        ? "This model believes Flexible encrypts the origin hop."
        : `${modeName} connects to the origin over plain HTTP on port 80, whatever the visitor used.`)
      : mode === "origin-pull"
        ? "Strict (SSL-Only Origin Pull) always connects over TLS, whatever scheme the visitor used."
        : `${modeName} connects with the scheme the visitor used: ${scheme}.`;

    if (toOrigin === "http") {
      edgeOrigin = { scheme: "http", port: 80, encrypted: false, origin: "plain" };
      add("edge-to-origin", "edge", `Cloudflare opens TCP to the origin on port 80 and sends GET / with Host: ${host} in clear text.`, whyScheme);
      if (listener === "https-only") {
        redirects++;
        add("origin-redirect", "origin", `The origin answers ${STATUS[301]} with Location: https://${host}/, and Cloudflare passes it on to the visitor.`,
          "The origin redirects every request that reaches it over HTTP. It cannot tell that the visitor already used HTTPS: the request it sees came from Cloudflare over port 80.");
        scheme = "https";
        continue;
      }
      add("origin-response", "origin", `The origin serves the page: ${STATUS[200]}.`, "Port 80 serves the site.");
      return finish(page(input.visitor, scheme, visitorEdge, edgeOrigin));
    }

    // TLS towards the origin.
    add("edge-to-origin", "edge", `Cloudflare opens TCP to the origin on port 443 and sends a ClientHello with SNI ${host}.`, whyScheme);
    if (listener === "http-only") {
      edgeOrigin = { scheme: "https", port: 443, encrypted: false, origin: "failed" };
      add("origin-refuses", "origin", "Nothing listens on port 443: the origin's kernel answers the SYN with a RST.",
        "Cloudflare's 521 means the origin refused the connection; the docs' fix is to listen on the port the mode needs — 443 for Full and Full (strict), 80 for Flexible.");
      return finish(errorPage(521, "Web server is down", "Cloudflare could not connect to the origin on port 443."));
    }
    if (cert === "none") {
      edgeOrigin = { scheme: "https", port: 443, encrypted: false, origin: "failed" };
      add("origin-tls-fails", "origin", `The origin has no certificate for ${host} and answers the ClientHello with a handshake_failure alert (40).`,
        "525 means the TLS handshake between Cloudflare and the origin failed in Full or Full (strict): no certificate installed, port 443 not speaking TLS, no SNI support, or no cipher suite or protocol version in common. It is not about the certificate being bad — there was none to judge.");
      return finish(errorPage(525, "SSL handshake failed", "Cloudflare could not complete a TLS handshake with the origin."));
    }
    const chain = ORIGIN_CHAINS[cert];
    const leaf = chain[0]!;
    add("origin-certificate", "origin", `The origin presents its certificate: subject ${leaf.subject}, issuer ${leaf.issuer}, ${sanText(leaf)}, valid ${leaf.notBefore} to ${leaf.notAfter}.`,
      `That is the ${labelOf(ORIGIN_CERTS, cert).toLowerCase()} case: ${ORIGIN_CERTS.find((c) => c.value === cert)!.description}`);

    if (model === "self-signed-502" && cert === "self-signed") {
      edgeOrigin = { scheme: "https", port: 443, encrypted: false, origin: "rejected" };
      add("edge-rejects", "edge", "This model believes Cloudflare turns down a self-signed certificate with a Bad Gateway.",
        "That is the source material's claim; the real edge answers 526 in Full (strict) and accepts the certificate in Full.");
      return finish({ kind: "error-page", status: STATUS[502], code: 502, grade: "broken", short: "502", shown: `Cloudflare's error page: ${STATUS[502]}.` });
    }

    if (!checksCertificate(mode, model)) {
      edgeOrigin = { scheme: "https", port: 443, encrypted: true, origin: "unverified" };
      add("edge-accepts", "edge", "Cloudflare finishes the handshake without checking the certificate: not its issuer, not its dates, not its names.",
        "Full encrypts the hop but does not authenticate the origin. Anyone on the path between Cloudflare and the origin — or who can answer for the origin's address — could present a certificate of their own, and Cloudflare would accept it and send them the traffic.");
      add("origin-response", "origin", `The origin serves the page: ${STATUS[200]}.`, "The request reached the origin over an encrypted but unauthenticated connection.");
      return finish(page(input.visitor, scheme, visitorEdge, edgeOrigin));
    }

    verdict = cloudflareValidates(cert, host, model);
    const strictName = mode === "full" ? "Full (under this model)" : modeName;
    if (verdict.result === "SUCCESS") {
      edgeOrigin = { scheme: "https", port: 443, encrypted: true, origin: "verified" };
      add("edge-validates", "edge", `${strictName} checks the certificate and accepts it: the path ends at ${verdict.path.at(-1)!.cert.subject}, it is unexpired at ${VALIDATION_AT}, and it names ${host}.`,
        cert === "origin-ca"
          ? "Cloudflare's trust store for Full (strict) holds its own Origin CA root beside the public roots, so this certificate passes here although no browser would accept it."
          : "Full (strict) requires a certificate issued by a publicly trusted CA or Cloudflare's Origin CA, unexpired, with a CN or SAN matching the host.",
        verdict.checks);
      add("origin-response", "origin", `The origin serves the page: ${STATUS[200]}.`, "The request reached the authenticated origin over TLS.");
      return finish(page(input.visitor, scheme, visitorEdge, edgeOrigin));
    }
    edgeOrigin = { scheme: "https", port: 443, encrypted: false, origin: "rejected" };
    add("edge-rejects", "edge", `${strictName} refuses the certificate: ${verdict.message.replace(/^FAILURE: /, "")}`,
      "The origin did answer the handshake and present a certificate — so this is not 525 — but the certificate fails the Full (strict) checks: Cloudflare aborts the handshake and the request never reaches the origin.",
      verdict.checks);
    return finish(errorPage(526, "Invalid SSL certificate", "Cloudflare reached the origin but could not validate its certificate."));
  }
}

function errorPage(code: 521 | 525 | 526, title: string, because: string): SslOutcome {
  return {
    kind: "error-page", status: STATUS[code], code, grade: "broken", short: String(code),
    shown: `Cloudflare's error page "Error ${code}: ${title}" (HTTP ${STATUS[code]}). ${because}`,
  };
}

function page(typed: "https" | "http", scheme: "https" | "http", visitorEdge: Hop, edgeOrigin: Hop): SslOutcome {
  const secure = visitorEdge.encrypted && edgeOrigin.encrypted && edgeOrigin.origin === "verified";
  const over = scheme === "https" ? "https://" : "plain http://";
  const moved = typed !== scheme ? ` (the visitor typed ${typed}:// and was redirected)` : "";
  const caveat = scheme === "http"
    ? " The browser marks it Not secure."
    : !edgeOrigin.encrypted ? " The padlock shows, but the origin hop is plain HTTP."
      : edgeOrigin.origin !== "verified" ? " The padlock shows, but nobody checked the origin's certificate." : "";
  return { kind: "page", status: STATUS[200], code: 200, grade: secure ? "secure" : "weak", short: scheme === "https" ? "200 OK" : "200 over HTTP", shown: `The site's page, ${STATUS[200]}, over ${over}${moved}.${caveat}` };
}

function whySees(outcome: SslOutcome, mode: SslMode): string {
  switch (outcome.kind) {
    case "page":
      return outcome.grade === "secure"
        ? "Both hops are encrypted and Cloudflare authenticated the origin."
        : mode === "full"
          ? "Full encrypts both hops but authenticates only Cloudflare to the visitor, never the origin to Cloudflare."
          : "At least one hop carries the request in clear text.";
    case "error-page":
      return "The page comes from Cloudflare's edge, not from the origin: the origin sent no HTTP response.";
    case "redirect-loop":
      return "Each redirect is valid on its own; together they never end.";
    default:
      return "The browser never got an HTTP response.";
  }
}
