/** Realistic manifest sets for labs and CLI tests; each loads cleanly with `loadManifests`. */
export { clusterIpDeploymentManifest } from "./cluster-ip-deployment";
export { externalDatabaseManifest } from "./external-database";
export { nodePortLoadBalancerManifest } from "./nodeport-loadbalancer";
export { fiveTypesManifest } from "./five-types";
export { dualStackManifest } from "./dual-stack";
