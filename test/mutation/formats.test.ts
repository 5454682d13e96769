/**
 * `check`'s output formats on small inputs, the edges mutation testing looks at: which format
 * each name picks; CSV's defusing and quoting of every risky first character and line break;
 * NDJSON's nulls for empty cells and a failure's message, class and status; the summary's plural; the table's dashes, upper-case extra
 * columns and trimmed line ends; and the kept rows past their first 1 024, sorted by group,
 * status and id (odd ids included).
 */
import { describe, expect, it } from "vitest";
import type { CheckRow, RowGroup } from "../../src/cli/check-row.js";
import { csvField } from "../../src/cli/formats/csv.js";
import { summaryLine } from "../../src/cli/formats/format.js";
import { createFormat } from "../../src/cli/formats/index.js";
import { KeptRows } from "../../src/cli/formats/kept-rows.js";
import { jsonOf } from "../../src/cli/formats/ndjson.js";
import { createTable, LINES_PER_WRITE } from "../../src/cli/formats/table.js";
import { BASE_COLUMNS, columnsFor } from "../../src/cli/row-columns.js";

const ID = "00000000-0000-4000-8000-000000000001";

function row(overrides: Partial<CheckRow> = {}): CheckRow {
  return {
    id: ID,
    ok: true,
    group: "healthy",
    status: "CONNECTED",
    since: "",
    lastConfirmed: "",
    action: "nothing to do",
    datasource: "",
    company: "",
    externalId: "",
    error: undefined,
    extra: {},
    ...overrides,
  };
}

/** What a format wrote for `rows`, with the columns of the actions named in `actions`. */
async function output(name: "table" | "json" | "csv", rows: CheckRow[], actions: string[] = []) {
  const pieces: string[] = [];
  const format = createFormat(
    name,
    (text) => pieces.push(text),
    (text) => text,
    columnsFor(actions),
    new AbortController().signal,
  );
  for (const each of rows) format.row(each);
  await format.end({
    byGroup: new Map([["healthy", rows.length]]),
    total: rows.length,
    invalid: 0,
  });
  return pieces.join("");
}

