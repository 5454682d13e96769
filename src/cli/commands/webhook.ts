/**
 * `nectar-connection webhook verify --secret-env VAR < body`: checks one delivery (its raw body
 * on standard input, its headers as options) with the library's `verifyWebhook`, to debug a
 * receiver that refuses Nectar's deliveries. Exit 0 with the event's type and ids, or 3 with
 * the refusal's reason. The secret is read from the environment and never printed.
 */
import { NectarWebhookVerificationError } from "../../core/errors.js";
import type { NectarWebhookEvent } from "../../webhooks/event.js";
import { verifyWebhook } from "../../webhooks/verify.js";
import { GLOBAL_OPTIONS, onePositional, stringOption } from "../args.js";
import { parseDuration } from "../duration.js";
import { CliError, EXIT, PROGRAM, usageError } from "../io.js";
import { text } from "../text.js";
import { headersOf, readBody, secretsOf } from "../webhook-input.js";
import type { CliCommand } from "./command.js";

/** `--tolerance <time>` in whole seconds (0 to 366 days), or the library's default (300). */
function toleranceOf(value: string | undefined): number | undefined {
  return value === undefined ? undefined : parseDuration(value, "tolerance") / 1_000;
}

/** The line of a verified event: its type, the message id and the connection's id. */
function lineOf(event: NectarWebhookEvent): string {
  const type =
    event.type === "unknown"
      ? `${text(event.eventType, "(no eventType)")} (not described by the spec, unchecked)`
      : event.type;
  const payload = event.payload as { id?: unknown } | null;
  const connection = event.type === "unknown" ? undefined : payload?.id;
  const about = connection === undefined ? "" : `, connection ${text(connection)}`;
  return `verified: ${type}, message ${text(event.messageId)}${about}, sent ${new Date(event.timestamp * 1000).toISOString()}\n`;
}

/** The `webhook` command (one subcommand: `verify`). */
export const webhook: CliCommand = {
  name: "webhook",
  synopsis: `  webhook verify   Check one webhook delivery (body on standard input, headers as options)
                   against the endpoint secret; exit 0, or 3 with the reason`,
  help: `Usage: ${PROGRAM} webhook verify --secret-env <VAR> [headers] < body

Check one webhook delivery as a receiver would (signature, timestamp, payload against the spec),
to find out why a receiver refuses Nectar's deliveries. The raw body is read from standard input
exactly as received (save it before any JSON parsing); the headers are given as options. Prints
the event type, the message id (svix-id) and the connection's id, or exits 3 with the reason
(missing_header, too_old, no_matching_signature, malformed_secret, ...).

Options:
  --secret-env <VAR>     The environment variable holding the endpoint secret (whsec_...);
                         repeat it to try several secrets (rotation). Never printed.
  --id <id>              The svix-id (or webhook-id) header
  --timestamp <seconds>  The svix-timestamp header
  --signature <list>     The svix-signature header ("v1,... v1,...")
  --header <line>        Any header as 'name: value' (repeatable), e.g. 'webhook-id: msg_...'
  --tolerance <time>     How old (or new) the timestamp may be, default 5m; raise it to check
                         a delivery captured earlier, e.g. 2h (a bare number is milliseconds)
  -h, --help             Show this help

Exit codes: 0 verified, 2 usage (no secret, bad option), 3 refused (the reason is printed),
130 interrupted (Ctrl-C), 143 terminated (SIGTERM).

Example:
  ${PROGRAM} webhook verify --secret-env NECTAR_WEBHOOK_SECRET --id msg_2KWPBgLlAfxdpx2AI54pPJ85f4W \\
    --timestamp 1674087231 --signature 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=' < body.json
`,
  options: {
    ...GLOBAL_OPTIONS,
    "secret-env": { type: "string", multiple: true },
    id: { type: "string" },
    timestamp: { type: "string" },
    signature: { type: "string" },
    header: { type: "string", multiple: true },
    tolerance: { type: "string" },
  },
  async run(invocation, context) {
    const action = onePositional(invocation, "an action (verify)");
    if (action !== "verify") throw usageError("webhook takes one action: verify");
    const { values } = invocation;
    const toleranceSeconds = toleranceOf(stringOption(values, "tolerance"));
    const secrets = secretsOf(values, context.io);
    const headers = headersOf(values);
    const body = await readBody(context.io, context.signal);
    try {
      const options = toleranceSeconds === undefined ? {} : { toleranceSeconds };
      const event = await verifyWebhook(body, headers, secrets, options);
      context.out.stdout(lineOf(event));
      return EXIT.ok;
    } catch (error) {
      if (!(error instanceof NectarWebhookVerificationError)) throw error;
      throw new CliError(EXIT.api, `${error.message} (reason: ${error.reason})`);
    }
  },
};
