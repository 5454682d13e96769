/**
 * `check`'s output formats on their own: the exact table, CSV and NDJSON of a few rows, and the
 * table over a million rows (bounded, non-recursive work: it prints, in bounded pieces, and the
 * run's signal stops it between two).
 */
import { describe, expect, it } from "vitest";
import type { CheckRow, RowGroup } from "../src/cli/check-row.js";
import { createFormat } from "../src/cli/formats/index.js";
import { createTable, LINES_PER_WRITE } from "../src/cli/formats/table.js";
import { columnsFor } from "../src/cli/row-columns.js";

/** A row of `group` for `id`, with what a format prints. */
function row(id: string, group: RowGroup, status: string, extra: Record<string, string> = {}) {
  const failed = group === "failed";
  return {
    id,
    ok: !failed,
    group,
    status: failed ? "" : status,
    since: failed ? "" : "2024-05-27T06:12:41Z",
    lastConfirmed: failed ? "" : "2024-06-02T06:15:00Z",
    action: failed ? "" : `act on ${status}`,
    datasource: failed ? "" : "PG&E",
    company: failed ? "" : 'Acme, "Inc"',
    externalId: failed ? "" : "=crm-1",
    error: failed
      ? { name: "NectarNotFoundError", status: 404, message: "Connection not found." }
      : undefined,
    extra,
  } satisfies CheckRow;
}

const ROWS = [
  row("c0000000-0000-4000-8000-000000000003", "healthy", "CONNECTED"),
  row("b0000000-0000-4000-8000-000000000002", "needs_user_action", "PASSWORD_INCORRECT"),
  row("a0000000-0000-4000-8000-000000000001", "needs_user_action", "ACCOUNT_LOCKED", {
    link: "https://link",
  }),
  row("d0000000-0000-4000-8000-000000000004", "failed", ""),
];

/** Runs `rows` through a format and returns what it wrote, piece by piece. */
async function written(name: "table" | "json" | "csv", rows: CheckRow[], actions: string[] = []) {
  const pieces: string[] = [];
  const format = createFormat(
    name,
    (text) => pieces.push(text),
    (text, code) => `<${code}>${text}</>`,
    columnsFor(actions),
    new AbortController().signal,
  );
  for (const each of rows) format.row(each);
  const byGroup = new Map<RowGroup, number>();
  for (const each of rows) byGroup.set(each.group, (byGroup.get(each.group) ?? 0) + 1);
  await format.end({ byGroup, total: rows.length, invalid: 1 });
  return pieces;
}

