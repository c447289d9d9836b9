import { faultTemplate } from "./shared";

/** Name the fault: small requests work, large uploads hang. */
export const mtuBlackHoleFault = faultTemplate("mtu-black-hole", "Small works, big hangs", ["mtu"]);
