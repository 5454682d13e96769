/**
 * `nectar-connection check [id...|-] [--file <path>|-]`: many connections at once, through the
 * library's `retrieveMany`. A table (or NDJSON, or CSV) of where each stands, a progress line on
 * a terminal, and an exit code a cron job can act on.
 */

import { isUuid } from "../../core/input.js";
import { HEALTH_GROUPS, type HealthGroup } from "../../helpers/status.js";
import type { RetrieveManyResult } from "../../resources/retrieve-many.js";
import { type OptionValues, REQUEST_OPTIONS, requestOptionsHelp, stringOption } from "../args.js";
import {
  type BoundAction,
  CHECK_ACTION_OPTIONS,
  CHECK_ACTIONS,
  checkActionOptions,
} from "../check-actions.js";
import { type CheckRow, failedRow, GROUP_ORDER, type RowGroup, rowOf } from "../check-row.js";
import { type CompanySource, companyResults } from "../company-results.js";
import { EXAMPLE_COMPANY_ID, MOCK_COMPANY_OPTIONS } from "../company-walk.js";
import type { CommandContext } from "../context.js";
import { EarlyStop } from "../early-stop.js";
import { createFormat, type FormatName, type OutputFormat, summaryLine } from "../formats/index.js";
import {
  checkIdFile,
  collect,
  describePlace,
  type IdPlace,
  type IdSources,
  idsFrom,
} from "../ids.js";
import { EXAMPLE_CONNECTION_ID, EXIT, exitCodeOf, PROGRAM, usageError } from "../io.js";
import {
  hasListFilter,
  LIST_FILTER_HELP,
  LIST_FILTER_OPTIONS,
  listPlanOf,
} from "../list-filters.js";
import { createProgressLine, type ProgressLine } from "../progress.js";
import { columnsFor, type RowColumn } from "../row-columns.js";
import { type Session, withSession } from "../session.js";
import type { SessionClient } from "../session-client.js";
import { idListOf, STDIN, stdinOf } from "../stdin-dash.js";
import { painter } from "../text.js";
import type { CliCommand } from "./command.js";

/** What is said of a bad id: its place only, never its content (it may be a pasted secret). */
const INVALID_LINE = "is not a connection id (its content is not shown); skipped";

/** The largest `--sample`. */
const MAX_SAMPLE = 100_000;

/** The mock's answer delay with `--sample`, so the run looks like one over a network. */
const SAMPLE_LATENCY_MS = 20;

const OPTIONS = {
  ...REQUEST_OPTIONS,
  file: { type: "string" },
  json: { type: "boolean" },
  csv: { type: "boolean" },
  "fail-on": { type: "string" },
  sample: { type: "string" },
  company: { type: "string" },
  fresh: { type: "boolean" },
  concurrency: { type: "string" },
  ...LIST_FILTER_OPTIONS,
  ...CHECK_ACTION_OPTIONS,
} as const;

/** The checked options of one run. */
interface CheckPlan {
  readonly format: FormatName;
  readonly failOn: ReadonlySet<HealthGroup>;
  readonly sample: number | undefined;
  readonly file: string | undefined;
  /** With `--company`: the company to list, its filters, `--fresh`. */
  readonly company: CompanySource | undefined;
  /** The actions turned on, readied for the run. */
  readonly actions: readonly BoundAction[];
  /** `--concurrency`: the most lookups in flight (the library's default, 10, when absent). */
  readonly concurrency: number | undefined;
  /** The columns of its rows: the base ones, then those of the actions turned on. */
  readonly columns: readonly RowColumn[];
}

/** The most lookups in flight: Nectar asks for at most 10. */
const MAX_CONCURRENCY = 10;

/** `--concurrency`: lookups in flight, 1 to 10 (default 10). */
function concurrencyOf(values: OptionValues): number | undefined {
  const text = stringOption(values, "concurrency");
  if (text === undefined) return undefined;
  const value = /^\d{1,2}$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= 1 && value <= MAX_CONCURRENCY)) {
    throw usageError(`--concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}`);
  }
  return value;
}

/** The `--fail-on` groups. */
function failOnOf(values: OptionValues): Set<HealthGroup> {
  const failOn = new Set<HealthGroup>();
  const failOnText = stringOption(values, "fail-on");
  for (const name of failOnText?.split(",").map((s) => s.trim()) ?? []) {
    const group = HEALTH_GROUPS.find((g) => g === name);
    if (group === undefined)
      throw usageError(`--fail-on takes health groups: ${HEALTH_GROUPS.join(", ")}`);
    failOn.add(group);
  }
  return failOn;
}

