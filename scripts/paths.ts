/** Paths and environment shared by the scripts. */
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The root of this checkout. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** The environment for Redocly: no telemetry, no update check (both reach the network). */
export function redoclyEnv(): NodeJS.ProcessEnv {
  return { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_NOTIFICATIONS: "true" };
}