describe("the table", () => {
  it("sorts by group (who must act first), then status, then id, each row in its group's colour", async () => {
    const [out] = await written("table", ROWS, ["links"]);
    expect(out).toBe(
      [
        "ID                                    STATUS              GROUP              SINCE       WHAT TO DO                 LINK",
        "<1;31>a0000000-0000-4000-8000-000000000001  ACCOUNT_LOCKED      needs_user_action  2024-05-27  act on ACCOUNT_LOCKED      https://link</>",
        "<1;31>b0000000-0000-4000-8000-000000000002  PASSWORD_INCORRECT  needs_user_action  2024-05-27  act on PASSWORD_INCORRECT</>",
        "<1;31>d0000000-0000-4000-8000-000000000004  -                   failed             -           Connection not found.</>",
        "<32>c0000000-0000-4000-8000-000000000003  CONNECTED           healthy            2024-05-27  act on CONNECTED</>",
        "",
        "2 needs_user_action · 1 failed · 1 healthy (4 checked, 1 invalid id skipped)",
        "",
      ].join("\n"),
    );
  });

  it("prints ids as given, in any case, in code-unit order among the canonical ones", async () => {
    const ids = [
      "0b000000-0000-4000-8000-000000000000",
      "0A000000-0000-4000-8000-000000000000",
      "0a000000-0000-4000-8000-000000000000",
      "09000000-0000-4000-8000-000000000000",
      "not-a-uuid",
    ];
    const [out] = await written(
      "table",
      ids.map((id) => row(id, "healthy", "CONNECTED")),
    );
    const printed = (out ?? "")
      .split("\n")
      .slice(1, 6)
      .map((line) => line.replace(/^<32>/, "").split(" ")[0]);
    expect(printed).toEqual([...ids].sort());
  });

  it("says so when there is no row", async () => {
    const [out] = await written("table", []);
    expect(out).toBe(
      "ID  STATUS  GROUP  SINCE  WHAT TO DO\n(no connections)\n\nnothing (0 checked, 1 invalid id skipped)\n",
    );
  });

  it("prints a million rows, sized by the widest anywhere, in pieces of a thousand lines", async () => {
    const count = 1_000_000;
    let lines = 0;
    let pieces = 0;
    let header = "";
    let last = "";
    const table = createTable({
      write: (text) => {
        if (pieces === 0) header = text.slice(0, text.indexOf("\n"));
        pieces++;
        for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) lines++;
        last = text;
      },
      paint: (text) => text,
      extraColumns: [],
      signal: new AbortController().signal,
    });
    const template = row("", "pending", "PENDING");
    for (let i = 0; i < count; i++) {
      const id = `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
      // The very last row has the longest status: the widths cover every row, not the first.
      table.row({ ...template, id, status: i === count - 1 ? "S".repeat(40) : "PENDING" });
    }
    await table.end({ byGroup: new Map([["pending", count]]), total: count, invalid: 0 });
    expect(lines).toBe(count + 3); // header, rows, blank line, summary
    expect(pieces).toBe(Math.ceil((count + 1) / LINES_PER_WRITE));
    expect(header).toMatch(/^ID {36}STATUS {36}GROUP/);
    expect(last.endsWith("\n\n1000000 pending (1000000 checked)\n")).toBe(true);
  }, 60_000);

  it("stops between two pieces once the run's signal aborts", async () => {
    const stop = new AbortController();
    const pieces: string[] = [];
    const table = createTable({
      write: (text) => {
        pieces.push(text);
        stop.abort(new Error("output closed"));
      },
      paint: (text) => text,
      extraColumns: [],
      signal: stop.signal,
    });
    const template = row("", "healthy", "CONNECTED");
    for (let i = 0; i < 3 * LINES_PER_WRITE; i++) table.row({ ...template, id: `id-${i}` });
    const end = table.end({ byGroup: new Map(), total: 0, invalid: 0 });
    await expect(end).rejects.toThrow("output closed");
    expect(pieces).toHaveLength(1);
  });
});

describe("CSV", () => {
  it("writes the header at once, then each row as it comes, every field quoted or defused as needed", async () => {
    const pieces = await written("csv", ROWS.slice(1, 2).concat(ROWS.slice(3)), ["links"]);
    expect(pieces).toEqual([
      "id,ok,status,group,needsUserAction,since,lastConfirmed,action,datasource,company,externalId,error,errorName,errorStatus,link\r\n",
      'b0000000-0000-4000-8000-000000000002,true,PASSWORD_INCORRECT,needs_user_action,true,2024-05-27T06:12:41Z,2024-06-02T06:15:00Z,act on PASSWORD_INCORRECT,PG&E,"Acme, ""Inc""",\'=crm-1,,,,\r\n',
      "d0000000-0000-4000-8000-000000000004,false,,failed,false,,,,,,,Connection not found.,NectarNotFoundError,404,\r\n",
    ]);
  });
});

describe("NDJSON", () => {
  it("writes one object per row as it comes, and nothing at the end", async () => {
    const pieces = await written("json", ROWS.slice(2), ["links"]);
    expect(pieces.map((line) => JSON.parse(line))).toEqual([
      {
        id: "a0000000-0000-4000-8000-000000000001",
        ok: true,
        status: "ACCOUNT_LOCKED",
        group: "needs_user_action",
        needsUserAction: true,
        since: "2024-05-27T06:12:41Z",
        lastConfirmed: "2024-06-02T06:15:00Z",
        action: "act on ACCOUNT_LOCKED",
        datasource: "PG&E",
        company: 'Acme, "Inc"',
        externalId: "=crm-1",
        error: null,
        errorName: null,
        errorStatus: null,
        link: "https://link",
      },
      {
        id: "d0000000-0000-4000-8000-000000000004",
        ok: false,
        status: null,
        group: "failed",
        needsUserAction: false,
        since: null,
        lastConfirmed: null,
        action: null,
        datasource: null,
        company: null,
        externalId: null,
        error: "Connection not found.",
        errorName: "NectarNotFoundError",
        errorStatus: 404,
        link: null,
      },
    ]);
    expect(pieces.every((line) => line.endsWith("}\n"))).toBe(true);
  });
});