/** The `--sample` size, checked against the other sources of ids. */
function sampleOf(values: OptionValues, ids: number): number | undefined {
  const sampleText = stringOption(values, "sample");
  const sample =
    sampleText === undefined
      ? undefined
      : Number(/^\d{1,6}$/.test(sampleText) ? sampleText : Number.NaN);
  if (sample !== undefined && !(sample >= 1 && sample <= MAX_SAMPLE)) {
    throw usageError(`--sample must be a whole number from 1 to ${MAX_SAMPLE}`);
  }
  if (sample !== undefined && values.mock !== true)
    throw usageError("--sample needs --mock (it checks the mock's fleet)");
  if (sample !== undefined && (ids > 0 || values.file !== undefined)) {
    throw usageError("--sample picks the ids itself: give no ids and no --file with it");
  }
  if (sample === undefined && ids === 0 && values.file === undefined && !hasCompany(values)) {
    throw usageError(
      "check needs connection ids, --file <path> (- for standard input), --company <id>, or --mock --sample <n>",
    );
  }
  return sample;
}

/** Whether `--company` was given. */
const hasCompany = (values: OptionValues) => values.company !== undefined;

/**
 * `--company`, its filters and `--fresh`, checked: the company replaces every other source of
 * ids, and the filters and `--fresh` need it.
 */
function companyOf(values: OptionValues, ids: number): CompanySource | undefined {
  const companyId = stringOption(values, "company");
  if (companyId === undefined) {
    if (hasListFilter(values) || values.fresh === true) {
      throw usageError("--status, --owner, --site, --limit and --fresh go with --company");
    }
    return undefined;
  }
  if (ids > 0 || values.file !== undefined || values.sample !== undefined) {
    throw usageError("--company finds the ids itself: give no ids, --file or --sample with it");
  }
  if (!isUuid(companyId)) throw usageError("--company takes a company id (a UUID)");
  return { companyId, plan: listPlanOf(values), fresh: values.fresh === true };
}

/** What to do when standard input cannot be read. */
const STDIN_HOW = `pipe the ids in (cat ids.txt | ${PROGRAM} check -) or give --file <path>`;

/** Reads and checks the options; every problem is a usage error, before anything starts. */
async function planOf(context: CommandContext, values: OptionValues, ids: number) {
  if (values.json === true && values.csv === true)
    throw usageError("--json and --csv cannot be used together");
  const failOn = failOnOf(values);
  const company = companyOf(values, ids);
  const sample = sampleOf(values, ids);
  const file = stringOption(values, "file");
  if (file !== undefined && file !== "-") await checkIdFile(file);
  if (file === STDIN) stdinOf(context.io, "ids", STDIN_HOW);
  const format: FormatName = values.json === true ? "json" : values.csv === true ? "csv" : "table";
  checkActionOptions(values);
  const actions = [];
  const on = CHECK_ACTIONS.filter((a) => values[a.option] === true);
  for (const action of on) actions.push(await action.bind(values, context));
  const columns = columnsFor(on.map((action) => action.option));
  const concurrency = concurrencyOf(values);
  return {
    format,
    failOn,
    sample,
    file,
    company,
    actions,
    columns,
    concurrency,
  } satisfies CheckPlan;
}

/** What a run met, for its exit code. */
interface Outcome {
  readonly invalid: number;
  /** The exit codes of the lookups that failed ({@link exitCodeOf} of each error). */
  readonly failures: ReadonlySet<number>;
  readonly failedActions: number;
  readonly groups: ReadonlyMap<RowGroup, number>;
}

/**
 * The exit code of a finished run, the first that applies: 2 invalid ids, 3 a lookup failed at
 * the API or an action failed, 4 a lookup failed on the network (1 for any other failure),
 * 5 `--fail-on` matched, else 0.
 */
export function exitOf(outcome: Outcome, failOn: ReadonlySet<HealthGroup>): number {
  if (outcome.invalid > 0) return EXIT.usage;
  const codes = outcome.failures;
  if (codes.has(EXIT.api) || outcome.failedActions > 0) return EXIT.api;
  if (codes.size > 0) return codes.has(EXIT.network) ? EXIT.network : EXIT.failure;
  for (const group of failOn) if ((outcome.groups.get(group) ?? 0) > 0) return EXIT.condition;
  return EXIT.ok;
}

