import { useEffect } from "react";
import type { ModeCost } from "../../sim/kube/index";

/** Cluster sizes the chain walker's "grow the cluster" offers (their costs are computed at build time). */
export const CLUSTER_SIZES = [100, 1000, 10000] as const;
/** Endpoints behind each Service in that comparison (a small Deployment's replicas). */
export const ENDPOINTS_PER_SERVICE = 3;

/** The costs of each mode at one cluster size, as a lab is handed them. */
export interface KnownCosts {
  readonly services: number;
  readonly costs: readonly ModeCost[];
}

type KubeSimulator = typeof import("./kube-simulator");
let loading: Promise<KubeSimulator> | null = null;

/**
 * Loads the kube simulator (a chunk of its own, fetched the first time it is asked for; later calls
 * share it). A failed load — the network dropped — is forgotten, so the next call tries again.
 */
export function loadKubeSimulator(): Promise<KubeSimulator> {
  loading ??= import("./kube-simulator").catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}

/**
 * While a lab's machine says it is waiting for the simulator, loads it and sends the machine the part
 * it needs (or the failure); an answer that arrives after the lab moved on is dropped.
 */
export function useSimulatorWhileWaiting<E>(waiting: boolean, send: (event: E) => void, loaded: (simulator: KubeSimulator) => E, failed: (error: unknown) => E): void {
  useEffect(() => {
    if (!waiting) return;
    let current = true;
    loadKubeSimulator().then(
      (simulator) => {
        if (current) send(loaded(simulator));
      },
      (error: unknown) => {
        if (current) send(failed(error));
      },
    );
    return () => {
      current = false;
    };
    // `loaded` and `failed` build events; they are read when the load ends, not dependencies.
  }, [waiting, send]);
}
