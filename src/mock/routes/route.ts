/** The shape of one route of the mock, and what it may use of the server's state. */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Connection } from "../../../generated/schema.js";
import type { InvitationStore } from "../invitations.js";
import type { Responder } from "../respond.js";

/** The server's state that routes read and change. */
export interface MockState {
  /** The connections served, by lower-case id. */
  readonly connections: Map<string, Connection>;
  /** The invitations, created, read and revoked by the invitation routes. */
  readonly invitations: InvitationStore;
  readonly responder: Responder;
}

/** One request as a route sees it. */
export interface RouteRequest {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** The id segment of the path, percent-decoded. */
  readonly id: string;
  /** The request body as text (empty for a GET). */
  readonly body: string;
}

/** One route: a path pattern below `/v2.2`, its methods and its normal answer. */
export interface Route {
  /** Matches the path below the base path; its first group is the id segment. */
  readonly pattern: RegExp;
  /** The methods it answers; any other gets 405. */
  readonly methods: readonly string[];
  /** Answers a request normally (no fault scripted). */
  answer(request: RouteRequest, state: MockState): void;
  /** The body of a normal 2xx answer, for faults that send (part of) it; `{}` when none. */
  fullBody(request: RouteRequest, state: MockState): unknown;
}