/**
 * The row of one result, keyed by the id that was asked for; a fetched connection goes through
 * the actions the user turned on. `failedActions` counts the actions that failed.
 */
async function rowFor(
  result: RetrieveManyResult,
  plan: CheckPlan,
  client: SessionClient,
  mask: (text: string) => string,
): Promise<{ row: CheckRow; failedActions: number }> {
  if (!result.ok) return { row: failedRow(result.id, result.error, mask), failedActions: 0 };
  const extra: Record<string, string> = {};
  let failedActions = 0;
  for (const action of plan.actions) {
    const done = await action(result.id, result.connection, client);
    if (done === undefined) continue;
    for (const [column, text] of Object.entries(done.cells)) extra[column] = mask(text);
    if (done.failed) failedActions++;
  }
  return { row: rowOf(result.id, result.connection, extra), failedActions };
}

/**
 * The ids of the run: a sample of the mock's, or those of the command line and the file. Ids
 * known in advance go in as an array, so that the progress line has a total.
 */
async function idsOf(
  plan: CheckPlan,
  session: Session,
  sources: IdSources,
  onInvalid: (place: IdPlace) => void,
): Promise<Iterable<string> | AsyncIterable<string>> {
  if (plan.sample !== undefined) return (session.mock?.ids ?? []).slice(0, plan.sample);
  if (sources.file === undefined) return collect(idsFrom(sources, onInvalid));
  return idsFrom(sources, onInvalid);
}

/** The results of the run: the company's listing (`--company`), or a lookup of each id. */
async function resultsOf(
  plan: CheckPlan,
  session: Session,
  sources: IdSources,
  onInvalid: (place: IdPlace) => void,
  progress: ProgressLine,
): Promise<AsyncIterable<RetrieveManyResult>> {
  if (plan.company !== undefined) {
    return companyResults(session.client, plan.company, progress, plan.concurrency);
  }
  const ids = await idsOf(plan, session, sources, onInvalid);
  return session.client.connections.retrieveMany(ids, {
    dedupe: false, // the ids are distinct already (idsFrom), remembered in 16 bytes each
    onProgress: (p) => progress.update(p),
    concurrency: plan.concurrency,
  });
}

/** What the rows of a run came to: rows per group, failures' exit codes, failed actions. */
interface RowCounts {
  groups: Map<RowGroup, number>;
  failures: Set<number>;
  failedActions: number;
}

/**
 * Writes a row per result as it arrives (acting on it first, e.g. `--invite`); a failure that
 * fails every id the same way (a refused key) stops the run ({@link EarlyStop}).
 */
async function writeRows(
  run: AsyncIterable<RetrieveManyResult>,
  plan: CheckPlan,
  session: Session,
  mask: (text: string) => string,
  format: OutputFormat,
): Promise<RowCounts> {
  const counts: RowCounts = { groups: new Map(), failures: new Set(), failedActions: 0 };
  const stop = new EarlyStop();
  let rows = 0;
  const write = async (result: RetrieveManyResult) => {
    if (!result.ok) counts.failures.add(exitCodeOf(result.error));
    const { row, failedActions } = await rowFor(result, plan, session.client, mask);
    counts.failedActions += failedActions;
    counts.groups.set(row.group, (counts.groups.get(row.group) ?? 0) + 1);
    format.row(row);
    rows++;
  };
  for await (const result of run) {
    for (const each of stop.next(result, rows)) await write(each);
  }
  for (const each of stop.end()) await write(each);
  return counts;
}

