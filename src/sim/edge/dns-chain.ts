import { CLOUDFLARE } from "./cloudflare";

/**
 * The flagship's load-balancer address and Google's ASN (`GOOGLE` in google-edge.ts). Written out here
 * rather than imported because google-edge.ts shares a bundle chunk with the journey simulator, which
 * the DNS lab's page must not load; test/sim/dns/dns-chain.test.ts checks the two agree.
 */
export const ORIGIN = { asn: 15169, vip: "34.98.10.5" } as const;
const GOOGLE = ORIGIN;

/**
 * How a recursive resolver finds the flagship's name, query by query (RFC 1034 §4.3.2 and §5.3.3):
 * from the root's hints, through the referrals of the root and `.com` servers, to the zone's
 * authoritative servers — Cloudflare's when the registrar delegates the zone to Cloudflare, Google
 * Cloud DNS's when it does not. Three ways to publish the same name:
 *
 * - `proxied`: Cloudflare is authoritative and the record is proxied (orange cloud). Its
 *   nameservers answer with Cloudflare's own anycast address; the origin's address never appears in DNS.
 * - `dns-only`: Cloudflare is authoritative and the record is DNS only (grey cloud). They answer
 *   with the origin's address, the load balancer's reserved global address.
 * - `cloud-dns`: no Cloudflare. The registrar delegates to Cloud DNS, whose zone holds the A record
 *   with the reserved static address.
 *
 * The registrar is never asked anything while resolving: its part is done before, when it sends the
 * zone's nameserver names to the registry, which publishes them as the delegation (NS records and
 * glue) in the `.com` zone.
 *
 * Simplified (and said so in the lab): one address family (A records and IPv4 glue only; real
 * referrals carry AAAA glue too), no DNSSEC (no DS, RRSIG or DO bit), no EDNS(0) options, no
 * retries, timeouts or server selection by round-trip time (the resolver asks the first server of
 * each set), no TCP fallback, and the example zone stands for a real one (the real `example.com` is
 * reserved by IANA and served by its own nameservers). Cloudflare answers a proxied name with two
 * addresses and AAAA records in practice; the model shows the flagship's one.
 */

export type DnsSetup = "proxied" | "dns-only" | "cloud-dns";
/**
 * What the resolver already holds: `cold` (just started: root hints only), `warm` (the `.com` and
 * `example.com` delegations are cached from an earlier lookup within their two-day TTL), `hot`
 * (this very answer is cached, within its TTL).
 */
export type ResolverCache = "cold" | "warm" | "hot";

/** A wrong model the chain can run (`quiz/engine/misconceptions/dns.ts`). */
export const DNS_MODELS = {
  "registrar-answers-queries":
    "The registrar is a step of every lookup: the .com servers send the resolver to the registrar, which says where the domain's DNS is.",
  "proxied-hides-origin":
    "A proxied record makes the origin unreachable: once the address is out of DNS, nobody can connect to it.",
} as const satisfies Readonly<Record<string, string>>;
export type DnsModel = keyof typeof DNS_MODELS;

export function isDnsModel(name: string): name is DnsModel {
  return Object.prototype.hasOwnProperty.call(DNS_MODELS, name);
}

export interface DnsChainInput {
  readonly setup: DnsSetup;
  readonly cache: ResolverCache;
  /** RFC 9156 query-name minimisation: each server is asked only for the next label down. */
  readonly qnameMinimisation: boolean;
}

export const DNS_CHAIN_DEFAULTS: DnsChainInput = { setup: "proxied", cache: "cold", qnameMinimisation: true };

export type RecordType = "A" | "NS" | "SOA";

/** One resource record, as `dig` prints it: owner, TTL, class IN, type, data. */
export interface ResourceRecord {
  readonly name: string;
  readonly ttl: number;
  readonly type: RecordType;
  readonly data: string;
}

export interface DnsMessage {
  readonly question: { readonly name: string; readonly type: RecordType };
  /** Header flags that are set: qr (a response), aa (authoritative), rd (recursion desired), ra (available). */
  readonly flags: readonly ("qr" | "aa" | "rd" | "ra")[];
  readonly status: "NOERROR";
  readonly answer: readonly ResourceRecord[];
  readonly authority: readonly ResourceRecord[];
  readonly additional: readonly ResourceRecord[];
}

