/**
 * `nectar-connection check` and `watch`: `main` run in-process against a started mock (with a
 * generated fleet), with injected standard input, terminal flags, clock and interrupt signal.
 * What only the built binary shows (a pseudo-terminal, SIGINT, a file it may not read) is in
 * cli-fleet-process.test.ts, so that Stryker's mutants of check.ts reach every test here.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RowGroup } from "../src/cli/check-row.js";
import { exitOf } from "../src/cli/commands/check.js";
import { csvField } from "../src/cli/formats/csv.js";
import { progressText } from "../src/cli/progress.js";
import type { HealthGroup } from "../src/helpers/status.js";
import type { MockServer } from "../src/mock/index.js";
import { runCli as cli } from "./helpers/cli.js";
import { startCliMock } from "./helpers/cli-mock.js";
import { connections } from "./helpers/fixtures.js";

const PASSWORD_INCORRECT = connections.passwordIncorrect();
const DEACTIVATED = connections.deactivated();
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";
const SECRET = PASSWORD_INCORRECT.connectionMagicLinkSecret;

let mock: MockServer;
let against: string[];
/** Fleet ids (the three examples come first in `mock.ids`). */
let fleet: string[];

beforeAll(async () => {
  ({ mock, against, fleet } = await startCliMock({ size: 40, seed: 4 }));
});
afterEach(() => mock.reset());
afterAll(() => mock.close());

/** The NDJSON lines of a run, parsed. */
const jsonLines = (out: string) =>
  out
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe("check: formats", () => {
  it("prints a table with the connections needing action first, then a summary, and exits 0", async () => {
    const run = await cli(["check", ...mock.ids, ...against]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ID +STATUS +GROUP +SINCE +WHAT TO DO$/);
    const rows = lines.slice(1, 1 + mock.ids.length);
    const groups = rows.map((line) => line.split(/ {2,}/)[2]);
    expect(groups[0]).toBe("needs_user_action");
    expect(groups.at(-1)).toBe("healthy");
    const order = [
      "needs_user_action",
      "provider_issue",
      "unknown",
      "pending",
      "inactive",
      "healthy",
    ];
    const ranks = groups.map((g) => order.indexOf(g ?? ""));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(lines.at(-1)).toMatch(/^\d+ needs_user_action · .* healthy \(43 checked\)$/);
    expect(run.stdout).not.toContain(SECRET);
  });

  it("--json prints one object per id, with no secret", async () => {
    const run = await cli(["check", ...mock.ids, "--json", ...against]);
    expect(run.code).toBe(0);
    const objects = jsonLines(run.stdout);
    expect(objects).toHaveLength(43);
    expect(new Set(objects.map((o) => o.id))).toEqual(new Set(mock.ids));
    const first = objects.find((o) => o.id === PASSWORD_INCORRECT.id);
    expect(first).toMatchObject({
      ok: true,
      status: "PASSWORD_INCORRECT",
      group: "needs_user_action",
      needsUserAction: true,
      since: "2024-05-27T06:12:41Z",
      company: "Acme Facilities",
    });
    expect(first).not.toHaveProperty("link");
    expect(run.stdout).not.toContain(SECRET);
  });

  it("--links adds the update link to the connections whose user must act, and to no other", async () => {
    const run = await cli([
      "check",
      PASSWORD_INCORRECT.id,
      DEACTIVATED.id,
      "--json",
      "--links",
      ...against,
    ]);
    const byId = new Map(jsonLines(run.stdout).map((o) => [o.id, o]));
    expect(String(byId.get(PASSWORD_INCORRECT.id)?.link)).toContain(encodeURIComponent(SECRET));
    expect(byId.get(DEACTIVATED.id)?.link).toBeNull();
    const table = await cli(["check", PASSWORD_INCORRECT.id, "--links", ...against]);
    expect(table.stdout.split("\n")[0]).toMatch(/WHAT TO DO +LINK$/);
    expect(table.stdout).toContain("/workflow/");
  });

  it("--csv prints a header and one row per id", async () => {
    const run = await cli([
      "check",
      ...fleet.slice(0, 5),
      PASSWORD_INCORRECT.id,
      "--csv",
      ...against,
    ]);
    expect(run.code).toBe(0);
    const lines = run.stdout.split("\r\n");
    expect(lines[0]).toBe(
      "id,ok,status,group,needsUserAction,since,lastConfirmed,action,datasource,company,externalId,error,errorName,errorStatus",
    );
    expect(lines).toHaveLength(8); // header, 6 rows, and the empty string after the last CRLF
    const row = lines.find((line) => line.startsWith(PASSWORD_INCORRECT.id));
    expect(row).toBe(
      `${PASSWORD_INCORRECT.id},true,PASSWORD_INCORRECT,needs_user_action,true,2024-05-27T06:12:41Z,2024-06-02T06:15:00Z,send the user a reconnect invitation (else the update link),Pacific Gas and Electric,Acme Facilities,crm-connection-4471,,,`,
    );
  });

  it("quotes CSV fields that need it and defuses spreadsheet formulas", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField('a "b", c')).toBe('"a ""b"", c"');
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvField("two\nlines")).toBe('"two\nlines"');
  });
});

