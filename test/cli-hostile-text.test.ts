/**
 * One chokepoint for server text: a server on 127.0.0.1 puts control characters, escape
 * sequences (screen clear, OSC 8 hyperlink, 8-bit CSI) and bidirectional controls into every
 * string of every object it sends, and into its error details. Every command, in every format,
 * on a terminal and off it, prints them visibly escaped: no raw one reaches stdout or stderr,
 * except the CLI's own line ends, colours and progress line.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMMANDS } from "../src/cli/commands/index.js";
import { ownSequences } from "../src/cli/output.js";
import { printable } from "../src/cli/text.js";
import { runCli } from "./helpers/cli.js";
import { sendJson, startApi, type TestApi } from "./helpers/cli-server.js";
import { connections, invitations, TEST_WEBHOOK_SECRET } from "./helpers/fixtures.js";
import { standardSign } from "./helpers/webhooks.js";

/** Everything a terminal could act on, in one string. */
const HOSTILE = [
  "\u001b[2J\u001b[H", // clear the screen, cursor home
  "\u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007", // OSC 8 hyperlink
  "\u009b31m", // 8-bit CSI
  "\u202e\u2066\u2069\u200e\u200f\u061c\u202a", // bidi overrides, isolates, marks
  "\r\n\t\u0000\u0007\u007f\u0085\u2028\u2029", // line breaks, NUL, BEL, DEL, NEL, separators
].join("");

/** Every raw character the output must not carry (line ends aside). */
const UNSAFE = /[\p{Cc}\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/** `value` with {@link HOSTILE} added to every string, deep; `keep` names fields left alone. */
function hostile(value: unknown, keep: ReadonlySet<string>): unknown {
  if (typeof value === "string") return `${value}${HOSTILE}`;
  if (Array.isArray(value)) return value.map((item) => hostile(item, keep));
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, keep.has(key) ? item : hostile(item, keep)]),
  );
}

const CONNECTION = connections.passwordIncorrect();
const INVITATION = invitations.detailActive();
const ID = CONNECTION.id;
const OTHER = connections.deactivated().id;
const INVITATION_ID = INVITATION.id;
const COMPANY = CONNECTION.company?.id ?? "";
/** The page numbers of a one-page list. */
const PAGE = {
  totalConnections: 2,
  perPage: 500,
  totalPages: 1,
  currentPage: 1,
  hasNext: false,
  hasPrevious: false,
};

/** How the server twists its answers in one run. */
type Twist = "every field" | "every field but the status" | "error details";

/** The id a request names: `/connection/{id}`, `/invitation/{id}`, `/invitation/{id}/revoke`. */
function idIn(url: string): string {
  const parts = url.split("?")[0]?.split("/").filter(Boolean) ?? [];
  return (parts.at(-1) === "revoke" ? parts.at(-2) : parts.at(-1)) ?? "";
}

/** Answers every operation with its example, twisted by `twist`; the id stays the one asked for. */
function answer(twist: Twist, request: IncomingMessage, response: ServerResponse): void {
  if (twist === "error details") {
    sendJson(response, 404, { detail: HOSTILE, [HOSTILE]: HOSTILE });
    return;
  }
  const keep = new Set(twist === "every field" ? ["id"] : ["id", "status"]);
  const url = request.url ?? "";
  const id = idIn(url);
  if (url.includes("/connection/company/")) {
    // One page of two connections, each named by its own id (a list answers for many).
    const items = [ID, OTHER].map((own) => ({ ...(hostile(CONNECTION, keep) as object), id: own }));
    sendJson(response, 200, { ...PAGE, connections: items });
  } else if (url.startsWith("/v2.2/ping")) {
    sendJson(response, 200, hostile({ version: "2.2", detail: "pong" }, keep));
  } else if (url.includes("/revoke")) {
    response.writeHead(204).end();
  } else if (url.includes("/invitation/connection/")) {
    // The invitation names the connection asked for (an answer naming another one is refused).
    const created = hostile(invitations.reconnect(), keep) as object;
    sendJson(response, 201, { ...created, connectionId: id });
  } else if (url.includes("/invitation/")) {
    const events = [...(INVITATION.events ?? []), { [HOSTILE]: HOSTILE }, HOSTILE, [HOSTILE]];
    sendJson(response, 200, { ...(hostile({ ...INVITATION, events }, keep) as object), id });
  } else {
    sendJson(response, 200, { ...(hostile(CONNECTION, keep) as object), id });
  }
}

