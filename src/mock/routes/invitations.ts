/**
 * The invitation routes: create for a connection, retrieve, revoke. A non-UUID id gets 400, an
 * unknown one 404, a bad create body 400 with a `detail` that names the field.
 */
import { isUuid } from "../../core/input.js";
import { checkCreateBody } from "../invitation-body.js";
import { withoutEvents } from "../invitations.js";
import type { MockState, Route, RouteRequest } from "./route.js";

/** 400 for a non-UUID id, naming the path parameter as the spec's error example does. */
function rejectBadId({ res, id }: RouteRequest, { responder }: MockState, name: string): boolean {
  if (isUuid(id)) return false;
  responder.sendJson(res, 400, { detail: `Invalid ${name}: expected a UUID.` });
  return true;
}

/** The created invitation, or why there is none: the status and body to answer. */
function create({ id, body }: RouteRequest, state: MockState): [number, unknown] {
  const connection = state.connections.get(id.toLowerCase());
  if (connection === undefined) return [404, state.responder.detailBody(404)];
  const checked = checkCreateBody(body);
  if ("detail" in checked) return [400, { detail: checked.detail }];
  return [201, withoutEvents(state.invitations.create(connection, checked.request))];
}

/**
 * `POST /invitation/connection/{connection_id}`: 201 with a new `EDIT_CONNECTION` invitation for
 * a known connection (Nectar documents 200 or 201: not which). A 2xx fault's body creates one too.
 */
export const createInvitationRoute: Route = {
  pattern: /^\/invitation\/connection\/([^/]+)$/,
  methods: ["POST"],
  answer(request, state) {
    if (rejectBadId(request, state, "connection_id")) return;
    const [status, body] = create(request, state);
    state.responder.sendJson(request.res, status, body);
  },
  fullBody(request, state) {
    const [status, body] = isUuid(request.id) ? create(request, state) : [400, {}];
    return status === 201 ? body : {};
  },
};

/** `GET /invitation/{invitation_id}`: the invitation with its events and its current status. */
export const invitationRoute: Route = {
  pattern: /^\/invitation\/([^/]+)$/,
  methods: ["GET", "HEAD"],
  answer(request, state) {
    if (rejectBadId(request, state, "invitation_id")) return;
    const invitation = state.invitations.get(request.id);
    if (invitation === undefined) {
      state.responder.sendJson(request.res, 404, state.responder.detailBody(404));
    } else state.responder.sendJson(request.res, 200, invitation);
  },
  fullBody({ id }, { invitations }) {
    return (isUuid(id) && invitations.get(id)) || {};
  },
};

/**
 * `POST /invitation/{invitation_id}/revoke`: 200 with the revoked invitation (Nectar does not
 * document the answer; clients must not rely on it). Revoking again changes nothing.
 */
export const revokeInvitationRoute: Route = {
  pattern: /^\/invitation\/([^/]+)\/revoke$/,
  methods: ["POST"],
  answer(request, state) {
    if (rejectBadId(request, state, "invitation_id")) return;
    const invitation = state.invitations.revoke(request.id);
    if (invitation === undefined) {
      state.responder.sendJson(request.res, 404, state.responder.detailBody(404));
    } else state.responder.sendJson(request.res, 200, withoutEvents(invitation));
  },
  fullBody({ id }, { invitations }) {
    const invitation = isUuid(id) ? invitations.revoke(id) : undefined;
    return invitation ? withoutEvents(invitation) : {};
  },
};
