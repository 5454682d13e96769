/**
 * `check`'s options, its plan and what it writes on a terminal, pinned for mutation testing of
 * `src/cli/commands/check.ts`: `main` in-process (runCli) against the mock on 127.0.0.1, with
 * the mock's request counts as proof that a usage error sends nothing. The formats, exit codes,
 * early stop and actions are pinned by cli-fleet, cli-early-stop, cli-check-invite, cli-rows and
 * cli-list (the module's other tests in stryker.config.mjs).
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLE_COMPANY_ID } from "../../src/cli/company-walk.js";
import { EXAMPLE_CONNECTION_ID } from "../../src/cli/io.js";
import { type MockServer, startMockServer } from "../../src/mock/index.js";
import { runCli as cli } from "../helpers/cli.js";
import { startCliMock } from "../helpers/cli-mock.js";
import { lastSegment, sendJson, startApi } from "../helpers/cli-server.js";
import { connections } from "../helpers/fixtures.js";

const PASSWORD_INCORRECT = connections.passwordIncorrect();
const DEACTIVATED = connections.deactivated();

let mock: MockServer;
let against: string[];
/** Generated connections, beside the spec's three examples. */
let fleet: string[];

beforeAll(async () => {
  ({ mock, against, fleet } = await startCliMock({ size: 12, seed: 7 }));
});
afterEach(() => mock.reset());
afterAll(() => mock.close());

/** The ids of an NDJSON output, in its order. */
const idsOf = (stdout: string) =>
  stdout
    .trimEnd()
    .split("\n")
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { id: string }).id);

/** What erases the progress line. */
const ERASE = "\r\u001b[K";

/** The summary of a run over PASSWORD_INCORRECT and DEACTIVATED. */
const SUMMARY = "1 needs_user_action · 1 inactive (2 checked)\n";

/** A terminal on standard error, and a clock that moves a second each time it is read. */
function terminal() {
  let clock = 0;
  return { stderrIsTTY: true, now: () => (clock += 1_000) };
}

/** The one line a usage error of `check` prints. */
const usageLine = (message: string) =>
  `nectar-connection: ${message} (see: nectar-connection check --help)\n`;

