/**
 * The kernel finds a virtual server, or a BPF map entry, by hashing its key; the model keeps those
 * tables as arrays, to print them in order. `bucketBy` gives such an array the hash lookup: built
 * once per table, it turns a lookup into a few map probes instead of a scan over every entry of a
 * large cluster.
 */

/**
 * The entries of `list` grouped by `keyOf`, each group in array order. A lookup that takes the
 * first entry of a group passing the exact test finds what `list.find(test)` finds, provided every
 * entry the test accepts has the looked-up key.
 *
 * @example
 * const byPort = bucketBy(servers, (s) => s.port);
 * byPort.get(80)?.find((s) => s.port === 80) // servers.find((s) => s.port === 80)
 */
export function bucketBy<T, K>(list: readonly T[], keyOf: (entry: T) => K): Map<K, T[]> {
  const buckets = new Map<K, T[]>();
  for (const entry of list) {
    const key = keyOf(entry);
    const bucket = buckets.get(key);
    if (bucket) bucket.push(entry);
    else buckets.set(key, [entry]);
  }
  return buckets;
}
