import { existsSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { serve } from "../../scripts/serve.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

/**
 * Serves the production build (dist/, built by `npm run test:e2e`; E2E_DIST names another build) on a
 * free loopback port.
 */
export default async function setup(project: TestProject) {
  const dist = process.env.E2E_DIST ?? "dist";
  if (!existsSync(`${dist}/index.html`)) throw new Error(`${dist}/ is missing: run \`npm run build\` first (npm run test:e2e does).`);
  const { server, url } = await serve(dist, 0);
  project.provide("baseUrl", url);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
