// @ts-check
import mdx from "@astrojs/mdx";
import react from "@astrojs/react";
import { defineConfig } from "astro/config";
import { mdxWidgetCheck } from "./src/components/mdx-widgets.ts";

export default defineConfig({
  site: "http://localhost:4321",
  trailingSlash: "ignore",
  integrations: [mdx(), react()],
  // Widget props in lessons are checked against src/components/registry.ts at build time.
  vite: { plugins: [mdxWidgetCheck()] },
  build: { format: "directory" },
  devToolbar: { enabled: false },
});
