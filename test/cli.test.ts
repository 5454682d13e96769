/**
 * The `nectar-connection` CLI: `main` run in-process against a started mock server (and with
 * `--mock`), then once end to end as the built binary in a child process.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Connection } from "../generated/schema.js";
import { connectionHealth } from "../src/helpers/status.js";
import type { MockServer } from "../src/mock/index.js";
import { runCli as cli, expectOneErrorLine } from "./helpers/cli.js";
import { startCliMock } from "./helpers/cli-mock.js";
import { connections, TEST_API_KEY } from "./helpers/fixtures.js";
import { ensureBuilt } from "./helpers/package.js";
import { recordForRedaction } from "./setup/redaction.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SEED = connections.seed();
const PASSWORD_INCORRECT = connections.passwordIncorrect();
const DEACTIVATED = connections.deactivated();
const CONNECTED: Connection = {
  ...connections.seed(),
  id: "5e0c7a3b-1d2f-4a6b-9c8d-7e6f5a4b3c2d",
  status: "CONNECTED",
  statusErrorDetail: null,
};
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";
const ESC = "\u001b[";
const PASSWORD_INCORRECT_LINK = `https://dash.nectarclimate.com/p/connect/${PASSWORD_INCORRECT.publicCompanyId}/workflow/${encodeURIComponent(PASSWORD_INCORRECT.connectionMagicLinkSecret)}`;

/** What one run of `main` printed and returned. */

/** A 127.0.0.1 port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  return address.port;
}

/** Listening TCP servers of this process, to prove `--mock` closes its server. */
const listeningServers = () =>
  process.getActiveResourcesInfo().filter((name) => name === "TCPServerWrap").length;

/** Waits (up to 1 s) for the count of listening servers to fall back to `count`. */
async function serversBackTo(count: number): Promise<number> {
  for (let waited = 0; listeningServers() !== count && waited < 1_000; waited += 10)
    await sleep(10);
  return listeningServers();
}

let mock: MockServer;
let against: string[];

beforeAll(async () => {
  // The spec's examples as written, Nectar's placeholder one included (the default mock serves
  // a realistic record for its id).
  ({ mock, against } = await startCliMock());
  mock.setConnection(CONNECTED);
});

afterEach(() => {
  mock.reset();
  mock.setConnection(CONNECTED);
});

afterAll(async () => {
  await mock.close();
});

