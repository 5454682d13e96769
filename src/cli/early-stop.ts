/**
 * `check` stops at the first lookup that fails in a way every other id would fail too: the key
 * refused (401) or not allowed (403). Going on would send one failing request per id (300 rows
 * of 401 for a revoked key); the run ends instead with one line and exit 3, the lookups in
 * flight cancelled and no row for any of them.
 */
import {
  NectarAuthenticationError,
  type NectarError,
  NectarPermissionError,
} from "../core/errors.js";
import { CliError, EXIT } from "./io.js";

/** Whether `error` fails every id the same way, so that no later lookup can succeed. */
export function failsEveryId(error: NectarError): boolean {
  return error instanceof NectarAuthenticationError || error instanceof NectarPermissionError;
}

/**
 * The error that ends the run after `error`, `checked` connections having been checked before
 * it. Its message is one line; `main` masks and sanitises it as every error line.
 */
export function earlyStop(error: NectarError, checked: number): CliError {
  const refused =
    error instanceof NectarAuthenticationError
      ? "the API key was refused (401: missing, wrong, inactive or expired; check --api-key or NECTAR_API_KEY)"
      : "the API key is not allowed to read connections (403)";
  const before = `${checked} connection${checked === 1 ? "" : "s"} checked before`;
  return new CliError(
    EXIT.api,
    `check stopped: ${refused}, which fails every id the same way (lookups in flight cancelled, ${before}). Nectar said: ${error.message}`,
  );
}
