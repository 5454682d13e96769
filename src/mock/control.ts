/**
 * The mock's control route, served only with the `control` option (the CLI's `mock` command
 * turns it on): `POST /_mock/connection/{id}/status` with `{"becomes": "CONNECTED", "after"?: n,
 * "afterMs"?: ms}` scripts a status change over HTTP, as `mock.script(id, change)` does in
 * JavaScript, so that tests in any language can make a connection change (and the mock send its
 * webhooks). It lives outside `/v2.2`, where Nectar's API never answers.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Responder } from "./respond.js";
import type { MockState } from "./routes/route.js";
import type { MockStatusChange, StatusChanges } from "./status-changes.js";

/** The control route's path: the connection id is its group. */
const CONTROL_PATH = /^\/_mock\/connection\/([^/]+)\/status$/;

/** Does `pathname` name the control route? */
export function isControlPath(pathname: string): boolean {
  return CONTROL_PATH.test(pathname);
}

/** The change a control request asks for, or the reason it is not one. */
function changeOf(body: string): MockStatusChange | string {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return 'The body must be JSON: {"becomes": "CONNECTED", "after"?: n, "afterMs"?: ms}.';
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return "The body must be an object with `becomes`.";
  }
  const unknown = Object.keys(value).filter(
    (key) => !["becomes", "after", "afterMs"].includes(key),
  );
  if (unknown.length > 0) return "Unknown fields: a change has becomes, after and afterMs only.";
  return value as MockStatusChange;
}

/** Answers one control request (the key and the method already checked). */
export function answerControl(
  req: IncomingMessage,
  res: ServerResponse,
  body: string,
  state: MockState & { readonly statusChanges: StatusChanges },
): void {
  const responder: Responder = state.responder;
  const rawId = CONTROL_PATH.exec((req.url ?? "").split("?", 1)[0] ?? "")?.[1] ?? "";
  const id = rawId.toLowerCase();
  if (!state.connections.has(id)) {
    responder.sendJson(res, 404, { detail: "No such connection." });
    return;
  }
  const change = changeOf(body);
  if (typeof change === "string") {
    responder.sendJson(res, 400, { detail: change });
    return;
  }
  try {
    state.statusChanges.add(id, change);
  } catch (error) {
    responder.sendJson(res, 400, {
      detail: error instanceof Error ? error.message : "Bad change.",
    });
    return;
  }
  responder.sendJson(res, 202, { id, scheduled: change });
}