/** Runs the check within a session: reads ids, writes rows, returns the exit code. */
async function runCheck(
  plan: CheckPlan,
  session: Session,
  context: CommandContext,
  positionals: readonly string[],
) {
  const { io, out, mask, signal } = context;
  const progress = createProgressLine({
    write: out.stderr,
    enabled: io.stderrIsTTY === true,
    columns: io.columns ?? 80,
    now: io.now ?? Date.now,
  });
  let invalid = 0;
  const onInvalid = (place: IdPlace) => {
    invalid++;
    progress.clear();
    out.stderr(`${PROGRAM}: ${describePlace(place)} ${INVALID_LINE}\n`);
  };
  const sources = { positionals, file: plan.file, stdin: io.stdin };
  const run = await resultsOf(plan, session, sources, onInvalid, progress);
  const write = (text: string) => {
    progress.clear(); // the progress line is erased before anything else is written
    out.stdout(text);
  };
  const paint = painter(io.isTTY, io.env);
  const format = createFormat(plan.format, write, paint, plan.columns, signal);
  let counts: RowCounts;
  try {
    counts = await writeRows(run, plan, session, mask, format);
  } finally {
    progress.clear();
  }
  const { groups, failures, failedActions } = counts;
  const total = [...groups.values()].reduce((a, b) => a + b, 0);
  const tally = { byGroup: groups, total, invalid };
  await format.end(tally);
  if (plan.format !== "table" && io.stderrIsTTY === true) {
    out.stderr(`${summaryLine(tally, GROUP_ORDER)}\n`);
  }
  return exitOf({ invalid, failures, failedActions, groups }, plan.failOn);
}

/** The `check` command. */
export const check: CliCommand = {
  name: "check",
  synopsis: `  check [id...]    Check many connections at once (ids, --file, - for standard input, or
                   --company <id> for a company's): a table with the ones needing action
                   first, --json or --csv for scripts`,
  help: `Usage: ${PROGRAM} check [id...] [--file <path>] [options]
       ${PROGRAM} check - [options] < ids.txt
       ${PROGRAM} check --company <id> [--status S...] [--fresh] [options]

Check many connections at once, at most 10 requests in flight. Ids come from the command line
and from --file (one per line; blank lines and # comments allowed); - (as an id, or --file -)
reads them from standard input, which must not be a terminal.
A line that is not a connection id is reported by its number (never its content) and skipped.

With --company, no ids are needed: the company's connections are listed (pages of up to 500,
Nectar's filters --status, --owner, --site) and each is checked as the list gives it, with no
request per connection; --fresh fetches each listed connection again, as check <id> would.

On a terminal, a progress line is drawn on standard error. The output is a table sorted with
the connections needing action first, then a summary by health group; --json prints one JSON
object per line (NDJSON) and --csv a CSV with a header, both in completion order.

${requestOptionsHelp(`  --file <path>      Read ids from a file, one per line (- for standard input)
  --json             One JSON object per connection per line (NDJSON)
  --csv              CSV with a header row
${CHECK_ACTIONS.map((a) => a.help).join("")}  --fail-on <groups> Exit 5 when a connection is in one of these health groups,
                     comma-separated: ${HEALTH_GROUPS.slice(0, 3).join(", ")},
                     ${HEALTH_GROUPS.slice(3).join(", ")}
  --sample <n>       With --mock: check n connections of the mock's generated fleet
  --company <id>     Check the connections of this company (no ids needed)
  --fresh            With --company: fetch each listed connection again (one request each)
  --concurrency <n>  Lookups in flight at once, 1 to 10 (default 10, Nectar's limit)
${LIST_FILTER_HELP}`)}

Exit codes: 0 every id was checked, 1 unexpected failure, 2 usage or invalid ids,
3 some lookups failed at the API or an action (--links, --invite) failed, 4 some lookups
failed on the network, 5 --fail-on matched, 130 interrupted (Ctrl-C), 141 output closed
(| head: no request and no invitation after that), 143 terminated (SIGTERM).
When several of 2, 3, 4, 5 apply, the first in this order wins. A key refused for every id
stops the run (a 401; a 403 for a second id before any success): one line on standard error,
the lookups in flight cancelled, exit 3. A 404, a 5xx or a 403 after a success concerns one id.

Examples:
  ${PROGRAM} check --mock --sample 200
  ${PROGRAM} check --file ids.txt --fail-on needs_user_action --csv > report.csv
  ${PROGRAM} check ${EXAMPLE_CONNECTION_ID} --mock --links
  ${PROGRAM} check --company ${EXAMPLE_COMPANY_ID} --mock --fail-on needs_user_action
`,
  options: OPTIONS,
  async run(invocation, context) {
    const { values, positionals } = idListOf(invocation);
    const plan = await planOf(context, values, positionals.length);
    const mockOptions =
      plan.company !== undefined
        ? MOCK_COMPANY_OPTIONS
        : plan.sample === undefined
          ? {}
          : { fleet: { size: plan.sample, seed: 1 }, latencyMs: SAMPLE_LATENCY_MS };
    return withSession(
      values,
      context,
      (session) => runCheck(plan, session, context, positionals),
      mockOptions,
    );
  },
};
