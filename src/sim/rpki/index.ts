/** RPKI: VRPs, route-origin validation (RFC 6811), VRP exports, hijacks on the BGP model. */
export * from "./asn";
export * from "./prefix";
export * from "./vrp";
export * from "./rov";
export * from "./export";
