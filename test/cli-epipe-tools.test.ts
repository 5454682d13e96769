/**
 * The tool commands when nobody reads their output: `doctor`, `mock` and `webhook verify`, run by
 * `main` in-process with a standard output whose first write fails with EPIPE (`| head -0`, a
 * harness that went away), end quietly with exit 141; the mock closes its port on the way out.
 * A failure other than EPIPE (a full disk) ends with exit 1 and one line.
 */
import { describe, expect, it } from "vitest";
import { main } from "../src/cli/index.js";
import type { CliIo } from "../src/cli/io.js";
import { TEST_WEBHOOK_SECRET, webhookPayloads } from "./helpers/fixtures.js";
import { standardSign } from "./helpers/webhooks.js";
import { recordForRedaction } from "./setup/redaction.js";

/** What a run printed, with the text of the write that failed. */
interface FailedRun {
  code: number;
  /** The text handed to the failing write (it never reached a reader). */
  attempted: string;
  stderr: string;
}

/** Runs `argv` with a standard output whose every write fails with `code`. */
async function withFailingStdout(
  argv: string[],
  io: Partial<CliIo> = {},
  code = "EPIPE",
): Promise<FailedRun> {
  let attempted = "";
  let stderr = "";
  const exit = await main(argv, {
    env: {},
    isTTY: false,
    ...io,
    stdout: (text) => {
      attempted += text;
      throw Object.assign(new Error(`write ${code}`), { code });
    },
    stderr: (text) => {
      stderr += text;
    },
  });
  recordForRedaction(stderr);
  return { code: exit, attempted, stderr };
}

/** `webhook verify` of a delivery signed now, its body on standard input. */
function verifyArgs(): { argv: string[]; io: Partial<CliIo> } {
  const body = JSON.stringify(webhookPayloads.updated());
  const headers = standardSign(body, {
    id: "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W",
    timestamp: Math.floor(Date.now() / 1000),
  });
  const argv = ["webhook", "verify", "--secret-env", "HOOK_SECRET"];
  argv.push("--id", headers["svix-id"], "--timestamp", headers["svix-timestamp"]);
  argv.push("--signature", headers["svix-signature"]);
  const io: Partial<CliIo> = {
    env: { HOOK_SECRET: TEST_WEBHOOK_SECRET },
    stdin: async function* () {
      yield Buffer.from(body);
    },
  };
  return { argv, io };
}

describe("a standard output closed before the first line", () => {
  it("doctor ends quietly with exit 141", async () => {
    const run = await withFailingStdout(["doctor", "--mock"]);
    expect(run.code).toBe(141);
    expect(run.stderr).toBe("");
    expect(run.attempted).not.toBe("");
  });

  it("webhook verify ends quietly with exit 141 (the delivery was valid)", async () => {
    const { argv, io } = verifyArgs();
    const run = await withFailingStdout(argv, io);
    expect(run.code).toBe(141);
    expect(run.stderr).toBe("");
    expect(run.attempted).toContain("connection.updated.v2");
  });

  it("mock ends quietly with exit 141 and stops listening", async () => {
    const run = await withFailingStdout(["mock", "--port", "0"]);
    expect(run.code).toBe(141);
    expect(run.stderr).toBe("");
    const url = /^NECTAR_BASE_URL=(\S+)$/m.exec(run.attempted)?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v2\.2$/);
    // The port it announced is closed: nothing answers there any more.
    await expect(fetch(`${url}/ping`)).rejects.toThrow(TypeError);
  });
});

describe("a standard output that fails otherwise (ENOSPC)", () => {
  it.each<[string, () => { argv: string[]; io: Partial<CliIo> }]>([
    ["doctor", () => ({ argv: ["doctor", "--mock"], io: {} })],
    ["webhook verify", verifyArgs],
    ["mock", () => ({ argv: ["mock", "--port", "0"], io: {} })],
  ])("%s ends with exit 1 and one line naming the failure", async (_name, args) => {
    const { argv, io } = args();
    const run = await withFailingStdout(argv, io, "ENOSPC");
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("nectar-connection: cannot write to standard output (ENOSPC)\n");
  });
});
