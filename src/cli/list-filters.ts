/**
 * The filters of `list` and `check --company`: Nectar's own (`--status`, `--owner`, `--site`),
 * checked before anything starts, and `--limit`, the most connections a run reads. Nectar's
 * `status` filter takes one value: several statuses are one walk each, one after the other.
 */
import { operations } from "../../generated/operations.js";
import type { ConnectionStatusFilter } from "../../generated/schema.js";
import { isEmailAddress } from "../core/email.js";
import { isUuid } from "../core/input.js";
import type { ListConnectionsOptions } from "../resources/connection-list.js";
import { type OptionValues, stringOption } from "./args.js";
import { usageError } from "./io.js";

/** Nectar's largest page: the fewest requests. */
const MAX_PAGE_SIZE = 500;

/** The largest `--limit`. */
const MAX_LIMIT = 10_000_000;

/** The options the filters read. */
export const LIST_FILTER_OPTIONS = {
  status: { type: "string", multiple: true },
  owner: { type: "string" },
  site: { type: "string", multiple: true },
  limit: { type: "string" },
} as const;

/** `words` joined by `, ` in lines of at most `width` characters, each after `indent`. */
function wrapped(words: readonly string[], width: number, indent: string): string {
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    const next = line === "" ? word : `${line}, ${word}`;
    if (next.length > width && line !== "") {
      lines.push(`${line},`);
      line = word;
    } else line = next;
  }
  lines.push(line);
  return lines.map((text) => `${indent}${text}\n`).join("");
}

/** Their lines in a command's help. */
export const LIST_FILTER_HELP = `  --status <S>       Only connections with this status (repeat it, or separate with
                     commas, for several: one pass each), one of:
${wrapped(statusFilterValues(), 70, " ".repeat(21))}  --owner <email>    Only connections whose owner has exactly this email address
  --site <id>        Only connections linked to this site (repeat it for several)
  --limit <n>        Read at most n connections (pages get no larger than n)
`;

/** What the filters ask for: the list options of each pass, and the most connections to read. */
export interface ListPlan {
  /** One entry per pass (one per status; one unfiltered by status when none is given). */
  readonly passes: readonly ListConnectionsOptions[];
  /** The most connections to read, or `undefined` for all. */
  readonly max: number | undefined;
}

/** The 12 values of Nectar's `status` filter, from the spec's operation table. */
export function statusFilterValues(): readonly ConnectionStatusFilter[] {
  const parameter = operations.listCompanyConnections.query.find((q) => q.name === "status");
  return (parameter?.enum ?? []) as readonly ConnectionStatusFilter[];
}

/** The values of a repeatable option, each split at commas, blanks dropped. */
function listOption(values: OptionValues, name: string): string[] {
  const value = values[name];
  const given = typeof value === "string" ? [value] : Array.isArray(value) ? value : [];
  return given.flatMap((item: string) => item.split(",").map((part) => part.trim()));
}

/** The `--status` values, upper-cased and checked; distinct, in the order given. */
function statusesOf(values: OptionValues): ConnectionStatusFilter[] {
  const allowed = statusFilterValues();
  const statuses = new Set<ConnectionStatusFilter>();
  for (const given of listOption(values, "status")) {
    const status = allowed.find((value) => value === given.toUpperCase());
    if (status === undefined) throw usageError(`--status takes one of ${allowed.join(", ")}`);
    statuses.add(status);
  }
  return [...statuses];
}

/** `--limit`: a whole number from 1, or `undefined`. */
function limitOf(values: OptionValues): number | undefined {
  const text = stringOption(values, "limit");
  if (text === undefined) return undefined;
  const limit = /^\d{1,8}$/.test(text) ? Number(text) : Number.NaN;
  if (!(limit >= 1 && limit <= MAX_LIMIT)) {
    throw usageError(`--limit must be a whole number from 1 to ${MAX_LIMIT}`);
  }
  return limit;
}

/**
 * The passes and the limit of a run, from the command line. Values are never quoted in an
 * error: an email address is personal data.
 * @throws a usage error on a bad status, email address, site id or limit.
 */
export function listPlanOf(values: OptionValues): ListPlan {
  const owner = stringOption(values, "owner");
  if (owner !== undefined && !isEmailAddress(owner)) {
    throw usageError("--owner must be an email address");
  }
  const sites = listOption(values, "site").filter((site) => site !== "");
  if (sites.some((site) => !isUuid(site))) throw usageError("--site takes site ids (UUIDs)");
  const max = limitOf(values);
  const common: ListConnectionsOptions = { limit: Math.min(max ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE) };
  if (owner !== undefined) common.connectionOwnerEmail = owner;
  if (sites.length > 0) common.sites = sites;
  const statuses = statusesOf(values);
  const passes =
    statuses.length === 0 ? [common] : statuses.map((status) => ({ ...common, status }));
  return { passes, max };
}

/** Whether any filter option was given (`check` refuses them without `--company`). */
export function hasListFilter(values: OptionValues): boolean {
  return Object.keys(LIST_FILTER_OPTIONS).some((name) => values[name] !== undefined);
}
