/**
 * The published packages as a user meets them: both tarballs are packed and installed into a
 * fresh project outside this repository (in the OS temp dir, from the npm cache; the only runtime
 * dependency is openapi-fetch), and a strict TypeScript file using the client, the mock, the
 * `/types` entry and the types package is type-checked under `nodenext` and under `bundler`
 * (with `skipLibCheck` off, so the shipped `.d.ts` files are checked too), then compiled and run
 * against the mock server. TypeScript is this repository's; `@types/node` is found through
 * `typeRoots`.
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { connectionHealth, updateLinkUrl } from "../src/index.ts";
import type { Connection } from "../src/types.ts";
import { bin, ensureBuilt, npmPack, root, run, runOk, typesPackageDir } from "./helpers/package.ts";

const SLOW = 60_000;
/** The realistic example connection: its user must act, so it has a real update link. */
const EXAMPLE_ID = "8d2f4c1e-5b7a-4e3d-9c61-0f2a7b9e4d13";
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

/** The consumer's program: every line it prints is asserted below. */
const CONSUMER_TS = `import {
  connectionHealth,
  createNectarClient,
  NectarNotFoundError,
  updateLinkUrl,
} from "nectar-climate-connection";
import { startMockServer } from "nectar-climate-connection/mock";
import type {
  Connection,
  ConnectionStatus,
  CreateReconnectInvitationRequest,
  Invitation,
  InvitationStatus,
  paths,
} from "nectar-climate-connection/types";
import type { Invitation as MainInvitation } from "nectar-climate-connection";
import type * as Standalone from "nectar-climate-connection-types";

type RetrieveOk =
  paths["/connection/{connection_id}"]["get"]["responses"][200]["content"]["application/json"];

/** Never called: proves the imported types are real types, not \`any\`. */
function typeChecks(connection: Connection): void {
  // @ts-expect-error: not one of the documented statuses
  const wrong: ConnectionStatus = "NOT_A_STATUS";
  // @ts-expect-error: the types package is as strict
  const wrongToo: Standalone.ConnectionStatus = "NOT_A_STATUS";
  // @ts-expect-error: an id is a string
  const id: number = connection.id;
  // @ts-expect-error: the paths of both packages hold only the documented operations
  const missing: Standalone.paths["/connections"] = {};
  void [wrong, wrongToo, id, missing];
}
void typeChecks;

type CreateOk =
  paths["/invitation/connection/{connection_id}"]["post"]["responses"][201]["content"]["application/json"];

/** Never called: the invitation types of /types, the main entry and the types package agree. */
function invitationChecks(invitation: Invitation, standalone: Standalone.Invitation): void {
  const status: InvitationStatus = invitation.status;
  const sameStatus: Standalone.InvitationStatus = status;
  const request: CreateReconnectInvitationRequest = { expiresInSeconds: 3600, maxUses: 1 };
  const sameRequest: Standalone.CreateReconnectInvitationRequest = request;
  const fromMain: MainInvitation = standalone;
  const asResponse: CreateOk = fromMain;
  const expiresAt: string | null | undefined = asResponse.expiresAt;
  // @ts-expect-error: PENDING is not an invitation status
  const wrongStatus: InvitationStatus = "PENDING";
  // @ts-expect-error: nor in the types package
  const wrongStatusToo: Standalone.InvitationStatus = "PENDING";
  // @ts-expect-error: maxUses is a number
  const wrongRequest: Standalone.CreateReconnectInvitationRequest = { maxUses: "1" };
  // @ts-expect-error: token is required
  const noToken: Invitation = { ...invitation, token: undefined };
  void [sameStatus, sameRequest, expiresAt, wrongStatus, wrongStatusToo, wrongRequest, noToken];
}
void invitationChecks;

const mock = await startMockServer();
try {
  const client = createNectarClient({ apiKey: mock.apiKey, baseUrl: mock.url, maxRetries: 0 });
  const connection: Connection = await client.connections.retrieve("${EXAMPLE_ID}");
  const asResponse: RetrieveOk = connection;
  const fromTypesPackage: Standalone.Connection = asResponse;
  const backAgain: Connection = fromTypesPackage;
  const status: ConnectionStatus | undefined = backAgain.status;
  const health = connectionHealth(connection);
  console.log(\`retrieved \${connection.id} \${status} \${health.group} \${health.needsUserAction}\`);
  console.log(\`link \${updateLinkUrl(connection)}\`);
  try {
    await client.connections.retrieve("${UNKNOWN_ID}");
    console.log("no error");
  } catch (error) {
    if (!(error instanceof NectarNotFoundError)) throw error;
    const code: number = error.status;
    console.log(\`not found \${code} \${error.detail}\`);
  }
  console.log(\`mock requests \${mock.stats.requests}\`);
} finally {
  await mock.close();
}
`;

/** Shared by both checks; the bundler one extends it. */
function tsconfig(): object {
  return {
    compilerOptions: {
      target: "ES2022",
      module: "NodeNext",
      moduleResolution: "NodeNext",
      lib: ["ES2022"],
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      verbatimModuleSyntax: true,
      skipLibCheck: false,
      types: ["node"],
      typeRoots: [path.join(root, "node_modules", "@types")],
      outDir: "out",
    },
    files: ["consumer.ts"],
  };
}

