/**
 * The runtime matrix: the packed tarball (`npm pack` of the build, not the source tree) is
 * installed offline from npm's cache into one throwaway project per runtime, outside the
 * repository, and the same smoke script (`test/runtimes/smoke.mjs`) runs on Node 20 (this
 * process's), 22 and 24, Bun, Deno, and Cloudflare's workerd (bundled the way Wrangler does it,
 * run through Miniflare). Each runtime talks to its own mock server, the tarball's
 * `nectar-climate-connection/mock` started here, on 127.0.0.1. A second script
 * (`test/runtimes/webhook-smoke.mjs`) verifies webhooks on each runtime, and on Node 22 and 24
 * (Svix's package needs Node 22+) cross-checks with `svix` installed beside the tarball. A runtime that cannot be installed
 * or started fails its test; none is skipped. The runtimes run concurrently.
 */
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { setUpOrFailEveryTest } from "./helpers/chromium.ts";
import { startConnectProxy } from "./helpers/connect-proxy.ts";
import { connections, TEST_WEBHOOK_SECRET, webhookPayloads } from "./helpers/fixtures.ts";
import { ensureBuilt, npmPack, root, runOk } from "./helpers/package.ts";
import {
  ensureRuntimeBinaries,
  installPackedProject,
  type PackedMock,
  type RuntimeBinaries,
  startPackedMock,
} from "./helpers/runtimes.ts";
import { VECTORS } from "./helpers/webhooks.ts";
import { bundleForWorkerd, postToWorker } from "./helpers/workerd.ts";

const SMOKE = path.join(root, "test", "runtimes", "smoke.mjs");
const WEBHOOK_SMOKE = path.join(root, "test", "runtimes", "webhook-smoke.mjs");
const PROXY_SMOKE = path.join(root, "test", "runtimes", "proxy-smoke.mjs");
/** The Node versions the proxy smoke runs on: each bundles another undici in its own fetch. */
const PROXY_TARGETS = ["node20", "node22", "node24"] as const;
/** Svix's own package, exact as package.json pins it: it needs Node 22+, so only there. */
const SVIX = `svix@${(JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { devDependencies: Record<string, string> }).devDependencies.svix}`;
const SVIX_TARGETS: ReadonlySet<Target> = new Set(["node22", "node24"]);
const SEED = connections.seed();
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";
const INVALID_ID = "11111111-1111-4111-8111-111111111111";

type Target = "node20" | "node22" | "node24" | "bun" | "deno" | "workerd";
const TARGETS: readonly Target[] = ["node20", "node22", "node24", "bun", "deno", "workerd"];

/** The config the smoke script reads. */
interface SmokeConfig {
  baseUrl: string;
  apiKey: string;
  seedId: string;
  unknownId: string;
  invalidId: string;
}

let tmp: string;
let binaries: RuntimeBinaries;

/** A script of `test/runtimes/`: its file, the function a Worker calls, its config variable. */
interface Script {
  file: string;
  exportName: string;
  env: string;
}

const SMOKE_SCRIPT: Script = { file: "smoke.mjs", exportName: "smoke", env: "NECTAR_SMOKE" };
const WEBHOOK_SCRIPT: Script = {
  file: "webhook-smoke.mjs",
  exportName: "webhookSmoke",
  env: "NECTAR_WEBHOOK_SMOKE",
};

/** Runs the smoke script on a runtime whose project is `dir`; returns its report. */
function runSmoke(target: Target, dir: string, config: SmokeConfig): Promise<unknown> {
  return runScript(SMOKE_SCRIPT, target, dir, config);
}

/** Runs one script on a runtime whose project is `dir`, config as JSON; returns its report. */
async function runScript(
  script: Script,
  target: Target,
  dir: string,
  config: unknown,
): Promise<unknown> {
  if (target === "workerd") {
    const worker = await bundleForWorkerd(dir, `./${script.file}`, script.exportName, true);
    return postToWorker(worker, config);
  }
  const env = { [script.env]: JSON.stringify(config) };
  const [file, args, extraEnv] = ((): [string, string[], Record<string, string>] => {
    switch (target) {
      case "node20":
        return [process.execPath, [script.file], {}];
      case "node22":
      case "node24":
        return [binaries[target], [script.file], {}];
      case "bun":
        return [binaries.bun, ["--no-install", script.file], { DO_NOT_TRACK: "1" }];
      case "deno":
        return [
          binaries.deno,
          ["run", "--allow-net=127.0.0.1", `--allow-env=${script.env},NECTAR_API_KEY`, script.file],
          { DENO_DIR: path.join(dir, ".deno"), DENO_NO_UPDATE_CHECK: "1" },
        ];
    }
  })();
  const result = await runOk(file, args, { cwd: dir, env: { ...env, ...extraEnv } });
  const lastLine = result.stdout.trim().split("\n").at(-1) ?? "";
  return JSON.parse(lastLine) as unknown;
}

