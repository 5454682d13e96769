/**
 * `nectar-connection webhook verify` in real processes: the raw body piped to standard input,
 * the headers as options (signed by `standardwebhooks`, not by this package). Valid deliveries
 * exit 0 with the event's type and ids; tampered, too old, missing a header or checked against
 * the wrong secret they exit 3 with the reason; the secret is never printed.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { killChildren, runCli, spawnCli } from "./helpers/cli.js";
import { TEST_WEBHOOK_SECRET, webhookPayloads } from "./helpers/fixtures.js";
import { ensureBuilt } from "./helpers/package.js";
import { type SvixHeaders, standardSign } from "./helpers/webhooks.js";

beforeAll(ensureBuilt, 120_000);
afterEach(killChildren);

const PAYLOAD = webhookPayloads.updated();
const BODY = JSON.stringify(PAYLOAD);
const SECRET_TEXT = TEST_WEBHOOK_SECRET.slice("whsec_".length);
const OTHER_SECRET = `whsec_${Buffer.alloc(32, 9).toString("base64")}`;

/** Headers signed now (or `ageSeconds` ago) by the reference library. */
function signedNow(body = BODY, ageSeconds = 0): SvixHeaders {
  return standardSign(body, {
    id: "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W",
    timestamp: Math.floor(Date.now() / 1000) - ageSeconds,
  });
}

/** The header options of `headers`. */
function flags(headers: SvixHeaders): string[] {
  return [
    "--id",
    headers["svix-id"],
    "--timestamp",
    headers["svix-timestamp"],
    "--signature",
    headers["svix-signature"],
  ];
}

/** Runs `webhook verify` in a child process with `body` on its standard input. */
async function verify(args: string[], body: string, env: Record<string, string> = {}) {
  const run = spawnCli(["webhook", "verify", "--secret-env", "HOOK_SECRET", ...args], {
    HOOK_SECRET: TEST_WEBHOOK_SECRET,
    ...env,
  });
  run.child.stdin.end(body);
  const exit = await run.exit;
  const printed = `${run.stdout()}${run.stderr()}`;
  expect(printed).not.toContain(SECRET_TEXT);
  expect(printed).not.toContain(OTHER_SECRET.slice(6));
  return { code: exit.code, stdout: run.stdout(), stderr: run.stderr() };
}

describe("webhook verify, over real processes", () => {
  it("a valid delivery: exit 0, the type, the message id and the connection", async () => {
    const run = await verify(flags(signedNow()), BODY);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toMatch(
      new RegExp(
        `^verified: connection\\.updated\\.v2, message msg_2KWPBgLlAfxdpx2AI54pPJ85f4W, connection ${PAYLOAD.id}, sent \\d{4}-`,
      ),
    );
  });

  it("headers given as --header lines, under the webhook-* names", async () => {
    const headers = signedNow();
    const run = await verify(
      [
        "--header",
        `webhook-id: ${headers["svix-id"]}`,
        "--header",
        `Webhook-Timestamp:${headers["svix-timestamp"]}`,
        "--header",
        `webhook-signature: ${headers["svix-signature"]}`,
      ],
      BODY,
    );
    expect(run.code).toBe(0);
  });

  it("a tampered body: exit 3, no_matching_signature", async () => {
    const run = await verify(flags(signedNow()), BODY.replace("CONNECTED", "DEACTIVATED"));
    expect(run.code).toBe(3);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(
      /^nectar-connection: Webhook refused \(no_matching_signature\).*\n$/,
    );
  });

  it("too old: exit 3, timestamp_too_old; --tolerance lets a captured delivery through", async () => {
    const old = signedNow(BODY, 3_600);
    const refused = await verify(flags(old), BODY);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("timestamp_too_old");
    expect((await verify([...flags(old), "--tolerance", "2h"], BODY)).code).toBe(0);
    const bare = await verify([...flags(old), "--tolerance", "7200"], BODY);
    expect(bare.code).toBe(2); // 7.2 seconds: a bare number is milliseconds
    expect(bare.stderr).toContain(
      "--tolerance 7200 is 7.2 seconds; it must be whole seconds: write 7200s or 2h",
    );
  });

  it("a missing header: exit 3, missing_header", async () => {
    const run = await verify(flags(signedNow()).slice(0, 4), BODY);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("missing_header");
  });

  it("the wrong secret: exit 3, no_matching_signature; a second --secret-env (rotation) matches", async () => {
    const run = await verify(flags(signedNow()), BODY, { HOOK_SECRET: OTHER_SECRET });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("no_matching_signature");
    const rotated = await verify([...flags(signedNow()), "--secret-env", "NEW"], BODY, {
      HOOK_SECRET: OTHER_SECRET,
      NEW: TEST_WEBHOOK_SECRET,
    });
    expect(rotated.code).toBe(0);
  });

  it("a malformed secret: exit 3, malformed_secret, the secret not shown", async () => {
    const run = await verify(flags(signedNow()), BODY, { HOOK_SECRET: "whsec_shortSecretValue" });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("malformed_secret");
    expect(run.stderr).not.toContain("shortSecretValue");
  });
});