let twist: Twist = "every field";
let api: TestApi;
beforeAll(async () => {
  api = await startApi((request, response) => answer(twist, request, response));
});
afterAll(() => api.close());

/** The command lines of each command: every format, every column. */
const RUNS: Readonly<Record<string, readonly (readonly string[])[]>> = {
  get: [
    ["get", ID],
    ["get", ID, "--json"],
  ],
  link: [["link", ID]],
  check: [
    ["check", ID, OTHER, "--links", "--invite", "--yes"],
    ["check", ID, OTHER, "--links", "--invite", "--yes", "--json"],
    ["check", ID, OTHER, "--links", "--invite", "--yes", "--csv"],
  ],
  watch: [
    ["watch", ID, "--interval", "1s", "--until", "unknown,needs_user_action"],
    ["watch", ID, "--interval", "1s", "--until", "healthy", "--deadline", "1s"],
  ],
  invite: [
    ["invite", ID, "--email", "a@b.example"],
    ["invite", ID, "--json"],
  ],
  invitation: [
    ["invitation", INVITATION_ID],
    ["invitation", INVITATION_ID, "--json"],
  ],
  revoke: [["revoke", INVITATION_ID]],
  list: [
    ["list", COMPANY],
    ["list", COMPANY, "--json"],
    ["list", COMPANY, "--csv", "--status", "PASSWORD_INCORRECT"],
  ],
  doctor: [["doctor"], ["doctor", "--json"]],
  // These two call no API: the hostile text comes from their input (see the last describe).
  mock: [["mock", "--webhook-url", `http://127.0.0.1:9/${HOSTILE}`, "--webhook-secret-env", "S"]],
  webhook: [["webhook", "verify", "--secret-env", "S", "--tolerance", "1d"]],
};

/** The other ways of a command: `check --company`, in every format, with and without --fresh. */
const VARIANTS: readonly (readonly string[])[] = [
  ["check", "--company", COMPANY, "--links", "--invite", "--yes"],
  ["check", "--company", COMPANY, "--json", "--fresh"],
  ["check", "--company", COMPANY, "--csv", "--links"],
];

/** The commands that call no API, run with hostile input instead of a hostile server. */
const OFFLINE = new Set(["mock", "webhook"]);

it("runs every command", () => {
  expect(Object.keys(RUNS).sort()).toEqual(COMMANDS.map((command) => command.name).sort());
});

/** What is left of `out` once the sequences the CLI itself writes are taken out. */
const withoutOwn = (out: string, tty: boolean) =>
  out.replace(new RegExp(ownSequences(tty, tty).source, "g"), "");

const CASES = [
  ...Object.entries(RUNS)
    .filter(([command]) => !OFFLINE.has(command))
    .flatMap(([, argvs]) => argvs),
  ...VARIANTS,
].map((argv) => argv.join(" "));

/**
 * Whether the run shows some of the server's text: `link` prints a URL built from encoded
 * parts, `revoke` only its own line, and `watch` a documented status's own summary; all of them
 * print the server's error details.
 */
function echoes(line: string, how: Twist): boolean {
  const command = line.split(" ")[0];
  if (how === "error details") return true;
  // doctor prints no server text but an error's details
  if (command === "link" || command === "revoke" || command === "doctor") return false;
  // list's table shows the status, the date (its first ten characters) and what to do only
  const listTable = command === "list" && !line.includes("--json") && !line.includes("--csv");
  if (how === "every field but the status" && listTable) return false;
  return !(command === "watch" && how === "every field but the status");
}

