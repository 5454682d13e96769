/**
 * `nectar-connection watch <id>`: polls one connection (the library's `waitFor`) and prints each
 * status change with its time, until it is healthy (or in the `--until` groups); exit 0 then,
 * 5 when `--deadline` runs out, 130 on Ctrl-C. `--timeout` is per attempt, as in every command.
 */
import type { Connection } from "../../../generated/schema.js";
import { NectarWaitTimeoutError } from "../../core/errors.js";
import { requireUuid } from "../../core/input.js";
import { connectionHealth, HEALTH_GROUPS, type HealthGroup } from "../../helpers/status.js";
import {
  type OptionValues,
  onePositional,
  REQUEST_OPTIONS,
  requestOptionsHelp,
  stringOption,
} from "../args.js";
import { formatDuration, isBareNumber, parseDuration } from "../duration.js";
import { CliError, EXAMPLE_CONNECTION_ID, EXIT, PROGRAM, usageError } from "../io.js";
import { withSession } from "../session.js";
import { ANSI, type Paint, painter, text } from "../text.js";
import type { CliCommand } from "./command.js";

/** The pause between polls by default: the library's (60 s, growing to 10 min while unchanged). */
const DEFAULT_INTERVAL = "60s";

/** With --mock: polls every second, and the mock fixes the connection after this many polls. */
const MOCK_INTERVAL_MS = 1_000;
const MOCK_FIXED_AFTER_POLLS = 2;

/** The warning of {@link timeoutMeantAsDeadline}. */
const TIMEOUT_MOVED_WARNING = `${PROGRAM}: warning: watch --timeout is now the limit of each poll, as in every command; the overall limit is --deadline\n`;

/**
 * Whether `--timeout` looks like the overall limit it was before `--deadline` existed (for one
 * minor): given without `--deadline`, and either a bare number (watch read it as seconds then)
 * or a minute or more (far longer than one poll needs).
 */
function timeoutMeantAsDeadline(values: OptionValues): boolean {
  const timeout = stringOption(values, "timeout");
  if (timeout === undefined || values.deadline !== undefined) return false;
  return isBareNumber(timeout) || parseDuration(timeout, "timeout") >= 60_000;
}

/** A wait that ran out of `--deadline`, in the CLI's words (exit 5); any other error as it is. */
function deadlineError(error: unknown, until: readonly HealthGroup[], deadline = ""): unknown {
  if (!(error instanceof NectarWaitTimeoutError)) return error;
  const last =
    error.lastStatus === undefined ? "no answer yet" : `last status ${text(error.lastStatus)}`;
  return new CliError(
    EXIT.condition,
    `not ${until.join(" or ")} within --deadline ${deadline} (${error.polls} polls, ${last})`,
  );
}

/** The groups of `--until`, default `healthy`. */
function untilOf(value: string | undefined): HealthGroup[] {
  if (value === undefined) return ["healthy"];
  const groups = value.split(",").map((s) => s.trim());
  const known = groups.flatMap((name) => HEALTH_GROUPS.filter((g) => g === name));
  if (known.length !== groups.length || known.length === 0) {
    throw usageError(`--until takes health groups: ${HEALTH_GROUPS.join(", ")}`);
  }
  return known;
}

/** One printed line: the time, the status and its group, what to do. */
function lineOf(connection: Connection, at: number, paint: Paint): string {
  const health = connectionHealth(connection);
  const status = paint(text(connection.status, "(missing)"), ANSI[health.group]);
  return `${new Date(at).toISOString()}  ${status} (${health.group}): ${text(health.summary)}\n`;
}

/** The `watch` command. */
export const watch: CliCommand = {
  name: "watch",
  synopsis:
    "  watch <id>       Print a connection's status changes until it is healthy (or --until)",
  help: `Usage: ${PROGRAM} watch <id> [options]

Poll a connection and print its status, then each change with its time, until it is healthy
(or in one of the --until groups); then exit 0. The pause between polls starts at --interval and
grows by half while the status stays the same, up to 10 minutes. --timeout limits each poll,
--deadline the whole wait. Ctrl-C stops cleanly (exit 130).
For many connections, or for a platform, Nectar's connection.updated.v2 webhook is the better tool.

${requestOptionsHelp(`  --until <groups>   Stop when the connection is in one of these health groups
                     (comma-separated; default healthy): ${HEALTH_GROUPS.slice(0, 3).join(", ")},
                     ${HEALTH_GROUPS.slice(3).join(", ")}
  --interval <time>  First pause between polls, e.g. 30s, 5m (default ${DEFAULT_INTERVAL}; 1s with --mock)
  --deadline <time>  Give up after this long in all, exit 5, e.g. 30m, 2h (default: never)
                     (in every duration, a bare number is milliseconds)
`)}

Exit codes: 0 the connection reached the groups, 1 unexpected failure, 2 usage, 3 API error,
4 network, 5 --deadline ran out first, 130 interrupted (Ctrl-C), 141 output closed,
143 terminated (SIGTERM).

Example (the mock fixes the connection after ${MOCK_FIXED_AFTER_POLLS} polls):
  ${PROGRAM} watch ${EXAMPLE_CONNECTION_ID} --mock
`,
  options: {
    ...REQUEST_OPTIONS,
    until: { type: "string" },
    interval: { type: "string" },
    deadline: { type: "string" },
  },
  async run(invocation, context) {
    const id = requireUuid(onePositional(invocation, "a connection id"), "the connection id");
    const { values } = invocation;
    const until = untilOf(stringOption(values, "until"));
    const intervalText = stringOption(values, "interval");
    const mock = values.mock === true;
    const intervalMs =
      intervalText === undefined && mock
        ? MOCK_INTERVAL_MS
        : parseDuration(intervalText ?? DEFAULT_INTERVAL, "interval");
    const deadline = stringOption(values, "deadline");
    const deadlineMs = deadline === undefined ? undefined : parseDuration(deadline, "deadline");
    const { io, out } = context;
    const now = io.now ?? Date.now;
    const paint = painter(io.isTTY, io.env);
    await withSession(values, context, async ({ client, mock: server }) => {
      if (timeoutMeantAsDeadline(values)) out.stderr(TIMEOUT_MOVED_WARNING);
      if (server !== undefined) {
        server.script(id, { becomes: "CONNECTED", after: MOCK_FIXED_AFTER_POLLS });
        out.stderr(
          `${PROGRAM}: mock: this connection becomes CONNECTED after ${MOCK_FIXED_AFTER_POLLS} polls\n`,
        );
      }
      const started = now();
      const connection = await client.connections
        .waitFor(id, {
          until,
          intervalMs,
          ...(deadlineMs === undefined ? {} : { deadlineMs }),
          onChange: (current) => out.stdout(lineOf(current, now(), paint)),
        })
        .catch((error: unknown) => {
          throw deadlineError(error, until, deadline);
        });
      const group = connectionHealth(connection).group;
      out.stderr(`${PROGRAM}: ${group} after ${formatDuration(now() - started)}\n`);
    });
    return EXIT.ok;
  },
};
