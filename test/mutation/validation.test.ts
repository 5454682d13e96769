/**
 * The validators as a bundled app may see them: a module that is not the validators (a bundler
 * replaced it) and a module that cannot load are both the documented NectarInvalidInputError with
 * its hint, the cause kept; a validator that fails without listing errors reports no violation.
 * The module is replaced with `vi.doMock` for this file only.
 */
import { afterEach, describe, expect, it, vi } from "vitest";

const VALIDATORS = "../../generated/validators.js";
const HINT =
  'validateResponses needs the validators, which a bundled app cannot load on its own: import * as validators from "nectar-climate-connection/validators" and pass createNectarClient({ validateResponses, validators }).';

afterEach(() => {
  vi.doUnmock(VALIDATORS);
  vi.resetModules();
});

/** A fresh validation module (and its errors), loading whatever VALIDATORS is now. */
async function fresh() {
  const { schemaViolations } = await import("../../src/core/validation.js");
  const { NectarInvalidInputError } = await import("../../src/core/errors.js");
  return { schemaViolations, NectarInvalidInputError };
}

describe("loading the validators", () => {
  it("refuses a module that is not the validators, with the hint", async () => {
    vi.doMock(VALIDATORS, () => ({ validateSomethingElse: () => true }));
    const { schemaViolations, NectarInvalidInputError } = await fresh();
    const error = await Promise.resolve(schemaViolations("Connection", {})).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NectarInvalidInputError);
    expect(error).toMatchObject({ message: HINT, cause: expect.any(TypeError) });
    expect((error as Error).cause).toMatchObject({ message: "not the validators module" });
  });

  it("turns a module that cannot load into the same error, the cause kept", async () => {
    const broken = new Error("Cannot find module validators.js");
    vi.doMock(VALIDATORS, () => {
      throw broken;
    });
    const { schemaViolations, NectarInvalidInputError } = await fresh();
    const error = await Promise.resolve(schemaViolations("Connection", {})).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NectarInvalidInputError);
    expect((error as Error).message).toBe(HINT);
    expect((error as Error).cause).toBeInstanceOf(Error); // vitest wraps the factory's error
  });
});

describe("a validator that fails without errors", () => {
  it("reports no violation rather than inventing one", async () => {
    const { schemaViolations } = await fresh();
    const validateConnection = Object.assign(() => false, { errors: null });
    const given = { validateConnection } as unknown as Parameters<typeof schemaViolations>[2];
    expect(schemaViolations("Connection", {}, given)).toEqual([]);
  });
});
