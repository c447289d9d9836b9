/**
 * What the URL-map tester loads on demand for its permalinks, in a chunk of its own: reading a link
 * into the tester, and writing the address bar after a change. (An edited URL map or policy is encoded
 * with `url-map-tester-module.ts`, which the edit has loaded already.)
 */
export { readUrlMapTesterLink, urlMapTesterLinkParams } from "../../machines/url-map-tester-link";
export { writeLabState } from "../lab/url-state";
export { replaceSearch } from "../steplab/url";