export type ServerRole = "stub" | "resolver" | "root" | "tld" | "registrar" | "authoritative";

export interface DnsHost {
  readonly role: ServerRole;
  readonly name: string;
  readonly ip: string;
  /** Who runs it, for a learner: "Verisign (the .com registry)". */
  readonly operator: string;
}

/** One step of the chain: a message sent from one host to another. */
export interface DnsChainStep {
  /** Stable across inputs where the role is the same: "stub-query", "priming", "root", "tld", "registrar", "authoritative", "stub-answer". */
  readonly id: string;
  readonly from: DnsHost;
  readonly to: DnsHost;
  readonly query: DnsMessage | null;
  readonly response: DnsMessage | null;
  /** What the response is: a referral down the tree, the answer, or the priming answer. */
  readonly outcome: "query" | "priming" | "referral" | "answer" | "from-cache";
  /** One or two sentences: what happened and why. */
  readonly note: string;
}

export interface DnsChain {
  readonly input: DnsChainInput;
  readonly model: DnsModel | null;
  readonly name: string;
  readonly steps: readonly DnsChainStep[];
  /** The queries the resolver sent to other servers (the stub's own query not counted). */
  readonly resolverQueries: number;
  /** The address the browser finally connects to, and whose it is. */
  readonly connectsTo: { readonly ip: string; readonly network: string; readonly asn: number };
  /** Whether DNS hands out the origin's (the load balancer's) address. */
  readonly originInDns: boolean;
  /** Whether a client that knows the origin's address can connect to it directly (nothing here blocks it). */
  readonly originReachableDirectly: boolean;
  /** What the registrar did, before any lookup: the delegation it had the registry publish. */
  readonly delegation: { readonly nameservers: readonly string[]; readonly provider: string; readonly note: string };
  /** What a warm or hot cache let the resolver skip, in words (empty when cold). */
  readonly skipped: readonly string[];
  /** What the resolver holds afterwards, with the TTL it may keep each for. */
  readonly cacheAfter: readonly ResourceRecord[];
  readonly simplifications: readonly string[];
}

export const SITE_NAME = "www.example.com";
export const ZONE = "example.com";

/** The 13 root server identities and their IPv4 addresses (IANA root hints; b-root renumbered to 170.247.170.2 in 2023). */
export const ROOT_SERVERS: readonly { readonly name: string; readonly ip: string }[] = [
  ["a", "198.41.0.4"], ["b", "170.247.170.2"], ["c", "192.33.4.12"], ["d", "199.7.91.13"], ["e", "192.203.230.10"],
  ["f", "192.5.5.241"], ["g", "192.112.36.4"], ["h", "198.97.190.53"], ["i", "192.36.148.17"], ["j", "192.58.128.30"],
  ["k", "193.0.14.129"], ["l", "199.7.83.42"], ["m", "202.12.27.33"],
].map(([letter, ip]) => ({ name: `${letter}.root-servers.net`, ip: ip! }));

/** Verisign's servers for .com (a–m.gtld-servers.net) and their IPv4 addresses, as the root zone's glue lists them. */
export const COM_SERVERS: readonly { readonly name: string; readonly ip: string }[] = [
  ["a", "192.5.6.30"], ["b", "192.33.14.30"], ["c", "192.26.92.30"], ["d", "192.31.80.30"], ["e", "192.12.94.30"],
  ["f", "192.35.51.30"], ["g", "192.42.93.30"], ["h", "192.54.112.30"], ["i", "192.43.172.30"], ["j", "192.48.79.30"],
  ["k", "192.52.178.30"], ["l", "192.41.162.30"], ["m", "192.55.83.30"],
].map(([letter, ip]) => ({ name: `${letter}.gtld-servers.net`, ip: ip! }));

/**
 * The two nameservers Cloudflare assigns a zone: first names under ns.cloudflare.com, chosen per
 * account. kay's addresses are those the .com servers give as its glue; skip's are illustrative,
 * from the same Cloudflare nameserver ranges.
 */
