/** `nectar-connection invitation <invitation-id>`: one invitation with its events. */
import { requireUuid } from "../../core/input.js";
import { onePositional, REQUEST_OPTIONS, requestOptionsHelp } from "../args.js";
import { invitationSummary } from "../invitation-summary.js";
import { EXAMPLE_INVITATION_ID, EXIT, EXIT_CODES_HELP, PROGRAM } from "../io.js";
import { withSession } from "../session.js";
import { jsonText, painter } from "../text.js";
import type { CliCommand } from "./command.js";

/** The `invitation` command. */
export const invitation: CliCommand = {
  name: "invitation",
  synopsis: `  invitation <id>  Show an invitation: its status, who may use it, expiry, uses, and its
                   events`,
  help: `Usage: ${PROGRAM} invitation <invitation-id> [options]

Show an invitation: its status (ACTIVE, EXPIRED, REVOKED, FULFILLED), type, connection, who may
use it, when it expires, how often it was used, when it was created, its link while it is
active, and its events. Nectar does not document an event's fields: each is shown as it came.

${requestOptionsHelp("  --json             Print the invitation as JSON (token included)\n")}

${EXIT_CODES_HELP}

Example:
  ${PROGRAM} invitation ${EXAMPLE_INVITATION_ID} --mock
`,
  options: { ...REQUEST_OPTIONS, json: { type: "boolean" } },
  async run(invocation, context) {
    const id = requireUuid(onePositional(invocation, "an invitation id"), "the invitation id");
    const { values } = invocation;
    const detail = await withSession(values, context, ({ client }) =>
      client.invitations.retrieve(id),
    );
    const { io, out } = context;
    if (values.json === true) out.stdout(`${jsonText(detail, 2)}\n`);
    else out.stdout(invitationSummary(id, detail, painter(io.isTTY, io.env)));
    return EXIT.ok;
  },
};
