/**
 * `npm run sim -- maglev …`: Maglev's lookup table (Eisenbud et al., NSDI 2016, §3.4), the slots each
 * backend owns, the slots that move when backends are removed, and the backend a flow lands on.
 * Backend names are hashed as go-maglev hashes them (SipHash-2-4, key 0xdeadbeefcafebabe), so the
 * printed tables match ../shared/conformance/maglev.json and go-maglev's own tests.
 */
import { InputError } from "../src/sim/net/errors";
import { isPrime, MAGLEV_DEFAULT_TABLE_SIZE, maglevBackend, maglevLookup, maglevPopulate, maglevTable } from "../src/sim/edge/maglev";
import { slotChanges } from "../src/sim/edge/maglev-disruption";
import { one, parseArgs, print } from "./sim-args";

/** Tables up to this size print slot by slot; larger ones are summarised (the JSON always has them whole). */
const FULL_TABLE_LIMIT = 64;
/** Backend lists up to this long print one line each; longer ones as a tally of slot counts. */
const FULL_BACKEND_LIMIT = 24;

function names(flag: string, text: string | undefined): string[] {
  const list = (text ?? "").split(",").map((b) => b.trim());
  if (text === undefined || list.every((b) => b === "")) return [];
  if (list.some((b) => b === "")) throw new InputError(`${flag} ${text}`, "an empty name between commas; write NAME,NAME,…");
  const dupes = [...new Set(list.filter((b, i) => list.indexOf(b) !== i))];
  if (dupes.length) throw new InputError(`${flag} ${text}`, `${dupes.join(", ")} ${dupes.length === 1 ? "is" : "are"} named more than once; name each backend once`);
  return list;
}

function smallestFactor(n: number): number {
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return d;
  return n;
}

function tableSize(text: string | undefined, backends: number): number {
  if (text === undefined) return MAGLEV_DEFAULT_TABLE_SIZE;
  const size = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(size)) throw new InputError(`--size ${text}`, "the table size is a whole number, a prime such as 13, 65537 or 655373");
  if (size > 10_000_019) throw new InputError(`--size ${text}`, "a table larger than 10,000,019 slots is more than this simulator builds");
  if (!isPrime(size)) {
    const why = size < 2 ? `${size} is not prime` : `${size} is not prime (${smallestFactor(size)} × ${size / smallestFactor(size)})`;
    // §3.4: skip ranges over 1…M−1; only a prime M makes every skip coprime with M, so that every
    // backend's permutation (offset + j·skip) mod M visits every slot.
    throw new InputError(`--size ${text}`, `${why}: the table size is a prime, so that every backend's permutation visits every slot (NSDI 2016 §3.4)`);
  }
  if (size < backends) throw new InputError(`--size ${text}`, `the table size is a prime at least the number of backends (${backends}); the paper picks M > 100 × N`);
  return size;
}

const pct = (part: number, whole: number) => `${((100 * part) / whole).toFixed(part === 0 || part === whole ? 0 : 2)}%`;

/** "gfe-1 ×4 slots" lines, or for many backends a tally: how many backends own each count. */
function entriesText(backends: readonly string[], counts: readonly (number | null)[], size: number): string[] {
  const live = counts.filter((c): c is number => c !== null);
  const floor = Math.floor(size / live.length);
  const ceil = Math.ceil(size / live.length);
  const bound = `⌊M/N⌋ = ${floor}, ⌈M/N⌉ = ${ceil}`;
  if (backends.length <= FULL_BACKEND_LIMIT) {
    const width = Math.max(...backends.map((b) => b.length));
    return [
      `entries per backend (${bound}):`,
      ...backends.map((b, i) => `  ${b.padEnd(width)}  ${counts[i] === null ? "removed" : `${String(counts[i]).padStart(String(size).length)} slots  ${pct(counts[i]!, size)}`}`),
    ];
  }
  const tally = new Map<number, number>();
  for (const c of live) tally.set(c, (tally.get(c) ?? 0) + 1);
  return [
    `entries per backend (${bound}):`,
    ...[...tally].sort((a, b) => b[0] - a[0]).map(([c, n]) => `  ${n} backends own ${c} slots each (${pct(c, size)})`),
    "  (each backend's count is in --json)",
  ];
}

function tableText(backends: readonly string[], table: readonly number[]): string[] {
  const width = String(table.length - 1).length;
  if (table.length <= FULL_TABLE_LIMIT) return ["slot  backend", ...table.map((owner, slot) => `${String(slot).padStart(Math.max(4, width))}  ${backends[owner]}`)];
  const head = table.slice(0, 12).map((owner, slot) => `${slot}:${backends[owner]}`).join(" ");
  return [`slots 0–11: ${head} …`, `(${table.length.toLocaleString("en-US")} slots in all; the full table is in --json)`];
}

