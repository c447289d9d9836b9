import { site, SITES, type SiteId } from "../geo";
import { InputError } from "../net/errors";
import { computeTrace } from "../scenarios/index";
import { totalMs, type Hop, type Trace } from "../trace";
import {
  firstByteMs, handshakes, httpOf, innerIpv4, longHaul, operatorOf, outcomeOf, requestEvents, requestHop, requestHops, responseHops,
} from "./compare-read";

/**
 * With and without Cloudflare, side by side: the flagship journey (`cloudflare-gke`) computed with
 * the record proxied (`cloudflare=on`), with it set to DNS only (`off`), and — for what an attacker
 * who knows the load balancer's address gets — with the proxy `bypassed`. Every cell is read off one
 * of those traces and names the hop(s) it was read from, so the comparison follows the simulator
 * (anycast, timing, certificates) rather than restating it.
 *
 * The model leaves out what the flagship leaves out: the access network's round trip (the same on
 * both sides), Cloud CDN (never enabled here), and prices (cost is named, not computed).
 */

export const COMPARE_SCENARIO = "cloudflare-gke";

/** The flagship settings a comparison is usually asked about (any other flagship parameter is accepted too). */
export const COMPARE_SETTINGS = ["city", "region", "cache-rule", "cache", "connections", "origin-protection"] as const;

/**
 * The traces a comparison reads: `with` (proxied), `without` (DNS only, same settings), `bypass`
 * (proxied, but a client connects to the load balancer's address directly), and `without-open`
 * (DNS only with the origin lock-down removed — computed only when the lock-down breaks `without`).
 */
export type CompareTraceKey = "with" | "without" | "bypass" | "without-open";

export interface CompareCell {
  readonly text: string;
  /** Hop ids of the trace this was read from ("request:gfe"): a lab link can open at each. */
  readonly steps: readonly string[];
  /** Which of the comparison's traces. */
  readonly trace: CompareTraceKey;
  /** The number behind the text, for rows that have one (ms, count). */
  readonly value?: number;
}

export type CompareRowId =
  | "outcome" | "dns-answer" | "exposed" | "path" | "anycast" | "entry" | "tls" | "certificates" | "waf" | "ddos"
  | "cache" | "client-address" | "first-byte" | "handshakes" | "dns-hosting" | "lockdown" | "cost";

export interface CompareRow {
  readonly id: CompareRowId;
  readonly topic: string;
  /** `path`: what the packets meet; `operations`: what the operator runs, pays for and must change. */
  readonly group: "path" | "operations";
  readonly with: CompareCell;
  readonly without: CompareCell;
  readonly differs: boolean;
  /** What the difference is, or why there is none, in a sentence or two. */
  readonly note: string;
}

export interface Comparison {
  readonly scenario: typeof COMPARE_SCENARIO;
  readonly seed: number;
  /** The settings both sides share, resolved (defaults filled in), without `cloudflare`. */
  readonly params: Readonly<Record<string, string>>;
  /** Each trace's full settings, for links into the flagship lab. */
  readonly traces: Readonly<Partial<Record<CompareTraceKey, Readonly<Record<string, string>>>>>;
  readonly rows: readonly CompareRow[];
  /** The headline numbers, as read for the rows (questions use them). */
  readonly figures: {
    readonly tlsWith: number;
    readonly tlsWithout: number;
    readonly firstByteWithMs: number;
    readonly firstByteWithoutMs: number;
    /** with − without: positive when Cloudflare costs time, negative when it saves it. */
    readonly differenceMs: number;
    readonly dnsWith: string;
    readonly dnsWithout: string;
    /** The device ids where a WAF or security policy ran on the request, per side. */
    readonly wafWith: readonly string[];
    readonly wafWithout: readonly string[];
    /** Whether `without` had to be read from `without-open` (the lock-down broke the DNS-only site). */
    readonly lockdownBreaksWithout: boolean;
  };
}

type Params = Readonly<Record<string, string>>;

const ms = (n: number) => `${n.toFixed(1)} ms`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const hopName = (t: Trace, id: string) => t.hops.find((h) => h.id === id)?.device.name ?? id;
const siteName = (id: string) => (Object.prototype.hasOwnProperty.call(SITES, id) ? site(id as SiteId).name : id);

function cell(trace: CompareTraceKey, text: string, steps: readonly string[], value?: number): CompareCell {
  return value === undefined ? { text, steps, trace } : { text, steps, trace, value };
}