/** The runtime name and version the report must carry. */
function expectedRuntime(target: Target): { name: string; version: string | null } {
  switch (target) {
    case "node20":
      return { name: "node", version: process.versions.node };
    case "node22":
    case "node24":
      return { name: "node", version: binaries.versions[target] };
    case "bun":
    case "deno":
      return { name: target, version: binaries.versions[target] };
    case "workerd":
      return { name: "workerd", version: null };
  }
}

async function setUp(): Promise<void> {
  await ensureBuilt();
  tmp = await mkdtemp(path.join(os.tmpdir(), "nectar-runtimes-"));
  await mkdir(path.join(tmp, "packs"));
  const packed = await npmPack(root, ["--pack-destination", path.join(tmp, "packs")]);
  const tarball = path.join(tmp, "packs", packed.filename);
  const [installed] = await Promise.all([
    ensureRuntimeBinaries(),
    ...TARGETS.map((target) =>
      installPackedProject(
        path.join(tmp, target),
        tarball,
        { "smoke.mjs": SMOKE, "webhook-smoke.mjs": WEBHOOK_SMOKE, "proxy-smoke.mjs": PROXY_SMOKE },
        SVIX_TARGETS.has(target) ? [SVIX] : [],
      ),
    ),
  ]);
  binaries = installed;
}

setUpOrFailEveryTest(setUp, 300_000);

afterAll(async () => {
  if (tmp !== undefined) await rm(tmp, { recursive: true, force: true });
});

describe.concurrent("the packed tarball on every runtime", () => {
  test.each(TARGETS)(
    "%s: retrieves, gets a NectarNotFoundError for a 404, validates strictly",
    async (target) => {
      const dir = path.join(tmp, target);
      let mock: PackedMock | undefined;
      try {
        mock = await startPackedMock(dir);
        mock.script(INVALID_ID, [{ kind: "json", body: { ...SEED, id: INVALID_ID, status: 42 } }]);
        const config = {
          baseUrl: mock.url,
          apiKey: mock.apiKey,
          seedId: SEED.id,
          unknownId: UNKNOWN_ID,
          invalidId: INVALID_ID,
        };
        const report = await runSmoke(target, dir, config);
        expect(report).toEqual({
          runtime: expectedRuntime(target),
          retrieved: { id: SEED.id, status: SEED.status },
          notFound: {
            name: "NectarNotFoundError",
            isNectarError: true,
            notFoundError: true,
            validationError: false,
            status: 404,
          },
          strict: { id: SEED.id, status: SEED.status },
          strictInvalid: {
            name: "NectarResponseValidationError",
            isNectarError: true,
            notFoundError: false,
            validationError: true,
            status: 200,
            pointers: ["/status"],
          },
        });
        expect(mock.stats.requests).toBe(4);
      } finally {
        await mock?.close();
      }
    },
    120_000,
  );
});

describe.concurrent("webhook verification on every runtime (Web Crypto only)", () => {
  const payloads = {
    created: webhookPayloads.created(),
    updated: webhookPayloads.updated(),
    validated: webhookPayloads.validated(),
  };

  test.each(TARGETS)(
    "%s: the official vectors, signed events, every refusal, and Svix's own package where it runs",
    async (target) => {
      const config = {
        secret: TEST_WEBHOOK_SECRET,
        payloads,
        vectors: VECTORS,
        svix: SVIX_TARGETS.has(target),
      };
      const report = await runScript(WEBHOOK_SCRIPT, target, path.join(tmp, target), config);
      expect(report).toEqual({
        runtime: expectedRuntime(target),
        vectors: {
          v1: { test: 2432232314 },
          v2: { email: "test@example.com", username: "test_user" },
          v2NotSignature: "no_matching_signature",
          signedV1: VECTORS.v1.signature,
        },
        signed: {
          type: "connection.validated.v2",
          id: payloads.validated.id,
          status: payloads.validated.status,
        },
        request: { type: "connection.updated.v2", protectedChanges: ["status"] },
        refused: {
          tampered: "no_matching_signature",
          errorClass: { name: "NectarWebhookVerificationError", isNectarError: true },
          parsed: "body_already_parsed",
          stale: "timestamp_too_old",
          badSecret: "malformed_secret",
          invalidPayload: "invalid_payload",
        },
        refusedToo: {
          missingHeader: "missing_header",
          tooNew: "timestamp_too_new",
          badTimestamp: "invalid_timestamp",
          whitespace: "secret_has_whitespace",
          tooLarge: "body_too_large",
          invalidJson: "invalid_json",
        },
        forms: {
          bytes: "connection.validated.v2",
          headersObject: "connection.validated.v2",
          rotation: "connection.validated.v2",
        },
        deduper: [true, false],
        svix: SVIX_TARGETS.has(target)
          ? {
              oursVerifiesSvix: "connection.created.v2",
              oursRefusesTamperedSvix: "no_matching_signature",
              svixVerifiesOurs: true,
              svixRefusesTampered: true,
              svixRefusesOtherId: true,
              svixRefusesOtherTimestamp: true,
            }
          : null,
      });
    },
    120_000,
  );
});

