/**
 * One row model for `check`, `check --company`, `check --invite` and `list`: the NDJSON keys of
 * every row equal the CSV header, in the same order, for each; the README's table of columns
 * lists exactly the model's columns; and `check --invite --json` gives ids that `invitation`
 * and `revoke` take, against one mock over 127.0.0.1.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTION_COLUMNS, BASE_COLUMNS, columnsFor } from "../src/cli/row-columns.js";
import { type MockServer, startMockServer } from "../src/mock/index.js";
import { runCli as cli } from "./helpers/cli.js";
import { connections, TEST_API_KEY } from "./helpers/fixtures.js";

const PASSWORD_INCORRECT = connections.passwordIncorrect();
const DEACTIVATED = connections.deactivated();

let mock: MockServer;
let against: string[];
let company: string;
beforeAll(async () => {
  mock = await startMockServer({
    apiKey: TEST_API_KEY,
    connections: [PASSWORD_INCORRECT, DEACTIVATED],
    fleet: { size: 30, seed: 3 },
  });
  against = ["--base-url", mock.url, "--api-key", TEST_API_KEY];
  company = mock.companyIds.at(-1) ?? "";
});
afterAll(() => mock.close());

/** The NDJSON objects of a run. */
const objects = (stdout: string) =>
  stdout
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** The CSV header of a run. */
const header = (stdout: string) => stdout.split("\r\n")[0]?.split(",") ?? [];

/** What each command prints, by name: its arguments before the format flag. */
const RUNS: Record<string, () => string[]> = {
  "check <ids>": () => ["check", ...mock.ids.slice(0, 12), "00000000-0000-4000-8000-000000000000"],
  "check --links": () => ["check", ...mock.ids.slice(0, 12), "--links"],
  "check --invite": () => ["check", ...mock.ids.slice(0, 12), "--invite", "--yes"],
  "check --company": () => ["check", "--company", company],
  "check --company --fresh --links --invite": () => [
    "check",
    "--company",
    company,
    "--fresh",
    "--links",
    "--invite",
    "--yes",
  ],
  list: () => ["list", company],
};

describe("NDJSON keys and the CSV header", () => {
  it.each(Object.keys(RUNS))("are the same names in the same order: %s", async (name) => {
    const args = RUNS[name]?.() ?? [];
    const json = await cli([...args, "--json", ...against]);
    const csv = await cli([...args, "--csv", ...against]);
    expect([0, 3]).toContain(json.code);
    const names = header(csv.stdout);
    const rows = objects(json.stdout);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(Object.keys(row)).toEqual(names);
    const actions = ["links", "invite"].filter((flag) => args.includes(`--${flag}`));
    expect(names).toEqual(columnsFor(actions).map((column) => column.name));
    expect(csv.stdout.split("\r\n").length - 2).toBe(rows.length); // the header, and the last CRLF
  });

  it("types each value as the model says, null when empty", async () => {
    const run = await cli([...(RUNS["check <ids>"]?.() ?? []), "--json", ...against]);
    const all = [...BASE_COLUMNS, ...ACTION_COLUMNS];
    for (const row of objects(run.stdout)) {
      for (const [key, value] of Object.entries(row)) {
        const type = all.find((column) => column.name === key)?.type;
        if (value !== null) expect(typeof value).toBe(type);
        if (value === null) expect(all.find((c) => c.name === key)?.empty).not.toBe("never");
      }
    }
  });
});

describe("the README", () => {
  it("documents exactly the model's columns, in order: type, when empty, meaning", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const start = readme.indexOf("| column ");
    expect(start).toBeGreaterThan(0);
    const table = readme.slice(start).split("\n\n")[0] ?? "";
    const rows = table
      .split("\n")
      .slice(2)
      .map((line) => line.split("|").map((cell) => cell.trim()));
    const documented = rows.map((cells) => [cells[1]?.replace(/`/g, ""), ...cells.slice(2, 5)]);
    const model = [
      ...BASE_COLUMNS.map((c) => [c.name, c.type, c.empty, c.meaning]),
      ...ACTION_COLUMNS.map((c) => {
        const empty = `column only with \`--${c.option}\`; ${c.empty}`;
        return [c.name, c.type, empty, c.meaning];
      }),
    ];
    expect(documented).toEqual(model);
  });
});

describe("check --invite, then invitation and revoke", () => {
  it("gives an invitation id per row that invitation and revoke take", async () => {
    const run = await cli([
      "check",
      PASSWORD_INCORRECT.id,
      DEACTIVATED.id,
      "--invite",
      "--yes",
      "--json",
      ...against,
    ]);
    expect(run.code).toBe(0);
    const rows = objects(run.stdout);
    const invited = rows.filter((row) => row.invitationId !== null);
    expect(invited.map((row) => row.id)).toEqual([PASSWORD_INCORRECT.id]);
    const [row] = invited;
    const id = String(row?.invitationId);
    expect(String(row?.invitationUrl)).toMatch(/^https:\/\/dash\.nectarclimate\.com\/p\/i\//);
    const shown = await cli(["invitation", id, "--json", ...against]);
    expect(shown.code).toBe(0);
    const invitation = JSON.parse(shown.stdout) as Record<string, unknown>;
    expect(invitation).toMatchObject({ id, connectionId: PASSWORD_INCORRECT.id, status: "ACTIVE" });
    expect(invitation.invitationUrl).toBe(row?.invitationUrl);
    expect((await cli(["revoke", id, ...against])).code).toBe(0);
    const after = await cli(["invitation", id, "--json", ...against]);
    expect(JSON.parse(after.stdout)).toMatchObject({ id, status: "REVOKED" });
  });
});
