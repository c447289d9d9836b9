/**
 * The CA's side of domain validation, as a trace of steps: who does what, what is sent or looked up,
 * what comes back, and why it matters — for the owner (with and without Cloudflare in front), an
 * attacker with no access, an attacker who hijacks a route (locally, or everywhere), a dangling CNAME
 * and the legacy constructed-e-mail method. Deterministic and synchronous; addresses come from the
 * documentation ranges (RFC 5737) except Cloudflare's, which is one of its real anycast addresses.
 *
 * What the model leaves out: rate limits, the order's finalisation and CSR, authorization reuse,
 * retries, DNSSEC, IPv6 paths, the CA's own DNS resolver details, and which perspectives a real CA runs
 * (the five here — one primary and four remote — have illustrative places).
 */
import type { AcmeIdentifier, ChallengeType } from "./challenge";
import { dns01Value, keyAuthorization } from "./challenge";
import { decideCaa, formatCaa, type CaaModel, type CaaRecord, type ZoneView } from "./caa";

export const SCENARIOS = ["owner", "owner-cloudflare", "attacker-no-access", "bgp-hijack-local", "bgp-hijack-global", "dangling-cname", "email-legacy"] as const;
export type ScenarioId = (typeof SCENARIOS)[number];

export const SCENARIO_INFO: Record<ScenarioId, { readonly title: string; readonly requester: "owner" | "attacker"; readonly summary: string }> = {
  owner: { title: "The owner", requester: "owner", summary: "The domain's owner serves the file from the origin, or adds the TXT record to the zone." },
  "owner-cloudflare": { title: "The owner, behind Cloudflare", requester: "owner", summary: "The name is proxied by Cloudflare with Always Use HTTPS on; the CA's request reaches Cloudflare's edge, which forwards it to the origin." },
  "attacker-no-access": { title: "Attacker without access", requester: "attacker", summary: "An attacker orders a certificate for the name but controls neither its DNS nor its server." },
  "bgp-hijack-local": { title: "BGP hijack, seen locally", requester: "attacker", summary: "The attacker announces a more-specific of the origin's prefix; only networks near the CA's primary perspective accept it." },
  "bgp-hijack-global": { title: "BGP hijack, seen everywhere", requester: "attacker", summary: "The attacker's more-specific reaches every perspective the CA checks from." },
  "dangling-cname": { title: "Dangling CNAME (subdomain takeover)", requester: "attacker", summary: "The name still points at a hosting platform's app the owner deleted; the attacker has claimed that app name." },
  "email-legacy": { title: "E-mail to a constructed address (legacy, not ACME)", requester: "attacker", summary: "A CA e-mails hostmaster@ the domain; the attacker registered that mailbox at a webmail service that let him." },
};

export const CAA_PRESETS = ["none", "letsencrypt", "pki-goog", "deny-all", "critical-unknown", "no-wildcards"] as const;
export type CaaPreset = (typeof CAA_PRESETS)[number];
export const CAA_PRESET_LABELS: Record<CaaPreset, string> = {
  none: "No CAA records",
  letsencrypt: "issue \"letsencrypt.org\" at the apex",
  "pki-goog": "issue \"pki.goog\" at the apex",
  "deny-all": "issue \";\" at the apex (no CA)",
  "critical-unknown": "an unknown critical tag at the apex",
  "no-wildcards": "issue \"letsencrypt.org\" and issuewild \";\" at the apex",
};
function caaRecords(preset: CaaPreset): CaaRecord[] {
  switch (preset) {
    case "none": return [];
    case "letsencrypt": return [{ flags: 0, tag: "issue", value: "letsencrypt.org" }, { flags: 0, tag: "iodef", value: "mailto:security@EXAMPLE" }];
    case "pki-goog": return [{ flags: 0, tag: "issue", value: "pki.goog" }];
    case "deny-all": return [{ flags: 0, tag: "issue", value: ";" }];
    case "critical-unknown": return [{ flags: 0, tag: "issue", value: "letsencrypt.org" }, { flags: 128, tag: "tbs", value: "unknown" }];
    case "no-wildcards": return [{ flags: 0, tag: "issue", value: "letsencrypt.org" }, { flags: 0, tag: "issuewild", value: ";" }];
  }
}