describe("--concurrency", () => {
  it.each(["1", "10"])("takes %s, the ends of its range", async (value) => {
    const run = await cli(["check", ...fleet, "--concurrency", value, "--json", ...against]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(idsOf(run.stdout).sort()).toEqual([...fleet].sort());
  });

  it("keeps at most that many lookups in flight", async () => {
    const slow = await startMockServer({ fleet: { size: 12, seed: 7 }, latencyMs: 30 });
    try {
      const flags = ["--base-url", slow.url, "--api-key", slow.apiKey];
      const run = await cli(["check", ...slow.ids, "--concurrency", "2", "--json", ...flags]);
      expect(run.code).toBe(0);
      expect(idsOf(run.stdout)).toHaveLength(12);
      expect(slow.stats.maxInFlight).toBeLessThanOrEqual(2);
    } finally {
      await slow.close();
    }
  });

  it("is refused out of range in one line naming the range, nothing sent", async () => {
    const run = await cli(["check", ...fleet, "--concurrency", "11", ...against]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(usageLine("--concurrency must be a whole number from 1 to 10"));
    expect(mock.stats.requests).toBe(0);
  });
});

describe("--fail-on", () => {
  it("takes groups separated by a comma and spaces", async () => {
    const argv = ["check", PASSWORD_INCORRECT.id, "--fail-on", "healthy, needs_user_action"];
    const run = await cli([...argv, ...against]);
    expect(run.code).toBe(5);
  });

  it("refuses an unknown group and lists the groups, nothing sent", async () => {
    const run = await cli(["check", PASSWORD_INCORRECT.id, "--fail-on", "broken", ...against]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      usageLine(
        "--fail-on takes health groups: healthy, pending, needs_user_action, provider_issue, inactive, unknown",
      ),
    );
    expect(mock.stats.requests).toBe(0);
  });
});

describe("--sample", () => {
  it("--mock --sample 1 checks one connection of the mock's fleet", async () => {
    const run = await cli(["check", "--mock", "--sample", "1", "--json"]);
    expect(run.code).toBe(0);
    expect(idsOf(run.stdout)).toHaveLength(1);
  });

  it.each(["0", "100001", "1e3", " 5", "5 "])("refuses %j in one line", async (value) => {
    const run = await cli(["check", "--mock", "--sample", value]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(usageLine("--sample must be a whole number from 1 to 100000"));
  });

  it("refuses --file beside it: the sample picks the ids", async () => {
    const run = await cli(["check", "--mock", "--sample", "5", "--file", "ids.txt"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      usageLine("--sample picks the ids itself: give no ids and no --file with it"),
    );
  });
});

describe("--mock", () => {
  it("checks the help's example connection without --sample: the mock's realistic data", async () => {
    const run = await cli(["check", EXAMPLE_CONNECTION_ID, "--mock", "--json"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const row = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(row).toMatchObject({ id: EXAMPLE_CONNECTION_ID, ok: true, group: "needs_user_action" });
  });

  it("--company with the help's example company: the mock's fleet of companies", async () => {
    const argv = ["check", "--company", EXAMPLE_COMPANY_ID, "--mock", "--limit", "3", "--json"];
    const run = await cli(argv);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(idsOf(run.stdout)).toHaveLength(3);
  });
});

describe("--company", () => {
  const refusal = usageLine(
    "--company finds the ids itself: give no ids, --file or --sample with it",
  );

  it.each([[["--file", "ids.txt"]], [["--mock", "--sample", "5"]]])(
    "refuses %j beside it: the company gives the ids",
    async (extra) => {
      const argv = ["check", "--company", EXAMPLE_COMPANY_ID, ...extra];
      const run = await cli([...argv, ...(extra.includes("--mock") ? [] : against)]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr).toBe(refusal);
      expect(mock.stats.requests).toBe(0);
    },
  );

  it("--fresh keeps at most --concurrency lookups in flight", async () => {
    const listed = Array.from({ length: 12 }, () => ({ ...PASSWORD_INCORRECT, id: randomUUID() }));
    let inFlight = 0;
    let most = 0;
    const api = await startApi((request, response) => {
      if ((request.url ?? "").includes("/connection/company/")) {
        const page = { totalConnections: 12, perPage: 500, totalPages: 1, currentPage: 1 };
        sendJson(response, 200, {
          ...page,
          hasNext: false,
          hasPrevious: false,
          connections: listed,
        });
        return;
      }
      most = Math.max(most, ++inFlight);
      setTimeout(() => {
        inFlight--;
        sendJson(response, 200, { ...PASSWORD_INCORRECT, id: lastSegment(request) });
      }, 30);
    });
    try {
      const company = PASSWORD_INCORRECT.company?.id ?? "";
      const argv = ["check", "--company", company, "--fresh", "--concurrency", "2", "--json"];
      const run = await cli([...argv, ...api.flags]);
      expect(run.code).toBe(0);
      expect(idsOf(run.stdout).sort()).toEqual(listed.map((c) => c.id).sort());
      expect(api.count("GET")).toBe(13); // the page, then each connection
      expect(most).toBeLessThanOrEqual(2);
    } finally {
      await api.close();
    }
  });
});

describe("the help", () => {
  it("the program's lists check with its synopsis", async () => {
    const run = await cli(["--help"]);
    expect(run.stdout).toContain(
      "\n  check [id...]    Check many connections at once (ids, --file, - for standard input, or\n",
    );
  });

  it("check's puts each action's options on lines of their own, and lists the groups", async () => {
    const run = await cli(["check", "--help"]);
    expect(run.code).toBe(0);
    for (const flag of ["--links", "--invite", "--expires", "--max-uses", "--yes", "--fail-on"]) {
      expect(run.stdout).toMatch(new RegExp(`\n  ${flag} `));
    }
    expect(run.stdout).toContain(
      "comma-separated: healthy, pending, needs_user_action,\n                     provider_issue, inactive, unknown\n",
    );
  });
});

describe("--file", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "nectar-check-mutation-"));

  it("a missing file is refused before any lookup, even of the ids on the command line", async () => {
    const missing = path.join(dir, "missing.txt");
    const run = await cli(["check", ...fleet, "--file", missing, "--json", ...against]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(usageLine(`--file "${missing}" does not exist`));
    expect(mock.stats.requests).toBe(0);
  });

  it("--file - with standard input on a terminal: one line saying how to give the ids", async () => {
    const run = await cli(["check", "--file", "-", ...against], {
      stdin: async function* () {
        yield `${PASSWORD_INCORRECT.id}\n`;
      },
      stdinIsTTY: true,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      usageLine(
        "standard input is a terminal, not ids: pipe the ids in (cat ids.txt | nectar-connection check -) or give --file <path>",
      ),
    );
    expect(mock.stats.requests).toBe(0);
  });

  it("is read as it goes: the progress line counts its ids with no total", async () => {
    const file = path.join(dir, "two.txt");
    writeFileSync(file, `${PASSWORD_INCORRECT.id}\n${DEACTIVATED.id}\n`);
    const run = await cli(["check", "--file", file, "--json", ...against], terminal());
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      `${ERASE}checked 1 · 0 failed · 1.0/s${ERASE}${ERASE}checked 2 · 0 failed · 1.0/s${ERASE}${SUMMARY}`,
    );
  });
});

describe("on a terminal (standard error a TTY, the injected clock a second per reading)", () => {
  const two = () => ["check", PASSWORD_INCORRECT.id, DEACTIVATED.id, ...against];

  it("--json: a progress line with a total and time left, cleared, then the summary", async () => {
    const run = await cli([...two(), "--json"], terminal());
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      `${ERASE}checked 1/2 · 0 failed · 1.0/s · about 1 s left${ERASE}${ERASE}checked 2/2 · 0 failed · 1.0/s${ERASE}${SUMMARY}`,
    );
    expect(run.stdout).not.toContain("checked");
  });

  it("--csv: the summary on standard error too; the table keeps it on standard output", async () => {
    const csv = await cli([...two(), "--csv"], terminal());
    expect(csv.stderr.endsWith(`${ERASE}${SUMMARY}`)).toBe(true);
    const table = await cli(two(), terminal());
    expect(table.stderr.endsWith(`1.0/s${ERASE}`)).toBe(true);
    expect(table.stdout.endsWith(SUMMARY)).toBe(true);
  });

  it("--json not on a terminal: no summary, nothing on standard error", async () => {
    const run = await cli([...two(), "--json"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
  });

  it("Ctrl-C during a table: the progress line is erased before the line saying so", async () => {
    const api = await startApi((request, response) =>
      sendJson(response, 200, { ...connections.seed(), id: lastSegment(request) }),
    );
    try {
      const interrupt = new AbortController();
      void api.arrived(3).then(() => interrupt.abort());
      const argv = ["check", ...fleet, "--concurrency", "1", ...api.flags];
      const run = await cli(argv, { ...terminal(), signal: interrupt.signal });
      expect(run.code).toBe(130);
      expect(run.stdout).toBe("");
      expect(run.stderr).toBe(
        `${ERASE}checked 1/12 · 0 failed · 1.0/s · about 11 s left${ERASE}checked 2/12 · 0 failed · 1.0/s · about 10 s left${ERASE}nectar-connection: interrupted\n`,
      );
    } finally {
      await api.close();
    }
  });
});
