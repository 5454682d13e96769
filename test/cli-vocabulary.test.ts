/**
 * One vocabulary in the CLI (issue 21, items 1, 2 and 7): every duration flag goes through one
 * parser (units; a bare number is milliseconds everywhere; a floor that turns a wrong unit into
 * a usage error saying what to write), `watch --timeout` is per attempt and `--deadline` the
 * overall limit, `-` is standard input, and messages speak the CLI's words and point to the
 * command's own help. `main` runs in-process against a started mock (real sockets), and the
 * built binary where only a process shows it (a piped standard input).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { COMMANDS } from "../src/cli/commands/index.js";
import {
  BARE_NUMBER_NOTE,
  DURATION_RULES,
  type DurationFlag,
  parseDuration,
} from "../src/cli/duration.js";
import { messageOf } from "../src/cli/io.js";
import { CLI_WORDS, inCliWords } from "../src/cli/words.js";
import { createNectarClient } from "../src/index.js";
import { type MockServer, startMockServer } from "../src/mock/index.js";
import { verifyWebhook } from "../src/webhooks/verify.js";
import { runCli as cli, expectOneErrorLine, killChildren, spawnCli } from "./helpers/cli.js";
import { connections, TEST_API_KEY, TEST_WEBHOOK_SECRET } from "./helpers/fixtures.js";
import { ensureBuilt } from "./helpers/package.js";

const PASSWORD_INCORRECT = connections.passwordIncorrect();
const ID = PASSWORD_INCORRECT.id;
const OTHER = connections.seed().id;
const INVITATION_ID = "5b0e8f3a-9c2d-4e71-8a6b-2f4d1c7e9a30";
const COMPANY_ID = "2b7e4c1a-9d3f-4a6b-8c5e-1f0a9b8c7d6e";

let mock: MockServer;
let against: string[];

beforeAll(async () => {
  mock = await startMockServer({ apiKey: TEST_API_KEY });
  against = ["--base-url", mock.url, "--api-key", TEST_API_KEY];
});
afterEach(() => {
  mock.reset();
  killChildren();
});
afterAll(() => mock.close());

/** Standard input holding `text`, as the bin's would. */
const stdinOf = (text: string) =>
  async function* () {
    yield text;
  };

describe("parseDuration: one parser, a bare number is milliseconds", () => {
  it.each([
    ["250", 250],
    ["250ms", 250],
    ["30s", 30_000],
    ["1.5s", 1_500],
    ["10m", 600_000],
    ["2h", 7_200_000],
    ["1.5h", 5_400_000],
    ["1d", 86_400_000],
  ])("--timeout %s is %i ms", (value, ms) => {
    expect(parseDuration(value, "timeout")).toBe(ms);
  });

  it.each(["", "soon", "30 s", "1w", "-5s", "1e3", "1.2345s", " 30s", "30S"])(
    "%j is not a duration",
    (value) => {
      expect(() => parseDuration(value, "deadline")).toThrow(
        `--deadline must be a duration such as 500ms, 30s, 5m, 2h or 7d (${BARE_NUMBER_NOTE})`,
      );
    },
  );

  it.each<[DurationFlag, string, string]>([
    [
      "expires",
      "3600",
      "--expires 3600 is 3.6 seconds; Nectar's minimum is 60s: write 3600s or 1h",
    ],
    ["interval", "30", "--interval 30 is 30 milliseconds; the shortest pause is 1s: write 30s"],
    ["timeout", "30", "--timeout 30 is 30 milliseconds; the shortest attempt is 100ms: write 30s"],
    [
      "deadline",
      "600",
      "--deadline 600 is 600 milliseconds; the shortest deadline is 1s: write 600s or 10m",
    ],
    [
      "webhook-retry",
      "5",
      "--webhook-retry 5 is 5 milliseconds; the shortest wait is 100ms: write 5s",
    ],
    [
      "tolerance",
      "300",
      "--tolerance 300 is 300 milliseconds; it must be whole seconds: write 300s or 5m",
    ],
    ["expires", "59s", "--expires 59s is 59 seconds; Nectar's minimum is 60s"],
    ["timeout", "0", "--timeout 0 is 0 milliseconds; the shortest attempt is 100ms"],
    ["latency", "2m", "--latency 2m is 2 minutes; the longest is 1m"],
    ["deadline", "31d", "--deadline 31d is 31 days; the longest is 30d"],
  ])("--%s %s: a wrong unit says what it means and what to write", (flag, value, message) => {
    expect(() => parseDuration(value, flag)).toThrow(message);
  });

  it("keeps each flag's floor: the floor itself is accepted", () => {
    for (const [flag, rule] of Object.entries(DURATION_RULES)) {
      expect(parseDuration(`${rule.min}ms`, flag as DurationFlag), flag).toBe(rule.min);
      expect(parseDuration(`${rule.max}ms`, flag as DurationFlag), flag).toBe(rule.max);
    }
  });
});

