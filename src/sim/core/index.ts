export * from "./trace";
export * from "./scenario";
export * from "./permalink";