export const CLOUDFLARE_NAMESERVERS: readonly { readonly name: string; readonly ip: string }[] = [
  { name: "kay.ns.cloudflare.com", ip: "108.162.192.125" },
  { name: "skip.ns.cloudflare.com", ip: "108.162.193.97" },
];

/** A Cloud DNS zone's name-server set: four of ns-cloud-{a…e}{1…4}.googledomains.com (here set a). */
export const CLOUD_DNS_NAMESERVERS: readonly { readonly name: string; readonly ip: string }[] = [
  { name: "ns-cloud-a1.googledomains.com", ip: "216.239.32.106" },
  { name: "ns-cloud-a2.googledomains.com", ip: "216.239.34.106" },
  { name: "ns-cloud-a3.googledomains.com", ip: "216.239.36.106" },
  { name: "ns-cloud-a4.googledomains.com", ip: "216.239.38.106" },
];

/** TTLs as the real zones publish them (seconds). */
export const TTL = {
  /** The root zone's own NS set and its glue (the root hints file says 3,600,000). */
  rootNs: 518400,
  /** A TLD's delegation in the root zone, and a domain's delegation in .com: two days. */
  delegation: 172800,
  /** Cloudflare's "Auto" TTL, the only TTL a proxied record can have. */
  cloudflareAuto: 300,
  /** The A record's TTL in the Cloud DNS zone (what the record set says; 300 here). */
  cloudDnsRecord: 300,
} as const;

/** How long ago the resolver cached the answer, in the `hot` case: it serves the record with what is left of its TTL. */
export const HOT_AGE_SECONDS = 120;

const STUB: DnsHost = { role: "stub", name: "browser (the OS stub resolver)", ip: "198.51.100.23", operator: "the user's computer" };
/** The ISP's recursive resolver; a documentation address (RFC 5737) stands for it. */
const RESOLVER: DnsHost = { role: "resolver", name: "recursive resolver", ip: "192.0.2.53", operator: "the user's ISP (or 1.1.1.1, 8.8.8.8 …)" };
const ROOT: DnsHost = { role: "root", name: ROOT_SERVERS[0]!.name, ip: ROOT_SERVERS[0]!.ip, operator: "Verisign, one of 12 root server operators" };
const TLD: DnsHost = { role: "tld", name: COM_SERVERS[0]!.name, ip: COM_SERVERS[0]!.ip, operator: "Verisign (the .com registry)" };
/** Only the registrar-answers-queries model sends a query here; a documentation address stands for it. */
const REGISTRAR: DnsHost = { role: "registrar", name: "the registrar's servers", ip: "192.0.2.80", operator: "the registrar (GoDaddy, Namecheap …)" };

const fqdn = (name: string) => (name === "" ? "." : `${name}.`);
/** A record; NS data is a name, so it is written fully qualified as in a zone file. */
const rr = (name: string, ttl: number, type: RecordType, data: string): ResourceRecord => ({ name: fqdn(name), ttl, type, data: type === "NS" ? fqdn(data) : data });

function query(name: string, type: RecordType, recursion: boolean): DnsMessage {
  return { question: { name: fqdn(name), type }, flags: recursion ? ["rd"] : [], status: "NOERROR", answer: [], authority: [], additional: [] };
}

function response(q: DnsMessage, flags: DnsMessage["flags"], sections: Partial<Pick<DnsMessage, "answer" | "authority" | "additional">>): DnsMessage {
  return { question: q.question, flags: ["qr", ...flags], status: "NOERROR", answer: sections.answer ?? [], authority: sections.authority ?? [], additional: sections.additional ?? [] };
}

/** The zone's authoritative servers for a setup. */
function zoneServers(setup: DnsSetup) {
  return setup === "cloud-dns"
    ? { servers: CLOUD_DNS_NAMESERVERS, operator: "Google Cloud DNS", provider: "Google Cloud DNS" }
    : { servers: CLOUDFLARE_NAMESERVERS, operator: "Cloudflare (authoritative DNS)", provider: "Cloudflare" };
}

/** The A record the zone's servers answer with, and its TTL. */
function zoneAnswer(setup: DnsSetup): { ip: string; ttl: number } {
  if (setup === "proxied") return { ip: CLOUDFLARE.anycastIp, ttl: TTL.cloudflareAuto };
  if (setup === "dns-only") return { ip: GOOGLE.vip, ttl: TTL.cloudflareAuto };
  return { ip: GOOGLE.vip, ttl: TTL.cloudDnsRecord };
}