/** "A → B → C", the devices of the request in order. */
const deviceChain = (hops: readonly Hop[]) => hops.map((h) => h.device.name).join(" → ");

/**
 * The comparison for a set of flagship settings.
 *
 * @example compareJourneys({ city: "tokyo" }).figures.tlsWith // 2
 * @example compareJourneys({ city: "paris", "cache-rule": "cache-everything", cache: "hit" }).figures.differenceMs < 0 // true: the edge answers
 * @throws InputError for `cloudflare` (the comparison sets it) or any setting the flagship refuses
 */
export function compareJourneys(given: Params = {}, seed = 0): Comparison {
  if ("cloudflare" in given) throw new InputError(`cloudflare=${given.cloudflare}`, "the comparison sets the proxy itself (on, off and bypassed); leave it out");
  const on = computeTrace(COMPARE_SCENARIO, { ...given, cloudflare: "on" }, seed);
  const params: Record<string, string> = { ...on.params };
  delete params.cloudflare;
  const off = computeTrace(COMPARE_SCENARIO, { ...params, cloudflare: "off" }, seed);
  const bypass = computeTrace(COMPARE_SCENARIO, { ...params, cloudflare: "bypassed" }, seed);
  const offOutcome = outcomeOf(off);
  // The lock-down (Cloud Armor allow-list of Cloudflare, or mTLS) only admits Cloudflare: with the proxy
  // gone it refuses every browser. The path rows then read the DNS-only site as it runs once it is lifted.
  const lockdownBreaks = !offOutcome.ok && params["origin-protection"] !== "none" &&
    outcomeOf(computeTrace(COMPARE_SCENARIO, { ...params, cloudflare: "off", "origin-protection": "none" }, seed)).ok;
  const open = lockdownBreaks ? computeTrace(COMPARE_SCENARIO, { ...params, cloudflare: "off", "origin-protection": "none" }, seed) : off;
  const openKey: CompareTraceKey = lockdownBreaks ? "without-open" : "without";

  const traces: Partial<Record<CompareTraceKey, Params>> = {
    with: { ...params, cloudflare: "on" },
    without: { ...params, cloudflare: "off" },
    bypass: { ...params, cloudflare: "bypassed" },
    ...(lockdownBreaks ? { "without-open": { ...params, cloudflare: "off", "origin-protection": "none" } } : {}),
  };
  const lifted = lockdownBreaks ? " (once the lock-down is lifted)" : "";

  const rows: CompareRow[] = [
    outcomeRow(on, off),
    dnsRow(on, off),
    exposedRow(on, off, bypass, params),
    pathRow(on, open, openKey, lifted),
    anycastRow(on, open, openKey),
    entryRow(on, open, openKey),
    tlsRow(on, open, openKey),
    certificatesRow(on, off),
    wafRow(on, open, openKey, lifted),
    ddosRow(on, open, openKey),
    cacheRow(on, open, openKey),
    clientAddressRow(on, open, openKey),
    firstByteRow(on, open, openKey, lifted),
    handshakesRow(on, open, openKey, params),
    dnsHostingRow(on, off),
    lockdownRow(off, bypass, params),
    costRow(on, open, openKey),
  ];
  const wafAt = (t: Trace) => requestEvents(t, "waf").map((w) => w.hop.device.id);
  const tlsCount = (t: Trace) => requestEvents(t, "tls-terminate").length;
  const dns = (t: Trace) => requestEvents(t, "dns-resolve")[0]?.event.answer ?? "";
  const a = firstByteMs(on);
  const b = firstByteMs(open);
  return {
    scenario: COMPARE_SCENARIO,
    seed,
    params,
    traces,
    rows,
    figures: {
      tlsWith: tlsCount(on), tlsWithout: tlsCount(open),
      firstByteWithMs: a, firstByteWithoutMs: b, differenceMs: Math.round((a - b) * 1000) / 1000,
      dnsWith: dns(on), dnsWithout: dns(off),
      wafWith: wafAt(on), wafWithout: wafAt(open),
      lockdownBreaksWithout: lockdownBreaks,
    },
  };
}