describe("check: where the ids come from", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "nectar-check-"));

  it("--file reads one id per line with comments and blanks, and reports a bad line by number only", async () => {
    const file = path.join(dir, "ids.txt");
    const pasted = "sk_live_not_an_id_but_a_secret";
    writeFileSync(file, `# my fleet\n${fleet[0]}\n\n${pasted}\n${fleet[1]}  # acme\n${fleet[0]}\n`);
    const run = await cli(["check", "--file", file, "--json", ...against]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "nectar-connection: line 4 is not a connection id (its content is not shown); skipped\n",
    );
    expect(run.stderr + run.stdout).not.toContain(pasted);
    expect(
      jsonLines(run.stdout)
        .map((o) => o.id)
        .sort(),
    ).toEqual([fleet[0], fleet[1]].sort());
  });

  it("--file reads a file saved on Windows: CRLF line ends with # comments and blank lines", async () => {
    const file = path.join(dir, "windows.txt");
    writeFileSync(
      file,
      `# my fleet\r\n${fleet[0]}\r\n\r\n${fleet[1]}  # acme\r\n${fleet[2]}#no space\r\n  \r\n${fleet[3]}`,
    );
    const run = await cli(["check", "--file", file, "--json", ...against]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(
      jsonLines(run.stdout)
        .map((o) => o.id)
        .sort(),
    ).toEqual(fleet.slice(0, 4).sort());
  });

  it("--file naming a directory, or a path through a file, is a usage error naming the path", async () => {
    const file = path.join(dir, "plain.txt");
    writeFileSync(file, `${fleet[0]}\n`);
    const cases = [
      [dir, `--file "${dir}" is a directory`],
      [
        path.join(file, "ids.txt"),
        `--file "${file}/ids.txt" does not exist (a part of its path is not a folder)`,
      ],
      [path.join(dir, "missing.txt"), `--file "${dir}/missing.txt" does not exist`],
    ];
    for (const [given, message] of cases) {
      const run = await cli(["check", "--file", given ?? "", ...against]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr).toBe(
        `nectar-connection: ${message} (see: nectar-connection check --help)\n`,
      );
    }
    expect(mock.stats.requests).toBe(0);
  });

  it("--file - reads standard input, and bad arguments are reported by position", async () => {
    async function* stdin() {
      yield `${fleet[2]}\n${fleet[3]}`;
      yield `\n${fleet[4]}\n`;
    }
    const run = await cli(["check", fleet[5] ?? "", "nope", "--file", "-", "--json", ...against], {
      stdin: () => stdin(),
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("argument 2 is not a connection id");
    expect(
      jsonLines(run.stdout)
        .map((o) => o.id)
        .sort(),
    ).toEqual(fleet.slice(2, 6).sort());
  });

  it("--mock --sample checks that many connections of the mock's fleet", async () => {
    const run = await cli(["check", "--mock", "--sample", "30", "--json"]);
    expect(run.code).toBe(0);
    expect(jsonLines(run.stdout)).toHaveLength(30);
  });
});

describe("check: exit codes", () => {
  it("exits 3 when a lookup failed at the API, and still reports the others", async () => {
    const run = await cli(["check", UNKNOWN_ID, fleet[0] ?? "", "--json", ...against]);
    expect(run.code).toBe(3);
    const failed = jsonLines(run.stdout).find((o) => o.id === UNKNOWN_ID);
    expect(failed).toMatchObject({
      ok: false,
      group: "failed",
      errorName: "NectarNotFoundError",
      errorStatus: 404,
    });
  });

  it("exits 4 when a lookup failed on the network", async () => {
    mock.script(fleet[0] ?? "", [{ kind: "reset" }, { kind: "reset" }, { kind: "reset" }]);
    const run = await cli(["check", fleet[0] ?? "", fleet[1] ?? "", ...against]);
    expect(run.code).toBe(4);
    expect(run.stdout).toMatch(/failed +-/);
  });

  it("exits 5 with --fail-on when a connection is in one of the groups, 0 otherwise", async () => {
    const failing = await cli([
      "check",
      PASSWORD_INCORRECT.id,
      "--fail-on",
      "needs_user_action,pending",
      ...against,
    ]);
    expect(failing.code).toBe(5);
    const passing = await cli([
      "check",
      DEACTIVATED.id,
      "--fail-on",
      "needs_user_action",
      ...against,
    ]);
    expect(passing.code).toBe(0);
  });

  it.each([
    [["check", "--json", "--csv", PASSWORD_INCORRECT.id], "--json and --csv"],
    [["check", "--fail-on", "broken", PASSWORD_INCORRECT.id], "--fail-on takes health groups"],
    [["check", "--sample", "5"], "--sample needs --mock"],
    [["check", "--mock", "--sample", "0"], "--sample must be"],
    [["check", "--mock", "--sample", "5", PASSWORD_INCORRECT.id], "--sample picks the ids"],
    [["check"], "check needs connection ids"],
    [["check", "--file", "/nonexistent/ids.txt"], '--file "/nonexistent/ids.txt" does not exist'],
    [["check", "--file", "/"], '--file "/" is a directory'],
  ])("%j is a usage error (exit 2)", async (argv, message) => {
    const run = await cli([...argv, ...(argv.includes("--mock") ? [] : against)]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(message);
  });
});

describe("check: the exit code of a finished run", () => {
  const none = new Map<RowGroup, number>();
  const outcome = (over: Partial<Parameters<typeof exitOf>[0]>) => ({
    invalid: 0,
    failures: new Set<number>(),
    failedActions: 0,
    groups: none,
    ...over,
  });
  const failOn = new Set<HealthGroup>(["needs_user_action"]);
  const matched = new Map<RowGroup, number>([["needs_user_action", 1]]);

  it.each<[string, Parameters<typeof exitOf>[0], number]>([
    ["nothing wrong", outcome({}), 0],
    ["a --fail-on group seen", outcome({ groups: matched }), 5],
    ["a --fail-on group not seen", outcome({ groups: new Map([["healthy", 3]]) }), 0],
    ["a network failure, before 5", outcome({ failures: new Set([4]), groups: matched }), 4],
    ["another failure", outcome({ failures: new Set([1]) }), 1],
    ["an API failure, before 4", outcome({ failures: new Set([4, 3]) }), 3],
    ["a failed action, before 4 and 5", outcome({ failedActions: 1, failures: new Set([4]) }), 3],
    [
      "an invalid id, before all",
      outcome({ invalid: 1, failures: new Set([3]), failedActions: 2 }),
      2,
    ],
  ])("%s: %i", (_name, given, code) => {
    expect(exitOf(given, failOn)).toBe(code);
  });
});

describe("check: interrupted", () => {
  it("exits 130 on Ctrl-C, after the rows already printed", async () => {
    const interrupt = new AbortController();
    const run = await cli(
      ["check", ...fleet, "--json", ...against],
      { signal: interrupt.signal },
      () => interrupt.abort(),
    );
    expect(run.code).toBe(130);
    expect(run.stderr).toBe("nectar-connection: interrupted\n");
    expect(jsonLines(run.stdout)).toHaveLength(1);
  });
});

describe("check: the progress line", () => {
  it("is drawn on standard error only when it is a terminal, and cleared before the table", async () => {
    let clock = 0;
    const tty = await cli(["check", ...fleet, ...against], {
      stderrIsTTY: true,
      now: () => (clock += 50),
    });
    expect(tty.code).toBe(0);
    expect(tty.stderr).toContain("\r\u001b[Kchecked 40/40 · 0 failed");
    expect(tty.stderr.endsWith("\r\u001b[K")).toBe(true);
    expect(tty.stdout).not.toContain("\u001b[K");
    const pipe = await cli(["check", ...fleet, ...against], { stderrIsTTY: false });
    expect(pipe.stderr).toBe("");
  });

  it("reads done/total, failures, rate and time left", () => {
    expect(progressText({ done: 50, total: 200, failed: 2 }, 5_000)).toBe(
      "checked 50/200 · 2 failed · 10/s · about 15 s left",
    );
    expect(progressText({ done: 3, total: undefined, failed: 0 }, 1_000)).toBe(
      "checked 3 · 0 failed · 3.0/s",
    );
  });
});

describe("watch", () => {
  it("prints the status, then each change with its time, and exits 0 once healthy", async () => {
    mock.script(PASSWORD_INCORRECT.id, { becomes: "UNDER_INVESTIGATION", after: 1 });
    mock.script(PASSWORD_INCORRECT.id, { becomes: "CONNECTED", after: 1 });
    // 1s is the shortest --interval (a shorter one is taken for a wrong unit).
    const run = await cli(["watch", PASSWORD_INCORRECT.id, "--interval", "1s", ...against], {
      now: () => Date.UTC(2026, 0, 2, 3, 4, 5),
    });
    expect(run.code).toBe(0);
    expect(run.stdout.split("\n").filter(Boolean)).toEqual([
      expect.stringMatching(
        /^2026-01-02T03:04:05.000Z {2}PASSWORD_INCORRECT \(needs_user_action\): /,
      ),
      expect.stringMatching(/^2026-01-02T03:04:05.000Z {2}UNDER_INVESTIGATION \(pending\): /),
      expect.stringMatching(/^2026-01-02T03:04:05.000Z {2}CONNECTED \(healthy\): /),
    ]);
    expect(run.stderr).toBe("nectar-connection: healthy after 0 ms\n");
  });

  it("stops at the --until group, and exits 5 when --deadline runs out first", async () => {
    mock.script(PASSWORD_INCORRECT.id, { becomes: "WEBSITE_DOWN", after: 1 });
    const until = await cli([
      "watch",
      PASSWORD_INCORRECT.id,
      "--interval",
      "1s",
      "--until",
      "provider_issue",
      ...against,
    ]);
    expect(until.code).toBe(0);
    expect(until.stdout).toContain("WEBSITE_DOWN (provider_issue)");
    const timeout = await cli([
      "watch",
      DEACTIVATED.id,
      "--until",
      "healthy",
      "--interval",
      "1s",
      "--deadline",
      "1500ms",
      ...against,
    ]);
    expect(timeout.code).toBe(5);
    // In the CLI's words: the flag, not waitFor's deadlineMs; no warning without --timeout.
    expect(timeout.stderr).toMatch(
      /^nectar-connection: not healthy within --deadline 1500ms \(\d+ polls, last status DEACTIVATED\)\n$/,
    );
  });

  it("exits 130 on an interrupt, with nothing left running", async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    await cli(["get", DEACTIVATED.id, ...against]); // fetch's own keep-alive timer, if any
    const before = timers();
    const interrupt = new AbortController();
    // The first status line is followed by an interrupt, as when a user presses Ctrl-C.
    const run = await cli(
      ["watch", PASSWORD_INCORRECT.id, "--interval", "60s", ...against],
      { signal: interrupt.signal },
      () => interrupt.abort(),
    );
    expect(run.code).toBe(130);
    expect(run.stdout).toContain("PASSWORD_INCORRECT (needs_user_action)");
    expect(run.stderr).toBe("nectar-connection: interrupted\n");
    expect(timers()).toBeLessThanOrEqual(before);
  });

  it.each([
    [["--interval", "soon"], "--interval must be a duration"],
    [["--timeout", "0s"], "--timeout 0s is 0 milliseconds; the shortest attempt is 100ms"],
    [["--deadline", "0.5s"], "--deadline 0.5s is 500 milliseconds; the shortest deadline is 1s"],
    [["--interval", "30"], "--interval 30 is 30 milliseconds; the shortest pause is 1s: write 30s"],
    [["--until", "fixed"], "--until takes health groups"],
  ])("%j is a usage error", async (extra, message) => {
    const run = await cli(["watch", PASSWORD_INCORRECT.id, ...extra, ...against]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});