/**
 * Resolves www.example.com as a recursive resolver would for the chosen setup and cache, returning
 * each message with `dig`-style sections. Pure: the same input and model give the same chain.
 *
 * @example resolveDnsChain({ setup: "proxied", cache: "cold", qnameMinimisation: true }).connectsTo.ip // "104.18.32.7"
 * @example resolveDnsChain({ setup: "cloud-dns", cache: "warm", qnameMinimisation: false }).resolverQueries // 1
 */
export function resolveDnsChain(input: DnsChainInput = DNS_CHAIN_DEFAULTS, model: DnsModel | null = null): DnsChain {
  const { setup, cache, qnameMinimisation: qmin } = input;
  const zone = zoneServers(setup);
  const answer = zoneAnswer(setup);
  const auth: DnsHost = { role: "authoritative", name: zone.servers[0]!.name, ip: zone.servers[0]!.ip, operator: zone.operator };
  const steps: DnsChainStep[] = [];
  const skipped: string[] = [];

  const stubQuery = query(SITE_NAME, "A", true);
  steps.push({
    id: "stub-query", from: STUB, to: RESOLVER, query: stubQuery, response: null, outcome: "query",
    note: "The browser asks the operating system, whose stub resolver sends one recursive query (RD set) to the configured resolver and waits for the final answer.",
  });

  // What each non-minimised query asks; with minimisation (RFC 9156) each server sees only the next label.
  const ask = (minimised: string): DnsMessage => (qmin ? query(minimised, "NS", false) : query(SITE_NAME, "A", false));
  const delegationNs = zone.servers.map((s) => rr(ZONE, TTL.delegation, "NS", s.name));
  const delegationGlue = zone.servers.map((s) => rr(s.name, TTL.delegation, "A", s.ip));
  const comNs = COM_SERVERS.map((s) => rr("com", TTL.delegation, "NS", s.name));
  const comGlue = COM_SERVERS.map((s) => rr(s.name, TTL.delegation, "A", s.ip));
  const finalRecord = rr(SITE_NAME, answer.ttl, "A", answer.ip);

  if (cache === "cold") {
    // RFC 9609: a resolver that starts with only its hints file asks a root server for the root's NS set first.
    const q = query("", "NS", false);
    steps.push({
      id: "priming", from: RESOLVER, to: ROOT, query: q, outcome: "priming",
      response: response(q, ["aa"], {
        answer: ROOT_SERVERS.map((s) => rr("", TTL.rootNs, "NS", s.name)),
        additional: ROOT_SERVERS.map((s) => rr(s.name, TTL.rootNs, "A", s.ip)),
      }),
      note: "Started with only its root hints file, the resolver first asks a root server for the root's current NS set and addresses (a priming query, RFC 9609).",
    });
    const rootQ = ask("com");
    steps.push({
      id: "root", from: RESOLVER, to: ROOT, query: rootQ, outcome: "referral",
      response: response(rootQ, [], { authority: comNs, additional: comGlue }),
      note: qmin
        ? "With query-name minimisation the root is asked only about com. It is not authoritative for anything below the root, so it answers with a referral: the NS records of com and their addresses (glue)."
        : `The root is asked for ${SITE_NAME} itself. It is not authoritative for it, so it answers with a referral: the NS records of com and their addresses (glue).`,
    });
  } else {
    skipped.push("the priming query and the root's referral: the com delegation is cached (TTL two days)");
  }

  if (cache !== "hot") {
    if (cache === "cold") {
      const tldQ = ask(ZONE);
      const toRegistrar = model === "registrar-answers-queries";
      steps.push({
        id: "tld", from: RESOLVER, to: TLD, query: tldQ, outcome: "referral",
        response: toRegistrar
          ? response(tldQ, [], { authority: [rr(ZONE, TTL.delegation, "NS", REGISTRAR.name)], additional: [rr(REGISTRAR.name, TTL.delegation, "A", REGISTRAR.ip)] })
          : response(tldQ, [], { authority: delegationNs, additional: delegationGlue }),
        note: toRegistrar
          ? "In this model the .com servers send the resolver to the registrar, believed to keep the domain's DNS settings."
          : `A .com server answers with the delegation the registry publishes for ${ZONE}: NS records naming ${zone.provider}'s nameservers, with their addresses as glue. The registrar put them there; it is not asked.`,
      });
      if (toRegistrar) {
        const regQ = ask(ZONE);
        steps.push({
          id: "registrar", from: RESOLVER, to: REGISTRAR, query: regQ, outcome: "referral",
          response: response(regQ, [], { authority: delegationNs, additional: delegationGlue }),
          note: `In this model the registrar answers with ${zone.provider}'s nameservers. In reality no registrar server is on the lookup path: the .com servers already hold the delegation.`,
        });
      }
    } else {
      skipped.push(`the .com servers' referral: the delegation of ${ZONE} to ${zone.provider} is cached (TTL two days)`);
    }
    const authQ = query(SITE_NAME, "A", false);
    steps.push({
      id: "authoritative", from: RESOLVER, to: auth, query: authQ, outcome: "answer",
      response: response(authQ, ["aa"], { answer: [finalRecord] }),
      note: setup === "proxied"
        ? `Cloudflare's nameserver answers authoritatively. The record is proxied, so instead of the origin's ${GOOGLE.vip} it returns Cloudflare's anycast address ${answer.ip}, with the Auto TTL of ${answer.ttl} s.`
        : setup === "dns-only"
          ? `Cloudflare's nameserver answers authoritatively. The record is DNS only, so it returns the origin's address as stored: the load balancer's reserved global address ${answer.ip}.`
          : `Cloud DNS answers authoritatively with the A record of the zone: the load balancer's reserved global address ${answer.ip}.`,
    });
  } else {
    skipped.push(`every query: the answer itself is cached (cached ${HOT_AGE_SECONDS} s ago with TTL ${answer.ttl} s)`);
  }

  const servedTtl = cache === "hot" ? answer.ttl - HOT_AGE_SECONDS : answer.ttl;
  steps.push({
    id: "stub-answer", from: RESOLVER, to: STUB, query: null, outcome: cache === "hot" ? "from-cache" : "answer",
    response: response(stubQuery, ["rd", "ra"], { answer: [rr(SITE_NAME, servedTtl, "A", answer.ip)] }),
    note: cache === "hot"
      ? `The resolver answers from its cache, counting the TTL down: ${servedTtl} s are left. It sends no query at all.`
      : `The resolver hands the browser the answer (not authoritative: aa is clear) and keeps it for ${answer.ttl} s.`,
  });

  const proxied = setup === "proxied";
  // A warm cache already held the delegations; only a cold one learnt com's NS set on this lookup.
  const cacheAfter = [
    ...(cache === "cold" ? comNs : []),
    ...(cache === "hot" ? [] : delegationNs),
    rr(SITE_NAME, servedTtl, "A", answer.ip),
  ];
  return {
    input, model, name: SITE_NAME, steps,
    resolverQueries: steps.filter((s) => s.from.role === "resolver" && s.query !== null).length,
    connectsTo: proxied
      ? { ip: CLOUDFLARE.anycastIp, network: "Cloudflare's anycast edge", asn: CLOUDFLARE.asn }
      : { ip: GOOGLE.vip, network: "Google's external Application Load Balancer (the reserved global address)", asn: GOOGLE.asn },
    originInDns: !proxied,
    // Proxying takes the address out of DNS; the load balancer still accepts connections from anyone
    // who knows it, unless it is restricted to Cloudflare (Cloud Armor allow-list, mTLS).
    originReachableDirectly: model !== "proxied-hides-origin",
    delegation: {
      nameservers: zone.servers.map((s) => s.name), provider: zone.provider,
      note: setup === "cloud-dns"
        ? "At the registrar, the domain's nameservers are set to the four Cloud DNS names of the managed zone; the registrar sends them to the .com registry (over EPP), which publishes them as NS records in the com zone."
        : "At the registrar, the domain's nameservers are set to the two names Cloudflare assigned the account; the registrar sends them to the .com registry (over EPP), which publishes them as NS records, with glue, in the com zone.",
    },
    skipped,
    cacheAfter,
    simplifications: DNS_SIMPLIFICATIONS,
  };
}

