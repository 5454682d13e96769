/**
 * The refusal of bad input: the `NectarInvalidInputError` a call throws synchronously, before
 * anything is sent. Fails the test when the call returns, or throws anything else.
 */
import { expect } from "vitest";
import { NectarInvalidInputError } from "../../src/core/errors.js";

/** The `NectarInvalidInputError` that `run` throws synchronously. */
export function refused(run: () => unknown): NectarInvalidInputError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(NectarInvalidInputError);
    return error as NectarInvalidInputError;
  }
  throw new Error("expected a NectarInvalidInputError, got none");
}

/** The message of the `NectarInvalidInputError` that `run` throws synchronously. */
export const refusal = (run: () => unknown): string => refused(run).message;
