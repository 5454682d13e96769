/** `nectar-connection invite <connection-id>`: a reconnect invitation, printed as its URL. */
import { requireUuid } from "../../core/input.js";
import { onePositional, REQUEST_OPTIONS, requestOptionsHelp } from "../args.js";
import {
  INVITE_OPTIONS,
  INVITE_OPTIONS_HELP,
  invitationDetails,
  inviteFor,
  inviteRequestFrom,
} from "../invite.js";
import { CliError, EXAMPLE_CONNECTION_ID, EXIT, EXIT_CODES_HELP, PROGRAM } from "../io.js";
import { withSession } from "../session.js";
import { jsonText, text } from "../text.js";
import type { CliCommand } from "./command.js";

/** The `invite` command. */
export const invite: CliCommand = {
  name: "invite",
  synopsis: `  invite <id>      Create a reconnect invitation for a connection and print its URL
                   (on a terminal also when it expires and who may use it)`,
  help: `Usage: ${PROGRAM} invite <connection-id> [options]

Create a reconnect invitation (Nectar's replacement for the update magic link): a page where
the connection's user re-enters their credentials. Prints the invitation URL; on a terminal
also when it expires, who may use it and the invitation's id. The URL carries the invitation's
token: give it to the connection's user only. Each run creates a new invitation, and a failed
run is not retried once Nectar may have received it (see ${PROGRAM} invitation / revoke).

${requestOptionsHelp(`${INVITE_OPTIONS_HELP}  --json             Print the invitation as JSON (token included)\n`)}

${EXIT_CODES_HELP}

Example:
  ${PROGRAM} invite ${EXAMPLE_CONNECTION_ID} --email energy.manager@acme.example --expires 7d --max-uses 1 --mock
`,
  options: { ...REQUEST_OPTIONS, ...INVITE_OPTIONS, json: { type: "boolean" } },
  async run(invocation, context) {
    const id = requireUuid(onePositional(invocation, "a connection id"), "the connection id");
    const { values } = invocation;
    const request = inviteRequestFrom(values);
    const invitation = await withSession(values, context, ({ client }) =>
      inviteFor(client, id, request),
    );
    const { io, out } = context;
    if (values.json === true) {
      out.stdout(`${jsonText(invitation, 2)}\n`);
      return EXIT.ok;
    }
    const url = text(invitation.invitationUrl, "");
    if (url === "") throw new CliError(EXIT.api, "Nectar's answer carries no invitationUrl.");
    out.stdout(`${url}\n`);
    if (io.isTTY) out.stdout(invitationDetails(invitation, request.sendEmail === true));
    return EXIT.ok;
  },
};
