/**
 * The breaking-change gate for the spec: the consumer of release 0.1
 * (`test/compat/v0.1/consumer.ts`, a type-level and run-time use of both packages) is checked
 * against this build, with types regenerated from the spec (openapi-typescript's Node API, as
 * `scripts/generate.ts` runs it). It type-checks and runs against the mock today; and each of
 * four breaking spec edits (made on a copy, regenerated into a temp dir) fails it with a message
 * naming what broke, while an additive edit passes.
 *
 * The required request field is a new required query parameter of the GET: the invitation
 * request body (`CreateReconnectInvitationRequest`) is not in this spec yet.
 */

import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { OpenAPI3 } from "openapi-typescript";
import type ts from "typescript";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  bundledSpec,
  CONSUMER_OPTIONS,
  checkConsumer,
  layoutPackages,
  schemaTypes,
} from "./helpers/compat.ts";
import { ensureBuilt, root, runOk } from "./helpers/package.ts";

const CONSUMER = path.join(root, "test", "compat", "v0.1", "consumer.ts");
const SLOW = 60_000;

/** A JSON object inside the spec (the edits below only walk paths that exist). */
type Node = Record<string, unknown>;
const at = (value: unknown, ...keys: string[]): Node =>
  keys.reduce((node, key) => (node as Node)[key], value) as Node;
const connectionSchema = (spec: OpenAPI3) => at(spec, "components", "schemas", "Connection");

/** A spec edit, and what the gate's message must name. */
interface Edit {
  name: string;
  apply: (spec: OpenAPI3) => void;
  names: RegExp;
}

const BREAKING: readonly Edit[] = [
  {
    name: "removing a field (Connection.externalId)",
    apply: (spec) => {
      delete at(connectionSchema(spec), "properties").externalId;
    },
    names: /externalId/,
  },
  {
    name: "narrowing a type (Connection.statusErrorDetail: string | null → string)",
    apply: (spec) => {
      at(connectionSchema(spec), "properties", "statusErrorDetail").type = "string";
    },
    names: /statusErrorDetail: null.*Type 'null' is not assignable to type 'string'/,
  },
  {
    name: "adding a required request field (a required query parameter `fields` on the GET)",
    apply: (spec) => {
      const get = at(spec, "paths", "/connection/{connection_id}", "get");
      get.parameters = [
        ...((get.parameters as unknown[] | undefined) ?? []),
        { name: "fields", in: "query", required: true, schema: { type: "string" } },
      ];
    },
    names: /Property 'query' is missing.*fields: string/,
  },
  {
    name: "dropping an enum value (ConnectionStatus URL_INACCESSIBLE)",
    apply: (spec) => {
      // The documented values: the first branch of the open enum.
      const status = at(spec, "components", "schemas", "ConnectionStatus", "anyOf", "0");
      status.enum = (status.enum as string[]).filter((value) => value !== "URL_INACCESSIBLE");
    },
    names: /"URL_INACCESSIBLE"/,
  },
];

let tmp: string;
let consumerFile: string;
let program: ts.Program | undefined;

/** Regenerates the types from `spec`, lays the packages out with them, checks the consumer. */
async function gate(spec: OpenAPI3): Promise<string[]> {
  layoutPackages(tmp, await schemaTypes(spec));
  const checked = checkConsumer(consumerFile, CONSUMER_OPTIONS);
  program = checked.program;
  return checked.problems;
}

beforeAll(async () => {
  await ensureBuilt();
  tmp = await mkdtemp(path.join(os.tmpdir(), "nectar-compat-"));
  consumerFile = path.join(tmp, "consumer.ts");
  await writeFile(consumerFile, readFileSync(CONSUMER, "utf8"));
  await writeFile(
    path.join(tmp, "package.json"),
    `${JSON.stringify({ name: "compat-v0.1", private: true, type: "module" })}\n`,
  );
}, 180_000);

afterAll(async () => {
  if (tmp !== undefined) await rm(tmp, { recursive: true, force: true });
});

describe("the v0.1 consumer against this build", () => {
  test("types regenerated here equal generated/schema.d.ts (same generator, same options)", async () => {
    const committed = readFileSync(path.join(root, "generated", "schema.d.ts"), "utf8");
    expect(await schemaTypes(bundledSpec())).toBe(committed);
  });

  test(
    "type-checks (strict), compiles and runs against the mock",
    async () => {
      expect(await gate(bundledSpec())).toEqual([]);
      const emitted = program?.emit(undefined, undefined, undefined, false, undefined);
      expect(emitted?.emitSkipped).toBe(false);
      const result = await runOk(process.execPath, ["consumer.js"], { cwd: tmp });
      expect(result.stdout.trim().split("\n")).toEqual([
        expect.stringMatching(/^retrieved 3c90c3cc-0d44-4b50-8888-8dd25736052a \w+$/),
        "fields 20",
        "fixture healthy 13 statuses",
        "not found 404",
        "raw 200 3c90c3cc-0d44-4b50-8888-8dd25736052a",
        expect.stringMatching(/^bare 200 [A-Z_]+$/),
      ]);
    },
    SLOW,
  );
});

describe("the gate against spec edits (types regenerated into a temp dir)", () => {
  test.each(BREAKING)(
    "fails on $name, naming what broke",
    async ({ apply, names }) => {
      const spec = bundledSpec();
      apply(spec);
      const problems = await gate(spec);
      expect(problems.length).toBeGreaterThan(0);
      expect(problems.join("\n")).toMatch(names);
    },
    SLOW,
  );

  test(
    "passes an additive edit (a new optional field Connection.nickname)",
    async () => {
      const spec = bundledSpec();
      at(connectionSchema(spec), "properties").nickname = { type: "string" };
      const problems = await gate(spec);
      expect(problems).toEqual([]);
      // The new field did reach the types the consumer was checked against.
      const schema = readFileSync(
        path.join(tmp, "node_modules", "nectar-climate-connection-types", "schema.d.ts"),
        "utf8",
      );
      expect(schema).toContain("nickname?: string;");
    },
    SLOW,
  );
});
