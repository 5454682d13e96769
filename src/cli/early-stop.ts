/**
 * `check` stops as soon as a lookup fails in a way every other id would fail too, instead of
 * sending one failing request per id (300 rows of 401 for a revoked key): the run ends with one
 * line and exit 3, the lookups in flight cancelled and no row for any of them.
 *
 * A 401 is the key itself (missing, wrong, inactive: Nectar's notes) and stops at once. A 403 is
 * either the key's scope, which fails every id, or one object the key may not see, which fails
 * that id alone (Nectar's notes give both). So a 403 stops the run only when a second id is
 * refused the same way before any lookup succeeded; the first is held until then, and written
 * as a row when a success (or the end) shows it was about that one connection.
 */
import {
  NectarAuthenticationError,
  type NectarError,
  NectarPermissionError,
} from "../core/errors.js";
import type { RetrieveManyResult } from "../resources/retrieve-many.js";
import { CliError, EXIT } from "./io.js";

/**
 * The error that ends the run after `error`, `checked` connections having been checked before
 * it. Its message is one line; `main` masks and sanitises it as every error line.
 */
export function earlyStop(error: NectarError, checked: number): CliError {
  const refused =
    error instanceof NectarAuthenticationError
      ? "the API key was refused (401: missing, wrong, inactive or expired; check --api-key or NECTAR_API_KEY)"
      : "the API key is not allowed to read connections (403 for every id tried, none allowed)";
  const before = `${checked} connection${checked === 1 ? "" : "s"} checked before`;
  return new CliError(
    EXIT.api,
    `check stopped: ${refused}, which fails every id the same way (lookups in flight cancelled, ${before}). Nectar said: ${error.message}`,
  );
}

/** Result by result, what `check` writes, and when it stops instead. */
export class EarlyStop {
  #succeeded = false;
  #held: RetrieveManyResult | undefined;

  /**
   * The results to write now that `result` arrived (a held 403 first), `checked` rows having
   * been written.
   * @throws {CliError} exit 3 when the key fails every id: a 401, or a second 403 before any success.
   */
  next(result: RetrieveManyResult, checked: number): RetrieveManyResult[] {
    if (result.ok) this.#succeeded = true;
    else if (result.error instanceof NectarAuthenticationError) {
      throw earlyStop(result.error, checked);
    } else if (result.error instanceof NectarPermissionError && !this.#succeeded) {
      if (this.#held !== undefined) throw earlyStop(result.error, checked);
      this.#held = result;
      return [];
    }
    return [...this.end(), result];
  }

  /** The result still held (a lone 403, about its own connection), to write at the end. */
  end(): RetrieveManyResult[] {
    const held = this.#held;
    this.#held = undefined;
    return held === undefined ? [] : [held];
  }
}