/** A command line that reaches the parsing of `--flag` in each command that has it. */
const LINES: Readonly<Record<string, readonly string[]>> = {
  get: ["get", ID, "--mock"],
  link: ["link", ID, "--mock"],
  list: ["list", COMPANY_ID, "--mock"],
  check: ["check", ID, "--mock", "--invite", "--yes"],
  watch: ["watch", ID, "--mock"],
  invite: ["invite", ID, "--mock"],
  invitation: ["invitation", INVITATION_ID, "--mock"],
  revoke: ["revoke", INVITATION_ID, "--mock"],
  doctor: ["doctor", "--mock"],
  mock: ["mock", "--webhook-url", "http://127.0.0.1:9/", "--webhook-secret-env", "S"],
  webhook: ["webhook", "verify", "--secret-env", "S"],
};

/** Every (command, duration flag) pair of the CLI, from the commands' own option lists. */
const DURATION_FLAGS = COMMANDS.flatMap((command) =>
  Object.keys(command.options)
    .filter((name) => Object.hasOwn(DURATION_RULES, name))
    .map((name) => [command.name, name] as const),
);

describe("every duration flag of every command goes through the one parser", () => {
  it("finds the duration flags in the commands (--timeout in nine, --deadline, --interval, ...)", () => {
    const flags = new Set(DURATION_FLAGS.map(([, flag]) => flag));
    expect([...flags].sort()).toEqual(Object.keys(DURATION_RULES).sort());
    expect(DURATION_FLAGS.filter(([, flag]) => flag === "timeout")).toHaveLength(9);
    // A help line with a <time> (or <waits>) placeholder names a flag of the parser.
    for (const command of COMMANDS) {
      for (const [, flag] of command.help.matchAll(/--([a-z-]+) <(?:time|waits)>/g)) {
        expect(Object.hasOwn(DURATION_RULES, flag ?? ""), `${command.name} --${flag}`).toBe(true);
      }
    }
  });

  it.each(DURATION_FLAGS)(
    "%s --%s: units, and one line for a non-duration",
    async (command, flag) => {
      const line = LINES[command] ?? [];
      const run = await cli([...line, `--${flag}`, "soon"], { env: { S: TEST_WEBHOOK_SECRET } });
      expect(run.code).toBe(2);
      expectOneErrorLine(run);
      expect(run.stderr).toBe(
        `nectar-connection: --${flag} must be a duration such as 500ms, 30s, 5m, 2h or 7d (a bare number is milliseconds) (see: nectar-connection ${command} --help)\n`,
      );
    },
  );

  it("says in every help with a duration flag, and in the program's, what a bare number is", async () => {
    for (const command of new Set(DURATION_FLAGS.map(([name]) => name))) {
      const help = (await cli([command, "--help"])).stdout;
      expect(help.replace(/\s+/g, " "), command).toContain(BARE_NUMBER_NOTE);
    }
    expect((await cli(["--help"])).stdout).toContain(
      "Durations (--timeout, --deadline, --interval, --expires, ...) take units: 500ms, 30s, 10m,\n2h, 7d; a bare number is milliseconds.",
    );
  });

  it("sends the parsed value: invite --expires 90m asks Nectar for 5400 seconds", async () => {
    const run = await cli(["invite", ID, ...against, "--expires", "1.5h", "--json"]);
    expect(run.code).toBe(0);
    const created = JSON.parse(run.stdout) as { createdAt: string; expiresAt: string };
    expect(Date.parse(created.expiresAt) - Date.parse(created.createdAt)).toBe(5_400_000);
  });

  it("mock --latency takes units (200ms), and refuses past a minute", async () => {
    const run = await cli(["mock", "--latency", "61s"]);
    expect(run.stderr).toContain("--latency 61s is 1.017 minutes; the longest is 1m");
    expect(run.code).toBe(2);
  });
});

