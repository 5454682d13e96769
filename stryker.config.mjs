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
  "src/core/transport.ts": [
    "test/transport.test.ts",
    "test/hostile/bodies.test.ts",
    // The observer's events and the retry budget's log lines (found by the M4 run).
    "test/tracing.test.ts",
    "test/otel.test.ts",
    "test/hostile/retries.test.ts",
    "test/mutation/transport.test.ts",
    // The client's own GET and POST as they leave (their headers are the transport's).
    "test/mutation/outgoing.test.ts",
  ],
  "src/core/redirect.ts": [
    "test/hostile/redirects.test.ts",
    "test/transport.test.ts",
    "test/mutation/redirect.test.ts",
  ],
  "src/core/body.ts": [
    "test/hostile/bodies.test.ts",
    "test/transport.test.ts",
    "test/mutation/redirect.test.ts",
  ],
  "src/resources/invitation-input.ts": [
    "test/invitation-input.test.ts",
    "test/invitations.test.ts",
    "test/mutation/invitation-input.test.ts",
  ],
  "src/core/concurrency.ts": ["test/concurrency.test.ts"],
  "src/core/redact.ts": [
    "test/redact.test.ts",
    "test/redaction.test.ts",
    "test/hostile/bodies.test.ts",
    "test/mutation/redact.test.ts",
  ],
  "src/cli/check-actions.ts": ["test/cli-check-invite.test.ts", "test/cli-fleet.test.ts"],
  "src/cli/list-filters.ts": ["test/cli-list.test.ts"],
  "src/cli/row-columns.ts": ["test/cli-rows.test.ts", "test/cli-formats.test.ts"],
  // main() run in-process (runCli): the child-process tests never see a mutant.
  "src/cli/commands/check.ts": [
    "test/cli-fleet.test.ts",
    "test/cli-early-stop.test.ts",
    "test/cli-check-invite.test.ts",
    "test/cli-rows.test.ts",
    "test/cli-list.test.ts",
    "test/mutation/check.test.ts",
  ],
  "src/cli/early-stop.ts": ["test/cli-early-stop.test.ts"],
  "src/cli/company-walk.ts": ["test/cli-list.test.ts"],
  "src/cli/company-results.ts": ["test/cli-list.test.ts", "test/mutation/check.test.ts"],
  "src/cli/doctor-report.ts": ["test/cli-doctor.test.ts"],
  "src/cli/proxy-env.ts": ["test/cli-doctor.test.ts"],
  "src/cli/duration.ts": [
    "test/cli-vocabulary.test.ts",
    "test/cli-invitations.test.ts",
    "test/mutation/duration.test.ts",
  ],
  "src/cli/words.ts": ["test/cli-vocabulary.test.ts", "test/mutation/words.test.ts"],
  "src/cli/stdin-dash.ts": ["test/cli-vocabulary.test.ts"],
  "src/cli/bare-seconds.ts": ["test/cli-bare-seconds.test.ts"],
  "src/core/attempt.ts": [
    "test/transport.test.ts",
    "test/hostile/bodies.test.ts",
    "test/hostile/redirects.test.ts",
    "test/hostile/retries.test.ts",
    "test/proxy.test.ts",
    "test/mutation/attempt.test.ts",
  ],
  "src/core/retry.ts": ["test/retry.test.ts", "test/mutation/retry.test.ts"],
  "src/resources/retrieve-many.ts": [
    "test/retrieve-many.test.ts",
    "test/bulk-sources.test.ts",
    "test/option-table.test.ts",
    "test/mutation/retrieve-many.test.ts",
  ],
  "src/resources/connections.ts": [
    "test/connections.test.ts",
    "test/hostile/answers-keyed.test.ts",
    "test/magic-link.test.ts",
    "test/option-table.test.ts",
    "test/mutation/connections.test.ts",
  ],
  "src/resources/invitations.ts": [
    "test/invitations.test.ts",
    "test/invitations-retry.test.ts",
    "test/hostile/answers-keyed.test.ts",
    "test/mutation/invitations.test.ts",
  ],
  "src/resources/connection-list.ts": [
    "test/connection-list.test.ts",
    "test/hostile/paging.test.ts",
    "test/option-table.test.ts",
    "test/mutation/connection-list.test.ts",
  ],
  "src/resources/ping.ts": ["test/operations.test.ts", "test/option-table.test.ts"],
  "src/helpers/magic-link.ts": [
    "test/magic-link.test.ts",
    "test/connections.test.ts",
    "test/mutation/magic-link.test.ts",
  ],
  "src/helpers/invitation-token.ts": [
    "test/invitation-token.test.ts",
    "test/invitations.test.ts",
    "test/mutation/invitation-token.test.ts",
  ],
  "src/helpers/status.ts": ["test/status.test.ts", "test/mutation/status.test.ts"],
  "src/cli/ids.ts": [
    "test/cli-ids.test.ts",
    "test/mutation/ids.test.ts",
    "test/mutation/ids-errors.test.ts",
  ],
  ...Object.fromEntries(
    ["csv", "ndjson", "table", "kept-rows", "format", "index"].map((name) => [
      `src/cli/formats/${name}.ts`,
      ["test/cli-formats.test.ts", "test/mutation/formats.test.ts"],
    ]),
  ),
  // The client's core: path and query checks, answers, tracing of calls, its own sleep.
  "src/core/client-core.ts": [
    "test/client.test.ts",
    "test/connections.test.ts",
    "test/validation.test.ts",
    "test/tracing.test.ts",
    "test/otel.test.ts",
    "test/hostile/answers-keyed.test.ts",
    "test/mutation/transport.test.ts",
    "test/mutation/client-core.test.ts",
    // The first call of client.raw under openTelemetry: true waits for the api (session 5).
    "test/mutation/otel-import.test.ts",
  ],
  "src/core/optional-module.ts": [
    "test/mutation/proxy-loader.test.ts",
    "test/mutation/otel-loader.test.ts",
  ],
  "src/core/proxy.ts": [
    "test/proxy.test.ts",
    "test/mutation/proxy.test.ts",
    "test/mutation/proxy-loader.test.ts",
  ],
  "src/core/proxy-env.ts": ["test/proxy-env.test.ts", "test/mutation/proxy-env.test.ts"],
  "src/core/observe.ts": [
    "test/tracing.test.ts",
    "test/otel.test.ts",
    "test/mutation/transport.test.ts",
    "test/options-undefined.test.ts",
    "test/mutation/observe.test.ts",
  ],
  "src/core/channels.ts": [
    "test/tracing.test.ts",
    "test/otel.test.ts",
    "test/mutation/transport.test.ts",
    "test/mutation/channels.test.ts",
  ],
  "src/core/hooks.ts": [
    "test/tracing.test.ts",
    "test/otel.test.ts",
    "test/mutation/transport.test.ts",
    "test/options-undefined.test.ts",
    "test/mutation/hooks.test.ts",
  ],
  "src/core/otel.ts": [
    "test/otel.test.ts",
    "test/mutation/otel.test.ts",
    "test/mutation/otel-import.test.ts",
    "test/mutation/otel-calls.test.ts",
    "test/mutation/otel-loader.test.ts",
  ],
  "src/core/logger.ts": ["test/logger.test.ts", "test/loggers.test.ts"],
  "src/core/bulk.ts": [
    "test/retrieve-many.test.ts",
    "test/bulk-sources.test.ts",
    "test/mutation/bulk.test.ts",
  ],
  "src/resources/wait.ts": [
    "test/wait.test.ts",
    "test/option-table.test.ts",
    "test/mutation/wait.test.ts",
  ],
  "src/core/options.ts": [
    "test/client.test.ts",
    "test/input.test.ts",
    "test/browser-guard.test.ts",
    "test/option-table.test.ts",
    "test/mutation/options.test.ts",
    "test/mutation/options-production.test.ts",
    // The proxy, hooks, tracing and NECTAR_LOG options (issue 20) are checked here too.
    "test/proxy.test.ts",
    "test/tracing.test.ts",
    "test/loggers.test.ts",
    "test/logger.test.ts",
  ],
  "src/core/option-table.ts": [
    "test/option-table.test.ts",
    "test/input.test.ts",
    "test/mock-options.test.ts",
    "test/mutation/option-table.test.ts",
  ],
  "src/core/echo.ts": ["test/hostile/answers-keyed.test.ts", "test/mutation/echo.test.ts"],
  "src/core/abort.ts": ["test/abort.test.ts", "test/mutation/abort.test.ts"],
  "src/core/promise.ts": ["test/promise.test.ts"],
  "src/core/email.ts": ["test/invitation-input.test.ts", "test/mutation/email.test.ts"],
  "src/core/operation.ts": ["test/operations.test.ts"],
  "src/core/input.ts": [
    "test/input.test.ts",
    "test/client.test.ts",
    "test/option-table.test.ts",
    "test/hostile/input.test.ts",
    "test/magic-link.test.ts",
    "test/mutation/options.test.ts",
    "test/mutation/input.test.ts",
    "test/mutation/input-owed.test.ts",
  ],
  "src/core/validation.ts": ["test/validation.test.ts", "test/mutation/validation.test.ts"],
  "src/core/query.ts": ["test/query.test.ts", "test/mutation/query.test.ts"],
  "src/core/outgoing.ts": [
    "test/transport.test.ts",
    "test/invitations.test.ts",
    "test/mutation/outgoing.test.ts",
  ],
  "src/core/errors.ts": [
    "test/errors.test.ts",
    "test/hostile/redirects.test.ts",
    "test/wait.test.ts",
    "test/transport.test.ts",
    "test/client.test.ts",
    "test/validation.test.ts",
    "test/mutation/attempt.test.ts",
    "test/not-found-hint.test.ts",
    "test/mutation/errors-owed.test.ts",
  ],
  "src/core/constants.ts": ["test/constants.test.ts", "test/retry.test.ts", "test/errors.test.ts"],
  "src/mock/options.ts": ["test/mock-options.test.ts", "test/mock-fleet.test.ts"],
  "src/mock/realistic-examples.ts": ["test/mock-defaults.test.ts"],
  "src/mock/faults.ts": ["test/mock-defaults.test.ts", "test/mock.test.ts"],
  "src/mock/webhook-sender.ts": ["test/mock-webhooks.test.ts"],
  "src/mock/webhook-attempt.ts": ["test/mock-webhooks.test.ts"],
  "src/mock/webhook-options.ts": ["test/mock-webhooks.test.ts"],
  "src/mock/webhook-payloads.ts": ["test/mock-webhooks.test.ts"],
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
