import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/{sim,machines,quiz,components}/**/*.test.ts"],
    environment: "node",
  },
});