describe.each<[Twist, boolean]>([
  ["every field", false],
  ["every field", true],
  ["every field but the status", false],
  ["every field but the status", true],
  ["error details", false],
])("a server sending %s (terminal: %s)", (how, tty) => {
  it.each(CASES)("%s prints no raw control character", async (line) => {
    twist = how;
    const run = await runCli([...line.split(" "), ...api.flags], {
      isTTY: tty,
      stderrIsTTY: tty,
      env: tty ? { TERM: "xterm" } : {},
    });
    const printed = `${run.stdout}${run.stderr}`;
    expect(withoutOwn(printed, tty)).not.toMatch(UNSAFE);
    // The server's text did reach the output, visibly escaped.
    if (echoes(line, how)) expect(printed).toMatch(/\\u001b|\\u202e|\\u0000/);
  });
});

describe("commands that call no API, given hostile input", () => {
  const env = { S: TEST_WEBHOOK_SECRET };

  it("mock prints a hostile --webhook-url escaped", async () => {
    const controller = new AbortController();
    const [argv = []] = RUNS.mock ?? [];
    // Stopped once it has announced itself (an interrupt right after the first line would cut
    // the announcement short: the mock says nothing more once its run is stopping).
    const run = await runCli([...argv], { env, signal: controller.signal }, () =>
      setImmediate(() => controller.abort()),
    );
    expect(run.code).toBe(130);
    expect(withoutOwn(`${run.stdout}${run.stderr}`, false)).not.toMatch(UNSAFE);
    expect(run.stderr).toMatch(/\\u001b|\\u202e/);
  });

  it("webhook verify prints a hostile event type escaped", async () => {
    const body = JSON.stringify({ eventType: HOSTILE, id: HOSTILE });
    const headers = standardSign(body, {
      id: "msg_hostile",
      timestamp: Math.floor(Date.now() / 1000),
    });
    const [argv = []] = RUNS.webhook ?? [];
    const run = await runCli(
      [
        ...argv,
        "--id",
        headers["svix-id"],
        "--timestamp",
        headers["svix-timestamp"],
        "--signature",
        headers["svix-signature"],
      ],
      {
        env,
        stdin: async function* () {
          yield Buffer.from(body);
        },
      },
    );
    expect(run.code).toBe(0);
    expect(withoutOwn(`${run.stdout}${run.stderr}`, false)).not.toMatch(UNSAFE);
    expect(run.stdout).toMatch(/\\u001b|\\u202e/);
  });
});

describe("printable", () => {
  it("escapes each control, escape introducer and bidi control as \\uXXXX", () => {
    expect(printable(HOSTILE)).not.toMatch(UNSAFE);
    expect(printable("a\u001b[2Jb")).toBe("a\\u001b[2Jb");
    expect(printable("\u202eabc")).toBe("\\u202eabc");
    expect(printable("\u009b31m")).toBe("\\u009b31m");
    expect(printable("x\r\ny")).toBe("x\\u000d\\u000ay");
    expect(printable("plain text, accents é and emoji 🎉")).toBe(
      "plain text, accents é and emoji 🎉",
    );
  });

  it("keeps only the sequences it is told to", () => {
    const keep = ownSequences(true, true);
    expect(printable("a\r\nb\n", keep)).toBe("a\r\nb\n");
    expect(printable("\u001b[32mok\u001b[0m", keep)).toBe("\u001b[32mok\u001b[0m");
    expect(printable("\r\u001b[Kchecked", keep)).toBe("\r\u001b[Kchecked");
    // A colour the CLI never paints with (8: concealed) stays escaped.
    expect(printable("\u001b[8mhidden", keep)).toBe("\\u001b[8mhidden");
    expect(printable("a\rb", keep)).toBe("a\\u000db");
    const plain = ownSequences(false, false);
    expect(printable("\u001b[32mok\r\u001b[K\n", plain)).toBe("\\u001b[32mok\\u000d\\u001b[K\n");
  });

  it("leaves JSON valid and its value unchanged", () => {
    const value = { name: HOSTILE, list: [HOSTILE, 1, null], [HOSTILE]: true };
    const json = printable(JSON.stringify(value, null, 2), ownSequences(false, false));
    expect(json.replace(/\n/g, "")).not.toMatch(UNSAFE);
    expect(JSON.parse(json)).toEqual(value);
  });
});
