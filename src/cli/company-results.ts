/**
 * `check --company`: the results `check` prints, found through the company's list rather than
 * an id file. One list pass gives each connection as the list serializes it, with no request
 * per connection; `--fresh` re-fetches each listed id with `retrieveMany` (the full object, as
 * `check <id>` sees it), the list read only as fast as those lookups complete.
 */

import type { BulkProgress } from "../core/bulk.js";
import type { RetrieveManyResult } from "../resources/retrieve-many.js";
import { companyConnections, listedIdOf } from "./company-walk.js";
import type { ListPlan } from "./list-filters.js";
import type { PageProgress, ProgressLine } from "./progress.js";
import type { SessionClient } from "./session-client.js";

/** What `check --company` reads: the company, its filters, and whether to re-fetch each. */
export interface CompanySource {
  readonly companyId: string;
  readonly plan: ListPlan;
  readonly fresh: boolean;
}

/** The connections of a listing, each as a result of its own id. */
async function* asResults(
  connections: AsyncIterable<Parameters<typeof listedIdOf>[0]>,
): AsyncGenerator<RetrieveManyResult, void, undefined> {
  for await (const connection of connections) {
    yield { id: listedIdOf(connection), ok: true, connection };
  }
}

/** The ids of a listing. */
async function* idsOf(
  connections: AsyncIterable<Parameters<typeof listedIdOf>[0]>,
): AsyncGenerator<string, void, undefined> {
  for await (const connection of connections) yield listedIdOf(connection);
}

/**
 * The results of `check --company`, the progress line counting pages and connections (and the
 * lookups, with `--fresh`, at most `concurrency` in flight: `--concurrency`, the library's
 * default 10 when undefined).
 * @throws the list's errors as the results are read (an API error ends the run).
 */
export function companyResults(
  client: SessionClient,
  source: CompanySource,
  progress: ProgressLine,
  concurrency: number | undefined,
): AsyncIterable<RetrieveManyResult> {
  let pages: PageProgress | undefined;
  let lookups: BulkProgress | undefined;
  const connections = companyConnections(client, source.companyId, source.plan, (read) => {
    pages = read;
    progress.update(lookups, pages);
  });
  if (!source.fresh) return asResults(connections);
  return client.connections.retrieveMany(idsOf(connections), {
    concurrency,
    onProgress: (done) => {
      lookups = done;
      progress.update(lookups, pages);
    },
  });
}
