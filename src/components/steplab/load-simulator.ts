import { useEffect } from "react";
import { onDemand } from "../on-demand";
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

/** Loads the kube simulator (see `kube-simulator.ts`). */
export const loadKubeSimulator: () => Promise<KubeSimulator> = onDemand(() => import("./kube-simulator"));

/**
 * While a lab's machine says it is waiting for the simulator, loads it (with `load`, the kube
 * simulator unless another is named) and sends the machine the part it needs (or the failure); an
 * answer that arrives after the lab moved on is dropped.
 */
export function useSimulatorWhileWaiting<E, S = KubeSimulator>(
  waiting: boolean,
  send: (event: E) => void,
  loaded: (simulator: S) => E,
  failed: (error: unknown) => E,
  load: () => Promise<S> = loadKubeSimulator as unknown as () => Promise<S>,
): void {
  useEffect(() => {
    if (!waiting) return;
    let current = true;
    load().then(
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
  }, [waiting, send, load]);
}
