/**
 * The connections of a company as `list` and `check --company` read them: through
 * `connections.list`, every page of every pass (one per `--status`), at most `--limit`, the pages
 * counted for the progress line. It holds one page and the ids of the one before: memory stays
 * flat however large the company. Stopping early (the limit, a closed output, Ctrl-C) cancels
 * the page request in flight.
 */
import type { Connection } from "../../generated/schema.js";
import type { MockServerOptions } from "../mock/index.js";
import type { ListPlan } from "./list-filters.js";
import type { PageProgress } from "./progress.js";
import type { SessionClient } from "./session-client.js";

/**
 * The mock `--mock` starts for a company: the spec's examples and a generated fleet of 4 000
 * over four companies, about a thousand each (two pages of 500), answering in 20 ms as over a
 * network. The same seed gives the same companies, so the help can name one.
 */
export const MOCK_COMPANY_OPTIONS = {
  fleet: { size: 4_000, seed: 1 },
  latencyMs: 20,
} as const satisfies MockServerOptions;

/** The first company of {@link MOCK_COMPANY_OPTIONS}'s fleet: the help's examples list it. */
export const EXAMPLE_COMPANY_ID = "28d89742-f396-4faa-88eb-9c91646f09b4";

/** The id a connection of the list names, or "" when it names none (a malformed item). */
export const listedIdOf = (connection: Connection): string =>
  typeof connection.id === "string" ? connection.id : "";

/**
 * Each connection of `companyId` that `plan` asks for, in Nectar's order, pass after pass. A
 * connection that was on the previous page too (the pages shifted by one while walking) comes
 * once. `onPage` hears of each page as it is read.
 * @throws the list's errors: an API error, a network failure, `NectarPaginationError`.
 */
export async function* companyConnections(
  client: SessionClient,
  companyId: string,
  plan: ListPlan,
  onPage: (progress: PageProgress) => void,
): AsyncGenerator<Connection, void, undefined> {
  let pages = 0;
  let totalPages = 0;
  let connections = 0;
  for (const options of plan.passes) {
    let previous = new Set<string>();
    let first = true;
    for await (const page of client.connections.list(companyId, options).pages()) {
      pages++;
      if (first) totalPages += page.totalPages;
      first = false;
      const items = page.connections.filter((c) => !previous.has(listedIdOf(c)));
      previous = new Set(page.connections.map(listedIdOf));
      const room = plan.max === undefined ? items.length : plan.max - connections;
      const taken = items.slice(0, Math.max(0, room));
      connections += taken.length;
      onPage({ pages, totalPages, connections });
      yield* taken;
      if (plan.max !== undefined && connections >= plan.max) return;
    }
  }
}