test("a bundled Worker verifying a known event without validators is told to pass them", async () => {
  const script = await bundleForWorkerd(
    path.join(tmp, "workerd"),
    "./webhook-smoke.mjs",
    "webhookValidatorsMissing",
  );
  const report = await postToWorker(script, {
    secret: TEST_WEBHOOK_SECRET,
    payloads: { validated: webhookPayloads.validated() },
  });
  expect(report).toEqual({
    name: "NectarInvalidInputError",
    isNectarError: true,
    message: expect.stringContaining("verifyWebhook(body, headers, secret, { validators })"),
  });
}, 120_000);

test("a bundled Worker with validation on and no validators gets the error that says to pass them", async () => {
  const dir = path.join(tmp, "workerd");
  let mock: PackedMock | undefined;
  try {
    mock = await startPackedMock(dir);
    const script = await bundleForWorkerd(dir, "./smoke.mjs", "validationUnloadable");
    // esbuild heads each module it inlines with a `// path` comment: the validators' is absent.
    expect(script).toMatch(/^\/\/ .*openapi-fetch\/dist\/index\.mjs$/m);
    expect(script).not.toMatch(/^\/\/ .*generated\/validators\.js$/m);
    const report = await postToWorker(script, {
      baseUrl: mock.url,
      apiKey: mock.apiKey,
      seedId: SEED.id,
    });
    expect(report).toEqual({
      name: "NectarInvalidInputError",
      isNectarError: true,
      message: expect.stringContaining(
        'import * as validators from "nectar-climate-connection/validators"',
      ),
    });
  } finally {
    await mock?.close();
  }
}, 120_000);

test("the Node-only ./mock entry does not resolve for a Worker (the node condition only)", async () => {
  const bundling = bundleForWorkerd(
    path.join(tmp, "workerd"),
    "nectar-climate-connection/mock",
    "startMockServer",
  );
  await expect(bundling).rejects.toThrow(/Could not resolve "nectar-climate-connection\/mock"/);
});

describe.concurrent("the proxy option on Node 20, 22 and 24 (undici 6 with its own fetch)", () => {
  test.each(PROXY_TARGETS)(
    "%s: a retrieve through a CONNECT proxy, a 407 as NectarProxyError",
    async (target) => {
      const dir = path.join(tmp, target);
      const [mock, open, refusing] = await Promise.all([
        startPackedMock(dir),
        startConnectProxy(),
        startConnectProxy({ credentials: "user:pass" }),
      ]);
      try {
        const config = {
          baseUrl: mock.url,
          apiKey: mock.apiKey,
          seedId: SEED.id,
          proxyUrl: open.url,
          refusingProxyUrl: refusing.url,
        };
        const script: Script = {
          file: "proxy-smoke.mjs",
          exportName: "",
          env: "NECTAR_PROXY_SMOKE",
        };
        const report = await runScript(script, target, dir, config);
        const version = target === "node20" ? process.versions.node : binaries.versions[target];
        expect(report).toEqual({
          node: version,
          id: SEED.id,
          refusal: { name: "NectarProxyError", proxyStatus: 407, attempts: 1 },
        });
        expect(open.targets).toEqual([new URL(mock.url).host]);
        expect(refusing.tunnels).toBe(0);
      } finally {
        await Promise.all([mock.close(), open.close(), refusing.close()]);
      }
    },
    120_000,
  );
});
