/** Every route of the mock, matched in order. */
import { companyConnectionsRoute } from "./company-connections.js";
import { connectionRoute } from "./connections.js";
import { createInvitationRoute, invitationRoute, revokeInvitationRoute } from "./invitations.js";
import { pingRoute } from "./ping.js";
import type { Route } from "./route.js";

/** The routes, first match wins. */
export const ROUTES: readonly Route[] = [
  connectionRoute,
  createInvitationRoute,
  invitationRoute,
  revokeInvitationRoute,
  companyConnectionsRoute,
  pingRoute,
];
