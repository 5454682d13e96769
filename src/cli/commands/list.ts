/**
 * `nectar-connection list <companyId>`: a company's connections, found without holding their
 * ids, through the library's `connections.list` (pages of up to 500, Nectar's filters). The
 * rows, formats and progress line are `check`'s.
 */
import { requireUuid } from "../../core/input.js";
import { onePositional, REQUEST_OPTIONS, requestOptionsHelp } from "../args.js";
import { GROUP_ORDER, type RowGroup, rowOf } from "../check-row.js";
import {
  companyConnections,
  EXAMPLE_COMPANY_ID,
  listedIdOf,
  MOCK_COMPANY_OPTIONS,
} from "../company-walk.js";
import type { CommandContext } from "../context.js";
import { createFormat, type FormatName, summaryLine } from "../formats/index.js";
import { EXIT, EXIT_CODES_HELP, PROGRAM, usageError } from "../io.js";
import {
  LIST_FILTER_HELP,
  LIST_FILTER_OPTIONS,
  type ListPlan,
  listPlanOf,
} from "../list-filters.js";
import { createProgressLine } from "../progress.js";
import { BASE_COLUMNS } from "../row-columns.js";
import { type Session, withSession } from "../session.js";
import { painter } from "../text.js";
import type { CliCommand } from "./command.js";

const OPTIONS = {
  ...REQUEST_OPTIONS,
  ...LIST_FILTER_OPTIONS,
  json: { type: "boolean" },
  csv: { type: "boolean" },
} as const;

/** Lists the company's connections within a session: rows as pages come, the summary at the end. */
async function runList(
  companyId: string,
  plan: ListPlan,
  format: FormatName,
  session: Session,
  context: CommandContext,
): Promise<number> {
  const { io, out, signal } = context;
  const progress = createProgressLine({
    write: out.stderr,
    enabled: io.stderrIsTTY === true,
    columns: io.columns ?? 80,
    now: io.now ?? Date.now,
  });
  const write = (text: string) => {
    progress.clear(); // the progress line is erased before anything else is written
    out.stdout(text);
  };
  const rows = createFormat(format, write, painter(io.isTTY, io.env), BASE_COLUMNS, signal);
  const groups = new Map<RowGroup, number>();
  const walk = companyConnections(session.client, companyId, plan, (pages) =>
    progress.update(undefined, pages),
  );
  try {
    for await (const connection of walk) {
      const row = rowOf(listedIdOf(connection), connection, {});
      groups.set(row.group, (groups.get(row.group) ?? 0) + 1);
      rows.row(row);
    }
  } finally {
    progress.clear();
  }
  const total = [...groups.values()].reduce((a, b) => a + b, 0);
  const tally = { byGroup: groups, total, invalid: 0, verb: "listed" } as const;
  await rows.end(tally);
  if (format !== "table" && io.stderrIsTTY === true)
    out.stderr(`${summaryLine(tally, GROUP_ORDER)}\n`);
  return EXIT.ok;
}

/** The `list` command. */
export const list: CliCommand = {
  name: "list",
  synopsis: `  list <company>   List a company's connections (no ids needed), filtered by --status,
                   --owner or --site: a table, --json or --csv`,
  help: `Usage: ${PROGRAM} list <companyId> [--status S...] [--owner EMAIL] [--site ID...] [options]

List a company's connections: the ids you do not hold, in pages of up to 500 (20 requests for
10 000 connections). Filters are Nectar's, applied by the server. Rows as check prints them:
a table with the connections needing action first, --json one JSON object per line (NDJSON),
--csv a CSV with a header, both as the pages come. On a terminal, a progress line counts pages
and connections. With --mock, the mock's fleet has four companies of about a thousand
connections each; the example below lists one of them.

${requestOptionsHelp(`${LIST_FILTER_HELP}  --json             One JSON object per connection per line (NDJSON)
  --csv              CSV with a header row
`)}

${EXIT_CODES_HELP}

Examples:
  ${PROGRAM} list ${EXAMPLE_COMPANY_ID} --mock --status PASSWORD_INCORRECT
  ${PROGRAM} list <companyId> --status MFA_TOKEN_EXPIRED,PASSWORD_INCORRECT --csv > broken.csv
`,
  options: OPTIONS,
  async run(invocation, context) {
    const { values } = invocation;
    const companyId = requireUuid(onePositional(invocation, "a company id"), "the company id");
    if (values.json === true && values.csv === true)
      throw usageError("--json and --csv cannot be used together");
    const format: FormatName =
      values.json === true ? "json" : values.csv === true ? "csv" : "table";
    const plan = listPlanOf(values);
    const mockOptions = values.mock === true ? MOCK_COMPANY_OPTIONS : {};
    return withSession(
      values,
      context,
      (session) => runList(companyId, plan, format, session, context),
      mockOptions,
    );
  },
};
