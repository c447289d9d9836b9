/**
 * What the static-IP lab loads on demand, in a chunk of its own: the linter (with its YAML parser)
 * and the link decoder. The lab opens on findings computed at build time and fetches this only when
 * a learner is about to edit, or a link brings texts of its own.
 */
export { lintStaticIp } from "../../sim/edge/static-ip";
export { decodeLabInput } from "../../sim/core/permalink";
