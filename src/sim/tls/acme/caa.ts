/**
 * CAA (RFC 8659): which CAs a domain's holder lets issue for it. A CA finds the *relevant RRset* by
 * asking for CAA at the name itself and, while the answer is empty, at each parent towards the root
 * (§3) — the first non-empty set decides, and a set at a closer name replaces the parent's entirely.
 * Resolving CAA at a name follows a CNAME there, as any DNS lookup does. Then (§4):
 * - an unknown property with the critical flag (128) forbids issuance;
 * - for a wildcard, `issuewild` properties decide when there is at least one; otherwise `issue` does;
 * - `issue "ca.example"` authorises that CA; `issue ";"` (no issuer domain) authorises nobody;
 * - a set with no property that restricts issuance (only `iodef`, say) does not restrict it.
 * Issuer domains are the CAs' own: `letsencrypt.org`, `pki.goog` (Google Trust Services), `sectigo.com`.
 */

export interface CaaRecord {
  /** 0, or 128 for "issuer critical" (RFC 8659 §4.1: bit 0 of the flags octet, the most significant). */
  readonly flags: number;
  readonly tag: string;
  readonly value: string;
}

/** What the CA reads a zone as; names are lower case without the trailing dot. */
export interface ZoneRecords {
  readonly a?: readonly string[];
  readonly cname?: string;
  readonly txt?: readonly string[];
  readonly caa?: readonly CaaRecord[];
}
export type ZoneView = Readonly<Record<string, ZoneRecords>>;

/** Tags whose meaning a CA knows (RFC 8659 §4; issuemail RFC 9495; contactemail/contactphone in the Baseline Requirements). */
const KNOWN_TAGS = new Set(["issue", "issuewild", "iodef", "issuemail", "contactemail", "contactphone", "issuevmc"]);

/** Wrong models of CAA processing a learner might hold; each is run here, not typed. */
export type CaaModel = "rfc" | "caa-no-climb" | "issuewild-ignored";

export interface CaaLookup {
  /** The names asked, in order, with what each gave (after following CNAMEs). */
  readonly asked: readonly { readonly name: string; readonly via: string | null; readonly records: readonly CaaRecord[] }[];
  /** Where the relevant RRset was found, or null when every answer up to the root was empty. */
  readonly foundAt: string | null;
  readonly records: readonly CaaRecord[];
}

export interface CaaDecision extends CaaLookup {
  readonly allowed: boolean;
  /** One sentence: which record decided, and how. */
  readonly reason: string;
}

const parent = (name: string): string | null => (name.includes(".") ? name.slice(name.indexOf(".") + 1) : null);

/** CAA at one name, following CNAMEs (at most 8, as a resolver would stop a loop). */
function caaAt(zone: ZoneView, name: string): { records: readonly CaaRecord[]; via: string | null } {
  let at = name;
  let via: string | null = null;
  for (let i = 0; i < 8; i++) {
    const rr = zone[at];
    if (rr?.cname) {
      at = rr.cname;
      via = at;
      continue;
    }
    return { records: rr?.caa ?? [], via };
  }
  return { records: [], via };
}

/** The relevant RRset (RFC 8659 §3); `caa-no-climb` asks only at the name itself. */
export function findRelevantCaa(zone: ZoneView, name: string, model: CaaModel = "rfc"): CaaLookup {
  const asked: { name: string; via: string | null; records: readonly CaaRecord[] }[] = [];
  for (let x: string | null = name; x !== null; x = model === "caa-no-climb" ? null : parent(x)) {
    const { records, via } = caaAt(zone, x);
    asked.push({ name: x, via, records });
    if (records.length > 0) return { asked, foundAt: x, records };
  }
  return { asked, foundAt: null, records: [] };
}

/** The issuer domain of an `issue`/`issuewild` value: the text before ";", trimmed, lower case ("" for nobody). */
export function issuerDomain(value: string): string {
  return value.split(";")[0]!.trim().toLowerCase();
}

/** A record as `dig` prints it: `example.com. 3600 IN CAA 0 issue "letsencrypt.org"`. */
export function formatCaa(name: string, r: CaaRecord): string {
  return `${name}.\t3600\tIN\tCAA\t${r.flags} ${r.tag} "${r.value}"`;
}

/**
 * May `issuer` (its CAA issuer domain) issue for `name`? `wildcard`: the certificate is for `*.name`.
 * @example decideCaa({ "example.com": { caa: [{ flags: 0, tag: "issue", value: "letsencrypt.org" }] } }, "shop.example.com", false, "pki.goog").allowed // false
 */
export function decideCaa(zone: ZoneView, name: string, wildcard: boolean, issuer: string, model: CaaModel = "rfc"): CaaDecision {
  const lookup = findRelevantCaa(zone, name, model);
  const at = lookup.foundAt;
  if (at === null) {
    return { ...lookup, allowed: true, reason: `No CAA record at ${lookup.asked.map((a) => a.name).join(", ")}${model === "caa-no-climb" ? " (looking only at the name itself)" : " (up to the top-level domain)"}: CAA does not restrict which CA issues.` };
  }
  const critical = lookup.records.find((r) => (r.flags & 128) !== 0 && !KNOWN_TAGS.has(r.tag.toLowerCase()));
  if (critical) {
    return { ...lookup, allowed: false, reason: `${at} has "${critical.flags} ${critical.tag}", a property this CA does not know with the critical flag set: RFC 8659 §4 forbids issuance rather than guess what it means.` };
  }
  const of = (tag: string) => lookup.records.filter((r) => r.tag.toLowerCase() === tag);
  const wild = of("issuewild");
  const useWild = wildcard && wild.length > 0 && model !== "issuewild-ignored";
  const deciding = useWild ? wild : of("issue");
  const tag = useWild ? "issuewild" : "issue";
  if (deciding.length === 0) {
    return { ...lookup, allowed: true, reason: `The CAA set at ${at} has no ${wildcard ? "issue or issuewild" : "issue"} property, so it does not restrict issuance (only ${[...new Set(lookup.records.map((r) => r.tag))].join(", ")}).` };
  }
  const domains = deciding.map((r) => issuerDomain(r.value));
  const allowed = domains.includes(issuer.toLowerCase());
  const named = domains.filter((d) => d !== "");
  const list = named.length ? named.join(", ") : "no CA at all (an empty issuer domain, \";\")";
  const wildNote = wildcard ? (useWild ? " issuewild governs wildcard names when present (RFC 8659 §4.3)." : model === "issuewild-ignored" && wild.length ? " (this model reads issue for a wildcard and ignores issuewild)" : " There is no issuewild, so issue governs the wildcard too.") : "";
  return {
    ...lookup,
    allowed,
    reason: allowed
      ? `The CAA set at ${at} authorises ${issuer} with ${tag}.${wildNote}`
      : `The CAA set at ${at} authorises only ${list} with ${tag}; ${issuer} is not among them.${wildNote}`,
  };
}
