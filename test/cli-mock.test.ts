/**
 * `nectar-connection mock` as other languages' tests use it: the built binary in a child
 * process prints NECTAR_BASE_URL and NECTAR_API_KEY, serves the CLI and plain `fetch`, changes a
 * connection through its control route and sends the signed webhooks, and stops on SIGINT (130)
 * and SIGTERM (143) with its port closed. Usage errors (a public bind, a missing or bad secret)
 * exit 2 before anything listens, never quoting the secret.
 */
import { createServer } from "node:http";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { verifyWebhook } from "../src/index.ts";
import { type CliChild, killChildren, runCli, spawnCli } from "./helpers/cli.js";
import { connections, TEST_WEBHOOK_SECRET } from "./helpers/fixtures.js";
import { ensureBuilt } from "./helpers/package.js";
import { type Receiver, startReceiver } from "./helpers/webhook-receiver.js";

const ID = connections.passwordIncorrect().id;
/** A bound against hanging, not a speed assertion. */
const BOUND_MS = 10_000;

let hook: Receiver | undefined;
beforeAll(ensureBuilt, 120_000);
afterEach(async () => {
  killChildren();
  await hook?.close();
  hook = undefined;
});

/** The two `NAME=value` lines the mock prints, once both arrived. */
async function announced(run: CliChild): Promise<{ baseUrl: string; apiKey: string }> {
  await expect.poll(() => run.stdout().split("\n").length, { timeout: BOUND_MS }).toBe(3);
  const values = Object.fromEntries(
    run
      .stdout()
      .trim()
      .split("\n")
      .map((line) => line.split(/=(.*)/s, 2)),
  );
  return { baseUrl: String(values.NECTAR_BASE_URL), apiKey: String(values.NECTAR_API_KEY) };
}

describe("the mock in a child process", () => {
  it("serves fetch and the CLI, sends signed webhooks, and stops on SIGINT with exit 130", async () => {
    hook = await startReceiver();
    const run = spawnCli(
      [
        "mock",
        "--webhook-url",
        hook.url,
        "--webhook-secret-env",
        "HOOK_SECRET",
        "--webhook-retry",
        "100ms",
      ],
      { HOOK_SECRET: TEST_WEBHOOK_SECRET },
    );
    const { baseUrl, apiKey } = await announced(run);
    expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v2\.2$/);
    expect(apiKey).toBe("mock-api-key");
    const response = await fetch(`${baseUrl}/connection/${ID}`, {
      headers: { "x-api-key": apiKey },
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { status: string }).status).toBe("PASSWORD_INCORRECT");

    const get = spawnCli(["get", ID, "--json"], {
      NECTAR_BASE_URL: baseUrl,
      NECTAR_API_KEY: apiKey,
    });
    expect(await get.exit).toEqual({ code: 0, signal: null });
    expect(JSON.parse(get.stdout())).toMatchObject({ id: ID, status: "PASSWORD_INCORRECT" });

    const origin = new URL(baseUrl).origin;
    const control = await fetch(`${origin}/_mock/connection/${ID}/status`, {
      method: "POST",
      headers: { "x-api-key": apiKey, "content-type": "application/json" },
      body: JSON.stringify({ becomes: "CONNECTED" }),
    });
    expect(control.status).toBe(202);
    const after = await fetch(`${baseUrl}/connection/${ID}`, { headers: { "x-api-key": apiKey } });
    expect(((await after.json()) as { status: string }).status).toBe("CONNECTED");
    const types: string[] = [];
    for (const delivery of await hook.waitFor(2)) {
      const event = await verifyWebhook(delivery.body, delivery.headers, TEST_WEBHOOK_SECRET);
      types.push(event.type);
    }
    expect(types.sort()).toEqual(["connection.updated.v2", "connection.validated.v2"]);

    const sent = Date.now();
    run.child.kill("SIGINT");
    expect(await run.exit).toEqual({ code: 130, signal: null });
    expect(Date.now() - sent).toBeLessThan(BOUND_MS);
    expect(run.stderr()).toMatch(/nectar-connection: interrupted\n$/);
    expect(run.stderr()).toContain("127.0.0.1 only");
    expect(run.stderr()).not.toContain(TEST_WEBHOOK_SECRET.slice(6));
    await expect(fetch(`${baseUrl}/connection/${ID}`)).rejects.toThrow();
  });

  it("--fleet n serves exactly n generated connections (no example), stops on SIGTERM", async () => {
    const run = spawnCli(["mock", "--fleet", "5", "--seed", "3"]);
    const { baseUrl, apiKey } = await announced(run);
    await expect.poll(() => run.stderr(), { timeout: BOUND_MS }).toContain("mock serving 5 ");
    const example = await fetch(`${baseUrl}/connection/${ID}`, {
      headers: { "x-api-key": apiKey },
    });
    expect(example.status).toBe(404);
    run.child.kill("SIGTERM");
    expect(await run.exit).toEqual({ code: 143, signal: null });
  });

  it("stops on SIGTERM with exit 143, a retry still pending", async () => {
    hook = await startReceiver();
    hook.reply({ status: 500 });
    const run = spawnCli(
      ["mock", "--webhook-url", hook.url, "--webhook-secret-env", "S", "--webhook-retry", "1h"],
      { S: TEST_WEBHOOK_SECRET },
    );
    const { baseUrl, apiKey } = await announced(run);
    const origin = new URL(baseUrl).origin;
    await fetch(`${origin}/_mock/connection/${ID}/status`, {
      method: "POST",
      headers: { "x-api-key": apiKey },
      body: JSON.stringify({ becomes: "PASSWORD_INCORRECT", afterMs: 0 }),
    });
    await hook.waitFor(1);
    run.child.kill("SIGTERM");
    expect(await run.exit).toEqual({ code: 143, signal: null });
    expect(run.stderr()).toMatch(/nectar-connection: terminated\n$/);
  });
});

