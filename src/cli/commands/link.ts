/** `nectar-connection link <id>`: only the connection's update link. */
import { requireUuid } from "../../core/input.js";
import { updateLinkUrl } from "../../helpers/magic-link.js";
import { onePositional, REQUEST_OPTIONS, requestOptionsHelp } from "../args.js";
import { CliError, EXAMPLE_CONNECTION_ID, EXIT, EXIT_CODES_HELP, PROGRAM } from "../io.js";
import { withSession } from "../session.js";
import type { CliCommand } from "./command.js";

/** The `link` command. */
export const link: CliCommand = {
  name: "link",
  synopsis: "  link <id>        Print only the connection's update link",
  help: `Usage: ${PROGRAM} link <id> [options]

Print only the connection's update link: the page where its user re-enters their credentials.
The link carries a secret: give it to the connection's user only.

${requestOptionsHelp()}

${EXIT_CODES_HELP}

Example:
  ${PROGRAM} link ${EXAMPLE_CONNECTION_ID} --mock
`,
  options: REQUEST_OPTIONS,
  async run(invocation, context) {
    const id = requireUuid(onePositional(invocation, "a connection id"), "the connection id");
    const connection = await withSession(invocation.values, context, ({ client }) =>
      client.connections.retrieve(id),
    );
    let url: string;
    try {
      url = updateLinkUrl(connection);
    } catch (error) {
      // The id was fine; it is Nectar's answer that lacks the link's pieces.
      throw new CliError(EXIT.api, error instanceof Error ? error.message : String(error));
    }
    context.out.stdout(`${url}\n`);
    return EXIT.ok;
  },
};
