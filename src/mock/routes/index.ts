/** Every route of the mock, matched in order. */
import { connectionRoute } from "./connections.js";
import type { Route } from "./route.js";

/** The routes, first match wins. */
export const ROUTES: readonly Route[] = [connectionRoute];