function outcomeRow(on: Trace, off: Trace): CompareRow {
  const a = outcomeOf(on);
  const b = outcomeOf(off);
  return {
    id: "outcome", topic: "What the browser gets", group: "path",
    with: cell("with", `${a.status}, from ${hopName(on, a.at)}`, [a.at]),
    without: cell("without", `${b.status}, from ${hopName(off, b.at)}`, [b.at]),
    differs: a.status !== b.status || hopName(on, a.at) !== hopName(off, b.at),
    note: a.status === b.status
      ? hopName(on, a.at) === hopName(off, b.at) ? "The same answer from the same place." : `The same status, written by a different device.`
      : b.ok ? "Switching the proxy off changes what the browser gets." : "Switched to DNS only with these settings, the site stops working for browsers: see the lock-down and certificate rows.",
  };
}

function dnsRow(on: Trace, off: Trace): CompareRow {
  const a = requestEvents(on, "dns-resolve")[0];
  const b = requestEvents(off, "dns-resolve")[0];
  const text = (e: typeof a) => (e ? `${e.event.answer}, from ${e.event.authority}` : "no lookup");
  return {
    id: "dns-answer", topic: "What DNS answers for the name", group: "path",
    with: cell("with", text(a), a ? [a.hop.id] : []),
    without: cell("without", text(b), b ? [b.hop.id] : []),
    differs: a?.event.answer !== b?.event.answer,
    note: a && b && a.event.answer !== b.event.answer
      ? `The record itself still says ${b.event.answer}; proxied, Cloudflare's nameservers answer with its own anycast address ${a.event.answer} instead.`
      : "Both lookups give the same address.",
  };
}

function exposedRow(on: Trace, off: Trace, bypass: Trace, params: Params): CompareRow {
  const dnsOn = requestEvents(on, "dns-resolve")[0]?.event.answer ?? "?";
  const dnsOff = requestEvents(off, "dns-resolve")[0]?.event.answer ?? "?";
  const browser = requestHop(bypass, "browser")!;
  const vip = innerIpv4(browser, "out")?.dst ?? "?";
  const direct = outcomeOf(bypass);
  const plain = outcomeOf(off);
  return {
    id: "exposed", topic: "The address an attacker learns, and what it answers", group: "path",
    with: cell(
      "bypass",
      `DNS gives only ${dnsOn}. The load balancer's ${vip} is not in DNS but still answers a client that finds it (old records, scans, certificate logs): ${direct.status}, from ${hopName(bypass, direct.at)} (origin protection: ${params["origin-protection"]}).`,
      [browser.id, direct.at],
    ),
    without: cell("without", `DNS gives ${dnsOff} itself, the load balancer's address: an attacker needs no search. It answers ${plain.status}, from ${hopName(off, plain.at)}.`, [requestHop(off, "browser")!.id, plain.at]),
    differs: dnsOn !== dnsOff,
    note: direct.ok
      ? `Proxied, the origin is hidden from DNS only: a direct request reaches the Pod and skips Cloudflare's WAF and cache. Lock the origin to Cloudflare (Cloud Armor or authenticated origin pulls) to close that.`
      : `Proxied and locked down, a direct request ends at Google's edge (${direct.status}); without the proxy the address is public and the lock-down has to go.`,
  };
}

function pathRow(on: Trace, open: Trace, key: CompareTraceKey, lifted: string): CompareRow {
  const a = requestHops(on);
  const b = requestHops(open);
  const onlyWith = a.filter((h) => !b.some((x) => x.device.id === h.device.id));
  const same = a.filter((h) => b.some((x) => x.device.id === h.device.id && x.device.name === h.device.name));
  return {
    id: "path", topic: "Devices on the way in", group: "path",
    with: cell("with", `${plural(a.length, "device")}: ${deviceChain(a)}`, a.map((h) => h.id), a.length),
    without: cell(key, `${plural(b.length, "device")}${lifted}: ${deviceChain(b)}`, b.map((h) => h.id), b.length),
    differs: a.map((h) => h.device.id).join() !== b.map((h) => h.device.id).join(),
    note: onlyWith.length
      ? `Without the proxy, ${onlyWith.map((h) => h.device.name).join(", ")} drop out; ${plural(same.length, "device")} are the same on both paths.`
      : "The same devices on both paths.",
  };
}