/** CAs the requester may pick, by the issuer domain they recognise in CAA. */
export const ISSUERS = ["letsencrypt.org", "pki.goog", "sectigo.com"] as const;
export type IssuerDomain = (typeof ISSUERS)[number];
export const ISSUER_NAMES: Record<IssuerDomain, string> = { "letsencrypt.org": "Let's Encrypt", "pki.goog": "Google Trust Services", "sectigo.com": "Sectigo" };

/**
 * Wrong models the simulator can run: a CA that checks from one place (`single-vantage-ca`), CAA read
 * only at the name itself (`caa-no-climb`), and CAA for a wildcard read from `issue` alone (`issuewild-ignored`).
 */
export const CA_MODELS = ["rfc", "single-vantage-ca", "caa-no-climb", "issuewild-ignored"] as const;
export type CaModel = (typeof CA_MODELS)[number];

export interface CaCheckInput {
  readonly scenario: ScenarioId;
  readonly challenge: ChallengeType;
  readonly identifier: AcmeIdentifier;
  readonly token: string;
  /** The requesting account's key thumbprint (the attacker's own, in the attacker scenarios). */
  readonly thumbprint: string;
  readonly caa: CaaPreset;
  readonly issuer: IssuerDomain;
  readonly model?: CaModel;
}

export interface CaStep {
  /** Stable: "order", "hijack", "lookup", "fetch", "redirect", "compare", "mpic", "caa", "issue", "detect". */
  readonly id: string;
  readonly actor: string;
  /** What is sent or looked up. */
  readonly action: string;
  /** What comes back. */
  readonly result: string;
  readonly why: string;
  /** true: this check passed; false: the check failed and the trace ends here; null: a setting-the-scene step. */
  readonly ok: boolean | null;
}

export interface CaCheck {
  readonly input: CaCheckInput;
  readonly apex: string;
  readonly zone: ZoneView;
  readonly steps: readonly CaStep[];
  readonly outcome: "issued" | "refused";
  /** The id of the failing step, when refused. */
  readonly failedStep: string | null;
  /** The certificate went to someone who does not control the name. */
  readonly misissued: boolean;
  /** One line: "issued", or "refused at <step>: why". */
  readonly verdict: string;
}

const ORIGIN = "198.51.100.20";
const ORIGIN_PREFIX = "198.51.100.0/24";
const HIJACK_PREFIX = "198.51.100.0/25";
const NS_ADDR = "192.0.2.53";
const NS_PREFIX = "192.0.2.0/24";
const NS_HIJACK_PREFIX = "192.0.2.0/25";
const ATTACKER_HOST = "203.0.113.66";
const PAAS_FRONTEND = "203.0.113.80";
const CLOUDFLARE_EDGE = "104.16.132.229";
const PERSPECTIVES = [
  { id: "primary", place: "primary, North America (east)" },
  { id: "remote-1", place: "remote, Europe" },
  { id: "remote-2", place: "remote, Asia-Pacific" },
  { id: "remote-3", place: "remote, South America" },
  { id: "remote-4", place: "remote, North America (west)" },
] as const;
/** The perspectives a local hijack reaches: the primary and the remote on the same continent. */
const LOCAL_CAPTURE = new Set(["primary", "remote-4"]);
/** BR §3.2.2.9 quorum table: 2–5 remote perspectives allow 1 non-corroboration, 6 or more allow 2. */
export const allowedNonCorroborations = (remotes: number): number => (remotes < 2 ? 0 : remotes < 6 ? 1 : 2);

/** The zone the name lives in: its last two labels (public suffixes such as co.uk are not modelled). */
export function apexOf(name: string): string {
  return name.split(".").slice(-2).join(".");
}