describe("watch: --timeout per attempt, --deadline overall", () => {
  const warning =
    "nectar-connection: warning: watch --timeout is now the limit of each poll, as in every command; the overall limit is --deadline\n";

  it("applies --timeout to each poll: a hung poll is cut at 200 ms and the next one answers", async () => {
    mock.script(ID, [{ kind: "hang" }]);
    const run = await cli([
      "watch",
      ID,
      "--until",
      "needs_user_action",
      "--timeout",
      "200ms",
      "--deadline",
      "20s",
      ...against,
    ]);
    // Without a per-attempt limit, the hung poll would hold the wait past its deadline (exit 5).
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("PASSWORD_INCORRECT (needs_user_action)");
    expect(run.stderr).not.toContain("warning");
    expect(mock.stats.requests).toBeGreaterThanOrEqual(2);
  });

  it.each([
    [["--timeout", "2m"], true],
    [["--timeout", "3600"], true], // a bare number: watch read it as seconds before --deadline
    [["--timeout", "5s"], false],
    [["--timeout", "2m", "--deadline", "1h"], false],
    [["--deadline", "1h"], false],
  ])("%j warns that --timeout moved: %s", async (extra, warns) => {
    const run = await cli(["watch", ID, "--until", "needs_user_action", ...extra, ...against]);
    expect(run.code).toBe(0);
    expect(run.stderr.split(warning).length - 1).toBe(warns ? 1 : 0);
  });

  it("names --deadline, not deadlineMs, when it runs out (exit 5)", async () => {
    const run = await cli(["watch", ID, "--interval", "1s", "--deadline", "1s", ...against]);
    expect(run.code).toBe(5);
    expect(run.stderr).toMatch(
      /^nectar-connection: not healthy within --deadline 1s \(\d+ polls?, last status PASSWORD_INCORRECT\)\n$/,
    );
  });
});

describe("- is standard input", () => {
  it("check - reads the ids from standard input, as --file - does", async () => {
    for (const dash of [["-"], ["--file", "-"]]) {
      mock.reset();
      const run = await cli(["check", ...dash, OTHER, "--json", ...against], {
        stdin: stdinOf(`${ID}\n# a comment\n${ID}\n`),
      });
      expect(run.code, dash.join(" ")).toBe(0);
      const ids = run.stdout
        .trim()
        .split("\n")
        .map((line) => (JSON.parse(line) as { id: string }).id);
      expect(ids.sort()).toEqual([ID, OTHER].sort());
      expect(mock.stats.requests).toBe(2);
    }
  });

  it.each([
    [["-", "--file", "-"], "standard input can be read once: give - once (or --file -, not both)"],
    [["-", "-"], "standard input can be read once: give - once (or --file -, not both)"],
    [
      ["-", "--file", "ids.txt"],
      "- reads the ids from standard input: give it or --file <path>, not both",
    ],
  ])("%j is one usage error, nothing sent", async (extra, message) => {
    const run = await cli(["check", ...extra, ...against], { stdin: stdinOf(`${ID}\n`) });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `nectar-connection: ${message} (see: nectar-connection check --help)\n`,
    );
    expect(mock.stats.requests).toBe(0);
  });

  it("refuses to wait on a terminal: check - and webhook verify, one line each", async () => {
    const tty = { stdin: stdinOf(""), stdinIsTTY: true, env: { S: TEST_WEBHOOK_SECRET } };
    for (const argv of [
      ["check", "-", ...against],
      ["check", "--file", "-", ...against],
    ]) {
      const run = await cli(argv, tty);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(
        "nectar-connection: standard input is a terminal, not ids: pipe the ids in (cat ids.txt | nectar-connection check -) or give --file <path> (see: nectar-connection check --help)\n",
      );
    }
    const verify = await cli(["webhook", "verify", "--secret-env", "S"], tty);
    expect(verify.code).toBe(2);
    expect(verify.stderr).toBe(
      "nectar-connection: standard input is a terminal, not the body: redirect the saved body to it (< body.json) (see: nectar-connection webhook --help)\n",
    );
    expect(mock.stats.requests).toBe(0);
  });

  it("the built binary reads check - from a pipe", async () => {
    await ensureBuilt();
    const child = spawnCli(["check", "-", "--json", ...against]);
    child.child.stdin.end(`${ID}\n`);
    const exit = await child.exit;
    expect(exit.code).toBe(0);
    expect((JSON.parse(child.stdout()) as { id: string }).id).toBe(ID);
  });
});

