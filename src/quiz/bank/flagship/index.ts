import type { AnyTemplate } from "../../engine/types";
import { diagnoseTheFailure } from "./diagnose-the-failure";
import { encapsulationBytes } from "./encapsulation-bytes";
import { explainTheJourney } from "./explain-the-journey";
import { headerAtNode } from "./header-at-node";
import { podSeesSource } from "./pod-sees-source";
import { removeCloudflare } from "./remove-cloudflare";
import { responsePath } from "./response-path";
import { traceTheRequest } from "./trace-the-request";
import { whereTlsTerminates } from "./where-tls-terminates";
import { whoPicksThePod } from "./who-picks-the-pod";

/** The flagship journey's questions (`cloudflare-gke`), one line per template. */
export const FLAGSHIP_TEMPLATES: readonly AnyTemplate[] = [
  traceTheRequest,
  whereTlsTerminates,
  responsePath,
  headerAtNode,
  whoPicksThePod,
  podSeesSource,
  encapsulationBytes,
  explainTheJourney,
  diagnoseTheFailure,
  removeCloudflare,
];
