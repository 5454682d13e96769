/** `nectar-connection revoke <invitation-id>`: revokes an invitation. */
import { requireUuid } from "../../core/input.js";
import { onePositional, REQUEST_OPTIONS, requestOptionsHelp } from "../args.js";
import { EXAMPLE_INVITATION_ID, EXIT, EXIT_CODES_HELP, PROGRAM } from "../io.js";
import { withSession } from "../session.js";
import type { CliCommand } from "./command.js";

/** The `revoke` command. */
export const revoke: CliCommand = {
  name: "revoke",
  synopsis: "  revoke <id>      Revoke an invitation: its link stops working",
  help: `Usage: ${PROGRAM} revoke <invitation-id> [options]

Revoke an invitation: Nectar marks it REVOKED and its link stops working. Prints one line once
Nectar accepted it. Revoking an invitation again is harmless (what Nectar answers to it is not
documented; ${PROGRAM} invitation <id> shows the status).

${requestOptionsHelp()}

${EXIT_CODES_HELP}

Example:
  ${PROGRAM} revoke ${EXAMPLE_INVITATION_ID} --mock
`,
  options: REQUEST_OPTIONS,
  async run(invocation, context) {
    const id = requireUuid(onePositional(invocation, "an invitation id"), "the invitation id");
    await withSession(invocation.values, context, ({ client }) => client.invitations.revoke(id));
    context.out.stdout(`Invitation ${id} revoked.\n`);
    return EXIT.ok;
  },
};