export function maglevCommand(argv: readonly string[]): void {
  const args = parseArgs(argv, ["--backends", "--size", "--remove", "--flow"]);
  const backends = names("--backends", one(args, "--backends"));
  if (backends.length === 0) throw new InputError("--backends", "name the backends, e.g. --backends gfe-1,gfe-2,gfe-3");
  const size = tableSize(one(args, "--size"), backends.length);
  const removeText = one(args, "--remove");
  const removeNames = removeText === undefined ? [] : names("--remove", removeText);
  if (removeText !== undefined && removeNames.length === 0) throw new InputError("--remove", "name the backends to remove, e.g. --remove gfe-2");
  const unknown = removeNames.filter((n) => !backends.includes(n));
  if (unknown.length) throw new InputError(`--remove ${removeText}`, `${unknown.join(", ")} ${unknown.length === 1 ? "is" : "are"} not among --backends (${backends.join(", ")})`);
  if (removeNames.length && removeNames.length === backends.length) throw new InputError(`--remove ${removeText}`, "that removes every backend; Maglev needs at least one left to build a table");
  const flow = one(args, "--flow");
  if (flow !== undefined && flow.trim() === "") throw new InputError("--flow", 'give a flow key, e.g. --flow "tcp 198.51.100.23:51514 → 34.98.10.5:443"');

  const table = maglevTable(backends, size);
  const removed = new Set(removeNames.map((n) => backends.indexOf(n)));
  // Survivors keep their index and their (offset, skip): go-maglev's Rebuild(dead), and the paper's
  // Pseudocode 1 run over the reduced list in the same order.
  const after = removed.size ? maglevPopulate(backends.map((n) => maglevBackend(n, size)), size, removed) : null;
  const changes = after ? slotChanges(table.entries, after, removed) : null;
  const countsAfter = after ? backends.map((_, i) => (removed.has(i) ? null : after.filter((o) => o === i).length)) : null;
  const pick = flow === undefined ? null : maglevLookup(table, flow);
  const pickAfter = pick && after ? backends[after[pick.slot]!]! : null;

  const result = {
    size,
    backends,
    table: table.entries,
    entries: table.slotCounts,
    ...(after && changes && countsAfter
      ? {
          removed: removeNames,
          tableAfter: after,
          entriesAfter: countsAfter,
          moved: changes.moved.map((m) => ({ slot: m.slot, from: backends[m.from]!, to: backends[m.to]! })),
          movedCount: changes.moved.length,
          forced: changes.forced,
          needless: changes.needless,
        }
      : {}),
    ...(pick ? { flow, slot: pick.slot, backend: pick.backend, ...(pickAfter ? { backendAfter: pickAfter } : {}) } : {}),
    // The names this command printed before the contract's `size`/`entries`, kept for older scripts.
    tableSize: size,
    slotCounts: table.slotCounts,
  };

  print(args, result, () => {
    const lines = [
      `Maglev lookup table: M = ${size.toLocaleString("en-US")} slots over ${backends.length} backend${backends.length === 1 ? "" : "s"} (NSDI 2016 §3.4)`,
      ...tableText(backends, table.entries),
      ...entriesText(backends, table.slotCounts, size),
    ];
    if (after && changes && countsAfter) {
      lines.push("", `after removing ${removeNames.join(", ")} (the others keep their permutations):`);
      if (size <= FULL_TABLE_LIMIT) lines.push("slot  before → after", ...changes.moved.map((m) => `${String(m.slot).padStart(4)}  ${backends[m.from]} → ${backends[m.to]}${removed.has(m.from) ? "" : "   (moved needlessly)"}`));
      else {
        const shown = changes.moved.slice(0, 8).map((m) => `${m.slot}:${backends[m.from]}→${backends[m.to]}`).join(" ");
        lines.push(`moved slots: ${shown}${changes.moved.length > 8 ? " …" : ""} (all in --json)`);
      }
      lines.push(
        `${changes.moved.length.toLocaleString("en-US")} of ${size.toLocaleString("en-US")} slots moved (${pct(changes.moved.length, size)}): ` +
          `${changes.forced.toLocaleString("en-US")} had belonged to the removed backend${removed.size === 1 ? "" : "s"}, ` +
          `${changes.needless.toLocaleString("en-US")} moved between survivors (${pct(changes.needless, size)} of the table).`,
        ...entriesText(backends, countsAfter, size),
      );
    }
    if (pick) lines.push("", `flow ${flow} → slot ${pick.slot} → ${pick.backend}${pickAfter ? `; after the removal → ${pickAfter}` : ""}`);
    return lines.join("\n");
  });
}
