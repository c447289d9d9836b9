/**
 * A module loaded the first time it is asked for (a chunk of its own, fetched by a dynamic import);
 * later calls share it. A failed load — the network dropped — is forgotten, so the next call tries again.
 *
 * @example const loadGrader = onDemand(loadTheGraderChunk); // loadTheGraderChunk: () => a dynamic import
 */
export function onDemand<M>(load: () => Promise<M>): () => Promise<M> {
  let loading: Promise<M> | null = null;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = null;
      throw error;
    });
    return loading;
  };
}
