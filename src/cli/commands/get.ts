/** `nectar-connection get <id>`: one connection, as a readable summary or as JSON. */
import { requireUuid } from "../../core/input.js";
import { onePositional, REQUEST_OPTIONS, requestOptionsHelp } from "../args.js";
import { EXAMPLE_CONNECTION_ID, EXIT, EXIT_CODES_HELP, PROGRAM } from "../io.js";
import { withSession } from "../session.js";
import { summary } from "../summary.js";
import { jsonText, painter } from "../text.js";
import type { CliCommand } from "./command.js";

/** The `get` command. */
export const get: CliCommand = {
  name: "get",
  synopsis: `  get <id>         Show a connection: its status and what to do, when the status began and
                   was last confirmed, datasource, company, accounts, and the update link
                   when the user must act`,
  help: `Usage: ${PROGRAM} get <id> [options]

Show a connection: its status, health group and what to do, when the status began and was
last confirmed, the datasource, company, number of accounts, country, whether it is active,
and the update link when the status needs the user.

${requestOptionsHelp("  --json             Print the connection as JSON (2-space indent) instead\n")}

${EXIT_CODES_HELP}

Example:
  ${PROGRAM} get ${EXAMPLE_CONNECTION_ID} --mock
`,
  options: { ...REQUEST_OPTIONS, json: { type: "boolean" } },
  async run(invocation, context) {
    const id = requireUuid(onePositional(invocation, "a connection id"), "the connection id");
    const { values } = invocation;
    const connection = await withSession(values, context, ({ client }) =>
      client.connections.retrieve(id),
    );
    const { io, out } = context;
    if (values.json === true) out.stdout(`${jsonText(connection, 2)}\n`);
    else out.stdout(summary(id, connection, painter(io.isTTY, io.env)));
    return EXIT.ok;
  },
};
