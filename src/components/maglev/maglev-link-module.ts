/**
 * What the Maglev lab loads on demand for its permalinks, in a chunk of its own: reading a link into
 * the lab, and writing the address bar after a change. A page opened without a link, and not yet
 * touched, never fetches it.
 */
export { maglevLabLinkParams, readMaglevLabLink } from "../../machines/maglev-lab-link";
export { writeLabState } from "../lab/url-state";
export { replaceSearch } from "../steplab/url";