/** The DNS as the CA sees it, for this scenario. */
function zoneFor(input: CaCheckInput, apex: string): ZoneView {
  const name = input.identifier.value;
  const ka = keyAuthorization(input.token, input.thumbprint);
  const zone: Record<string, { a?: string[]; cname?: string; txt?: string[]; caa?: CaaRecord[] }> = {};
  const caa = caaRecords(input.caa).map((r) => (r.tag === "iodef" ? { ...r, value: r.value.replace("EXAMPLE", apex) } : r));
  zone[apex] = { ...(zone[apex] ?? {}), caa };
  const paas = `${name.split(".")[0]}-site.paas.example.net`;
  if (input.scenario === "owner-cloudflare") zone[name] = { ...(zone[name] ?? {}), a: [CLOUDFLARE_EDGE] };
  else if (input.scenario === "dangling-cname" && name !== apex) {
    zone[name] = { cname: paas };
    zone[paas] = { a: [PAAS_FRONTEND] };
  } else zone[name] = { ...(zone[name] ?? {}), a: [ORIGIN] };
  // A stale record from the owner's last renewal sits at the challenge name: several TXT values may coexist.
  const challengeName = `_acme-challenge.${name}`;
  const owner = SCENARIO_INFO[input.scenario].requester === "owner";
  if (input.challenge === "dns-01" && input.identifier.type === "dns" && input.scenario !== "dangling-cname") {
    zone[challengeName] = { txt: owner ? ["kN2c0bq2AGlvOYb2RtsU9dSBNswTArPEAoXmDnB8sVw", dns01Value(ka)] : ["kN2c0bq2AGlvOYb2RtsU9dSBNswTArPEAoXmDnB8sVw"] };
  }
  return zone;
}

const ca = (p: (typeof PERSPECTIVES)[number]) => `CA, ${p.place}`;

/**
 * Runs the CA's check for one scenario and returns its steps; the trace ends at the first failing check.
 * @example runCaCheck({ scenario: "owner", challenge: "http-01", identifier, token, thumbprint, caa: "none", issuer: "letsencrypt.org" }).outcome // "issued"
 */
