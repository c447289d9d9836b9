import type { ComputeJourney } from "../../machines/handshake-stepper.machine";
import { computeTrace } from "../../sim/scenarios/index";
import { readJourneyTls } from "../../sim/tls/handshake/journey-tls";

/**
 * The flagship's trace, read for its TLS sessions, as the handshake stepper computes it in the
 * browser. Islands never import this module statically: `HandshakeStepper.astro` computes the lab's
 * opening journey when the site is built, and the island loads this chunk only when the learner picks
 * settings that were not computed then.
 */
export const computeJourney: ComputeJourney = (settings) => readJourneyTls(computeTrace("cloudflare-gke", settings));
