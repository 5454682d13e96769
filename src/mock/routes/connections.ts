/** `GET /connection/{connection_id}`: a stored connection, 404 for an unknown id, 400 for a non-UUID. */
import { isUuid } from "../../core/input.js";
import type { Route } from "./route.js";

/** The connection route. */
export const connectionRoute: Route = {
  pattern: /^\/connection\/([^/]+)$/,
  methods: ["GET", "HEAD"],
  answer({ res, id }, { connections, responder }) {
    if (!isUuid(id)) {
      responder.sendJson(res, 400, responder.detailBody(400));
      return;
    }
    const connection = connections.get(id.toLowerCase());
    if (connection === undefined) responder.sendJson(res, 404, responder.detailBody(404));
    else responder.sendJson(res, 200, connection);
  },
  fullBody({ id }, { connections }) {
    return connections.get(id.toLowerCase()) ?? {};
  },
};