export function runCaCheck(input: CaCheckInput): CaCheck {
  const model = input.model ?? "rfc";
  const { identifier, token, thumbprint, challenge, scenario, issuer } = input;
  const name = identifier.value;
  const apex = identifier.type === "dns" ? apexOf(name) : name;
  const zone = identifier.type === "dns" ? zoneFor(input, apex) : {};
  const ka = keyAuthorization(token, thumbprint);
  const expectedTxt = dns01Value(ka);
  const requester = SCENARIO_INFO[scenario].requester;
  const steps: CaStep[] = [];
  const done = (outcome: "issued" | "refused", misissued = false): CaCheck => {
    const failed = outcome === "refused" ? steps.at(-1)! : null;
    return {
      input, apex, zone, steps, outcome, failedStep: failed?.id ?? null, misissued,
      verdict: failed ? `refused at ${failed.id}: ${failed.why}` : `issued to the ${requester}${misissued ? " — a mis-issued certificate: the requester does not control the name" : ""}`,
    };
  };
  const paasName = `${name.split(".")[0]}-site.paas.example.net`;
  const hijack = scenario === "bgp-hijack-local" || scenario === "bgp-hijack-global";
  const captured = (p: string) => scenario === "bgp-hijack-global" || (scenario === "bgp-hijack-local" && LOCAL_CAPTURE.has(p));

  // 1. The order.
  if (scenario === "email-legacy") return emailLegacy(input, zone, apex, steps, done);
  steps.push({
    id: "order",
    actor: `ACME client (${requester === "owner" ? "the owner's" : "the attacker's own account"})`,
    action: `newOrder for ${identifier.ordered}; the CA answers with an authorization for ${identifier.type === "ip" ? "IP" : "DNS"} identifier ${name}${identifier.wildcard ? " (\"wildcard\": true)" : ""} and a token ${token}`,
    result: `The client chooses ${challenge} and tells the CA it is ready.`,
    why: `Anyone can open an ACME account and order any name; the order proves nothing until a challenge passes. The key authorization binds the token to the requesting account's key: ${ka.slice(0, 24)}…`,
    ok: null,
  });
  if (identifier.wildcard && challenge === "http-01") {
    steps.push({ id: "order", actor: "CA", action: `offer http-01 for ${identifier.ordered}`, result: "not offered", why: "A wildcard can be validated only through DNS (dns-01); http-01 shows control of one host, not of every name under the domain.", ok: false });
    return done("refused");
  }
  if (identifier.type === "ip" && challenge === "dns-01") {
    steps.push({ id: "order", actor: "CA", action: `offer dns-01 for IP ${name}`, result: "not offered", why: "An IP identifier has no DNS name to hold a TXT record; RFC 8738 allows http-01 and tls-alpn-01 only.", ok: false });
    return done("refused");
  }

  // 2. What the attacker set up, if anything.
  const target = challenge === "http-01" ? { what: "the origin", addr: ORIGIN, prefix: ORIGIN_PREFIX, more: HIJACK_PREFIX } : { what: "the zone's authoritative nameserver", addr: NS_ADDR, prefix: NS_PREFIX, more: NS_HIJACK_PREFIX };
  if (hijack) {
    steps.push({
      id: "hijack",
      actor: "Attacker (AS64511)",
      action: `announces ${target.more} in BGP — a more-specific of ${target.prefix}, where ${target.what} (${target.addr}) lives — and answers for ${target.addr} from ${ATTACKER_HOST}`,
      result: scenario === "bgp-hijack-global"
        ? "Every network the CA's perspectives use accepts the /25 (none drops RPKI-invalid routes on these paths): longest-prefix match sends all their packets for that address to the attacker."
        : "Networks near the CA's primary data centre accept the /25; elsewhere the announcement is filtered (RPKI route-origin validation drops it as Invalid) or loses, so most of the internet still reaches the real address.",
      why: "BGP carries no proof that an AS may originate a prefix; a more-specific wins wherever it is accepted. See /lessons/hijacking-and-rpki/ for how ROV limits where it spreads.",
      ok: null,
    });
  }
  if (scenario === "dangling-cname") {
    steps.push({
      id: "takeover",
      actor: "Attacker",
      action: `creates an app named ${paasName.split(".")[0]} on the hosting platform — the name ${name}'s CNAME still points at, after the owner deleted the app but not the DNS record`,
      result: name === apex ? `Nothing changes: a CNAME cannot sit at the zone apex (RFC 1034 §3.6.2), so ${name} has none to dangle — try a subdomain such as shop.${apex}.` : `The platform now routes requests for ${name} to the attacker's app.`,
      why: "A dangling CNAME hands the name to whoever claims the target; no hijack or DNS access is needed, and every perspective sees the same, honest DNS.",
      ok: null,
    });
  }

  // 3. Lookup and fetch from the primary perspective.
  const primary = PERSPECTIVES[0];
  let primaryOk = false;
  if (challenge === "http-01") {
    const viaCname = zone[name]?.cname;
    const addr = identifier.type === "ip" ? name : viaCname ? PAAS_FRONTEND : scenario === "owner-cloudflare" ? CLOUDFLARE_EDGE : ORIGIN;
    if (identifier.type === "dns") {
      steps.push({
        id: "lookup",
        actor: ca(primary),
        action: `A? ${name} — asked of the zone's authoritative nameservers`,
        result: viaCname ? `${name} is a CNAME for ${viaCname}, whose A is ${PAAS_FRONTEND} (the platform's front end)` : `${addr}${scenario === "owner-cloudflare" ? " — a Cloudflare anycast address: the record is proxied, so DNS gives out Cloudflare's edge, not the origin" : " (the origin)"}`,
        why: "The CA resolves the name itself, from the authoritative servers; the Baseline Requirements forbid relying on a resolver outside the CA's audit.",
        ok: true,
      });
    }
    const url = `http://${identifier.type === "ip" && name.includes(":") ? `[${name}]` : name}/.well-known/acme-challenge/${token}`;
    const answeredBy = captured("primary") ? `the attacker's server (${ATTACKER_HOST}), through the hijacked route` : viaCname ? "the platform's front end, which hands it to the app now named in the CNAME — the attacker's" : scenario === "owner-cloudflare" ? "Cloudflare's nearest edge" : "the origin";
    if (scenario === "owner-cloudflare") {
      steps.push({
        id: "fetch",
        actor: ca(primary),
        action: `GET ${url} to ${CLOUDFLARE_EDGE} port 80`,
        result: `301 Moved Permanently, Location: https://${name}/.well-known/acme-challenge/${token} — Always Use HTTPS at the edge`,
        why: "http-01 always starts on port 80 over plain HTTP (RFC 8555 §8.3).",
        ok: true,
      });
      steps.push({
        id: "redirect",
        actor: ca(primary),
        action: `follows the redirect (1 of at most 10): GET https://${name}/.well-known/acme-challenge/${token} to ${CLOUDFLARE_EDGE} port 443`,
        result: `Cloudflare terminates TLS, forwards the request to the origin ${ORIGIN}, and returns its answer: 200, body ${ka.slice(0, 20)}…`,
        why: "Let's Encrypt follows up to 10 redirects, only to http: or https: on ports 80 or 443 and never to a bare IP, and does not validate the certificate on the HTTPS leg — there may be none yet. The owner's origin serves the file, so the edge passes it on.",
        ok: true,
      });
      primaryOk = true;
    } else {
      const attackerAnswers = captured("primary") || !!viaCname;
      const ownerHasFile = requester === "owner";
      const status = attackerAnswers || ownerHasFile ? `200, body ${ka.slice(0, 20)}…` : "404 Not Found";
      steps.push({
        id: "fetch",
        actor: ca(primary),
        action: `GET ${url} to ${addr} port 80`,
        result: `Answered by ${answeredBy}: ${status}`,
        why: attackerAnswers
          ? "Whoever answers for the address serves the file; the CA cannot tell the attacker's server from the owner's."
          : ownerHasFile
            ? "The owner's ACME client put the file in place (or answers on port 80 itself)."
            : "The request reaches the owner's server, which has no file for the attacker's token: without the server, the attacker cannot put anything at that path.",
        ok: attackerAnswers || ownerHasFile,
      });
      if (!(attackerAnswers || ownerHasFile)) return done("refused");
      primaryOk = true;
    }
    steps.push({
      id: "compare",
      actor: ca(primary),
      action: `compare the body with the key authorization the CA computes: ${token}.${thumbprint.slice(0, 12)}…`,
      result: "equal (trailing whitespace ignored)",
      why: "The body must be the token, a dot and the thumbprint of the account that ordered — so the file proves that whoever controls this server acts for this account (RFC 8555 §8.3).",
      ok: true,
    });
  } else {
    const qname = `_acme-challenge.${name}`;
    const found = captured("primary") ? [expectedTxt] : zone[qname]?.txt ?? [];
    const server = captured("primary") ? `the attacker's fake nameserver (${ATTACKER_HOST}), reached through the hijacked route to ${NS_ADDR}` : scenario === "owner-cloudflare" ? "Cloudflare's authoritative nameservers (TXT records are DNS-only: never proxied)" : `the zone's authoritative nameserver (${NS_ADDR})`;
    steps.push({
      id: "lookup",
      actor: ca(primary),
      action: `TXT? ${qname}`,
      result: found.length === 0
        ? `NXDOMAIN from ${server}${scenario === "dangling-cname" ? `: the CNAME at ${name} covers that exact name only, not ${qname}` : ""}`
        : `${found.length} TXT value${found.length === 1 ? "" : "s"} from ${server}: ${found.map((t) => `"${t}"`).join(", ")}`,
      why: identifier.wildcard
        ? `For *.${name} the authorization is for ${name}, so the record is _acme-challenge.${name} — no "*." in it (RFC 8555 §7.1.4, §8.4).`
        : "dns-01 proves control of the zone: whoever can change its records — or answer for its nameservers — can pass (RFC 8555 §8.4).",
      ok: found.length > 0,
    });
    if (found.length === 0) return done("refused");
    const match = found.includes(expectedTxt);
    steps.push({
      id: "compare",
      actor: ca(primary),
      action: `look for base64url(SHA-256(key authorization)) = ${expectedTxt} among the values`,
      result: match ? `found${found.length > 1 ? ` (the other value${found.length > 2 ? "s are" : " is"} ignored: several may coexist)` : ""}` : "no value matches: the only record is the owner's, left from an earlier validation",
      why: match ? "The TXT value is the hash of the key authorization, so it names the account as well as the token." : "Without access to the zone the attacker cannot add the value his own account's key authorization needs.",
      ok: match,
    });
    if (!match) return done("refused");
    primaryOk = true;
  }

  // 4. Multi-perspective corroboration.
  if (primaryOk) {
    const remotes = PERSPECTIVES.slice(1);
    if (model === "single-vantage-ca") {
      steps.push({ id: "mpic", actor: "CA (single vantage point)", action: "no remote perspective is asked", result: "the primary's answer is taken as it is", why: "This CA checks from one place only — what the Baseline Requirements allowed before ballot SC-067 made multi-perspective corroboration mandatory.", ok: true });
    } else {
      const seen = remotes.map((p) => {
        const corroborates = scenario === "bgp-hijack-local" ? captured(p.id) : true;
        const via = captured(p.id) ? "the attacker, via the hijack" : scenario === "dangling-cname" ? "the attacker's app, via the CNAME" : challenge === "http-01" ? (scenario === "owner-cloudflare" ? "Cloudflare's edge, then the origin" : "the origin") : "the authoritative nameserver";
        const answer = corroborates ? (challenge === "http-01" ? "the same key authorization" : "the same TXT value") : challenge === "http-01" ? `404 from the real origin ${ORIGIN}` : "only the owner's old TXT value, from the real nameserver";
        return { p, corroborates, text: `${p.place}: ${answer}${corroborates ? ` (${via})` : ""}` };
      });
      const failures = seen.filter((s) => !s.corroborates).length;
      const allowed = allowedNonCorroborations(remotes.length);
      const ok = failures <= allowed;
      steps.push({
        id: "mpic",
        actor: `CA, ${remotes.length} remote perspectives`,
        action: `repeat the ${challenge === "http-01" ? "lookup and GET" : "TXT lookup"} from each remote perspective, with no shared cache`,
        result: `${seen.map((s) => s.text).join("; ")}. ${failures} of ${remotes.length} do not corroborate; ${allowed} ${allowed === 1 ? "is" : "are"} allowed.`,
        why: ok
          ? scenario === "bgp-hijack-global" || scenario === "dangling-cname"
            ? "Every perspective sees the same thing, so corroboration passes: it defeats attacks that change what one place on the internet sees, not ones that change what everyone sees."
            : "Multi-perspective issuance corroboration (Baseline Requirements §3.2.2.9, ballot SC-067, required since 15 March 2025 and enforced since 15 September 2025) asks from places at least 500 km apart."
          : "A hijack seen from one region does not fool perspectives elsewhere; with 2–5 remote perspectives the Baseline Requirements tolerate one that disagrees, and here more do, so the CA must not issue.",
        ok,
      });
      if (!ok) return done("refused");
    }
  }

  // 5. CAA, then issuance.
  const caaStep = caaCheck(input, zone, model);
  steps.push(caaStep);
  if (!caaStep.ok) return done("refused");
  const misissued = requester === "attacker";
  steps.push({
    id: "issue",
    actor: `CA (${ISSUER_NAMES[issuer]})`,
    action: "log a precertificate to Certificate Transparency logs, embed their signed timestamps (SCTs), sign the certificate",
    result: `certificate issued for ${identifier.ordered} to the ${requester}'s account`,
    why: "Browsers require SCTs (Chrome and Safari), so a publicly trusted certificate is public within minutes (RFC 6962; RFC 9162 is CT version 2).",
    ok: true,
  });
  if (misissued) {
    steps.push({
      id: "detect",
      actor: "CT monitor (the owner's, or a service watching the logs)",
      action: `watch the logs for new certificates naming ${apex}`,
      result: "an alert names a certificate the owner did not request; the owner asks the CA to revoke it",
      why: "Certificate Transparency does not prevent mis-issuance; it makes it visible after the fact, which is how most real cases were found.",
      ok: null,
    });
  }
  return done("issued", misissued);
}

