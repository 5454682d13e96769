/**
 * What `check` can do for each connection besides reading it, each turned on by its own flag
 * and adding its own column: `--links` adds the update link of every connection whose user must
 * act. A new action (an invitation, say) is one more entry in {@link CHECK_ACTIONS}.
 */
import type { Connection } from "../../generated/schema.js";
import { updateLinkUrl } from "../helpers/magic-link.js";
import { connectionHealth } from "../helpers/status.js";
import type { OptionSpec } from "./args.js";
import type { Session } from "./session.js";
import { oneLine } from "./text.js";

/** One per-connection action of `check`. */
export interface CheckAction {
  /** The flag that turns it on (without `--`). */
  readonly option: string;
  readonly spec: OptionSpec;
  /** Its line in `check --help` (indented, ends with a newline). */
  readonly help: string;
  /** The column it fills in every format. */
  readonly column: string;
  /** Its value for one fetched connection; `undefined` leaves the cell empty. May call the API. */
  run(connection: Connection, session: Session): Promise<string | undefined> | string | undefined;
}

/** `--links`: the update link, for connections whose user must act. */
const links: CheckAction = {
  option: "links",
  spec: { type: "boolean" },
  help: "  --links            Add the update link of every connection whose user must act\n                     (it carries a secret: give it to that user only)\n",
  column: "link",
  run(connection) {
    if (!connectionHealth(connection).needsUserAction) return undefined;
    try {
      return updateLinkUrl(connection);
    } catch (error) {
      return `unavailable: ${error instanceof Error ? oneLine(error.message) : "cannot be built"}`;
    }
  },
};

/** The actions, in the order their columns appear. */
export const CHECK_ACTIONS: readonly CheckAction[] = [links];
