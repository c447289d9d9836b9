export * from "./model";
export * from "./node-host";
export * from "./synthetic";
export * from "./proxy";
export * from "./journey";
export * from "./scenarios";
export type { ModeCost } from "./ipvs/index";