function anycastRow(on: Trace, open: Trace, key: CompareTraceKey): CompareRow {
  const text = (t: Trace) => {
    const found = requestEvents(t, "anycast-route");
    return {
      n: found.length,
      text: `${plural(found.length, "anycast decision")}: ` +
        found.map((f) => `${f.hop.device.name} routes ${f.event.prefix} (AS${f.event.originAs}, announced from ${plural(f.event.sites?.length ?? f.event.candidates.length, "site")}) to ${siteName(f.event.chosen)}`).join("; "),
      steps: found.map((f) => f.hop.id),
    };
  };
  const a = text(on);
  const b = text(open);
  return {
    id: "anycast", topic: "Anycast decisions", group: "path",
    with: cell("with", a.text, a.steps, a.n),
    without: cell(key, b.text, b.steps, b.n),
    differs: a.n !== b.n,
    note: a.n > b.n
      ? "Proxied, the request is routed by anycast twice: the user's ISP picks a Cloudflare site, then Cloudflare's border router picks a Google site. Direct, only the ISP's choice of a Google site remains."
      : "The same anycast decisions on both paths.",
  };
}

function entryRow(on: Trace, open: Trace, key: CompareTraceKey): CompareRow {
  const read = (t: Trace) => {
    const hops = requestHops(t);
    const at = hops.findIndex((h) => h.device.id === "google-router");
    if (at < 0) return { text: "The request never reaches Google's edge.", steps: [] as string[], where: null as string | null };
    const before = hops[at - 1]!;
    const via = before.events.find((e) => e.type === "forward");
    return {
      text: `${hops[at]!.device.name}, from ${before.device.name}${via && via.type === "forward" ? ` over ${via.via}` : ""}`,
      steps: [before.id, hops[at]!.id],
      where: hops[at]!.device.location as string,
    };
  };
  const a = read(on);
  const b = read(open);
  return {
    id: "entry", topic: "Where the request enters Google's network", group: "path",
    with: cell("with", a.text, a.steps),
    without: cell(key, b.text, b.steps),
    differs: a.where !== b.where,
    note: a.where && b.where
      ? a.where === b.where
        ? `Both paths enter Google in ${siteName(a.where)}: from there the long haul is Google's backbone either way.`
        : `Proxied, the request enters Google in ${siteName(a.where)}; direct, in ${siteName(b.where)}.`
      : "One of the paths never reaches Google's edge.",
  };
}

function tlsRow(on: Trace, open: Trace, key: CompareTraceKey): CompareRow {
  const read = (t: Trace) => {
    const found = requestEvents(t, "tls-terminate");
    return {
      n: found.length,
      text: found.length
        ? `${found.length}: ` + found.map((f) => `#${f.event.ordinal} at ${f.hop.device.name}, presenting ${f.event.certificate} (${f.event.issuer}) to the ${f.event.client === "browser" ? "browser" : "Cloudflare edge"}`).join("; ")
        : "none",
      steps: found.map((f) => f.hop.id),
    };
  };
  const a = read(on);
  const b = read(open);
  return {
    id: "tls", topic: "TLS terminations", group: "path",
    with: cell("with", a.text, a.steps, a.n),
    without: cell(key, b.text, b.steps, b.n),
    differs: a.n !== b.n,
    note: a.n !== b.n
      ? `${a.n} terminations become ${b.n}: the GFE still decrypts (it must read Host and path for the URL map); Cloudflare's edge no longer does.`
      : "The same number of TLS terminations.",
  };
}

function certificatesRow(on: Trace, off: Trace): CompareRow {
  const ends = requestEvents(on, "tls-terminate");
  const originate = requestEvents(on, "tls-originate")[0];
  const withText = ends.length
    ? ends.map((f) => `${f.hop.device.name} presents ${f.event.certificate}, issued by ${f.event.issuer}`).join("; ") +
      (originate ? `. Cloudflare checks the load balancer's: ${originate.event.verification}` : "")
    : "No TLS termination on this path.";
  const offEnds = requestEvents(off, "tls-terminate");
  const alert = off.hops.flatMap((h) => h.events.filter((e) => e.type === "tls-alert").map((e) => ({ hop: h, e })))[0];
  const withoutText = alert && alert.e.type === "tls-alert"
    ? `One certificate, now checked by browsers — and refused: ${alert.e.why}`
    : offEnds.length
      ? `One certificate: ${offEnds.map((f) => `${f.hop.device.name} presents ${f.event.certificate}, issued by ${f.event.issuer}`).join("; ")}; browsers check it, so it must come from a publicly trusted CA.`
      : "No TLS termination on this path.";
  return {
    id: "certificates", topic: "Certificates to run", group: "operations",
    with: cell("with", withText, [...ends.map((f) => f.hop.id), ...(originate && !ends.some((f) => f.hop.id === originate.hop.id) ? [originate.hop.id] : [])]),
    without: cell("without", withoutText, alert ? [alert.hop.id] : offEnds.map((f) => f.hop.id)),
    differs: ends.length !== offEnds.length || !!alert,
    note: alert
      ? "The certificate that satisfied Cloudflare does not satisfy browsers: replace it with a publicly trusted one (a Google-managed certificate) before switching."
      : "Two certificates become one; Cloudflare's edge certificate stops mattering, and the load balancer's faces browsers directly.",
  };
}

