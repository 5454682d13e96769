// The vitest config Stryker runs (see stryker.config.mjs): only the selected module's tests,
// and no type-only tests (a mutant never changes what *.test-d.ts files check).
import { defineConfig } from "vitest/config";
import { selectedTests } from "./stryker.config.mjs";

export default defineConfig({
  test: {
    include: selectedTests(),
    setupFiles: ["test/setup/redaction.ts"],
    typecheck: { enabled: false },
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