describe("webhook verify, in-process", () => {
  /** Runs it in-process with `body` as standard input. */
  function inProcess(args: string[], body: string, env: Record<string, string> = {}) {
    return runCli(["webhook", ...args], {
      env: { HOOK_SECRET: TEST_WEBHOOK_SECRET, ...env },
      stdin: async function* () {
        yield Buffer.from(body);
      },
    });
  }

  it("an unknown event type passes, named and escaped, never typed", async () => {
    const body = JSON.stringify({ eventType: "document.created.v2\u001b[2J", id: "x" });
    const run = await inProcess(
      ["verify", "--secret-env", "HOOK_SECRET", ...flags(signedNow(body))],
      body,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      "document.created.v2\\u001b[2J (not described by the spec, unchecked)",
    );
    expect(run.stdout).not.toContain("\u001b");
  });

  it("a payload that breaks the spec: exit 3, invalid_payload", async () => {
    const body = JSON.stringify({ ...PAYLOAD, id: "not-a-uuid" });
    const run = await inProcess(
      ["verify", "--secret-env", "HOOK_SECRET", ...flags(signedNow(body))],
      body,
    );
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("invalid_payload");
  });

  it("a body past 1 MiB: exit 3, body_too_large (the input is not read to its end)", async () => {
    let chunks = 0;
    const run = await runCli(
      ["webhook", "verify", "--secret-env", "HOOK_SECRET", ...flags(signedNow())],
      {
        env: { HOOK_SECRET: TEST_WEBHOOK_SECRET },
        stdin: async function* () {
          for (;;) {
            chunks++;
            yield new Uint8Array(64 * 1024);
          }
        },
      },
    );
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("body_too_large");
    expect(chunks).toBeLessThan(20);
  });

  const USAGE: [string, string[], Record<string, string>, RegExp][] = [
    ["no action", [], {}, /needs an action/],
    ["another action", ["sign"], {}, /one action: verify/],
    ["no --secret-env", ["verify"], {}, /needs --secret-env/],
    [
      "an unset variable",
      ["verify", "--secret-env", "UNSET_VAR"],
      {},
      /"UNSET_VAR": that variable is not set/,
    ],
    [
      "a bad --header",
      ["verify", "--secret-env", "HOOK_SECRET", "--header", "no colon"],
      {},
      /--header takes/,
    ],
    [
      "a header given twice",
      ["verify", "--secret-env", "HOOK_SECRET", "--id", "a", "--header", "svix-id: b"],
      {},
      /svix-id is given twice/,
    ],
    [
      "a bad tolerance",
      ["verify", "--secret-env", "HOOK_SECRET", "--tolerance", "-1"],
      {},
      /--tolerance/,
    ],
    ["a secret option", ["verify", "--secret", TEST_WEBHOOK_SECRET], {}, /unknown option/],
  ];
  it.each(USAGE)("%s: exit 2, one line", async (_name, args, env, message) => {
    const run = await inProcess(args, BODY, env);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toContain(SECRET_TEXT);
  });

  it("no standard input at all: exit 2", async () => {
    const run = await runCli(["webhook", "verify", "--secret-env", "S"], {
      env: { S: TEST_WEBHOOK_SECRET },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("no standard input");
  });
});