describe("in-process: what it prints, and its usage errors", () => {
  it("prints the two lines, then ends with the run's signal", async () => {
    const controller = new AbortController();
    const run = await runCli(
      ["mock", "--port", "0", "--latency", "0"],
      { signal: controller.signal },
      () => controller.abort(),
    );
    expect(run.code).toBe(130);
    expect(run.stdout).toMatch(
      /^NECTAR_BASE_URL=http:\/\/127\.0\.0\.1:\d+\/v2\.2\nNECTAR_API_KEY=mock-api-key\n$/,
    );
  });

  it("takes --api-key as the key it accepts (printed on stdout only)", async () => {
    const controller = new AbortController();
    const key = "k_custom_1234567890abcdef";
    const run = await runCli(["mock", "--api-key", key], { signal: controller.signal }, () =>
      controller.abort(),
    );
    expect(run.stdout).toContain(`NECTAR_API_KEY=${key}\n`);
    expect(run.stderr).not.toContain(key);
  });

  const BAD: [string, string[], Record<string, string>, RegExp][] = [
    ["a public bind", ["--host", "0.0.0.0"], {}, /listens on 127\.0\.0\.1 only/],
    ["a port out of range", ["--port", "70000"], {}, /--port must be a whole number/],
    ["a seed without a fleet", ["--seed", "4"], {}, /--seed needs --fleet/],
    ["a fleet too large", ["--fleet", "100001"], {}, /--fleet/],
    ["a latency past a minute", ["--latency", "60001"], {}, /--latency/],
    [
      "a webhook URL without a secret",
      ["--webhook-url", "http://127.0.0.1:9/"],
      {},
      /needs a secret/,
    ],
    [
      "a secret without a URL",
      ["--webhook-secret-env", "S"],
      { S: TEST_WEBHOOK_SECRET },
      /without --webhook-url/,
    ],
    [
      "an unset variable",
      ["--webhook-url", "http://127.0.0.1:9/", "--webhook-secret-env", "NOPE"],
      {},
      /not set/,
    ],
    [
      "both secret options",
      [
        "--webhook-url",
        "http://127.0.0.1:9/",
        "--webhook-secret-env",
        "S",
        "--webhook-secret",
        TEST_WEBHOOK_SECRET,
      ],
      { S: TEST_WEBHOOK_SECRET },
      /not both/,
    ],
    [
      "a malformed secret",
      ["--webhook-url", "http://127.0.0.1:9/", "--webhook-secret-env", "S"],
      { S: "whsec_tooShortButSecret" },
      /the webhook secret must be a webhook secret/,
    ],
    [
      "an ftp webhook URL",
      ["--webhook-url", "ftp://127.0.0.1/", "--webhook-secret-env", "S"],
      { S: TEST_WEBHOOK_SECRET },
      /--webhook-url must be an absolute http or https URL/,
    ],
    [
      "a bad retry list",
      [
        "--webhook-url",
        "http://127.0.0.1:9/",
        "--webhook-secret-env",
        "S",
        "--webhook-retry",
        "soon",
      ],
      { S: TEST_WEBHOOK_SECRET },
      /--webhook-retry/,
    ],
    ["an argument", ["extra"], {}, /takes no argument/],
  ];
  it.each(BAD)("refuses %s: exit 2, one line, no secret", async (_name, args, env, message) => {
    const run = await runCli(["mock", ...args], { env });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/^nectar-connection: [^\n]+\n$/);
    expect(run.stderr).not.toContain(TEST_WEBHOOK_SECRET.slice(6));
    expect(run.stderr).not.toContain("tooShortButSecret");
  });

  it("masks a --webhook-secret value wherever it would show", async () => {
    const secret = "whsec_notBase64AtAll!!Secret";
    const run = await runCli(["mock", "--webhook-url", "ftp://x/", "--webhook-secret", secret]);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toContain("notBase64AtAll");
  });

  it("a port already taken: exit 1 with the reason", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const run = await runCli(["mock", "--port", String(port)]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        /^nectar-connection: the mock server could not start: .*EADDRINUSE/,
      );
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