function caaCheck(input: CaCheckInput, zone: ZoneView, model: CaModel): CaStep {
  const { identifier, issuer } = input;
  if (identifier.type === "ip") {
    return { id: "caa", actor: "CA", action: "CAA lookup", result: "not applicable: CAA is published in DNS for domain names, and this is an IP address", why: "RFC 8659 defines CAA for DNS names only.", ok: true };
  }
  const caaModel: CaaModel = model === "caa-no-climb" || model === "issuewild-ignored" ? model : "rfc";
  const d = decideCaa(zone, identifier.value, identifier.wildcard, issuer, caaModel);
  const asked = d.asked.map((a) => `${a.name}${a.via ? ` (CNAME → ${a.via})` : ""}: ${a.records.length ? a.records.map((r) => `${r.flags} ${r.tag} "${r.value}"`).join(", ") : "none"}`).join("; ");
  return {
    id: "caa",
    actor: `CA (${ISSUER_NAMES[issuer]}, issuer domain ${issuer})`,
    action: `CAA? ${d.asked.map((a) => a.name).join(", then ")}`,
    result: `${asked}. ${d.allowed ? "Issuance allowed." : "Issuance forbidden."}`,
    why: `${d.reason} The relevant set is the first non-empty one climbing from the name towards the root (RFC 8659 §3).`,
    ok: d.allowed,
  };
}