function wafRow(on: Trace, open: Trace, key: CompareTraceKey, lifted: string): CompareRow {
  const read = (t: Trace) => {
    const found = requestEvents(t, "waf");
    return found.length
      ? { text: found.map((f) => `${f.event.ruleset} at ${f.hop.device.name}: ${f.event.verdict}${f.event.rule ? ` (${f.event.rule})` : ""}`).join("; "), steps: found.map((f) => f.hop.id), n: found.length }
      : { text: `None${lifted}: nothing on the path filters requests at layer 7. Application-layer rules would be a Cloud Armor security policy on the backend service, evaluated in the GFE.`, steps: requestHop(t, "gfe") ? ["request:gfe"] : [], n: 0 };
  };
  const a = read(on);
  const b = read(open);
  return {
    id: "waf", topic: "Web application firewall", group: "path",
    with: cell("with", a.text, a.steps, a.n),
    without: cell(key, b.text, b.steps, b.n),
    differs: a.text !== b.text,
    note: a.n > b.n
      ? "Cloudflare's WAF ran at its edge, before the request left the user's city. Without it, any rule you want must be written again as Cloud Armor rules, which run in the GFE."
      : "The same filtering on both paths.",
  };
}

function ddosRow(on: Trace, open: Trace, key: CompareTraceKey): CompareRow {
  const read = (t: Trace) => {
    const route = requestEvents(t, "anycast-route")[0];
    const first = requestEvents(t, "tls-terminate")[0]?.hop ?? requestHops(t).find((h) => h.device.kind === "cdn-edge" || h.device.kind === "gfe");
    if (!route || !first) return { text: "The request never reaches a proxy.", steps: [] as string[] };
    const owner = operatorOf(first);
    const text = owner === "Cloudflare"
      ? `On Cloudflare's network: ${route.event.prefix} is announced from ${plural(route.event.sites?.length ?? route.event.candidates.length, "site")}, so a flood at the name is spread over them and absorbed at the edge (this user's share at ${siteName(route.event.chosen)}). A flood aimed at the load balancer's address skips it and lands on Google's edge.`
      : `On Google's edge: ${route.event.prefix} is announced from ${plural(route.event.sites?.length ?? route.event.candidates.length, "site")} and a flood lands where BGP sends it (${siteName(route.event.chosen)}). The external Application Load Balancer's volumetric (L3/L4) DDoS protection is always on, with no Cloud Armor policy needed, and the GFE is a proxy: the Pod only sees connections the GFE opens. Application-layer floods need Cloud Armor rate-based rules.`;
    return { text, steps: [route.hop.id, first.id] };
  };
  const a = read(on);
  const b = read(open);
  return {
    id: "ddos", topic: "Where a flood aimed at the name lands", group: "path",
    with: cell("with", a.text, a.steps),
    without: cell(key, b.text, b.steps),
    differs: a.text !== b.text,
    note: "Both networks absorb volumetric floods at anycast edges; what leaves with Cloudflare is its layer-7 DDoS mitigation and the WAF in front of the origin.",
  };
}

