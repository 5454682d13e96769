/**
 * `check --invite`: a reconnect invitation for every connection whose user must act, created
 * only after a yes on the terminal or with `--yes`, counted on a mock over 127.0.0.1.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { INVITE_QUESTION } from "../src/cli/check-actions.js";
import { connectionHealth } from "../src/index.js";
import type { MockServer } from "../src/mock/index.js";
import { runCli as cli } from "./helpers/cli.js";
import { startCliMock } from "./helpers/cli-mock.js";
import { sendJson, startApi } from "./helpers/cli-server.js";
import { connections, invitations, TEST_API_KEY } from "./helpers/fixtures.js";

const PASSWORD_INCORRECT = connections.passwordIncorrect();
const DEACTIVATED = connections.deactivated();

let mock: MockServer;
let against: string[];
beforeAll(async () => {
  ({ mock, against } = await startCliMock({ size: 30, seed: 7 }));
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
      expect(row.invitationUrl).toMatch(/^https:\/\/dash\.nectarclimate\.com\/p\/i\/[^/]+$/);
      expect(row.invitationId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-/);
    }
    for (const row of rows.filter((r) => r.group !== "needs_user_action")) {
      expect(row).toMatchObject({ invitationId: null, invitationUrl: null });
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
    expect(INVITE_QUESTION).toBe(
      "Create a reconnect invitation for every connection whose user must act? [y/N] ",
    );

    const yes = await cli(["check", ...ids, "--invite", "--json", ...against], {
      confirm: async () => true,
    });
    expect(yes.code).toBe(0);
    expect(mock.stats.invitationsCreated).toBe(1);
    const [first] = lines(yes.stdout).filter((row) => row.id === PASSWORD_INCORRECT.id);
    expect(connectionHealth(PASSWORD_INCORRECT).needsUserAction).toBe(true);
    expect(first?.invitationUrl).toMatch(/\/p\/i\//);
  });

  it("without a terminal and without --yes it refuses before any request", async () => {
    const run = await cli(["check", PASSWORD_INCORRECT.id, "--invite", ...against]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("pass --yes");
    expect(mock.stats.requests).toBe(0);
  });

  it("with the ids on standard input (--file -) it refuses without --yes, even on a terminal", async () => {
    const questions: string[] = [];
    async function* stdin() {
      yield `${PASSWORD_INCORRECT.id}\n`;
    }
    const run = await cli(["check", "--file", "-", "--invite", ...against], {
      stdin: () => stdin(),
      confirm: async (question) => {
        questions.push(question);
        return true;
      },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("pass --yes");
    expect(questions).toEqual([]);
    expect(mock.stats.requests).toBe(0);
  });

  it("check --help documents --links, --invite and the options of --invite", async () => {
    const run = await cli(["check", "--help"]);
    expect(run.code).toBe(0);
    for (const line of [
      "  --links            Add the update link of every connection whose user must act",
      "  --invite           Create a reconnect invitation for every connection whose user must act",
      "  --expires <time>   With --invite: expiry, e.g. 7d, 12h, 3600s (default: never;\n                     a bare number is milliseconds)",
      "  --max-uses <n>     With --invite: uses per invitation (default: no limit)",
      "  --yes              With --invite: create them without asking",
    ]) {
      expect(run.stdout).toContain(line);
    }
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

/** Runs `check` against a one-connection API on 127.0.0.1: `connection` for a GET, `status` and `detail` for a POST. */
async function checkAgainst(
  connection: unknown,
  post: { status: number; detail: string },
  flags: string[],
) {
  const server = createServer((request, response) => {
    const creating = request.method === "POST";
    const created = creating && post.status === 201;
    response.writeHead(creating ? post.status : 200, { "content-type": "application/json" });
    const body = created
      ? invitations.reconnect()
      : creating
        ? { detail: post.detail }
        : connection;
    response.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const base = ["--base-url", `http://127.0.0.1:${port}/v2.2`, "--api-key", TEST_API_KEY];
    return await cli(["check", PASSWORD_INCORRECT.id, ...flags, "--json", ...base]);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

describe("check's action cells when an action fails for a connection", () => {
  it("--invite puts Nectar's reason in the cell, and exits 3", async () => {
    const run = await checkAgainst(
      PASSWORD_INCORRECT,
      { status: 403, detail: "Invitations are not enabled." },
      ["--invite", "--yes"],
    );
    const [row] = lines(run.stdout);
    expect(row?.id).toBe(PASSWORD_INCORRECT.id);
    expect(row?.invitationUrl).toMatch(/^failed: .*Invitations are not enabled\./);
    expect(run.code).toBe(3);
  });

  it("--invite exits 3 before --fail-on's 5, and after invalid ids' 2", async () => {
    const failed = { status: 403, detail: "Invitations are not enabled." };
    const withFailOn = await checkAgainst(PASSWORD_INCORRECT, failed, [
      "--invite",
      "--yes",
      "--fail-on",
      "needs_user_action",
    ]);
    expect(withFailOn.code).toBe(3);
    const withBadId = await checkAgainst(PASSWORD_INCORRECT, failed, ["--invite", "--yes", "nope"]);
    expect(withBadId.code).toBe(2);
  });

  it("--invite that succeeds does not change the exit code", async () => {
    const created = await checkAgainst(PASSWORD_INCORRECT, { status: 201, detail: "" }, [
      "--invite",
      "--yes",
    ]);
    expect(created.code).toBe(0);
  });

  it("--links says why no link can be built (a placeholder secret), without quoting it, and exits 3", async () => {
    const placeholder = { ...PASSWORD_INCORRECT, connectionMagicLinkSecret: "<string>" };
    const run = await checkAgainst(placeholder, { status: 500, detail: "unused" }, ["--links"]);
    const [row] = lines(run.stdout);
    expect(row?.link).toMatch(
      /^unavailable: The connection's connectionMagicLinkSecret is a documentation placeholder/,
    );
    expect(run.code).toBe(3);
  });
});

describe("check --invite and the run's end", () => {
  it("a created invitation without its URL is a failed action (exit 3)", async () => {
    const api = await startApi((request, response) => {
      if (request.method === "POST") sendJson(response, 201, { id: invitations.reconnect().id });
      else sendJson(response, 200, PASSWORD_INCORRECT);
    });
    try {
      const run = await cli([
        "check",
        PASSWORD_INCORRECT.id,
        "--invite",
        "--yes",
        "--json",
        ...api.flags,
      ]);
      expect(lines(run.stdout)[0]?.invitationUrl).toBe(
        "failed: Nectar's answer carries no invitationUrl",
      );
      expect(run.code).toBe(3);
    } finally {
      await api.close();
    }
  });

  it("Ctrl-C while an invitation is being created prints no row for it, and exits 130", async () => {
    const api = await startApi((request, response) => {
      if (request.method !== "POST") sendJson(response, 200, PASSWORD_INCORRECT);
    });
    try {
      const interrupt = new AbortController();
      const running = cli(
        ["check", PASSWORD_INCORRECT.id, "--invite", "--yes", "--json", ...api.flags],
        {
          signal: interrupt.signal,
        },
      );
      await api.arrived(2); // the lookup, then the create that never ends
      interrupt.abort();
      const run = await running;
      expect(run).toEqual({ code: 130, stdout: "", stderr: "nectar-connection: interrupted\n" });
      await vi.waitFor(() => expect(api.abandoned).toBe(1)); // the create was cancelled
    } finally {
      await api.close();
    }
  });
});

describe("results keyed by what was asked", () => {
  it("an answer naming another connection never redirects the invitation", async () => {
    const asked = PASSWORD_INCORRECT.id;
    const named = DEACTIVATED.id;
    const api = await startApi((request, response) => {
      if (request.method === "POST") sendJson(response, 201, invitations.reconnect());
      else sendJson(response, 200, { ...PASSWORD_INCORRECT, id: named });
    });
    try {
      const run = await cli(["check", asked, "--invite", "--yes", "--json", ...api.flags]);
      const [row] = lines(run.stdout);
      expect(row?.id).toBe(asked);
      for (const line of api.requests) expect(line).not.toContain(named);
      expect(api.requests.filter((line) => line.startsWith("POST"))).toEqual(
        row?.ok === true ? [`POST /v2.2/invitation/connection/${asked}`] : [],
      );
      const get = await cli(["get", asked, ...api.flags]);
      expect(get.stdout).not.toContain(named);
    } finally {
      await api.close();
    }
  });
});