/** Constructed-address e-mail (Baseline Requirements §3.2.2.4.4) — never offered by Let's Encrypt, not part of ACME. */
function emailLegacy(input: CaCheckInput, zone: ZoneView, apex: string, steps: CaStep[], done: (o: "issued" | "refused", m?: boolean) => CaCheck): CaCheck {
  const { identifier } = input;
  if (identifier.type === "ip") {
    steps.push({ id: "order", actor: "CA", action: "e-mail validation for an IP address", result: "not possible", why: "Constructed addresses exist only under a domain name.", ok: false });
    return done("refused");
  }
  const base = identifier.value;
  steps.push({
    id: "order",
    actor: "Attacker, at a CA that still offers e-mail validation",
    action: `orders ${identifier.ordered} and picks one of the addresses the CA offers: admin@, administrator@, webmaster@, hostmaster@ or postmaster@ ${base}`,
    result: `the CA will send a random value to hostmaster@${base}`,
    why: "The Baseline Requirements (§3.2.2.4.4) let a CA prove control by mailing a random value to one of these five constructed addresses. It is not an ACME challenge; Let's Encrypt never offered it. The WHOIS-contact e-mail method (§3.2.2.4.2) may not be used since 15 July 2025 (ballot SC-080).",
    ok: null,
  });
  steps.push({
    id: "mailbox",
    actor: "Attacker",
    action: `registers hostmaster@${base} as an alias at the domain's webmail service, which does not reserve privileged names`,
    result: "the mailbox is the attacker's",
    why: `This is what happened to Microsoft's live.fi in 2015: a user registered hostmaster@live.fi and got a certificate from Comodo. The method trusts whoever reads the mailbox, not whoever runs the domain.`,
    ok: null,
  });
  steps.push({ id: "lookup", actor: "CA", action: `MX? ${base}`, result: `mail for ${base} goes to the webmail service`, why: "The CA delivers to the domain's own mail servers.", ok: true });
  steps.push({ id: "compare", actor: "CA", action: `send the random value to hostmaster@${base}; wait for it to come back`, result: "the attacker reads it and enters it on the CA's site: matches", why: "The method proves only that someone can read that mailbox.", ok: true });
  const caaStep = caaCheck(input, zone, input.model ?? "rfc");
  steps.push(caaStep);
  if (!caaStep.ok) return done("refused");
  steps.push({ id: "issue", actor: `CA (${ISSUER_NAMES[input.issuer]})`, action: "log a precertificate to CT logs and sign", result: `certificate issued for ${identifier.ordered} to the attacker`, why: "Nothing in the method looked at the server or the zone.", ok: true });
  steps.push({ id: "detect", actor: "CT monitor", action: `watch the logs for ${apex}`, result: "the unexpected certificate shows up in the logs", why: "CT makes the mis-issuance visible; the owner can have it revoked and reserve the privileged mailbox names.", ok: null });
  return done("issued", true);
}

/** The zone's records as `dig` prints them (CAA, TXT, CNAME, A), for exhibits and the command line. */
export function formatZone(zone: ZoneView): string {
  const lines: string[] = [];
  for (const [name, rr] of Object.entries(zone)) {
    for (const r of rr.caa ?? []) lines.push(formatCaa(name, r));
    if (rr.cname) lines.push(`${name}.\t300\tIN\tCNAME\t${rr.cname}.`);
    for (const a of rr.a ?? []) lines.push(`${name}.\t300\tIN\tA\t${a}`);
    for (const t of rr.txt ?? []) lines.push(`${name}.\t60\tIN\tTXT\t"${t}"`);
  }
  return lines.join("\n");
}