function cacheRow(on: Trace, open: Trace, key: CompareTraceKey): CompareRow {
  const read = (t: Trace) => {
    const found = requestEvents(t, "cache")[0];
    const o = outcomeOf(t);
    if (!found) return { text: "No CDN cache on the path: every request goes to a Pod (Cloud CDN, the GFE's own cache, is not enabled in this model).", steps: requestHop(t, "gfe") ? ["request:gfe"] : [], hit: false };
    const answered = t.hops.find((h) => h.id === o.at)?.device.id === found.hop.device.id;
    return {
      text: `cf-cache-status ${found.event.result} at ${found.hop.device.name}${answered ? `: answered there, ${o.status}; the origin never sees the request` : ": the request goes on to the origin"}.`,
      steps: answered ? [found.hop.id, o.at] : [found.hop.id],
      hit: answered,
    };
  };
  const a = read(on);
  const b = read(open);
  return {
    id: "cache", topic: "Who can answer without the origin", group: "path",
    with: cell("with", a.text, a.steps),
    without: cell(key, b.text, b.steps),
    differs: a.text !== b.text,
    note: a.hit ? "A cache hit is where the proxy pays for itself: the answer never crosses the backbone." : "With no hit, Cloudflare's cache saves nothing on this request.",
  };
}

function clientAddressRow(on: Trace, open: Trace, key: CompareTraceKey): CompareRow {
  const read = (t: Trace) => {
    const pod = requestHop(t, "pod");
    if (!pod) return { text: `The request does not reach a Pod (${outcomeOf(t).status}).`, steps: [] as string[], xff: "" };
    const ip = innerIpv4(pod, "in");
    const xff = httpOf(pod, "in")?.forwardedFor ?? "";
    return { text: `Source ${ip?.src ?? "?"} (the GFE's connection); X-Forwarded-For: ${xff || "none"}`, steps: [pod.id], xff };
  };
  const a = read(on);
  const b = read(open);
  return {
    id: "client-address", topic: "What the Pod learns about the user", group: "path",
    with: cell("with", a.text, a.steps),
    without: cell(key, b.text, b.steps),
    differs: a.xff !== b.xff,
    note: "Either way the Pod's peer is a GFE. The user's address survives only in X-Forwarded-For, which gains Cloudflare's egress address when proxied.",
  };
}

function firstByteRow(on: Trace, open: Trace, key: CompareTraceKey, lifted: string): CompareRow {
  const read = (t: Trace) => {
    const total = firstByteMs(t);
    const haul = longHaul(t);
    const o = outcomeOf(t);
    return {
      total,
      text: `${ms(total)}${t === open ? lifted : ""}: ${ms(totalMs(requestHops(t)))} in, ${ms(totalMs(responseHops(t)))} back` +
        (haul && haul.propagationMs > 5 ? `; the longest stretch is ${haul.device.name}, ${ms(haul.propagationMs)} of fibre` : "; no long haul"),
      steps: [...(haul && haul.propagationMs > 5 ? [haul.id] : []), o.at],
    };
  };
  const a = read(on);
  const b = read(open);
  const d = Math.round((a.total - b.total) * 10) / 10;
  // What Cloudflare's own devices add, both ways: their processing and the fibre to and from them.
  const atCloudflare = on.hops.filter((h) => operatorOf(h) === "Cloudflare");
  const work = Math.round(atCloudflare.reduce((n, h) => n + h.processingMs, 0) * 10) / 10;
  const entryOn = requestHop(on, "google-router")?.device.location;
  const entryOff = requestHop(open, "google-router")?.device.location;
  return {
    id: "first-byte", topic: "Time to the first byte of the answer (model)", group: "path",
    with: cell("with", a.text, a.steps, a.total),
    without: cell(key, b.text, b.steps, b.total),
    differs: Math.abs(d) >= 0.1,
    note: d < 0
      ? requestHop(on, "google-router")
        ? `Cloudflare saves ${ms(-d)} here: its route into Google (at ${siteName(entryOn ?? "?")}) beats the user's ISP's (at ${siteName(entryOff ?? "?")}).`
        : `Cloudflare saves ${ms(-d)} here: it answers without going to the origin at all.`
      : `Cloudflare costs ${ms(d)} here, ${ms(work)} of it work at Cloudflare's devices (a second TLS termination, the WAF, the cache lookup)` +
        (entryOn && entryOn === entryOff ? `; both paths enter Google at ${siteName(entryOn)} and cross the same backbone.` : entryOn && entryOff ? `; the paths enter Google at ${siteName(entryOn)} and ${siteName(entryOff)}.` : "."),
  };
}