export const DNS_SIMPLIFICATIONS: readonly string[] = [
  "IPv4 only: real referrals also carry AAAA glue, and a browser asks for AAAA as well as A.",
  "No DNSSEC: no DS records in referrals, no RRSIGs, no validation.",
  "No EDNS(0) options, retries, timeouts or TCP fallback; the resolver asks the first server of each set, where real resolvers pick by measured round-trip time.",
  "Minimised queries ask for NS; RFC 9156 also lets a resolver ask for A at each level.",
  "example.com stands for your domain: the real example.com is reserved by IANA and served by IANA's own nameservers.",
];

/** `dig`-style text of one message: header flags, then the sections that have records. */
export function formatDigMessage(m: DnsMessage): string {
  const line = (r: ResourceRecord) => `${r.name.padEnd(32)}${String(r.ttl).padEnd(8)}IN\t${r.type.padEnd(6)}${r.data}`;
  const out = [
    `;; ->>HEADER<<- opcode: QUERY, status: ${m.status}`,
    `;; flags: ${m.flags.join(" ")}; QUERY: 1, ANSWER: ${m.answer.length}, AUTHORITY: ${m.authority.length}, ADDITIONAL: ${m.additional.length}`,
    "",
    ";; QUESTION SECTION:",
    `;${m.question.name.padEnd(31)}\tIN\t${m.question.type}`,
  ];
  for (const [title, records] of [["ANSWER", m.answer], ["AUTHORITY", m.authority], ["ADDITIONAL", m.additional]] as const) {
    if (records.length === 0) continue;
    out.push("", `;; ${title} SECTION:`, ...records.map(line));
  }
  return out.join("\n");
}

