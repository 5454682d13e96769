/**
 * A list server for the hostile paging tests: `GET /v2.2/connection/company/{id}` answered from a
 * virtual list of `total` connections, each built when its page is asked for (so a 100 000-item
 * list costs the server no memory), with Nectar's paging unless a test bends it.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Connection, ConnectionPage } from "../../generated/schema.js";

/** A connection of the virtual list: small, valid, its id derived from its index. */
export function connectionAt(index: number): Connection {
  const hex = index.toString(16).padStart(12, "0");
  return {
    id: `00000000-0000-4000-8000-${hex}`,
    created: "2024-01-01T00:00:00Z",
    publicCompanyId: "acme",
    connectionMagicLinkSecret: `gAAAAABsecret${hex}`,
    statusLastUpdateTime: null,
    statusFirstSeenTime: null,
    statusErrorDetail: null,
    status: "CONNECTED",
    company: { id: "6b1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f", name: "Acme", externalId: "acme" },
    accounts: [],
  };
}

/** What a test may bend: the numbers a page reports, and which items it holds. */
export interface PagingRules {
  /** How many connections the list holds; may change between requests. */
  total: () => number;
  /** Whose items answer the page asked (Nectar: the last page's, past the end). */
  served?: (asked: number, totalPages: number) => number;
  /** The `currentPage` reported (Nectar: the page served). */
  numbered?: (asked: number, served: number) => number;
  /** `hasNext` as reported (Nectar: currentPage < totalPages). */
  hasNext?: (current: number, totalPages: number) => boolean;
  /** `totalPages` as reported. */
  totalPages?: (real: number) => number;
}

/** One page of the virtual list, by `rules`. */
export function pageFor(url: string, rules: PagingRules): ConnectionPage {
  const params = new URL(url, "http://list.invalid").searchParams;
  const limit = Number(params.get("limit") ?? 100);
  const asked = Number(params.get("page") ?? 1);
  const total = rules.total();
  const realPages = Math.max(1, Math.ceil(total / limit));
  const served = rules.served?.(asked, realPages) ?? Math.min(asked, realPages);
  const current = rules.numbered?.(asked, served) ?? served;
  const start = (served - 1) * limit;
  const connections: Connection[] = [];
  for (let index = start; index < Math.min(start + limit, total); index++) {
    connections.push(connectionAt(index));
  }
  return {
    totalConnections: total,
    perPage: limit,
    totalPages: rules.totalPages?.(realPages) ?? realPages,
    currentPage: current,
    hasNext: rules.hasNext?.(current, realPages) ?? current < realPages,
    hasPrevious: current > 1,
    connections,
  };
}

/** A request handler serving `rules`. */
export function pagingHandler(rules: PagingRules) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    const body = JSON.stringify(pageFor(request.url ?? "/", rules));
    response.writeHead(200, {
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(body)),
    });
    response.end(body);
  };
}
