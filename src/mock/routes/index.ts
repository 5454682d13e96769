/** Every route of the mock, matched in order. */
import { connectionRoute } from "./connections.js";
import { createInvitationRoute, invitationRoute, revokeInvitationRoute } from "./invitations.js";
import type { Route } from "./route.js";

/** The routes, first match wins. */
export const ROUTES: readonly Route[] = [
  connectionRoute,
  createInvitationRoute,
  invitationRoute,
  revokeInvitationRoute,
];
