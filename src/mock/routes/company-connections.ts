/**
 * `GET /connection/company/{company_id}`: a company's connections, one page at a time, with
 * Nectar's paging: 1-indexed pages of `limit` (1 to 500, default 100), and a page past the end
 * answered with the last page again (not an empty one). Filters: `status`, `connectionOwnerEmail`
 * (exact match on `workflowOwnerEmail`), `sites` (repeated; matches `initialSites`). A company no
 * connection belongs to gets 403 (the key may not see it); a bad id or parameter gets 400.
 *
 * Where Nectar documents nothing the mock chooses: connections in the order they were given, an
 * empty list as page 1 of 1, a repeated single-valued parameter read by its first value.
 */
import type { Connection, ConnectionPage } from "../../../generated/schema.js";
import { isEmailAddress } from "../../core/email.js";
import { isUuid } from "../../core/input.js";
import type { MockState, Route, RouteRequest } from "./route.js";

/** The statuses the list can be filtered by (the spec's `ConnectionStatusFilter`). */
const FILTER_STATUSES: ReadonlySet<string> = new Set([
  "PENDING",
  "UNDER_INVESTIGATION",
  "CONNECTED",
  "MFA_TOKEN_EXPIRED",
  "PASSWORD_INCORRECT",
  "NEW_PASSWORD_NEEDED",
  "ADDITIONAL_CREDENTIALS_NEEDED",
  "WEBSITE_DOWN",
  "NO_ACCOUNTS_FOUND",
  "OTHER_ERROR",
  "COMPANY_INACTIVE",
  "URL_INACCESSIBLE",
]);

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 500;

/** The request's filters and page, or the `detail` of the 400 they deserve. */
type ListQuery =
  | {
      limit: number;
      page: number;
      status: string | null;
      email: string | null;
      sites: string[];
    }
  | { detail: string };

/** A whole number within bounds, from a query value; `undefined` when it is not one. */
function whole(
  text: string | null,
  fallback: number,
  min: number,
  max: number,
): number | undefined {
  if (text === null) return fallback;
  if (!/^\d{1,9}$/.test(text)) return undefined;
  const value = Number(text);
  return value >= min && value <= max ? value : undefined;
}

/** Reads and checks the query string, as Nectar's parameter validation would. */
function readQuery(url: string): ListQuery {
  const params = new URL(url, "http://mock.invalid").searchParams;
  const limit = whole(params.get("limit"), DEFAULT_LIMIT, 1, MAX_LIMIT);
  if (limit === undefined) return { detail: "limit must be an integer from 1 to 500." };
  const page = whole(params.get("page"), 1, 1, Number.MAX_SAFE_INTEGER);
  if (page === undefined) return { detail: "page must be an integer of at least 1." };
  const status = params.get("status");
  if (status !== null && !FILTER_STATUSES.has(status)) {
    return { detail: `"${status.slice(0, 40)}" is not a valid choice for status.` };
  }
  const email = params.get("connectionOwnerEmail");
  if (email !== null && !isEmailAddress(email)) {
    return { detail: "connectionOwnerEmail must be a valid email address." };
  }
  const sites = params.getAll("sites");
  if (!sites.every(isUuid)) return { detail: "sites must be UUIDs." };
  return { limit, page, status, email, sites: sites.map((site) => site.toLowerCase()) };
}

/** Does `connection` pass the filters? */
function matches(connection: Connection, query: Exclude<ListQuery, { detail: string }>): boolean {
  if (query.status !== null && connection.status !== query.status) return false;
  if (query.email !== null && connection.workflowOwnerEmail !== query.email) return false;
  if (query.sites.length === 0) return true;
  const linked = (connection.initialSites ?? []).map((site) => site.toLowerCase());
  return query.sites.some((site) => linked.includes(site));
}

/** The status and body of one list request. */
function listPage({ req, id }: RouteRequest, { connections }: MockState): [number, unknown] {
  if (!isUuid(id)) return [400, { detail: "Invalid company_id: expected a UUID." }];
  const query = readQuery(req.url ?? "/");
  if ("detail" in query) return [400, { detail: query.detail }];
  const company = id.toLowerCase();
  const own = [...connections.values()].filter(
    (connection) => connection.company?.id?.toLowerCase() === company,
  );
  if (own.length === 0) {
    return [403, { detail: "You do not have permission to perform this action." }];
  }
  const found = own.filter((connection) => matches(connection, query));
  const totalPages = Math.max(1, Math.ceil(found.length / query.limit));
  // Past the end, Nectar answers the last page again.
  const currentPage = Math.min(query.page, totalPages);
  const start = (currentPage - 1) * query.limit;
  const page: ConnectionPage = {
    totalConnections: found.length,
    perPage: query.limit,
    totalPages,
    currentPage,
    hasNext: currentPage < totalPages,
    hasPrevious: currentPage > 1,
    connections: found.slice(start, start + query.limit),
  };
  return [200, page];
}

/** The connection list route. */
export const companyConnectionsRoute: Route = {
  pattern: /^\/connection\/company\/([^/]+)$/,
  methods: ["GET", "HEAD"],
  answer(request, state) {
    const [status, body] = listPage(request, state);
    state.responder.sendJson(request.res, status, body);
  },
  fullBody(request, state) {
    const [status, body] = listPage(request, state);
    return status === 200 ? body : {};
  },
};
