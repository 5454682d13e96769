/**
 * What `check` can do for each connection besides reading it, each turned on by its own flag
 * and adding its own column: `--links` adds the update link of every connection whose user must
 * act, `--invite` creates a reconnect invitation for each of them (after a confirmation). A new
 * action is one more entry in {@link CHECK_ACTIONS}. An action acts on the id that was asked
 * for, never on one the answer names.
 */
import type { Connection } from "../../generated/schema.js";
import { NectarAbortError } from "../core/errors.js";
import { updateLinkUrl } from "../helpers/magic-link.js";
import { connectionHealth } from "../helpers/status.js";
import type { OptionSpec, OptionValues } from "./args.js";
import type { CommandContext } from "./context.js";
import { INVITE_OPTIONS, inviteFor, inviteRequestFrom } from "./invite.js";
import { usageError } from "./io.js";
import type { SessionClient } from "./session-client.js";

/**
 * An action's cells for one connection, by column name (its columns in `row-columns.ts`);
 * `failed` makes `check` exit 3.
 */
export interface ActionCell {
  readonly cells: Readonly<Record<string, string>>;
  readonly failed: boolean;
}

/**
 * An action made ready for one run: its cell for the connection fetched for `id` (the id that
 * was asked for), or `undefined` to leave the cell empty.
 */
export type BoundAction = (
  id: string,
  connection: Connection,
  client: SessionClient,
) => Promise<ActionCell | undefined> | ActionCell | undefined;

/** One per-connection action of `check`. */
export interface CheckAction {
  /** The flag that turns it on (without `--`). */
  readonly option: string;
  /** The options it reads: its flag, and any others it needs. */
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Its lines in `check --help` (indented, each ends with a newline). */
  readonly help: string;
  /**
   * Readies the action for a run, before any request: checks its options and asks what it must
   * ask (usage errors here).
   */
  bind(values: OptionValues, context: CommandContext): Promise<BoundAction>;
}

/** The cell of a failure in `column`: its message (made printable with the row). */
function failure(column: string, prefix: string, error: unknown): ActionCell {
  const message = error instanceof Error ? error.message : "unknown error";
  return { cells: { [column]: `${prefix}: ${message}` }, failed: true };
}

/** `--links`: the update link, for connections whose user must act. */
const links: CheckAction = {
  option: "links",
  options: { links: { type: "boolean" } },
  help: "  --links            Add the update link of every connection whose user must act\n                     (it carries a secret: give it to that user only)\n",
  async bind() {
    return (_id, connection) => {
      if (!connectionHealth(connection).needsUserAction) return undefined;
      try {
        return { cells: { link: updateLinkUrl(connection) }, failed: false };
      } catch (error) {
        return failure("link", "unavailable", error);
      }
    };
  },
};

/** The question `--invite` asks on a terminal before creating anything. */
export const INVITE_QUESTION =
  "Create a reconnect invitation for every connection whose user must act? [y/N] ";

/**
 * `--invite`: a reconnect invitation for connections whose user must act, its id and URL in the
 * row (so `invitation <id>` and `revoke <id>` can follow from the output).
 */
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
  --expires <time>   With --invite: expiry, e.g. 7d, 12h, 3600s (default: never;
                     a bare number is milliseconds)
  --max-uses <n>     With --invite: uses per invitation (default: no limit)
  --yes              With --invite: create them without asking
`,
  async bind(values, { io, signal }) {
    const request = inviteRequestFrom(values);
    if (values.yes !== true) {
      if (io.confirm === undefined || values.file === "-") {
        throw usageError("--invite creates invitations: confirm on a terminal, or pass --yes");
      }
      const confirmed = await io.confirm(INVITE_QUESTION);
      signal.throwIfAborted(); // Ctrl-C at the question
      if (!confirmed) throw usageError("not confirmed: nothing was created");
    }
    return async (id, connection, client) => {
      if (!connectionHealth(connection).needsUserAction) return undefined;
      try {
        const invitation = await inviteFor(client, id, request);
        const { id: invitationId, invitationUrl } = invitation;
        if (typeof invitationUrl === "string" && invitationUrl !== "") {
          return { cells: { invitationId, invitationUrl }, failed: false };
        }
        const missing = "failed: Nectar's answer carries no invitationUrl";
        return { cells: { invitationId, invitationUrl: missing }, failed: true };
      } catch (error) {
        if (error instanceof NectarAbortError) throw error; // the run stops: no row for it
        return failure("invitationUrl", "failed", error);
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
