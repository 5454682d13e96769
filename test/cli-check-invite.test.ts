/**
 * `check --invite`: a reconnect invitation for every connection whose user must act, created
 * only after a yes on the terminal or with `--yes`, counted on a mock over 127.0.0.1.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { INVITE_QUESTION } from "../src/cli/check-actions.js";
import { type CliIo, main } from "../src/cli/index.js";
import { connectionHealth } from "../src/index.js";
import { type MockServer, startMockServer } from "../src/mock/index.js";
import { connections, TEST_API_KEY } from "./helpers/fixtures.js";
import { recordForRedaction } from "./setup/redaction.js";

const PASSWORD_INCORRECT = connections.passwordIncorrect();
const DEACTIVATED = connections.deactivated();

async function cli(argv: string[], io: Partial<CliIo> = {}) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    env: {},
    isTTY: false,
    ...io,
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  });
  recordForRedaction(stderr);
  return { code, stdout, stderr };
}

let mock: MockServer;
let against: string[];
beforeAll(async () => {
  mock = await startMockServer({ apiKey: TEST_API_KEY, fleet: { size: 30, seed: 7 } });
  against = ["--base-url", mock.url, "--api-key", TEST_API_KEY];
});
afterEach(() => mock.reset());
afterAll(() => mock.close());

/** The NDJSON lines of a run. */
const lines = (out: string) =>
  out
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe("check --invite", () => {
  it("with --yes invites exactly the connections whose user must act, URL in the row", async () => {
    const ids = mock.ids;
    const run = await cli(["check", ...ids, "--invite", "--yes", "--json", ...against]);
    expect(run.code).toBe(0);
    const rows = lines(run.stdout);
    expect(rows).toHaveLength(ids.length);
    const needing = rows.filter((row) => row.group === "needs_user_action");
    expect(needing.length).toBeGreaterThan(1);
    expect(mock.stats.invitationsCreated).toBe(needing.length);
    for (const row of needing) {
      expect(row.invitation).toMatch(/^https:\/\/dash\.nectarclimate\.com\/p\/i\/[^/]+$/);
    }
    for (const row of rows.filter((r) => r.group !== "needs_user_action")) {
      expect(row).not.toHaveProperty("invitation");
    }
  });

  it("asks on a terminal and creates nothing unless the answer is yes", async () => {
    const questions: string[] = [];
    const ids = [PASSWORD_INCORRECT.id, DEACTIVATED.id];
    const no = await cli(["check", ...ids, "--invite", "--json", ...against], {
      confirm: async (question) => {
        questions.push(question);
        return false;
      },
    });
    expect(no.code).toBe(2);
    expect(no.stderr).toContain("not confirmed");
    expect(no.stdout).toBe("");
    expect(mock.stats.requests).toBe(0);
    expect(questions).toEqual([INVITE_QUESTION]);

    const yes = await cli(["check", ...ids, "--invite", "--json", ...against], {
      confirm: async () => true,
    });
    expect(yes.code).toBe(0);
    expect(mock.stats.invitationsCreated).toBe(1);
    const [first] = lines(yes.stdout).filter((row) => row.id === PASSWORD_INCORRECT.id);
    expect(connectionHealth(PASSWORD_INCORRECT).needsUserAction).toBe(true);
    expect(first?.invitation).toMatch(/\/p\/i\//);
  });

  it("without a terminal and without --yes it refuses before any request", async () => {
    const run = await cli(["check", PASSWORD_INCORRECT.id, "--invite", ...against]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("pass --yes");
    expect(mock.stats.requests).toBe(0);
  });

  it("takes --expires and --max-uses for each invitation, and checks them before any request", async () => {
    const run = await cli([
      "check",
      PASSWORD_INCORRECT.id,
      "--invite",
      "--yes",
      "--expires",
      "2d",
      "--max-uses",
      "1",
      "--json",
      ...against,
    ]);
    expect(run.code).toBe(0);
    expect(mock.stats.invitationsCreated).toBe(1);
    mock.reset();
    for (const bad of [
      ["--expires", "5s"],
      ["--max-uses", "0"],
    ]) {
      const refused = await cli([
        "check",
        PASSWORD_INCORRECT.id,
        "--invite",
        "--yes",
        ...bad,
        ...against,
      ]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(bad[0]);
    }
    expect(mock.stats.requests).toBe(0);
  });

  it("refuses --yes, --expires and --max-uses without --invite", async () => {
    for (const extra of [["--yes"], ["--expires", "1d"], ["--max-uses", "2"]]) {
      const run = await cli(["check", PASSWORD_INCORRECT.id, ...extra, ...against]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("goes with --invite");
    }
    expect(mock.stats.requests).toBe(0);
  });
});
