/**
 * `GET /ping`: 200 once the key was accepted (every route checks it first; a bad key gets 401).
 * Nectar documents that the body carries version information but not its shape: the mock's
 * `{ "version": "2.2" }` is its own invention, and clients must not rely on it.
 */
import type { Route } from "./route.js";

/** The ping route (its id segment is always empty). */
export const pingRoute: Route = {
  pattern: /^\/ping()$/,
  methods: ["GET", "HEAD"],
  answer({ res }, { responder }) {
    responder.sendJson(res, 200, { version: "2.2" });
  },
  fullBody() {
    return { version: "2.2" };
  },
};
