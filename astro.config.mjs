// @ts-check
import mdx from "@astrojs/mdx";
import react from "@astrojs/react";
import { defineConfig } from "astro/config";

export default defineConfig({
  site: "http://localhost:4321",
  trailingSlash: "ignore",
  integrations: [mdx(), react()],
  build: { format: "directory" },
  devToolbar: { enabled: false },
});