describe("get: the summary", () => {
  it("PASSWORD_INCORRECT: status, group, what to do, times, datasource, company, link", async () => {
    const run = await cli(["get", PASSWORD_INCORRECT.id, ...against]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    const out = run.stdout;
    expect(out).toContain(`Connection ${PASSWORD_INCORRECT.id}\n`);
    expect(out).toMatch(/Status: +PASSWORD_INCORRECT \(needs_user_action\)\n/);
    expect(out).toContain(connectionHealth(PASSWORD_INCORRECT).summary);
    expect(out).toContain("The utility website rejected the username and password.");
    expect(out).toMatch(/Status since: +2024-05-27T06:12:41Z\n/);
    expect(out).toMatch(/Last confirmed: +2024-06-02T06:15:00Z\n/);
    expect(out).toMatch(/Datasource: +Pacific Gas and Electric \(https:\/\/www\.pge\.com\)\n/);
    expect(out).toMatch(/Company: +Acme Facilities\n/);
    expect(out).toMatch(/Accounts: +1\n/);
    expect(out).toMatch(/Country: +US\n/);
    expect(out).toMatch(/Active: +yes\n/);
    expect(out).toMatch(/Update link: +(\S+)\n$/);
    expect(out.match(/Update link: +(\S+)\n$/)?.[1]).toBe(PASSWORD_INCORRECT_LINK);
    expect(
      PASSWORD_INCORRECT_LINK.startsWith(
        "https://dash.nectarclimate.com/p/connect/acme-facilities-7Qk2/workflow/",
      ),
    ).toBe(true);
    expect(out).not.toContain(ESC);
  });

  it("CONNECTED: healthy, nothing to do, no update link", async () => {
    const run = await cli(["get", CONNECTED.id, ...against]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Status: +CONNECTED \(healthy\)\n/);
    expect(run.stdout).toContain("nothing to do");
    expect(run.stdout).toMatch(/Active: +yes\n/);
    expect(run.stdout).not.toContain("Update link");
    expect(run.stdout).not.toContain("/workflow/");
  });

  it("DEACTIVATED: inactive, not active, no update link", async () => {
    const run = await cli(["get", DEACTIVATED.id, ...against]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Status: +DEACTIVATED \(inactive\)\n/);
    expect(run.stdout).toContain(connectionHealth(DEACTIVATED).summary);
    expect(run.stdout).toMatch(
      /Datasource: +Thames Water \(https:\/\/www\.thameswater\.co\.uk\)\n/,
    );
    expect(run.stdout).toMatch(/Company: +Northwind Offices\n/);
    expect(run.stdout).toMatch(/Accounts: +0\n/);
    expect(run.stdout).toMatch(/Country: +GB\n/);
    expect(run.stdout).toMatch(/Active: +no\n/);
    expect(run.stdout).not.toContain("Detail:"); // statusErrorDetail is null
    expect(run.stdout).not.toContain("Update link");
  });

  it("the seed (PENDING): pending, wait, no update link", async () => {
    const run = await cli(["get", SEED.id, ...against]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Status: +PENDING \(pending\)\n/);
    expect(run.stdout).toMatch(/Country: +AF\n/);
    expect(run.stdout).not.toContain("Update link");
  });

  it("takes the key from NECTAR_API_KEY, and an upper-case id", async () => {
    const run = await cli(["get", PASSWORD_INCORRECT.id.toUpperCase(), "--base-url", mock.url], {
      env: { NECTAR_API_KEY: TEST_API_KEY },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("PASSWORD_INCORRECT");
  });

  it("shows control characters a server sends escaped, so they cannot drive the terminal", async () => {
    mock.setConnection({
      ...CONNECTED,
      company: { ...CONNECTED.company, name: "Evil\u001b[2J Co" },
    });
    const run = await cli(["get", CONNECTED.id, ...against]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Company: +Evil\\u001b\[2J Co\n/);
    expect(run.stdout).not.toContain("\u001b");
  });
});

describe("get --json and link", () => {
  it.each([
    ["ConnectionSeed", SEED],
    ["ConnectionPasswordIncorrect", PASSWORD_INCORRECT],
    ["ConnectionDeactivated", DEACTIVATED],
  ])("--json prints %s as the spec's example, 2-space indented", async (_name, example) => {
    const run = await cli(["get", example.id, "--json", ...against], { isTTY: true });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual(example);
    expect(run.stdout).toBe(`${JSON.stringify(example, null, 2)}\n`);
    expect(run.stdout).not.toContain(ESC);
  });

  it("link prints only the update link, one line, never coloured", async () => {
    const run = await cli(["link", PASSWORD_INCORRECT.id, ...against], { isTTY: true });
    expect(run).toEqual({ code: 0, stdout: `${PASSWORD_INCORRECT_LINK}\n`, stderr: "" });
  });

  it("link refuses the seed's placeholder record (<string> pieces): exit 3, no URL", async () => {
    const run = await cli(["link", SEED.id, ...against]);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("documentation placeholder");
    expectOneErrorLine(run);
  });
});

describe("--mock", () => {
  it("get works with no key and no server, and closes its mock", async () => {
    const before = listeningServers();
    const run = await cli(["get", PASSWORD_INCORRECT.id, "--mock"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain("PASSWORD_INCORRECT (needs_user_action)");
    expect(run.stdout).toContain(PASSWORD_INCORRECT_LINK);
    expect(await serversBackTo(before)).toBe(before);
  });

  it("ignores NECTAR_API_KEY, and closes its mock on a failure too", async () => {
    const before = listeningServers();
    const ok = await cli(["link", PASSWORD_INCORRECT.id, "--mock"], {
      env: { NECTAR_API_KEY: TEST_API_KEY },
    });
    expect(ok).toEqual({ code: 0, stdout: `${PASSWORD_INCORRECT_LINK}\n`, stderr: "" });
    const missing = await cli(["get", UNKNOWN_ID, "--mock"]);
    expect(missing.code).toBe(3);
    expectOneErrorLine(missing);
    expect(await serversBackTo(before)).toBe(before);
  });

  it("refuses --base-url and --api-key beside --mock", async () => {
    for (const extra of [
      ["--base-url", mock.url],
      ["--api-key", TEST_API_KEY],
    ]) {
      const run = await cli(["get", SEED.id, "--mock", ...extra]);
      expect(run.code).toBe(2);
      expectOneErrorLine(run);
    }
  });
});

describe("NECTAR_BASE_URL", () => {
  it("is where the API is when --base-url is not given", async () => {
    const run = await cli(["get", CONNECTED.id], {
      env: { NECTAR_API_KEY: TEST_API_KEY, NECTAR_BASE_URL: mock.url },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Connection ${CONNECTED.id}\n`);
    expect(mock.stats.requests).toBe(1);
  });

  it("gives way to --base-url, and to --mock, without a word", async () => {
    const env = {
      NECTAR_API_KEY: TEST_API_KEY,
      NECTAR_BASE_URL: `http://127.0.0.1:${await closedPort()}/v2.2`,
    };
    const given = await cli(["get", CONNECTED.id, "--base-url", mock.url], { env });
    expect(given.code).toBe(0);
    expect(given.stderr).toBe("");
    const mocked = await cli(["get", PASSWORD_INCORRECT.id, "--mock"], {
      env: { NECTAR_BASE_URL: "http://api.example/v2.2" },
    });
    expect(mocked.code).toBe(0);
    expect(mocked.stderr).toBe("");
  });

  it("counts as unset when empty", async () => {
    const run = await cli(["get", CONNECTED.id, "--base-url", mock.url], {
      env: { NECTAR_API_KEY: TEST_API_KEY, NECTAR_BASE_URL: "" },
    });
    expect(run.code).toBe(0);
    const noKey = await cli(["get", CONNECTED.id], { env: { NECTAR_BASE_URL: "" } });
    expect(noKey.stderr).toContain("no API key");
  });

  it.each([
    [
      "http://api.example/v2.2",
      "NECTAR_BASE_URL must use https (http is allowed only for localhost), got http://api.example",
    ],
    [
      "ftp://api.example",
      "NECTAR_BASE_URL must use https (http is allowed only for localhost), got a URL of another scheme",
    ],
    ["not a url", "NECTAR_BASE_URL must be an absolute URL"],
  ])("%s is refused as --base-url would be (exit 2), nothing sent", async (value, message) => {
    const run = await cli(["get", CONNECTED.id], {
      env: { NECTAR_API_KEY: TEST_API_KEY, NECTAR_BASE_URL: value },
    });
    expect(run.code).toBe(2);
    expectOneErrorLine(run);
    expect(run.stderr).toContain(message);
    const option = await cli(["get", CONNECTED.id, "--base-url", value], {
      env: { NECTAR_API_KEY: TEST_API_KEY },
    });
    expect(option.code).toBe(2);
    expect(option.stderr).toContain(message.replace("NECTAR_BASE_URL", "--base-url"));
    expect(mock.stats.requests).toBe(0);
  });

  it("is listed in the program's help", async () => {
    const run = await cli(["--help"]);
    expect(run.stdout).toContain("NECTAR_BASE_URL  the API base URL");
    expect(run.stdout).toContain("NECTAR_API_KEY   the API key");
  });
});

describe("exit codes and error lines", () => {
  it("3: an unknown id is a 404", async () => {
    const run = await cli(["get", UNKNOWN_ID, ...against]);
    expect(run.code).toBe(3);
    expect(run.stderr).toBe(
      `nectar-connection: GET /connection/${UNKNOWN_ID} failed with status 404: Not found.\n`,
    );
    expectOneErrorLine(run);
  });

  it("3: a wrong key is a 401, with a hint and without the key", async () => {
    const wrongKey = `${TEST_API_KEY}-wrong`;
    const run = await cli(["link", SEED.id, "--base-url", mock.url, "--api-key", wrongKey]);
    expect(run.code).toBe(3);
    expectOneErrorLine(run);
    expect(run.stderr).toContain("failed with status 401: Invalid API key.");
    expect(run.stderr).toContain("NECTAR_API_KEY");
  });

  it("3: a 2xx body that is not JSON", async () => {
    mock.script(SEED.id, [{ kind: "invalid-json" }]);
    const run = await cli(["get", SEED.id, ...against]);
    expect(run.code).toBe(3);
    expectOneErrorLine(run);
    expect(run.stderr).toContain("is not valid JSON");
  });

  it("4: nothing listens at --base-url", async () => {
    const port = await closedPort();
    const run = await cli([
      "get",
      SEED.id,
      "--base-url",
      `http://127.0.0.1:${port}/v2.2`,
      "--api-key",
      TEST_API_KEY,
    ]);
    expect(run.code).toBe(4);
    expectOneErrorLine(run);
    expect(run.stderr).toContain("ECONNREFUSED");
  });

  it("4: --timeout elapses", async () => {
    mock.script(SEED.id, [{ kind: "hang" }, { kind: "hang" }, { kind: "hang" }]);
    const run = await cli(["get", SEED.id, ...against, "--timeout", "100"]);
    expect(run.code).toBe(4);
    expectOneErrorLine(run);
    expect(run.stderr).toContain("timed out after 100 ms");
  });

  it.each([
    ["a missing key", ["get", SEED.id], /no API key/],
    ["an empty key", ["get", SEED.id, "--api-key="], /no API key/],
    ["a bad id", ["get", "not-a-uuid", "--api-key", TEST_API_KEY], /must be a UUID/],
    ["a missing id", ["link", "--mock"], /needs a connection id/],
    ["two ids", ["get", SEED.id, SEED.id, "--mock"], /one connection id/],
    ["an unknown command", ["frobnicate", SEED.id], /unknown command "frobnicate"/],
    ["no command", [], /missing command/],
    ["an unknown option", ["get", SEED.id, "--mock", "--verbose"], /unknown option "--verbose"/],
    ["an unknown short option", ["get", SEED.id, "--mock", "-x"], /unknown option "-x"/],
    [
      "an option of another command",
      ["link", SEED.id, "--mock", "--json"],
      /takes no option --json/,
    ],
    ["a missing option value", ["get", SEED.id, "--base-url"], /--base-url needs a value/],
    ["a value for a flag", ["get", SEED.id, "--mock=yes"], /--mock takes no value/],
    ["a bad timeout", ["get", SEED.id, "--mock", "--timeout", "soon"], /--timeout must be/],
    [
      "a non-https base URL",
      ["get", SEED.id, "--api-key", "k", "--base-url", "http://x.example"],
      /https/,
    ],
  ])("2: %s", async (_what, argv, message) => {
    const run = await cli(argv);
    expect(run.code).toBe(2);
    expectOneErrorLine(run);
    expect(run.stderr).toMatch(message);
    // The command's own help when there is a command, else the program's.
    const command = ["get", "link"].includes(argv[0] ?? "") ? `${argv[0]} ` : "";
    expect(run.stderr).toMatch(new RegExp(`\\(see: nectar-connection ${command}--help\\)\\n$`));
  });

  it("masks the key should it reach a message (here through the base URL's host)", async () => {
    const run = await cli([
      "get",
      SEED.id,
      "--api-key",
      TEST_API_KEY,
      "--base-url",
      `http://${TEST_API_KEY}.example/v2.2`,
    ]);
    expect(run.code).toBe(2);
    expectOneErrorLine(run);
    expect(run.stderr).toContain("http://[redacted].example");
  });

  it("never quotes a long unknown word: it might be a key", async () => {
    const run = await cli([TEST_API_KEY], { env: {} });
    expect(run.code).toBe(2);
    expectOneErrorLine(run);
    expect(run.stderr).toContain("an unknown command (not shown)");
  });
});

describe("colour", () => {
  it("colours the status when stdout is a terminal", async () => {
    const run = await cli(["get", PASSWORD_INCORRECT.id, ...against], { isTTY: true });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${ESC}1;31mPASSWORD_INCORRECT${ESC}0m`);
  });

  it.each([
    ["stdout is not a terminal", false, {}],
    ["NO_COLOR is set", true, { NO_COLOR: "1" }],
    ["TERM is dumb", true, { TERM: "dumb" }],
  ])("no colour when %s", async (_when, isTTY, env: Record<string, string>) => {
    const run = await cli(["get", PASSWORD_INCORRECT.id, ...against], { isTTY, env });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("PASSWORD_INCORRECT (needs_user_action)");
    expect(run.stdout).not.toContain(ESC);
  });

  it("an empty NO_COLOR leaves colour on (no-color.org: only a non-empty value counts)", async () => {
    const run = await cli(["get", PASSWORD_INCORRECT.id, ...against], {
      isTTY: true,
      env: { NO_COLOR: "" },
    });
    expect(run.stdout).toContain(`${ESC}1;31mPASSWORD_INCORRECT${ESC}0m`);
  });
});

describe("--help and --version", () => {
  it.each([
    [["--help"], "Usage: nectar-connection <command>"],
    [["-h"], "Usage: nectar-connection <command>"],
    [["help"], "Usage: nectar-connection <command>"],
    [["get", "--help"], "Usage: nectar-connection get <id>"],
    [["get", SEED.id, "--bogus", "-h"], "Usage: nectar-connection get <id>"],
    [["help", "get"], "Usage: nectar-connection get <id>"],
    [["link", "--help"], "Usage: nectar-connection link <id>"],
    [["link", "-h"], "Usage: nectar-connection link <id>"],
  ])("%j prints usage and exits 0", async (argv, usage) => {
    const run = await cli(argv);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout.startsWith(usage)).toBe(true);
    expect(run.stdout).toContain(
      "Exit codes: 0 ok, 1 unexpected failure, 2 usage, 3 API error, 4 network or timeout",
    );
  });

  it("get's help lists --json; link's does not", async () => {
    expect((await cli(["get", "--help"])).stdout).toContain("--json");
    expect((await cli(["link", "--help"])).stdout).not.toContain("--json");
  });

  it("--help on an unknown command is a usage error", async () => {
    const run = await cli(["frobnicate", "--help"]);
    expect(run.code).toBe(2);
    expectOneErrorLine(run);
  });

  it("--version prints package.json's version", async () => {
    const { version } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
      version: string;
    };
    expect(await cli(["--version"])).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
  });
});

describe("the built binary", () => {
  it("node dist/cli/index.js get <seed> --mock prints the summary, exits 0 by itself", async () => {
    await ensureBuilt();
    const env: NodeJS.ProcessEnv = {};
    for (const [name, value] of Object.entries(process.env)) {
      if (name !== "NECTAR_API_KEY" && !/^npm_/i.test(name)) env[name] = value;
    }
    const child = spawn(process.execPath, ["dist/cli/index.js", "get", SEED.id, "--mock"], {
      cwd: root,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    // The process must end on its own: a mock server or socket left open would keep it alive.
    const ended = await new Promise<{ code: number | null; signal: string | null }>(
      (resolve, reject) => {
        const timer = setTimeout(() => {
          child.kill("SIGKILL");
          reject(new Error(`the CLI did not exit within 15 s; stderr: ${stderr}`));
        }, 15_000);
        child.once("error", reject);
        child.once("close", (code, signal) => {
          clearTimeout(timer);
          resolve({ code, signal });
        });
      },
    );
    recordForRedaction(stderr);
    expect(stderr).toBe("");
    expect(ended).toEqual({ code: 0, signal: null });
    expect(child.exitCode).toBe(0);
    expect(stdout).toContain(`Connection ${SEED.id}\n`);
    expect(stdout).toMatch(/Status: +PENDING \(pending\)\n/);
    expect(stdout).toMatch(/Last confirmed: +2023-11-07T05:31:56Z\n/);
    expect(stdout).not.toContain("Update link");
    expect(stdout).not.toContain(ESC);
  });
});
