/**
 * The CLI's invitation commands (`invite`, `invitation`, `revoke`): `main` run in-process against
 * a started mock server (its clock fixed) and with `--mock`; each format and exit code.
 */
import { createServer } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Invitation, InvitationDetail } from "../generated/schema.js";
import { eventLine } from "../src/cli/invitation-summary.js";
import { parseExpires } from "../src/cli/invite.js";
import { type MockServer, startMockServer } from "../src/mock/index.js";
import { runCli as cli, expectOneErrorLine } from "./helpers/cli.js";
import { connections, invitations, TEST_API_KEY } from "./helpers/fixtures.js";

const CONNECTION_ID = connections.passwordIncorrect().id;
const ACTIVE = invitations.detailActive();
const REVOKED = invitations.detailRevoked();
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";
const NOW = Date.parse("2024-06-05T08:00:00Z");
const ESC = "\u001b[";
const URL_LINE = /^https:\/\/dash\.nectarclimate\.com\/p\/i\/[A-Za-z0-9]{24}\n/;

let mock: MockServer;
let against: string[];

beforeAll(async () => {
  mock = await startMockServer({ apiKey: TEST_API_KEY, now: () => NOW });
  against = ["--base-url", mock.url, "--api-key", TEST_API_KEY];
});
afterEach(() => mock.reset());
afterAll(async () => {
  await mock.close();
});

/** The invitation `invite --json` printed. */
async function inviteJson(...options: string[]): Promise<Invitation> {
  const run = await cli(["invite", CONNECTION_ID, ...against, "--json", ...options]);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as Invitation;
}

