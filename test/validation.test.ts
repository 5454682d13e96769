/**
 * Response validation: the spec's examples conform, broken connections are reported as JSON
 * pointers, and the compiled validators are loaded only when first needed.
 */
import { afterEach, describe, expect, test, vi } from "vitest";
import { connectionViolations } from "../src/core/validation.ts";
import { type Connection, createNectarClient, NectarInvalidInputError } from "../src/index.ts";
import * as validatorsModule from "../src/validators.ts";
import { createObservedClient, json, rejectionOf } from "./helpers/client.ts";
import { connections } from "./helpers/fixtures.ts";

/** The pointers of a value's violations, sorted. */
async function pointersOf(value: unknown): Promise<string[]> {
  return (await connectionViolations(value)).map((violation) => violation.pointer).sort();
}

describe("connectionViolations", () => {
  test.each(Object.entries(connections))(
    "finds none in the spec's %s example",
    async (_name, make) => {
      expect(await connectionViolations(make())).toEqual([]);
    },
  );

  test("points at a country outside the enum (a status is open: any string passes)", async () => {
    const violations = await connectionViolations({ ...connections.seed(), country: "XX" });
    expect(violations).toEqual([
      { pointer: "/country", message: "must be equal to one of the allowed values" },
    ]);
  });

  test("points at the body itself for a missing required field, naming it", async () => {
    const { id: _id, ...withoutId } = connections.seed();
    const violations = await connectionViolations(withoutId);
    expect(violations).toEqual([{ pointer: "", message: "must have required property 'id'" }]);
  });

  test("points into nested objects and arrays", async () => {
    const broken = connections.passwordIncorrect() as unknown as Record<string, unknown>;
    broken.company = { ...(broken.company as object), id: 7 };
    broken.initialSites = ["2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a6b", 42];
    expect(await pointersOf(broken)).toEqual(["/company/id", "/initialSites/1"]);
  });

  test("reports every violation, not only the first", async () => {
    const broken = {
      ...connections.seed(),
      country: "XX",
      isActive: "yes",
      created: "yesterday",
    };
    expect(await pointersOf(broken)).toEqual(["/country", "/created", "/isActive"]);
  });

  test("gives a message for each violation", async () => {
    for (const violation of await connectionViolations({ ...connections.seed(), accounts: {} })) {
      expect(violation.pointer).toBe("/accounts");
      expect(violation.message).toMatch(/\S/);
    }
  });

  test("reports a body that is not an object at all", async () => {
    for (const value of [null, [], "connection", 42]) {
      const violations = await connectionViolations(value);
      expect(violations.length).toBeGreaterThan(0);
      expect(violations[0]?.pointer).toBe("");
    }
  });

  test("accepts null where the spec allows it", async () => {
    const nullable = {
      ...connections.seed(),
      statusErrorDetail: null,
      statusLastUpdateTime: null,
      statusFirstSeenTime: null,
    } satisfies Connection;
    expect(await connectionViolations(nullable)).toEqual([]);
  });
});

describe("the compiled validators", () => {
  afterEach(() => {
    vi.doUnmock("../generated/validators.js");
    vi.resetModules();
  });

  /** Fresh copies of the modules, with the validators' loading counted. */
  async function freshModules() {
    vi.resetModules();
    const loads = vi.fn();
    vi.doMock("../generated/validators.js", async (importOriginal) => {
      loads();
      return importOriginal();
    });
    const validation = await import("../src/core/validation.ts");
    const index = await import("../src/index.ts");
    return { loads, validation, index };
  }

  test("are not loaded by importing the package", async () => {
    const { loads } = await freshModules();
    expect(loads).not.toHaveBeenCalled();
  });

  test("are loaded on the first check, once, even for concurrent first checks", async () => {
    const { loads, validation } = await freshModules();
    const seed = connections.seed();
    const results = await Promise.all([
      validation.connectionViolations(seed),
      validation.connectionViolations(seed),
      validation.connectionViolations({ ...seed, country: "XX" }),
    ]);
    expect(results.map((violations) => violations.length)).toEqual([0, 0, 1]);
    await validation.connectionViolations(seed);
    expect(loads).toHaveBeenCalledTimes(1);
  });

  test("are not loaded by a client with validation off, even after a call", async () => {
    const { loads, index } = await freshModules();
    const client = index.createNectarClient({
      apiKey: "k",
      logLevel: "off",
      fetch: async () => json(200, connections.seed()),
    });
    await client.connections.retrieve(connections.seed().id);
    expect(loads).not.toHaveBeenCalled();
  });

  test("are loaded by a client's first call in warn mode", async () => {
    const { loads, index } = await freshModules();
    const warnings: unknown[] = [];
    const client = index.createNectarClient({
      apiKey: "k",
      validateResponses: "warn",
      logger: { ...console, warn: (...args: unknown[]) => warnings.push(args) },
      fetch: async () => json(200, { ...connections.seed(), country: "XX" }),
    });
    expect(loads).not.toHaveBeenCalled();
    const connection = await client.connections.retrieve(connections.seed().id);
    expect(loads).toHaveBeenCalledTimes(1);
    expect(connection.country).toBe("XX");
    expect(warnings).toHaveLength(1);
  });
});