function handshakesRow(on: Trace, open: Trace, key: CompareTraceKey, params: Params): CompareRow {
  const a = handshakes(on);
  const b = handshakes(open);
  // Warm, no handshake happens: the browser's hop is where one would (it opens the first connection).
  const steps = (h: ReturnType<typeof handshakes>) => (h.hops.length ? h.hops.map((x) => x.id) : ["request:browser"]);
  const text = (h: ReturnType<typeof handshakes>) => (h.roundTrips ? `${plural(h.roundTrips, "round trip")}, ${ms(h.ms)}: ${h.detail.join("; ")}` : "None: every connection on the way is already open (warm).");
  return {
    id: "handshakes", topic: "Round trips spent opening connections", group: "path",
    with: cell("with", text(a), steps(a), a.roundTrips),
    without: cell(key, text(b), steps(b), b.roundTrips),
    differs: a.roundTrips !== b.roundTrips,
    note: params.connections === "cold"
      ? "Cold, the proxied path opens one more encrypted connection (Cloudflare to the GFE). Each handshake runs between neighbours in the same city, so it costs round trips rather than milliseconds; the one that costs is the GFE's to a distant Pod, on both paths. The model has no access network: add the user's own round trip twice on either side."
      : "Warm connections: nothing to open. Switch to a cold start to count the handshakes.",
  };
}

function dnsHostingRow(on: Trace, off: Trace): CompareRow {
  const a = requestEvents(on, "dns-resolve")[0];
  const b = requestEvents(off, "dns-resolve")[0];
  return {
    id: "dns-hosting", topic: "Who hosts DNS", group: "operations",
    with: cell("with", `${a?.event.authority ?? "?"}, and it has to be: only Cloudflare's own nameservers can answer a proxied record with Cloudflare's address.`, a ? [a.hop.id] : []),
    without: cell("without", `A choice: keep the zone at Cloudflare with the record set to DNS only (grey cloud), or delegate it to Cloud DNS by changing the NS records at the registrar. The answer is the same either way (${b?.event.answer ?? "?"}).`, b ? [b.hop.id] : []),
    differs: true,
    note: "Removing the proxy does not require moving DNS; moving DNS is a separate change (new NS records, waiting out the old delegation's TTL).",
  };
}

function lockdownRow(off: Trace, bypass: Trace, params: Params): CompareRow {
  const protection = params["origin-protection"] ?? "none";
  const direct = outcomeOf(bypass);
  const plain = outcomeOf(off);
  const described = protection === "cloud-armor" ? "A Cloud Armor allow-list of Cloudflare's ranges" : protection === "mtls" ? "Authenticated origin pulls (mTLS at the load balancer)" : "No lock-down";
  return {
    id: "lockdown", topic: "Keeping the origin to Cloudflare", group: "operations",
    with: cell("bypass", `${described}: a client going around Cloudflare gets ${direct.status}, from ${hopName(bypass, direct.at)}.`, [direct.at]),
    without: cell("without", protection === "none"
      ? `Nothing to undo: browsers connect directly and get ${plain.status}.`
      : `${described} now refuses the browsers themselves: ${plain.status}, from ${hopName(off, plain.at)}. Remove it (or replace it with rules meant for the public) before switching DNS.`, [plain.at]),
    differs: protection !== "none",
    note: protection === "none"
      ? "Proxied without a lock-down, anyone who finds the origin's address goes around Cloudflare's WAF and cache."
      : "A lock-down that admits only Cloudflare is right behind the proxy and wrong without it.",
  };
}

function costRow(on: Trace, open: Trace, key: CompareTraceKey): CompareRow {
  const billers = (t: Trace) => requestHops(t).filter((h) => h.device.kind === "cdn-edge" || h.device.kind === "gfe");
  const a = billers(on);
  const b = billers(open);
  return {
    id: "cost", topic: "Who you pay (named, not priced)", group: "operations",
    with: cell("with", `Cloudflare (${a.filter((h) => operatorOf(h) === "Cloudflare").map((h) => h.device.name).join(", ") || "not reached"}): its plan for the proxy, WAF and cache; and Google (${a.filter((h) => operatorOf(h) === "Google").map((h) => h.device.name).join(", ") || "not reached"}): the load balancer's rules, data processed and internet egress. Cache hits spare Google egress.`, a.map((h) => h.id)),
    without: cell(key, `Google only (${b.map((h) => h.device.name).join(", ") || "not reached"}): the load balancer as before, plus Cloud Armor (policies, rules and requests evaluated) and Cloud CDN if you add them.`, b.map((h) => h.id)),
    differs: true,
    note: "The model computes no prices; what moves is which bills exist and what they count.",
  };
}