describe("invite", () => {
  it("prints only the invitation URL when stdout is not a terminal", async () => {
    const run = await cli(["invite", CONNECTION_ID, ...against]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toMatch(URL_LINE);
    expect(run.stdout.split("\n")).toHaveLength(2);
    expect(mock.stats.invitationsCreated).toBe(1);
  });

  it("on a terminal, adds when it expires, who may use it, the uses and its id", async () => {
    const run = await cli(
      [
        "invite",
        CONNECTION_ID,
        ...against,
        "--email",
        "energy.manager@acme.example",
        "--email=owner@acme.example",
        "--expires",
        "7d",
        "--max-uses",
        "1",
        "--send-email",
      ],
      { isTTY: true },
    );
    expect(run).toMatchObject({ code: 0, stderr: "" });
    const [url, ...rest] = run.stdout.split("\n");
    expect(`${url}\n`).toMatch(URL_LINE);
    expect(rest.slice(0, 4)).toEqual([
      "  Expires:    2024-06-12T08:00:00Z",
      "  For:        energy.manager@acme.example, owner@acme.example",
      "  Uses:       0 of 1",
      "  Emailed:    Nectar sends the link to each address",
    ]);
    expect(rest[4]).toMatch(/^ {2}Invitation: [0-9a-f-]{36}$/);
  });

  it("on a terminal, without options: never expires, anyone with the link, no limit", async () => {
    const run = await cli(["invite", CONNECTION_ID, ...against], { isTTY: true });
    expect(run.stdout).toContain("  Expires:    never\n  For:        anyone with the link\n");
    expect(run.stdout).toContain("  Uses:       0 (no limit)\n");
    expect(run.stdout).not.toContain("Emailed");
  });

  it("--json prints the invitation, token included, as Nectar returned it", async () => {
    const invitation = await inviteJson("--email", "a@acme.example", "--max-uses", "2");
    expect(invitation).toMatchObject({
      connectionId: CONNECTION_ID,
      allowedEmails: ["a@acme.example"],
      maxUses: 2,
      expiresAt: null,
      status: "ACTIVE",
    });
    expect(invitation.invitationUrl).toBe(`https://dash.nectarclimate.com/p/i/${invitation.token}`);
  });

  it.each([
    ["7d", "2024-06-12T08:00:00Z"],
    ["12h", "2024-06-05T20:00:00Z"],
    ["30m", "2024-06-05T08:30:00Z"],
    ["1m", "2024-06-05T08:01:00Z"],
    ["3600s", "2024-06-05T09:00:00Z"],
    ["1.5h", "2024-06-05T09:30:00Z"],
  ])("--expires %s expires at %s", async (expires, expiresAt) => {
    expect((await inviteJson("--expires", expires)).expiresAt).toBe(expiresAt);
  });

  it("--expires 3600000 is an hour (a bare number is milliseconds), with 0.1's seconds warned of", async () => {
    const run = await cli(["invite", CONNECTION_ID, ...against, "--json", "--expires", "3600000"]);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as Invitation).expiresAt).toBe("2024-06-05T09:00:00Z");
    expect(run.stderr).toBe(
      "nectar-connection: warning: --expires 3600000 is 1 hour: a bare number is milliseconds (0.1 read it as seconds: write 3600000s or 1000h)\n",
    );
  });

  it.each<[string, string[], RegExp]>([
    [
      "--expires below a minute",
      ["--expires", "59s"],
      /^nectar-connection: --expires 59s is 59 seconds; Nectar's minimum is 60s \(see: nectar-connection invite --help\)\n$/,
    ],
    [
      "--expires in seconds without a unit",
      ["--expires", "3600"],
      /--expires 3600 is 3\.6 seconds; Nectar's minimum is 60s: write 3600s or 1h \(see: nectar-connection invite --help\)/,
    ],
    ["--expires with a space", ["--expires", "7 d"], /--expires must be a duration such as/],
    ["--expires in weeks", ["--expires", "2w"], /--expires must be/],
    ["--expires with a fraction of a second", ["--expires", "60.5s"], /must be whole seconds/],
    ["--expires negative", ["--expires=-1d"], /--expires must be/],
    ["--max-uses 0", ["--max-uses", "0"], /--max-uses must be a whole number of at least 1/],
    ["--max-uses in words", ["--max-uses", "one"], /--max-uses must be/],
    [
      "a bad --email",
      ["--email", "a@acme.example", "--email", "nope"],
      /--email #2 is not an email address \(not shown\)/,
    ],
    ["--send-email alone", ["--send-email"], /--send-email needs at least one --email/],
    ["a bad connection id", [], /must be a UUID/],
  ])("2: %s, and nothing sent", async (_name, options, message) => {
    const id = options.length === 0 ? "not-a-uuid" : CONNECTION_ID;
    const run = await cli(["invite", id, ...against, ...options]);
    expect(run.code).toBe(2);
    expectOneErrorLine(run);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toContain("nope");
    expect(mock.stats.requests).toBe(0);
  });

  it("3: an unknown connection is a 404", async () => {
    const run = await cli(["invite", UNKNOWN_ID, ...against]);
    expect(run.code).toBe(3);
    expectOneErrorLine(run);
    expect(run.stderr).toBe(
      `nectar-connection: POST /invitation/connection/${UNKNOWN_ID} failed with status 404: Not found.\n`,
    );
  });

  it("3: an answer without an invitationUrl (validation is off by default)", async () => {
    const { invitationUrl: _url, ...withoutUrl } = invitations.reconnect();
    mock.script(CONNECTION_ID, [{ kind: "json", status: 201, body: withoutUrl }]);
    const run = await cli(["invite", CONNECTION_ID, ...against]);
    expect(run.code).toBe(3);
    expectOneErrorLine(run);
    expect(run.stderr).toContain("carries no invitationUrl");
  });

  it("3: a 500 is not retried (a retry could mint a second invitation)", async () => {
    mock.script(CONNECTION_ID, [{ status: 500 }, { status: 500 }]);
    const run = await cli(["invite", CONNECTION_ID, ...against]);
    expect(run.code).toBe(3);
    expectOneErrorLine(run);
    expect(mock.stats.requests).toBe(1);
  });

  it("0: a 429 is retried, and the one invitation printed", async () => {
    mock.script(CONNECTION_ID, [{ status: 429, headers: { "Retry-After": "0" } }]);
    const run = await cli(["invite", CONNECTION_ID, ...against]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(URL_LINE);
    expect([mock.stats.requests, mock.stats.invitationsCreated]).toEqual([2, 1]);
  });

  it("4: a hung create times out once, and is not sent again", async () => {
    mock.script(CONNECTION_ID, [{ kind: "hang" }, { kind: "hang" }]);
    const run = await cli(["invite", CONNECTION_ID, ...against, "--timeout", "100"]);
    expect(run.code).toBe(4);
    expectOneErrorLine(run);
    expect(run.stderr).toContain("timed out after 100 ms");
    expect(mock.stats.requests).toBe(1);
  });

  it("4: nothing listens at --base-url", async () => {
    const port = await closedPort();
    const run = await cli([
      "invite",
      CONNECTION_ID,
      "--base-url",
      `http://127.0.0.1:${port}/v2.2`,
      "--api-key",
      TEST_API_KEY,
    ]);
    expect(run.code).toBe(4);
    expectOneErrorLine(run);
  });

  it("3: a wrong key, with a hint and without the key", async () => {
    const run = await cli([
      "invite",
      CONNECTION_ID,
      "--base-url",
      mock.url,
      "--api-key",
      "nk_wrong_1234567890",
    ]);
    expect(run.code).toBe(3);
    expectOneErrorLine(run);
    expect(run.stderr).toContain("check --api-key or NECTAR_API_KEY");
    expect(run.stderr).not.toContain("nk_wrong_1234567890");
  });

  it("--mock: works with no key, for the mock's connection whose user must act", async () => {
    const run = await cli(["invite", CONNECTION_ID, "--mock", "--max-uses", "1"]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toMatch(URL_LINE);
  });
});

describe("invitation", () => {
  it("shows the status, who, expiry, uses, link while active, and each event", async () => {
    const run = await cli(["invitation", ACTIVE.id, ...against]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toBe(`Invitation ${ACTIVE.id}
  Status:     ACTIVE
  Type:       EDIT_CONNECTION
  Connection: ${CONNECTION_ID}
  For:        energy.manager@acme.example
  Expires:    2024-06-10T09:00:00Z
  Uses:       0 of 1
  Created:    2024-06-03T09:00:00Z
  Link:       ${ACTIVE.invitationUrl}
  Events:     2
    - activity: viewed, at: 2024-06-05T07:41:12Z
    - activity: verified their email, at: 2024-06-05T07:43:30Z
`);
  });

  it("a revoked one: no link, its revocation among the events", async () => {
    const run = await cli(["invitation", REVOKED.id, ...against]);
    expect(run.stdout).toContain("  Status:     REVOKED\n");
    expect(run.stdout).toContain("  For:        anyone with the link\n");
    expect(run.stdout).toContain("  Expires:    never\n");
    expect(run.stdout).toContain("  Uses:       0 (no limit)\n");
    expect(run.stdout).not.toContain("Link:");
    expect(run.stdout).not.toContain(REVOKED.token);
    expect(run.stdout).toContain("    - activity: revoked, at: 2024-05-21T08:30:00Z\n");
  });

  it("colours the status on a terminal only", async () => {
    const run = await cli(["invitation", ACTIVE.id, ...against], { isTTY: true });
    expect(run.stdout).toContain(`Status:     ${ESC}32mACTIVE${ESC}0m\n`);
    expect((await cli(["invitation", ACTIVE.id, ...against])).stdout).not.toContain(ESC);
  });

  it("--json prints the invitation with its events", async () => {
    const run = await cli(["invitation", ACTIVE.id, ...against, "--json"]);
    expect(JSON.parse(run.stdout) as InvitationDetail).toEqual(ACTIVE);
  });

  it("events of any shape get one safe line each", async () => {
    const events = [{}, "text", { nested: { a: 1 }, list: [1, 2] }, { note: "bell\u0007\nnext" }];
    mock.script(ACTIVE.id, [{ kind: "json", body: { ...ACTIVE, events } }]);
    const run = await cli(["invitation", ACTIVE.id, ...against]);
    expect(run.stdout).toContain(
      [
        "  Events:     4",
        "    - (an empty event)",
        "    - text",
        '    - nested: {"a":1}, list: [1,2]',
        "    - note: bell\\u0007\\u000anext",
        "",
      ].join("\n"),
    );
    expect(eventLine({ long: "x".repeat(500) })).toHaveLength(200);
  });

  it.each<[string, string[], number]>([
    ["an unknown id is a 404", ["invitation", UNKNOWN_ID], 3],
    ["a bad id", ["invitation", "not-a-uuid"], 2],
    ["a missing id", ["invitation"], 2],
  ])("%s: exit %i", async (_name, argv, code) => {
    const run = await cli([...argv, ...against]);
    expect(run.code).toBe(code);
    expectOneErrorLine(run);
  });

  it("--mock: the spec's example, active on the mock's clock (the help's example)", async () => {
    const run = await cli(["invitation", ACTIVE.id, "--mock"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("  Status:     ACTIVE\n");
    const expires = /Expires: +(\S+)\n/.exec(run.stdout)?.[1] ?? "";
    expect(Date.parse(expires)).toBeGreaterThan(Date.now());
  });
});

describe("revoke", () => {
  it("revokes: one line; the invitation then reads REVOKED", async () => {
    const run = await cli(["revoke", ACTIVE.id, ...against]);
    expect(run).toEqual({ code: 0, stdout: `Invitation ${ACTIVE.id} revoked.\n`, stderr: "" });
    const after = await cli(["invitation", ACTIVE.id, ...against]);
    expect(after.stdout).toContain("  Status:     REVOKED\n");
    expect(after.stdout).toMatch(/- activity: revoked, at: 2024-06-05T08:00:00Z\n$/);
  });

  it("an invitation just created, then revoked", async () => {
    const { id } = await inviteJson();
    expect((await cli(["revoke", id, ...against])).code).toBe(0);
    expect((await cli(["invitation", id, ...against, "--json"])).stdout).toContain('"REVOKED"');
  });

  it.each<[string, string[], number, RegExp]>([
    ["an unknown id is a 404", ["revoke", UNKNOWN_ID], 3, /status 404/],
    ["a bad id", ["revoke", "nope"], 2, /the invitation id must be a UUID/],
    [
      "--json is not an option of revoke",
      ["revoke", ACTIVE.id, "--json"],
      2,
      /takes no option --json/,
    ],
  ])("%s: exit %i", async (_name, argv, code, message) => {
    const run = await cli([...argv, ...against]);
    expect(run.code).toBe(code);
    expectOneErrorLine(run);
    expect(run.stderr).toMatch(message);
  });

  it("--mock: revokes the spec's example", async () => {
    expect((await cli(["revoke", ACTIVE.id, "--mock"])).code).toBe(0);
  });
});

describe("get points to invite first", () => {
  it("a connection whose user must act: the invite command, then the update link", async () => {
    const run = await cli(["get", CONNECTION_ID, ...against]);
    const lines = run.stdout.split("\n");
    expect(lines.at(-3)).toMatch(
      new RegExp(`^ {2}Invite: +nectar-connection invite ${CONNECTION_ID}$`),
    );
    expect(lines.at(-2)).toMatch(
      /^ {2}Update link: +https:\/\/dash\.nectarclimate\.com\/p\/connect\//,
    );
  });

  it("a connection that needs nothing from its user: no invite line", async () => {
    const seed = connections.seed();
    const run = await cli(["get", seed.id, ...against]);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain("Invite:");
  });
});

describe("help", () => {
  it.each([
    [
      "invite",
      ["--email <address>", "--expires <time>", "--max-uses <n>", "--send-email", "--json"],
    ],
    ["invitation", ["--json"]],
    ["revoke", ["--mock"]],
  ])("%s --help lists its options and the exit codes", async (command, options) => {
    const run = await cli([command, "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout.startsWith(`Usage: nectar-connection ${command} <`)).toBe(true);
    for (const option of options) expect(run.stdout).toContain(option);
    expect(run.stdout).toContain("Exit codes: 0 ok, 1 unexpected failure, 2 usage, 3 API error");
  });

  it("the program's help lists the three commands", async () => {
    const { stdout } = await cli(["--help"]);
    for (const command of ["invite <id>", "invitation <id>", "revoke <id>"]) {
      expect(stdout).toContain(`  ${command}`);
    }
  });
});

describe("parseExpires", () => {
  it("reads seconds, minutes, hours and days; refuses less than Nectar's 60 s", () => {
    expect(["60000", "60s", "1m", "2h", "7d", "604800s", "0.5d"].map(parseExpires)).toEqual([
      60, 60, 60, 7_200, 604_800, 604_800, 43_200,
    ]);
    for (const bad of ["", "d", "1y", "1e3", " 7d"]) {
      expect(() => parseExpires(bad), bad).toThrow(/--expires must be a duration/);
    }
    for (const short of ["59", "60", "59s", "0d"]) {
      expect(() => parseExpires(short), short).toThrow(/Nectar's minimum is 60s/);
    }
  });
});

/** A 127.0.0.1 port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  return address.port;
}
