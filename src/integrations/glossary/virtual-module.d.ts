/** The checked glossary, sorted by term (see ./vite-module.ts). */
declare module "virtual:packet-lab/glossary" {
  const entries: readonly import("./schema").GlossaryEntry[];
  export default entries;
}
