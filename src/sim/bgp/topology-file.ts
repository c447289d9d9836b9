import { LineCounter, parseDocument, isNode } from "yaml";
import { z } from "zod";
import { SITES, type SiteId } from "../geo";
import { InputError } from "../net/errors";
import { canonicalPrefix } from "./prefix";
import { compileTopology } from "./topology";
import type { Announcement, Topology } from "./types";

/**
 * The file format of `npm run sim -- bgp --topology FILE` (YAML, or JSON, which is YAML too):
 *
 * ```yaml
 * ases:                     # every AS: number, name, kind, the cities it has a router in, its ROV policy
 *   - { asn: 64500, name: Left ISP, kind: access, cities: [paris], rov: drop-invalid }
 *   - { asn: 3356, name: Lumen, kind: tier1, cities: [paris, london] }
 *   - { asn: 64510, name: IXP route server, kind: route-server, cities: [paris] }
 * sessions:                 # eBGP sessions: transit (customer buys from provider), peer, route-server
 *   - { kind: transit, provider: 3356, customer: 64500, city: paris }
 *   - { kind: peer, a: 64500, b: 64501, city: paris }
 *   - { kind: route-server, routeServer: 64510, member: 64500, city: paris }
 * policies:                 # optional per-session overrides at AS `at` towards `neighbor`
 *   - { at: 64500, neighbor: 3356, prepend: 2, med: 10, localPref: 150 }
 * announcements:            # prefixes originated; cities default to all of the AS's
 *   - { prefix: 192.0.2.0/24, asn: 64500, cities: [paris], prepend: 1, pathSuffix: [] }
 * ```
 * A value that is wrong is reported with its line and field ("line 7: sessions[1].city: …").
 */

const city = z.string().refine((c) => c in SITES, { message: `unknown city; the model knows ${Object.keys(SITES).join(", ")}` }).transform((c) => c as SiteId);
const asn = z.union([z.number().int().min(1).max(4294967295), z.string().regex(/^(AS)?\d+$/i).transform((s) => Number(s.replace(/^AS/i, "")))]);
const count = z.number().int().min(0).max(10);
const u32 = z.number().int().min(0).max(4294967295);

export const BgpFileSchema = z.object({
  /** Autonomous systems. */
  ases: z.array(z.object({
    asn, name: z.string().min(1), kind: z.enum(["content", "tier1", "transit", "access", "route-server", "attacker"]),
    cities: z.array(city).min(1), rov: z.enum(["off", "drop-invalid", "depref-invalid"]).optional(), note: z.string().optional(),
  }).strict()).min(1),
  /** eBGP sessions with their relationship. */
  sessions: z.array(z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("transit"), provider: asn, customer: asn, city }).strict(),
    z.object({ kind: z.literal("peer"), a: asn, b: asn, city }).strict(),
    z.object({ kind: z.literal("route-server"), routeServer: asn, member: asn, city }).strict(),
  ])).default([]),
  /** Per-session overrides. */
  policies: z.array(z.object({ at: asn, neighbor: asn, city: city.optional(), prepend: count.optional(), med: u32.optional(), localPref: u32.optional() }).strict()).default([]),
  /** Prefixes originated. */
  announcements: z.array(z.object({
    prefix: z.string(), asn, cities: z.array(city).optional(), origin: z.enum(["igp", "egp", "incomplete"]).optional(),
    prepend: count.optional(), med: u32.optional(), pathSuffix: z.array(asn).optional(),
  }).strict()).default([]),
}).strict();

/** "sessions[2].city" → ["sessions", 2, "city"]. */
function pathOf(field: string): (string | number)[] {
  return [...field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
}

const fieldText = (path: readonly PropertyKey[]) => path.reduce<string>((acc, k) => (typeof k === "number" ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), "");

/**
 * Parses a topology file's text into a topology and its announcements, every error naming the line
 * and the field.
 *
 * @throws InputError "topology.yaml line 7: sessions[1].city: AS64501 has no router in london"
 */
export function parseBgpFile(text: string, name: string): { topology: Topology; announcements: Announcement[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    throw new InputError(`${name} line ${lines.linePos(e.pos[0]).line}`, e.message.split("\n")[0]!);
  }
  const lineOf = (path: (string | number)[]): string => {
    for (let p = path; p.length; p = p.slice(0, -1)) {
      const node = doc.getIn(p, true);
      if (isNode(node) && node.range) return ` line ${lines.linePos(node.range[0]).line}`;
    }
    return "";
  };
  const parsed = BgpFileSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.filter((k): k is string | number => typeof k !== "symbol");
    throw new InputError(`${name}${lineOf(path)}`, `${fieldText(path) || "the file"}: ${issue.message}`);
  }
  const f = parsed.data;
  const topology: Topology = { ases: f.ases, sessions: f.sessions, policies: f.policies };
  try {
    compileTopology(topology);
    f.announcements.forEach((a, i) => {
      try {
        canonicalPrefix(a.prefix);
      } catch (error) {
        if (error instanceof InputError) throw new InputError(`announcements[${i}].prefix`, error.reason);
        throw error;
      }
      const as = f.ases.find((x) => x.asn === a.asn);
      if (!as) throw new InputError(`announcements[${i}].asn`, `AS${a.asn} is not in the topology`);
      const missing = (a.cities ?? []).find((c) => !as.cities.includes(c));
      if (missing) throw new InputError(`announcements[${i}].cities`, `AS${a.asn} has no router in ${missing}`);
    });
  } catch (error) {
    if (error instanceof InputError && /^[a-z]+(\[\d+\])/.test(error.input)) {
      throw new InputError(`${name}${lineOf(pathOf(error.input))}`, `${error.input}: ${error.reason}`);
    }
    throw error;
  }
  return { topology, announcements: f.announcements };
}
