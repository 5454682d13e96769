/**
 * The spec in the tools integrators already use, not only in ours. Spectral (`spectral:oas`) and
 * swagger-parser find no error in `generated/openapi.json`. Two generators,
 * swagger-typescript-api (fetch client) and @hey-api/openapi-ts (SDK, fetch client, zod), turn
 * it into clients; an integrator's code on each (`test/interop/*.ts`) is type-checked (strict)
 * against what was generated and then calls every operation of the mock, the create's 201 body
 * included. The generated zod schemas accept a status Nectar may add later (the enums are open).
 * A control shows what the inline 2xx responses fix: with the create's success as a `$ref`'d
 * response component, swagger-typescript-api's client leaves its body unparsed (`null`) and the
 * same code fails.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import SwaggerParser from "@apidevtools/swagger-parser";
import { createClient as heyApi } from "@hey-api/openapi-ts";
import { Document, Spectral } from "@stoplight/spectral-core";
import * as Parsers from "@stoplight/spectral-parsers";
import { oas } from "@stoplight/spectral-rulesets";
import { generateApi } from "swagger-typescript-api";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type MockServer, startMockServer } from "../src/mock/index.js";
import { connections } from "./helpers/fixtures.js";
import type { Summary, Target } from "./interop/target.js";

const root = path.resolve(import.meta.dirname, "..");
const interop = path.join(root, "test", "interop");
const out = path.join(interop, "generated");
const specFile = path.join(root, "generated", "openapi.json");
const specText = readFileSync(specFile, "utf8");
const SLOW = 120_000;

/** What the control edits in the bundled spec. */
interface Bundled {
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
  components: { responses: Record<string, unknown> };
}

/** The bundled spec, a fresh copy. */
const bundled = () => JSON.parse(specText) as Bundled;

/** Strict type errors of `files` (and what they import), as `file:line message` lines. */
function typeErrors(files: string[]): string[] {
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
    types: ["node"],
    skipLibCheck: true,
  });
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const where = diagnostic.file
      ? `${path.relative(root, diagnostic.file.fileName)}:${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1} `
      : "";
    return `${where}${ts.flattenDiagnosticMessageText(diagnostic.messageText, " ")}`;
  });
}

/** Writes swagger-typescript-api's client for `spec` into `generated/<name>/Api.ts`. */
async function swaggerTypescriptApi(spec: object, name: string): Promise<void> {
  await generateApi({
    spec: spec as never,
    output: path.join(out, name),
    fileName: "Api.ts",
    httpClientType: "fetch",
    silent: true,
  });
}

/** A driver's entry point. */
interface Driver {
  callEveryOperation: (target: Target) => Promise<Summary>;
}

/**
 * Imports a driver by its path. Not a literal `import("./interop/…")`: the drivers compile only
 * against generated code, so the project's type check must not follow them (they are checked
 * here, by `typeErrors`, once generated).
 */
const driverModule = <T>(file: string): Promise<T> => import(pathToFileURL(file).href);

let mock: MockServer;
let target: Target;

beforeAll(async () => {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  // The package's package.json says "module": ESM for these files too.
  await swaggerTypescriptApi(bundled(), "sta");
  await heyApi({
    input: specFile,
    output: { path: path.join(out, "hey") },
    plugins: ["@hey-api/client-fetch", "@hey-api/typescript", "@hey-api/sdk", "zod"],
    logs: { level: "silent" },
  });
  mock = await startMockServer();
  const connection = connections.passwordIncorrect();
  target = {
    baseUrl: mock.url,
    apiKey: mock.apiKey,
    connectionId: connection.id,
    companyId: connection.company?.id ?? "",
    sites: [connection.initialSites?.[0] ?? "", "7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f"],
  };
}, SLOW);

afterAll(async () => {
  await mock?.close();
  rmSync(out, { recursive: true, force: true });
});

describe("linters and parsers", () => {
  test("Spectral's spectral:oas ruleset: no error", async () => {
    const spectral = new Spectral();
    spectral.setRuleset({ extends: [[oas as never, "recommended"]] });
    const results = await spectral.run(new Document(specText, Parsers.Json, specFile));
    const errors = results
      .filter((result) => result.severity === 0)
      .map((result) => `${result.code} ${result.path.join(".")}: ${result.message}`);
    expect(errors).toEqual([]);
  });

  test("swagger-parser validates it against the OpenAPI 3.1 schema", async () => {
    const api = await SwaggerParser.validate(bundled() as never);
    expect(Object.keys(api.paths ?? {})).toHaveLength(6);
  });
});

