/**
 * Levenshtein distance — insertions, deletions and substitutions, one each — for "did you mean" on a mistyped
 * name, id or slug.
 *
 * @example editDistance("life-of-packets", "life-of-a-packet") // 3
 */
export function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}
