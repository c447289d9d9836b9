/**
 * What the URL-map tester loads on demand, in a chunk of its own: the YAML readers (with their parser)
 * and the link codec for an edited URL map or policy. The tester opens on the example objects and
 * fetches this only when a learner first edits a YAML field, or a link brings YAML of its own.
 */
export { readSecurityPolicyYaml, readUrlMapYaml } from "../../sim/edge/gfe-yaml";
export { decodeLabInput, encodeLabInput } from "../../sim/core/permalink";