const BUNDLER_TSCONFIG = {
  extends: "./tsconfig.json",
  compilerOptions: { module: "ESNext", moduleResolution: "Bundler", noEmit: true },
};

describe("a project that installs both packed tarballs", () => {
  let tmp: string;
  let app: string;
  const mainPackage = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
    bin?: Record<string, string>;
  };

  beforeAll(async () => {
    await ensureBuilt();
    tmp = await mkdtemp(path.join(os.tmpdir(), "nectar-consumer-"));
    const packs = path.join(tmp, "packs");
    app = path.join(tmp, "app");
    await mkdir(packs);
    await mkdir(app);
    const [main, types] = await Promise.all([
      npmPack(root, ["--pack-destination", packs]),
      npmPack(typesPackageDir, ["--pack-destination", packs]),
    ]);
    await writeFile(
      path.join(app, "package.json"),
      `${JSON.stringify({ name: "consumer", version: "1.0.0", private: true, type: "module" }, null, 2)}\n`,
    );
    await runOk(
      "npm",
      [
        "install",
        "--no-audit",
        "--no-fund",
        "--prefer-offline",
        "--no-package-lock",
        path.join(packs, main.filename),
        path.join(packs, types.filename),
      ],
      { cwd: app, timeoutMs: 60_000 },
    );
    await writeFile(path.join(app, "consumer.ts"), CONSUMER_TS);
    await writeFile(path.join(app, "tsconfig.json"), `${JSON.stringify(tsconfig(), null, 2)}\n`);
    await writeFile(
      path.join(app, "tsconfig.bundler.json"),
      `${JSON.stringify(BUNDLER_TSCONFIG, null, 2)}\n`,
    );
  }, 120_000);

  afterAll(async () => {
    if (tmp !== undefined) await rm(tmp, { recursive: true, force: true });
  });

  test("installs the two packages and openapi-fetch, and links the bin", async () => {
    const modules = path.join(app, "node_modules");
    const installed = JSON.parse(
      await readFile(path.join(modules, "nectar-climate-connection", "package.json"), "utf8"),
    ) as { dependencies?: Record<string, string> };
    expect(Object.keys(installed.dependencies ?? {})).toEqual(["openapi-fetch"]);
    expect(existsSync(path.join(modules, "openapi-fetch", "package.json"))).toBe(true);
    expect(existsSync(path.join(modules, "nectar-climate-connection-types", "index.d.ts"))).toBe(
      true,
    );
    for (const name of Object.keys(mainPackage.bin ?? {})) {
      expect(existsSync(path.join(modules, ".bin", name)), `node_modules/.bin/${name}`).toBe(true);
    }
  });

  test(
    "type-checks under moduleResolution bundler (module esnext), strict, skipLibCheck off",
    async () => {
      const result = await run(process.execPath, [bin.tsc, "-p", "tsconfig.bundler.json"], {
        cwd: app,
      });
      expect(result.stdout + result.stderr).toBe("");
      expect(result.code).toBe(0);
    },
    SLOW,
  );

  test(
    "type-checks and compiles under nodenext, then runs against the mock server",
    async () => {
      const compiled = await run(process.execPath, [bin.tsc, "-p", "tsconfig.json"], { cwd: app });
      expect(compiled.stdout + compiled.stderr).toBe("");
      expect(compiled.code).toBe(0);

      const result = await runOk(process.execPath, ["out/consumer.js"], { cwd: app });
      const spec = JSON.parse(
        await readFile(path.join(root, "generated", "openapi.json"), "utf8"),
      ) as { components: { examples: { ConnectionPasswordIncorrect: { value: Connection } } } };
      const seed = spec.components.examples.ConnectionPasswordIncorrect.value;
      const health = connectionHealth(seed);
      expect(result.stdout.trim().split("\n")).toEqual([
        `retrieved ${EXAMPLE_ID} ${seed.status} ${health.group} ${health.needsUserAction}`,
        `link ${updateLinkUrl(seed)}`,
        "not found 404 Not found.",
        "mock requests 2",
      ]);
    },
    SLOW,
  );

  test("imports nectar-climate-connection/openapi.json with a JSON import attribute", async () => {
    const script =
      "import('nectar-climate-connection/openapi.json', { with: { type: 'json' } })" +
      ".then((m) => console.log(m.default.openapi, m.default.info.version))";
    const result = await runOk(process.execPath, ["-e", script], { cwd: app });
    expect(result.stdout.trim()).toBe("3.1.0 2.2");

    const fromTypes = await runOk(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        "const m = await import('nectar-climate-connection-types/openapi.json', { with: { type: 'json' } }); console.log(m.default.info.version);",
      ],
      { cwd: app },
    );
    expect(fromTypes.stdout.trim()).toBe("2.2");
  });

  test("the types package has no JavaScript entry", async () => {
    const result = await runOk(
      process.execPath,
      [
        "-e",
        "import('nectar-climate-connection-types').then(() => console.log('loaded'), (e) => console.log(e.code))",
      ],
      { cwd: app },
    );
    expect(result.stdout.trim()).toBe("ERR_PACKAGE_PATH_NOT_EXPORTED");
  });
});
