/**
 * The flags whose bare number 0.1 read as seconds (`--expires`, `--interval`, `--tolerance`,
 * `--webhook-retry`): an accepted bare number now means milliseconds and says so in a warning
 * that names what it means and what to write for seconds; a value with a unit gets none, and a
 * refused one only its usage error. Run by `main` in process.
 */
import { describe, expect, it } from "vitest";
import { bareSecondsWarnings } from "../src/cli/bare-seconds.js";
import { main } from "../src/cli/index.js";
import { TEST_WEBHOOK_SECRET, webhookPayloads } from "./helpers/fixtures.js";
import { standardSign } from "./helpers/webhooks.js";

/** `webhook verify` of a delivery signed now with `--tolerance <tolerance>`. */
async function verifyWith(tolerance: string) {
  const body = JSON.stringify(webhookPayloads.updated());
  const headers = standardSign(body, {
    id: "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W",
    timestamp: Math.floor(Date.now() / 1000),
  });
  let stdout = "";
  let stderr = "";
  const argv = ["webhook", "verify", "--secret-env", "HOOK_SECRET", "--tolerance", tolerance];
  argv.push("--id", headers["svix-id"], "--timestamp", headers["svix-timestamp"]);
  argv.push("--signature", headers["svix-signature"]);
  const code = await main(argv, {
    env: { HOOK_SECRET: TEST_WEBHOOK_SECRET },
    isTTY: false,
    stdin: async function* () {
      yield Buffer.from(body);
    },
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  });
  return { code, stdout, stderr };
}

describe("a bare number where 0.1 read seconds", () => {
  it("is accepted as milliseconds with one warning line saying so", async () => {
    const run = await verifyWith("3000");
    expect(run.code).toBe(0);
    expect(run.stdout).not.toBe("");
    expect(run.stderr).toBe(
      "nectar-connection: warning: --tolerance 3000 is 3 seconds: a bare number is milliseconds (0.1 read it as seconds: write 3000s or 50m)\n",
    );
  });

  it("gives no warning for a value with a unit, and only the usage error for a refused one", async () => {
    expect(await verifyWith("3000s")).toMatchObject({ code: 0, stderr: "" });
    const refused = await verifyWith("7200");
    expect(refused.code).toBe(2);
    expect(refused.stderr).not.toContain("warning");
    expect(refused.stderr).toContain("--tolerance 7200 is 7.2 seconds");
  });

  it("looks at every flag that changed, each value of --webhook-retry, and nothing else", () => {
    expect(
      bareSecondsWarnings({
        expires: "120000",
        interval: "5000",
        "webhook-retry": "500,2s,1000",
        timeout: "30000",
        deadline: "60000",
        latency: "200",
      }),
    ).toEqual([
      "nectar-connection: warning: --expires 120000 is 2 minutes: a bare number is milliseconds (0.1 read it as seconds: write 120000s or 2000m)\n",
      "nectar-connection: warning: --interval 5000 is 5 seconds: a bare number is milliseconds (0.1 read it as seconds: write 5000s)\n",
      "nectar-connection: warning: --webhook-retry 500 is 500 milliseconds: a bare number is milliseconds (0.1 read it as seconds: write 500s)\n",
      "nectar-connection: warning: --webhook-retry 1000 is 1 second: a bare number is milliseconds (0.1 read it as seconds: write 1000s)\n",
    ]);
    expect(bareSecondsWarnings({ expires: "2h", interval: true, tolerance: ["1", "2"] })).toEqual(
      [],
    );
  });
});
