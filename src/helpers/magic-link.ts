/** The update magic link: the public page where a user re-enters a connection's credentials. */
import type { Connection } from "../../generated/schema.js";
import { DEFAULT_DASHBOARD_URL } from "../core/constants.js";
import { NectarInvalidInputError } from "../core/errors.js";
import { aSecureUrl, checkOptions, type OptionTable } from "../core/option-table.js";

/** The two pieces of a connection that build its link. */
export type LinkPieces = Pick<Connection, "publicCompanyId" | "connectionMagicLinkSecret">;

/** Options of {@link updateLinkUrl}. */
export interface UpdateLinkUrlOptions {
  /** Nectar's dashboard; default `https://dash.nectarclimate.com`. */
  dashboardUrl?: string | undefined;
}

/** The checks of `updateLinkUrl`'s options. */
export const UPDATE_LINK_URL_OPTION_TABLE: OptionTable<UpdateLinkUrlOptions> = {
  dashboardUrl: aSecureUrl,
};

/** A documentation placeholder: the whole value in angle brackets, e.g. `<string>`. */
const PLACEHOLDER = /^<[^<>]*>$/;

/** A non-empty string piece, or a clear error that never quotes the (secret) value. */
function piece(value: unknown, name: string): string {
  // "." and ".." stay dot segments even percent-encoded: a URL parser would move the link.
  if (value === "." || value === "..") {
    throw new NectarInvalidInputError(
      `The connection's ${name} is a dot segment, so no update link can be built.`,
    );
  }
  // Nectar's reference pages fill examples with `<string>`: a link built from one goes nowhere.
  if (typeof value === "string" && PLACEHOLDER.test(value)) {
    throw new NectarInvalidInputError(
      `The connection's ${name} is a documentation placeholder such as "<string>", not a real value, so no update link can be built.`,
    );
  }
  if (typeof value === "string" && value !== "") return encodeURIComponent(value);
  throw new NectarInvalidInputError(
    `The connection has no ${name}, so no update link can be built.`,
  );
}

/**
 * Builds the documented update link,
 * `{dashboardUrl}/p/connect/{publicCompanyId}/workflow/{connectionMagicLinkSecret}`, with each
 * segment URL-encoded. Pure: no request. `/p/` pages are public, so the link is safe to give the
 * connection's user, and to nobody else: it carries the secret.
 *
 * Nectar deprecates magic links in favour of invitations
 * (`POST /invitation/connection/{connection_id}`); the link still works while Nectar serves it.
 * @throws {NectarInvalidInputError} when a piece is missing or a placeholder such as
 * `<string>` (as in Nectar's reference example), or `dashboardUrl` is not https.
 * @example
 * const url = updateLinkUrl(connection); // https://dash.nectarclimate.com/p/connect/…/workflow/…
 */
export function updateLinkUrl(connection: LinkPieces, options?: UpdateLinkUrlOptions): string {
  if (typeof connection !== "object" || connection === null) {
    throw new NectarInvalidInputError("updateLinkUrl needs a connection object.");
  }
  const checked = checkOptions(options, UPDATE_LINK_URL_OPTION_TABLE, "updateLinkUrl");
  const base = checked.dashboardUrl ?? DEFAULT_DASHBOARD_URL;
  const company = piece(connection.publicCompanyId, "publicCompanyId");
  const secret = piece(connection.connectionMagicLinkSecret, "connectionMagicLinkSecret");
  return `${base}/p/connect/${company}/workflow/${secret}`;
}

/** The update link of a connection, with the connection it was built from. */
export interface UpdateLink {
  /** The link to send the connection's user. It carries the secret: share it with them only. */
  url: string;
  /** The connection as Nectar returned it. */
  connection: Connection;
}

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/** Wraps a link so that `console.log` and `util.inspect` show it with the secret masked. */
export function toUpdateLink(url: string, connection: Connection): UpdateLink {
  const link: UpdateLink = { url, connection };
  Object.defineProperty(link, INSPECT, {
    enumerable: false,
    value: () => ({
      url: url.replace(/\/workflow\/[^/]*$/, "/workflow/[secret]"),
      connection: { ...connection, connectionMagicLinkSecret: "[secret]" },
    }),
  });
  return link;
}