/** The summary every generated client must report against the default mock. */
const expectEveryOperation = (summary: Summary) => {
  expect(summary.statuses).toEqual({
    retrieveConnection: 200,
    listCompanyConnections: 200,
    ping: 200,
    createReconnectInvitation: 201,
    revokeInvitation: 200,
    retrieveInvitation: 200,
  });
  expect(summary.token.length).toBeGreaterThan(10);
  expect(summary.connectionStatus).toBe("PASSWORD_INCORRECT");
  expect(summary.pageIds).toEqual([target.connectionId]);
  expect(summary.finalStatus).toBe("REVOKED");
};

/** The list request a client sent: its query string, as the mock logged it. */
const listQuery = () =>
  mock.stats.log.find((entry) => entry.path.includes("/connection/company/"))?.path.split("?")[1];

describe.each([
  ["swagger-typescript-api", "swagger-typescript-api.ts"],
  ["@hey-api/openapi-ts", "hey-api.ts"],
])("%s", (_tool, driver) => {
  test(
    "the integrator's code type-checks (strict) against the generated client",
    () => {
      expect(typeErrors([path.join(interop, driver)])).toEqual([]);
    },
    SLOW,
  );

  test(
    "calls every operation of the mock, the 201 body included; sites sent repeated",
    async () => {
      mock.reset();
      const { callEveryOperation } = await driverModule<Driver>(path.join(interop, driver));
      expectEveryOperation(await callEveryOperation(target));
      expect(listQuery()).toBe(
        `limit=2&page=1&sites=${target.sites[0]}&sites=${target.sites[1]}&status=PASSWORD_INCORRECT`,
      );
    },
    SLOW,
  );
});

describe("the enums are open in what the generators emit", () => {
  test("hey-api's zod schema accepts a status Nectar may add later, and refuses a non-string", async () => {
    const { parseConnection } = await driverModule<{
      parseConnection: (value: unknown) => { status?: string } | undefined;
    }>(path.join(interop, "hey-api.ts"));
    const seed = connections.seed();
    expect(parseConnection({ ...seed, status: "SUSPENDED" })?.status).toBe("SUSPENDED");
    expect(parseConnection({ ...seed, status: 42 })).toBeUndefined();
  });

  test("swagger-typescript-api's status type lists the known values and admits another string", () => {
    const api = readFileSync(path.join(out, "sta", "Api.ts"), "utf8");
    expect(api).toMatch(
      /export type ConnectionStatus =\s+\| "PENDING"[^;]*\| "URL_INACCESSIBLE"\s+\| string;/,
    );
  });
});

describe("the control: what the inline 2xx responses fix", () => {
  test(
    "with the create's 2xx as a $ref'd response component, swagger-typescript-api's client hands its 201 body over as null",
    async () => {
      const spec = bundled();
      const create = spec.paths["/invitation/connection/{connection_id}"]?.post;
      if (create === undefined) throw new Error("no create operation in the spec");
      spec.components.responses.InvitationCreated = create.responses["201"];
      create.responses["200"] = { $ref: "#/components/responses/InvitationCreated" };
      create.responses["201"] = { $ref: "#/components/responses/InvitationCreated" };
      await swaggerTypescriptApi(spec, "sta-ref");
      // The cause: it no longer knows the body is JSON, so it never parses it.
      const method = (file: string) => {
        const api = readFileSync(path.join(out, file, "Api.ts"), "utf8");
        return api.slice(
          api.indexOf("createReconnectInvitation: ("),
          api.indexOf("retrieveInvitation: ("),
        );
      };
      expect(method("sta")).toContain('format: "json"');
      expect(method("sta-ref")).not.toContain('format: "json"');
      const driver = readFileSync(path.join(interop, "swagger-typescript-api.ts"), "utf8")
        .replace("./generated/sta/Api.js", "./sta-ref/Api.js")
        .replace("./target.js", "../target.js");
      writeFileSync(path.join(out, "sta-ref-driver.ts"), driver);
      const { callEveryOperation } = await driverModule<Driver>(
        path.join(out, "sta-ref-driver.ts"),
      );
      await expect(callEveryOperation(target)).rejects.toThrow(/null \(reading 'token'\)/);
    },
    SLOW,
  );
});
