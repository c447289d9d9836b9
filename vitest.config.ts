import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/{sim,machines,quiz,components,arch,cli,kernel}/**/*.test.ts"],
    environment: "node",
  },
});
