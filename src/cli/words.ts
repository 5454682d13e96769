/**
 * The CLI's words for the library's: a `NectarInvalidInputError` names an option as the library
 * spells it (`baseUrl`, `timeoutMs`), the CLI says the flag or variable a user typed
 * (`--base-url`, `--timeout`). The one table of every option the CLI passes to the library.
 */

/** Each library option the CLI passes, and how the CLI names it. */
export const CLI_WORDS: Readonly<Record<string, string>> = {
  apiKey: "the API key (--api-key or NECTAR_API_KEY)",
  baseUrl: "--base-url",
  timeoutMs: "--timeout",
  deadlineMs: "--deadline",
  intervalMs: "--interval",
  until: "--until",
  expiresInSeconds: "--expires",
  maxUses: "--max-uses",
  allowedEmails: "--email",
  sendEmail: "--send-email",
  toleranceSeconds: "--tolerance",
  companyId: "--company",
  connectionOwnerEmail: "--owner",
  sites: "--site",
  connectionId: "the connection id",
  invitationId: "the invitation id",
  latencyMs: "--latency",
  "fleet.size": "--fleet",
  "fleet.seed": "--seed",
  "webhooks.url": "--webhook-url",
  "webhooks.secret": "the webhook secret",
  "webhooks.retryScheduleMs": "--webhook-retry",
};

/** The library functions a message may name before an option (`startMockServer apiKey`). */
const CALLERS = "(?:startMockServer|createNectarClient|waitFor|createReconnect|verifyWebhook) ";

/** One pattern over every name, longest first (`webhooks.url` before a shorter name). */
const NAMES = new RegExp(
  `(?<![\\w.-])(?:${CALLERS})?(${Object.keys(CLI_WORDS)
    .sort((a, b) => b.length - a.length)
    .map((name) => name.replace(/\./g, "\\."))
    .join("|")})(?:\\[\\d+\\])?(?![\\w-])`,
  "g",
);

/**
 * `message` with each library option name replaced by the CLI's word for it; `overrides` gives
 * a command's own word where it differs (the mock's `--api-key` is the key it accepts).
 */
export function inCliWords(
  message: string,
  overrides: Readonly<Record<string, string>> = {},
): string {
  return message.replace(
    NAMES,
    (_match, name: string) => overrides[name] ?? CLI_WORDS[name] ?? name,
  );
}
