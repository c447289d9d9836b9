import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { maglevBackend, maglevPermutation, maglevPopulate, maglevTable } from "../../src/sim/edge/maglev";
import { siphash24, siphashText } from "../../src/sim/edge/siphash";
import { seededRandom } from "../../src/sim/random";

/** The published vectors in ../shared/conformance/maglev.json, run against this model. */
const path = fileURLToPath(new URL("../../../shared/conformance/maglev.json", import.meta.url));
interface Vector {
  id: string;
  M: number;
  backends: { index: number; name: string; siphash24_hex: string; offset: number; skip: number; permutation: number[] }[];
  expected_table: number[];
  removed: number[];
  expected_table_after_removal: number[];
}
const data = JSON.parse(readFileSync(path, "utf8")) as { vectors: Vector[] };

describe("SipHash-2-4", () => {
  it("matches the reference vector from the SipHash paper (key 00..0f, message 00..0e)", () => {
    const key = Array.from({ length: 16 }, (_, i) => i);
    const k0 = key.slice(0, 8).reduceRight((acc, b) => (acc << 8n) | BigInt(b), 0n);
    const k1 = key.slice(8).reduceRight((acc, b) => (acc << 8n) | BigInt(b), 0n);
    const message = Uint8Array.from({ length: 15 }, (_, i) => i);
    expect(siphash24(k0, k1, message).toString(16)).toBe("a129ca6149be45e5");
  });
});

describe.each(data.vectors)("Maglev conformance: $id", (vector) => {
  it.each(vector.backends)("hashes $name to its published offset, skip and permutation", (b) => {
    expect(siphashText(0xdeadbeefcafebaben, 0n, b.name).toString(16).padStart(16, "0")).toBe(b.siphash24_hex);
    const backend = maglevBackend(b.name, vector.M);
    expect([backend.offset, backend.skip]).toEqual([b.offset, b.skip]);
    expect(maglevPermutation(backend, vector.M)).toEqual(b.permutation);
  });

  it("populates the published table", () => {
    expect(maglevPopulate(vector.backends, vector.M)).toEqual(vector.expected_table);
    expect(maglevTable(vector.backends.map((b) => b.name), vector.M).entries).toEqual(vector.expected_table);
  });

  it("repopulates after removal as published", () => {
    expect(maglevPopulate(vector.backends, vector.M, new Set(vector.removed))).toEqual(vector.expected_table_after_removal);
  });
});

describe("Maglev paper claims (NSDI 2016 §3.4, §5.3)", () => {
  const M = 65537;
  const random = seededRandom(7);
  const backends = Array.from({ length: 1000 }, () => ({
    offset: Math.floor(random() * M),
    skip: 1 + Math.floor(random() * (M - 1)),
  }));
  const table = maglevPopulate(backends, M);

  it("gives each of 1000 backends ⌊M/N⌋ or ⌈M/N⌉ slots (65 or 66)", () => {
    const counts = new Array<number>(1000).fill(0);
    for (const owner of table) counts[owner]!++;
    expect(Math.min(...counts)).toBe(65);
    expect(Math.max(...counts)).toBe(66);
  });

  it("moves few surviving slots when 10 of 1000 backends fail (about 2-3 %)", () => {
    const removed = new Set(Array.from({ length: 10 }, (_, i) => i * 97));
    const after = maglevPopulate(backends, M, removed);
    let moved = 0;
    let surviving = 0;
    table.forEach((owner, slot) => {
      if (removed.has(owner)) return;
      surviving++;
      if (after[slot] !== owner) moved++;
    });
    const pct = (100 * moved) / M;
    expect(surviving).toBeGreaterThan(0);
    expect(pct).toBeGreaterThan(0.5);
    expect(pct).toBeLessThan(5);
  });
});