describe("messages in the CLI's words", () => {
  it.each(Object.entries(CLI_WORDS))("%s is said %s", (name, word) => {
    expect(inCliWords(`${name} must be right, got 0.`)).toBe(`${word} must be right, got 0.`);
    expect(inCliWords(`startMockServer ${name}[2] must be right.`)).toBe(`${word} must be right.`);
    // Only the whole name: a longer identifier, or one inside a word, stays as it is.
    expect(inCliWords(`x${name} and ${name}X`)).toBe(`x${name} and ${name}X`);
  });

  /** The error a library call throws (sync or async). */
  async function refusal(call: () => unknown): Promise<unknown> {
    try {
      await call();
    } catch (error) {
      return error;
    }
    throw new Error("the call was not refused");
  }

  it("turns each option the CLI passes, as the library refuses it, into its flag", async () => {
    const client = createNectarClient({ apiKey: TEST_API_KEY, baseUrl: mock.url });
    const cases: [() => unknown, string, string][] = [
      [
        () => createNectarClient({ apiKey: "k", baseUrl: "http://x.example" }),
        "baseUrl",
        "--base-url",
      ],
      [() => createNectarClient({ apiKey: "k", timeoutMs: 0 }), "timeoutMs", "--timeout"],
      [
        () => createNectarClient({ apiKey: "k\n" }),
        "apiKey",
        "the API key (--api-key or NECTAR_API_KEY)",
      ],
      [() => client.connections.waitFor(ID, { intervalMs: 0 }), "intervalMs", "--interval"],
      [() => client.connections.waitFor(ID, { deadlineMs: -1 }), "deadlineMs", "--deadline"],
      [() => client.connections.waitFor(ID, { until: [] }), "until", "--until"],
      [
        () => client.invitations.createReconnect(ID, { expiresInSeconds: 5 }),
        "expiresInSeconds",
        "--expires",
      ],
      [() => client.invitations.createReconnect(ID, { maxUses: 0 }), "maxUses", "--max-uses"],
      [() => client.invitations.createReconnect("nope"), "connectionId", "the connection id"],
      [() => client.invitations.retrieve("nope"), "invitationId", "the invitation id"],
      [() => client.connections.list("nope").toArray(), "companyId", "--company"],
      [
        () => client.connections.list(COMPANY_ID, { connectionOwnerEmail: 5 as never }),
        "connectionOwnerEmail",
        "--owner",
      ],
      [() => client.connections.list(COMPANY_ID, { sites: ["x"] }), "sites", "--site"],
      [() => startMockServer({ latencyMs: -1 }), "latencyMs", "--latency"],
      [
        () => startMockServer({ webhooks: { url: "ftp://x", secret: TEST_WEBHOOK_SECRET } }),
        "webhooks.url",
        "--webhook-url",
      ],
      [
        () => startMockServer({ webhooks: { url: "http://127.0.0.1:9/", secret: "nope" } }),
        "webhooks.secret",
        "the webhook secret",
      ],
      [
        () =>
          startMockServer({
            webhooks: {
              url: "http://127.0.0.1:9/",
              secret: TEST_WEBHOOK_SECRET,
              retryScheduleMs: [-1],
            },
          }),
        "webhooks.retryScheduleMs",
        "--webhook-retry",
      ],
      [
        () => verifyWebhook("{}", {}, TEST_WEBHOOK_SECRET, { toleranceSeconds: -1 }),
        "toleranceSeconds",
        "--tolerance",
      ],
    ];
    for (const [call, name, word] of cases) {
      const error = await refusal(call);
      expect((error as Error).message, name).toContain(name);
      const line = messageOf(error);
      expect(line, name).toContain(word);
      expect(line, name).not.toMatch(
        new RegExp(`(?<![\\w.-])${name.replace(".", "\\.")}(?![\\w-])`),
      );
    }
    expect(mock.stats.requests).toBe(0);
  });

  it("starts every option's description in one column of its command's help, within 100 characters", async () => {
    for (const command of COMMANDS) {
      const help = (await cli([command.name, "--help"])).stdout;
      const options = help.split("\n").filter((line) => line.startsWith("  -"));
      const columns = new Set(
        options.map((line) => /^ {2}-\S+(?: --\S+)?(?: <[^>]+>)? +/.exec(line)?.[0].length),
      );
      expect([...columns], command.name).toHaveLength(1);
      const width = Math.max(...options.map((line) => line.length));
      expect(width, command.name).toBeLessThanOrEqual(100);
    }
  });

  it("points every usage error to its command's help, else the program's", async () => {
    for (const command of COMMANDS) {
      const run = await cli([command.name, "--no-such-option"]);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(
        `nectar-connection: unknown option "--no-such-option" (see: nectar-connection ${command.name} --help)\n`,
      );
    }
    for (const argv of [["frobnicate"], [], ["help", "frobnicate"], ["--no-such-option"]]) {
      const run = await cli(argv);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/\(see: nectar-connection --help\)\n$/);
    }
  });
});
