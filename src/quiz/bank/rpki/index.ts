import type { AnyTemplate } from "../../engine/types";
import { hijackShare } from "./hijack-share";
import { rovState } from "./rov-state";
import { staticIpSteal } from "./static-ip-steal";
import { stopTheHijack } from "./stop-the-hijack";

/** The rpki questions, one line per template. */
export const RPKI_TEMPLATES: readonly AnyTemplate[] = [
  staticIpSteal,
  rovState,
  hijackShare,
  stopTheHijack,
];