describe("createFormat", () => {
  it("picks NDJSON for json, CSV for csv, and the table otherwise", async () => {
    expect(await output("json", [row()])).toMatch(/^\{"id":/);
    expect(await output("csv", [row()])).toMatch(/^id,ok,status,group,/);
    expect(await output("table", [row()])).toMatch(/^ID {2,}STATUS/);
  });
});

describe("csvField", () => {
  it.each([
    ["=SUM(A1)", "'=SUM(A1)"],
    ["+1", "'+1"],
    ["-1", "'-1"],
    ["@cmd", "'@cmd"],
    ["a=b", "a=b"],
    ["plain", "plain"],
    ['say "hi"', '"say ""hi"""'],
    ["a,b", '"a,b"'],
    ["line\nbreak", '"line\nbreak"'],
    ["carriage\rreturn", '"carriage\rreturn"'],
    ["=a,b", '"\'=a,b"'],
    ["", ""],
  ])("%j → %j", (value, field) => {
    expect(csvField(value)).toBe(field);
  });

  it("writes an action's column in the header and each row, empty when a row has none", async () => {
    const text = await output("csv", [row({ extra: { link: "https://x" } }), row()], ["links"]);
    const lines = text.split("\r\n");
    expect(lines[0]?.endsWith(",error,errorName,errorStatus,link")).toBe(true);
    expect(lines[1]?.endsWith(",nothing to do,,,,,,,https://x")).toBe(true);
    expect(lines[2]?.endsWith(",nothing to do,,,,,,,")).toBe(true);
  });
});

describe("jsonOf", () => {
  it("gives null for the empty cells of a connection, and needsUserAction false unless it needs the user", () => {
    expect(jsonOf(row(), BASE_COLUMNS)).toEqual({
      id: ID,
      ok: true,
      status: "CONNECTED",
      group: "healthy",
      needsUserAction: false,
      since: null,
      lastConfirmed: null,
      action: "nothing to do",
      datasource: null,
      company: null,
      externalId: null,
      error: null,
      errorName: null,
      errorStatus: null,
    });
    expect(jsonOf(row({ group: "needs_user_action" }), BASE_COLUMNS).needsUserAction).toBe(true);
  });

  it("gives a failure's message, class and a null status when it has none", () => {
    const failed = row({
      ok: false,
      group: "failed",
      status: "",
      action: "",
      error: { name: "E", status: undefined, message: "boom" },
    });
    expect(jsonOf(failed, BASE_COLUMNS)).toMatchObject({
      id: ID,
      ok: false,
      status: null,
      group: "failed",
      needsUserAction: false,
      action: null,
      error: "boom",
      errorName: "E",
      errorStatus: null,
    });
    const answered = { ...failed, error: { name: "E", status: 503, message: "boom" } };
    expect(jsonOf(answered, BASE_COLUMNS).errorStatus).toBe(503);
  });
});

describe("summaryLine", () => {
  const order: RowGroup[] = ["needs_user_action", "failed", "healthy"];
  it("lists the groups with rows, in order, and the invalid ids in the singular or plural", () => {
    const byGroup = new Map<RowGroup, number>([
      ["healthy", 3],
      ["failed", 0],
      ["needs_user_action", 2],
    ]);
    expect(summaryLine({ byGroup, total: 5, invalid: 0 }, order)).toBe(
      "2 needs_user_action · 3 healthy (5 checked)",
    );
    expect(summaryLine({ byGroup, total: 5, invalid: 1 }, order)).toBe(
      "2 needs_user_action · 3 healthy (5 checked, 1 invalid id skipped)",
    );
    expect(summaryLine({ byGroup, total: 5, invalid: 2 }, order)).toBe(
      "2 needs_user_action · 3 healthy (5 checked, 2 invalid ids skipped)",
    );
    expect(summaryLine({ byGroup: new Map(), total: 0, invalid: 0 }, order)).toBe(
      "nothing (0 checked)",
    );
  });
});

describe("the table", () => {
  it("shows a dash for no status and no date, upper-cases extra columns, trims line ends", async () => {
    const text = await output(
      "table",
      [row({ status: "", since: "2024-05-27T06:12:41Z", extra: { link: "" } })],
      ["links"],
    );
    const [header = "", line = ""] = text.split("\n");
    expect(header).toMatch(/ LINK$/);
    expect(line).toBe(`${ID}  -       healthy  2024-05-27  nothing to do`);
    const undated = (await output("table", [row()])).split("\n")[1];
    expect(undated).toBe(`${ID}  CONNECTED  healthy  -      nothing to do`);
  });
});

describe("KeptRows", () => {
  it("keeps every row past its first 1 024, ids, groups and rests intact", () => {
    const rows = new KeptRows();
    const count = 3_000;
    const idOf = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
    for (let i = 0; i < count; i++) rows.add(idOf(i), i % 7, `rest ${i % 5}`);
    expect(rows.count).toBe(count);
    for (const i of [0, 1_023, 1_024, 2_047, 2_048, count - 1]) {
      expect(rows.idOf(i)).toBe(idOf(i));
      expect(rows.rankOf(i)).toBe(i % 7);
      expect(rows.restOf(i)).toBe(`rest ${i % 5}`);
    }
  });

  it("sorts by rank, then by the key of the rest, then by id, odd ids as given", () => {
    const rows = new KeptRows();
    rows.add("00000000-0000-4000-8000-00000000000b", 1, "B");
    rows.add("00000000-0000-4000-8000-00000000000a", 1, "B");
    rows.add("ODD-ID", 1, "B");
    rows.add("00000000-0000-4000-8000-000000000001", 1, "A");
    rows.add("00000000-0000-4000-8000-000000000002", 0, "Z");
    rows.add("00000000-0000-4000-8000-000000000002", 0, "Z");
    rows.add("ffffffff-0000-4000-8000-000000000000", 1, "B");
    const order = [...rows.sorted((rest) => rest)].map((i) => rows.idOf(i));
    expect(order).toEqual([
      "00000000-0000-4000-8000-000000000002",
      "00000000-0000-4000-8000-000000000002",
      "00000000-0000-4000-8000-000000000001",
      "00000000-0000-4000-8000-00000000000a",
      "00000000-0000-4000-8000-00000000000b",
      "ODD-ID",
      "ffffffff-0000-4000-8000-000000000000",
    ]);
    expect(rows.idOf(2)).toBe("ODD-ID");
  });

  it("orders by the key, not the rest itself", () => {
    const rows = new KeptRows();
    rows.add("00000000-0000-4000-8000-000000000001", 0, "b|1");
    rows.add("00000000-0000-4000-8000-000000000002", 0, "a|2");
    const byRest = [...rows.sorted((rest) => rest)].map((i) => rows.restOf(i));
    expect(byRest).toEqual(["a|2", "b|1"]);
    const bySecond = [...rows.sorted((rest) => rest.slice(2))].map((i) => rows.restOf(i));
    expect(bySecond).toEqual(["b|1", "a|2"]);
  });
});

describe("summaryLine's verb", () => {
  it("says listed when the tally lists rather than checks", () => {
    const byGroup = new Map<RowGroup, number>([["healthy", 2]]);
    expect(summaryLine({ byGroup, total: 2, invalid: 0, verb: "listed" }, ["healthy"])).toBe(
      "2 healthy (2 listed)",
    );
  });
});

describe("the table, more", () => {
  it("titles a camelCase action column in words: INVITATION ID, INVITATION URL", async () => {
    const [header = ""] = (await output("table", [row()], ["invite"])).split("\n");
    expect(header).toMatch(/ {2}WHAT TO DO {2,}INVITATION ID {2}INVITATION URL$/);
  });

  it("orders rows of one status by id, not by what to do", async () => {
    const rows = [
      row({ id: "00000000-0000-4000-8000-000000000002", action: "a: first by action" }),
      row({ id: "00000000-0000-4000-8000-000000000001", action: "b: last by action" }),
    ];
    const lines = (await output("table", rows)).split("\n").slice(1, 3);
    expect(lines.map((line) => line.slice(0, 36))).toEqual([
      "00000000-0000-4000-8000-000000000001",
      "00000000-0000-4000-8000-000000000002",
    ]);
  });

  it("hears an abort that arrives on a later turn of the event loop, between two pieces", async () => {
    const stop = new AbortController();
    const pieces: string[] = [];
    const table = createTable({
      write: (text) => {
        pieces.push(text);
        setImmediate(() => stop.abort(new Error("reader gone")));
      },
      paint: (text) => text,
      extraColumns: [],
      signal: stop.signal,
    });
    for (let i = 0; i < 3 * LINES_PER_WRITE; i++) {
      table.row(row({ id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}` }));
    }
    await expect(table.end({ byGroup: new Map(), total: 0, invalid: 0 })).rejects.toThrow(
      "reader gone",
    );
    expect(pieces).toHaveLength(1);
  });
});

describe("KeptRows, sorting", () => {
  it("orders canonical ids word by word: ids that differ only in their second, third or fourth word", () => {
    const ids = [
      "00000000-0000-4000-8000-000000000002",
      "00000000-0000-4000-8000-000000000001",
      "00000000-0001-4000-8000-000000000000",
      "00000000-0000-4000-8001-000000000000",
      "00000000-0000-4000-8000-000100000000",
      "00000001-0000-4000-8000-000000000000",
      "00000000-0000-4000-8000-000000000003",
    ];
    const rows = new KeptRows();
    for (const id of ids) rows.add(id, 0, "same");
    const order = [...rows.sorted((rest) => rest)].map((i) => rows.idOf(i));
    expect(order).toEqual([...ids].sort());
  });

  it("orders by the key of each row's own rest, over several distinct rests", () => {
    const rows = new KeptRows();
    const rests = ["m", "z", "a", "q", "b"];
    rests.forEach((rest, i) => {
      rows.add(`00000000-0000-4000-8000-00000000000${i}`, 0, rest);
    });
    const order = [...rows.sorted((rest) => rest)].map((i) => rows.restOf(i));
    expect(order).toEqual(["a", "b", "m", "q", "z"]);
  });

  it("computes the key once per distinct rest, in the order the rests first came", () => {
    const rows = new KeptRows();
    for (let i = 0; i < 3_000; i++) {
      rows.add(`00000000-0000-4000-8000-${String(i).padStart(12, "0")}`, 0, `rest ${i % 5}`);
    }
    const asked: string[] = [];
    rows.sorted((rest) => {
      asked.push(rest);
      return rest;
    });
    expect(asked).toEqual(["rest 0", "rest 1", "rest 2", "rest 3", "rest 4"]);
  });

  it("keeps rows that tie on group, key and id in the order they came", () => {
    const rows = new KeptRows();
    const canonical = "10000000-0000-4000-8000-00000000000b";
    rows.add("ODD", 0, "S|first");
    rows.add("ODD", 0, "S|second");
    rows.add(canonical, 0, "S|first");
    rows.add(canonical, 0, "S|second");
    // Next to the tied canonical ids, a row whose first word is smaller: a comparison reading
    // past an id's four words would tell the ties apart by their neighbours.
    rows.add("00000000-0000-4000-8000-00000000000a", 0, "S|other");
    const order = [...rows.sorted((rest) => rest.slice(0, 1))].map(
      (i) => `${rows.idOf(i)} ${rows.restOf(i)}`,
    );
    expect(order).toEqual([
      "00000000-0000-4000-8000-00000000000a S|other",
      `${canonical} S|first`,
      `${canonical} S|second`,
      "ODD S|first",
      "ODD S|second",
    ]);
  });
});

describe("the table's order within a group", () => {
  it("sorts a group's rows by status before id", async () => {
    const rows = [
      row({
        id: "00000000-0000-4000-8000-000000000001",
        group: "needs_user_action",
        status: "PASSWORD_INCORRECT",
      }),
      row({
        id: "00000000-0000-4000-8000-000000000002",
        group: "needs_user_action",
        status: "ACCOUNT_LOCKED",
      }),
    ];
    const lines = (await output("table", rows)).split("\n").slice(1, 3);
    expect(lines.map((line) => line.slice(38, 52))).toEqual(["ACCOUNT_LOCKED", "PASSWORD_INCOR"]);
  });
});