describe("the client option validators", () => {
  test("are used instead of loading the module: a client with them never loads it", async () => {
    vi.resetModules();
    const loads = vi.fn();
    vi.doMock("../generated/validators.js", async (importOriginal) => {
      loads();
      return importOriginal();
    });
    try {
      const index = await import("../src/index.ts");
      const validators = await import("../src/validators.ts");
      expect(loads).toHaveBeenCalledTimes(1); // the import just above, the caller's own
      const client = index.createNectarClient({
        apiKey: "k",
        validateResponses: "strict",
        validators,
        fetch: async () => json(200, { ...connections.seed(), country: "XX" }),
      });
      const error = await rejectionOf(client.connections.retrieve(connections.seed().id));
      expect(error).toMatchObject({ name: "NectarResponseValidationError" });
      expect(loads).toHaveBeenCalledTimes(1);
    } finally {
      vi.doUnmock("../generated/validators.js");
      vi.resetModules();
    }
  });

  test("a checker of the caller's own is what decides", async () => {
    const validateConnection = Object.assign(() => false, {
      errors: [{ instancePath: "/id", keyword: "custom" }],
    });
    const { client } = createObservedClient(() => json(200, connections.seed()), {
      validateResponses: "strict",
      validators: { ...validatorsModule, validateConnection },
    });
    const error = await rejectionOf(client.connections.retrieve(connections.seed().id));
    expect(error).toMatchObject({
      name: "NectarResponseValidationError",
      violations: [{ pointer: "/id", message: "custom" }],
    });
  });

  test.each([null, {}, "validators", { validateConnection: "no" }])(
    "anything but the validators module (%j) is refused at creation",
    (validators) => {
      expect(() =>
        createNectarClient({
          apiKey: "k",
          validateResponses: "strict",
          validators: validators as never,
        }),
      ).toThrow(/^validators must be the module "nectar-climate-connection\/validators"/);
      expect(() => createNectarClient({ apiKey: "k", validators: validators as never })).toThrow(
        NectarInvalidInputError,
      );
    },
  );
});

describe("the client's validateResponses", () => {
  const broken = () => ({ ...connections.seed(), country: "XX", isActive: "yes" });

  test("strict throws NectarResponseValidationError with every pointer", async () => {
    const { client } = createObservedClient(() => json(200, broken()), {
      validateResponses: "strict",
    });
    const error = await rejectionOf(client.connections.retrieve(connections.seed().id));
    expect(error).toMatchObject({
      name: "NectarResponseValidationError",
      status: 200,
      violations: [
        { pointer: "/country", message: "must be equal to one of the allowed values" },
        { pointer: "/isActive", message: "must be boolean" },
      ],
    });
    expect((error as Error).message).toBe(
      `GET /connection/${connections.seed().id} returned a body that does not match the spec: /country must be equal to one of the allowed values (and 1 more).`,
    );
  });

  test("warn returns the data and logs the violations once", async () => {
    const { client, logs } = createObservedClient(() => json(200, broken()), {
      validateResponses: "warn",
    });
    const connection = await client.connections.retrieve(connections.seed().id);
    expect(connection.country).toBe("XX");
    const warnings = logs.filter((line) => line.level === "warn");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.details).toEqual([
      {
        violations: [
          { pointer: "/country", message: "must be equal to one of the allowed values" },
          { pointer: "/isActive", message: "must be boolean" },
        ],
      },
    ]);
  });

  test("off returns the data without a word", async () => {
    const { client, logs } = createObservedClient(() => json(200, broken()), {
      validateResponses: "off",
    });
    expect((await client.connections.retrieve(connections.seed().id)).country).toBe("XX");
    expect(logs.filter((line) => line.level === "warn")).toEqual([]);
  });
});
