/**
 * What `check` can do for each connection besides reading it, each turned on by its own flag
 * and adding its own column: `--links` adds the update link of every connection whose user must
 * act, `--invite` creates a reconnect invitation for each of them (after a confirmation). A new
 * action is one more entry in {@link CHECK_ACTIONS}.
 */
import type { Connection } from "../../generated/schema.js";
import { updateLinkUrl } from "../helpers/magic-link.js";
import { connectionHealth } from "../helpers/status.js";
import type { OptionSpec, OptionValues } from "./args.js";
import { INVITE_OPTIONS, inviteFor, inviteRequestFrom } from "./invite.js";
import { type CliIo, usageError } from "./io.js";
import type { Session } from "./session.js";
import { oneLine } from "./text.js";

/** An action made ready for one run: its value for one fetched connection. */
export type BoundAction = (
  connection: Connection,
  session: Session,
) => Promise<string | undefined> | string | undefined;

/** One per-connection action of `check`. */
export interface CheckAction {
  /** The flag that turns it on (without `--`). */
  readonly option: string;
  /** The options it reads: its flag, and any others it needs. */
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Its lines in `check --help` (indented, each ends with a newline). */
  readonly help: string;
  /** The column it fills in every format. */
  readonly column: string;
  /**
   * Readies the action for a run, before any request: checks its options and asks what it must
   * ask (usage errors here). Its value for a connection is `undefined` to leave the cell empty.
   */
  bind(values: OptionValues, io: CliIo): Promise<BoundAction>;
}

/** The message of a failure, for a cell. */
const reasonOf = (error: unknown) =>
  error instanceof Error ? oneLine(error.message) : "unknown error";

/** `--links`: the update link, for connections whose user must act. */
const links: CheckAction = {
  option: "links",
  options: { links: { type: "boolean" } },
  help: "  --links            Add the update link of every connection whose user must act\n                     (it carries a secret: give it to that user only)\n",
  column: "link",
  async bind() {
    return (connection) => {
      if (!connectionHealth(connection).needsUserAction) return undefined;
      try {
        return updateLinkUrl(connection);
      } catch (error) {
        return `unavailable: ${reasonOf(error)}`;
      }
    };
  },
};

/** The question `--invite` asks on a terminal before creating anything. */
export const INVITE_QUESTION =
  "Create a reconnect invitation for every connection whose user must act? [y/N] ";

/** `--invite`: a reconnect invitation (its URL in the column) for connections whose user must act. */
const invite: CheckAction = {
  option: "invite",
  options: {
    invite: { type: "boolean" },
    yes: { type: "boolean" },
    expires: INVITE_OPTIONS.expires,
    "max-uses": INVITE_OPTIONS["max-uses"],
  },
  help: `  --invite           Create a reconnect invitation for every connection whose user must act
                     and add its URL (asks first on a terminal; --yes skips the question)
  --expires <time>   With --invite: expiry, e.g. 7d, 12h, 3600s (default: never)
  --max-uses <n>     With --invite: uses per invitation (default: no limit)
  --yes              With --invite: create them without asking
`,
  column: "invitation",
  async bind(values, io) {
    const request = inviteRequestFrom(values);
    if (values.yes !== true) {
      if (io.confirm === undefined || values.file === "-") {
        throw usageError("--invite creates invitations: confirm on a terminal, or pass --yes");
      }
      if (!(await io.confirm(INVITE_QUESTION)))
        throw usageError("not confirmed: nothing was created");
    }
    return async (connection, session) => {
      if (!connectionHealth(connection).needsUserAction) return undefined;
      try {
        return (await inviteFor(session.client, connection.id, request)).invitationUrl;
      } catch (error) {
        return `failed: ${reasonOf(error)}`;
      }
    };
  },
};

/** The actions, in the order their columns appear. */
export const CHECK_ACTIONS: readonly CheckAction[] = [links, invite];

/** The options of every action, for the parser. */
export const CHECK_ACTION_OPTIONS: Readonly<Record<string, OptionSpec>> = Object.assign(
  {},
  ...CHECK_ACTIONS.map((action) => action.options),
);

/** The options only an action reads, each refused when its action is off. */
export function checkActionOptions(values: OptionValues): void {
  for (const action of CHECK_ACTIONS) {
    if (values[action.option] === true) continue;
    for (const name of Object.keys(action.options)) {
      if (name !== action.option && values[name] !== undefined) {
        throw usageError(`--${name} goes with --${action.option}`);
      }
    }
  }
}