/** The whole chain as text, one block per step (what `npm run sim -- dns` prints). */
export function formatDnsChain(chain: DnsChain): string {
  const { setup, cache, qnameMinimisation } = chain.input;
  const head = [
    `${chain.name} A — ${setup}, ${cache} cache, QNAME minimisation ${qnameMinimisation ? "on" : "off"}${chain.model ? `, model=${chain.model}` : ""}`,
    `delegation (set at the registrar, published in com): ${chain.delegation.nameservers.join(", ")}`,
    "",
  ];
  const blocks = chain.steps.map((s, i) => {
    const lines = [`${i + 1}. [${s.id}] ${s.from.name} (${s.from.ip}) → ${s.to.name} (${s.to.ip}): ${s.outcome}`, `   ${s.note}`];
    if (s.query) lines.push(`   query: ${s.query.question.name} ${s.query.question.type}${s.query.flags.includes("rd") ? " (rd)" : ""}`);
    if (s.response) lines.push(formatDigMessage(s.response).split("\n").map((l) => `   ${l}`).join("\n"));
    return lines.join("\n");
  });
  const tail = [
    "",
    `resolver queries: ${chain.resolverQueries}${chain.skipped.length ? ` (skipped: ${chain.skipped.join("; ")})` : ""}`,
    `browser connects to ${chain.connectsTo.ip} — ${chain.connectsTo.network}, AS${chain.connectsTo.asn}`,
    `origin address in DNS: ${chain.originInDns ? "yes" : "no"}; origin reachable directly by whoever knows it: ${chain.originReachableDirectly ? "yes" : "no"}`,
  ];
  return [...head, ...blocks, ...tail].join("\n");
}

/** The settings' values, in the order labs and the command line list them. */
export const DNS_SETUPS: readonly DnsSetup[] = ["proxied", "dns-only", "cloud-dns"];
export const RESOLVER_CACHES: readonly ResolverCache[] = ["cold", "warm", "hot"];

/** Measures building every chain of every input and model, for `npm run bench` (returns chains per millisecond). */
export function benchDnsChain(rounds = 2000): number {
  const start = performance.now();
  let n = 0;
  for (let r = 0; r < rounds; r++) {
    for (const setup of DNS_SETUPS) for (const cache of RESOLVER_CACHES) for (const qnameMinimisation of [true, false]) {
      resolveDnsChain({ setup, cache, qnameMinimisation });
      n++;
    }
  }
  return n / (performance.now() - start);
}
