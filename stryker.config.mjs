// Mutation testing (Stryker 9.6.1, Node 20): `MUTATE=src/core/body.ts npm run mutate`.
// Each target lists the test files that exercise it, so one module takes minutes, not the
// whole suite; without MUTATE every target below is mutated against the union of its tests.

/** The tests of webhook verification (the recipes and the runtime matrix are too slow to repeat). */
const WEBHOOK_TESTS = [
  "test/webhooks/verify.test.ts",
  "test/webhooks/headers.test.ts",
  "test/webhooks/event.test.ts",
  "test/webhooks/request.test.ts",
  "test/webhooks/sign.test.ts",
  "test/webhooks/cross-check.test.ts",
  "test/webhooks/signature.test.ts",
  "test/webhooks/event-validators.test.ts",
  "test/hostile/webhooks.test.ts",
];

/** Module under mutation → the test files that run against it. */
export const targets = {
  "src/core/transport.ts": ["test/transport.test.ts", "test/hostile/bodies.test.ts"],
  "src/core/redirect.ts": ["test/hostile/redirects.test.ts", "test/transport.test.ts"],
  "src/core/body.ts": ["test/hostile/bodies.test.ts", "test/transport.test.ts"],
  "src/resources/invitation-input.ts": [
    "test/invitation-input.test.ts",
    "test/invitations.test.ts",
  ],
  "src/core/concurrency.ts": ["test/concurrency.test.ts"],
  "src/core/redact.ts": [
    "test/redact.test.ts",
    "test/redaction.test.ts",
    "test/hostile/bodies.test.ts",
  ],
  "src/cli/check-actions.ts": ["test/cli-check-invite.test.ts", "test/cli-fleet.test.ts"],
  "src/core/attempt.ts": [
    "test/transport.test.ts",
    "test/hostile/bodies.test.ts",
    "test/hostile/redirects.test.ts",
    "test/hostile/retries.test.ts",
  ],
  "src/core/retry.ts": ["test/retry.test.ts"],
  "src/core/proxy.ts": ["test/proxy.test.ts"],
  "src/core/proxy-env.ts": ["test/proxy-env.test.ts"],
  "src/core/observe.ts": ["test/tracing.test.ts", "test/otel.test.ts"],
  "src/core/channels.ts": ["test/tracing.test.ts"],
  "src/core/hooks.ts": ["test/tracing.test.ts"],
  "src/core/otel.ts": ["test/otel.test.ts"],
  "src/core/logger.ts": ["test/logger.test.ts", "test/loggers.test.ts"],
  "src/core/bulk.ts": ["test/retrieve-many.test.ts", "test/bulk-sources.test.ts"],
  "src/resources/wait.ts": ["test/wait.test.ts", "test/option-table.test.ts"],
  "src/core/options.ts": [
    "test/client.test.ts",
    "test/input.test.ts",
    "test/browser-guard.test.ts",
    "test/option-table.test.ts",
  ],
  "src/core/option-table.ts": [
    "test/option-table.test.ts",
    "test/input.test.ts",
    "test/mock-options.test.ts",
  ],
  "src/core/echo.ts": ["test/hostile/answers-keyed.test.ts"],
  "src/mock/options.ts": ["test/mock-options.test.ts", "test/mock-fleet.test.ts"],
  "src/core/pager.ts": ["test/pager.test.ts"],
  ...Object.fromEntries(
    ["verify", "signature", "secret", "headers", "body", "options", "event", "request"].map(
      (name) => [`src/webhooks/${name}.ts`, WEBHOOK_TESTS],
    ),
  ),
  "src/webhooks/dedupe.ts": ["test/webhooks/dedupe.test.ts"],
  "src/webhooks/event-date-time.ts": ["test/webhooks/event-date-time.test.ts"],
};

/** The modules this run mutates (MUTATE, comma-separated, or every target). */
export function selectedModules() {
  const chosen = (process.env.MUTATE ?? "").split(",").filter(Boolean);
  for (const file of chosen) {
    if (!(file in targets))
      throw new Error(`MUTATE=${file}: add it to targets in stryker.config.mjs`);
  }
  return chosen.length > 0 ? chosen : Object.keys(targets);
}

/** The test files the selected modules need. */
export function selectedTests() {
  return [...new Set(selectedModules().flatMap((file) => targets[file]))];
}

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  packageManager: "npm",
  testRunner: "vitest",
  vitest: { configFile: "vitest.stryker.config.ts", related: false },
  checkers: ["typescript"],
  tsconfigFile: "tsconfig.json",
  mutate: selectedModules(),
  coverageAnalysis: "perTest",
  concurrency: 2,
  timeoutFactor: 3,
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: ".stryker/report.html" },
  jsonReporter: { fileName: ".stryker/report.json" },
  tempDirName: ".stryker/tmp",
  cleanTempDir: true,
};
