/**
 * One way out for every command: the built binary in a real process, its request hanging on a
 * server on 127.0.0.1, ends on the first SIGINT with exit 130 and on SIGTERM with 143, one line
 * and no stack, long before the client's own timeout would have. Also while `check` waits on
 * standard input with nothing in flight, and at `check --invite`'s question on a terminal.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { COMMANDS } from "../src/cli/commands/index.js";
import { STOP_GRACE_MS } from "../src/cli/process-io.js";
import { type ChildExit, killChildren, spawnCli } from "./helpers/cli.js";
import { hang, lastSegment, sendJson, startApi, type TestApi } from "./helpers/cli-server.js";
import { connections, invitations, TEST_API_KEY } from "./helpers/fixtures.js";
import { cleanEnv, ensureBuilt, root } from "./helpers/package.js";

const CONNECTION = connections.passwordIncorrect();
const OTHER = connections.deactivated().id;
const INVITATION = invitations.detailActive().id;
const COMPANY = CONNECTION.company?.id ?? "";

/**
 * A bound against hanging, not a speed assertion: the client alone would wait 30 s per
 * attempt, three attempts, before giving up on a server that never answers.
 */
const BOUND_MS = 10_000;

/**
 * Each command's command line, and how many requests it sends at once: each then waits on
 * requests the server never answers. A command that sends none waits otherwise: `mock` serves
 * until stopped (ready once it printed its lines), `webhook verify` reads a standard input that
 * never ends (ready once it read part of it).
 */
const WAITING: Readonly<Record<string, readonly [argv: readonly string[], requests: number]>> = {
  get: [["get", CONNECTION.id], 1],
  link: [["link", CONNECTION.id], 1],
  list: [["list", COMPANY, "--json"], 1],
  check: [["check", CONNECTION.id, OTHER, "--invite", "--yes"], 2],
  watch: [["watch", CONNECTION.id], 1],
  invite: [["invite", CONNECTION.id], 1],
  invitation: [["invitation", INVITATION], 1],
  revoke: [["revoke", INVITATION], 1],
  doctor: [["doctor"], 1],
  mock: [["mock"], 0],
  webhook: [["webhook", "verify", "--secret-env", "PATH"], 0],
};

/** The other ways of a command, each waiting as above. */
const VARIANTS: readonly (readonly [argv: readonly string[], requests: number])[] = [
  [["check", "--company", COMPANY, "--status", "PASSWORD_INCORRECT"], 1],
  [["check", "--company", COMPANY, "--fresh", "--json"], 1],
];

/**
 * Writes four times a pipe's buffer to the child's standard input: the write completes only
 * once the child has read most of it, so the command is reading its standard input.
 */
function fedThroughStdin(run: ReturnType<typeof spawnCli>): Promise<void> {
  return new Promise((resolve, reject) => {
    run.child.stdin.write(Buffer.alloc(256 * 1024, 0x20), (error) =>
      error ? reject(error) : resolve(),
    );
  });
}

/** Starts a command's waiting command line; resolves once it waits. */
async function startWaiting(name: string, server: TestApi) {
  const [argv, requests] = WAITING[name] ?? [[], 0];
  if (requests > 0) {
    const run = spawnCli([...argv, ...server.flags]);
    await server.arrived(requests);
    return run;
  }
  const run = spawnCli(argv);
  if (name === "mock") await run.firstLine;
  else await fedThroughStdin(run);
  return run;
}

let api: TestApi | undefined;
beforeAll(ensureBuilt, 120_000);
afterEach(async () => {
  killChildren();
  await api?.close();
  api = undefined;
});

it("has a hanging command line for every command", () => {
  expect(Object.keys(WAITING).sort()).toEqual(COMMANDS.map((command) => command.name).sort());
});

describe.each([
  ["SIGINT", 130, "interrupted"],
  ["SIGTERM", 143, "terminated"],
] as const)("%s", (signal, code, word) => {
  it.each(COMMANDS.map((command) => command.name))(
    `ends %s while its request hangs: exit ${code}, one line, no stack`,
    async (name) => {
      api = await startApi(hang);
      const requests = WAITING[name]?.[1] ?? 0;
      const run = await startWaiting(name, api);
      const sent = Date.now();
      run.child.kill(signal);
      expect(await run.exit).toEqual({ code, signal: null });
      expect(Date.now() - sent).toBeLessThan(BOUND_MS);
      expect(run.stderr()).toMatch(new RegExp(`(^|\n)nectar-connection: ${word}\n$`));
      if (name === "mock") expect(run.stdout()).toMatch(/^NECTAR_BASE_URL=/);
      else expect(run.stderr()).toBe(`nectar-connection: ${word}\n`);
      if (name !== "mock") expect(run.stdout()).toBe("");
      expect(api.requests).toHaveLength(requests); // nothing new was sent after the signal
    },
  );
});

describe.each([
  ["SIGINT", 130, "interrupted"],
  ["SIGTERM", 143, "terminated"],
] as const)("%s, the other ways of a command", (signal, code, word) => {
  it.each(VARIANTS.map(([argv, requests]) => [argv.join(" "), argv, requests] as const))(
    `ends %s while its request hangs: exit ${code}, one line`,
    async (_line, argv, requests) => {
      api = await startApi(hang);
      const run = spawnCli([...argv, ...api.flags]);
      await api.arrived(requests);
      run.child.kill(signal);
      expect(await run.exit).toEqual({ code, signal: null });
      expect(run.stderr()).toBe(`nectar-connection: ${word}\n`);
      expect(run.stdout()).toBe("");
      expect(api.requests).toHaveLength(requests);
    },
  );
});

describe("a command that does not stop (the process wiring alone, its command stuck)", () => {
  const started: ChildProcess[] = [];
  afterEach(() => {
    for (const child of started.splice(0)) child.kill("SIGKILL");
  });

  /** A process with the bin's wiring whose command never ends, nor hears its signal. */
  function stuck() {
    const script = [
      'const { processIo } = await import("./src/cli/process-io.ts");',
      "processIo();",
      "setInterval(() => {}, 60_000);",
      'process.stdout.write("ready\\n");',
    ].join("\n");
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", script],
      {
        cwd: root,
        env: cleanEnv(),
      },
    );
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk;
    });
    const ready = new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
    const exit = new Promise<ChildExit>((resolve) =>
      child.once("close", (code, signal) => resolve({ code, signal })),
    );
    return { child, ready, exit, stderr: () => stderr };
  }

  it("is ended a second after the first signal", async () => {
    const run = stuck();
    await run.ready;
    const sent = Date.now();
    run.child.kill("SIGINT");
    expect(await run.exit).toEqual({ code: 130, signal: null });
    expect(Date.now() - sent).toBeGreaterThanOrEqual(STOP_GRACE_MS - 50);
    expect(Date.now() - sent).toBeLessThan(BOUND_MS);
    expect(run.stderr()).toBe("nectar-connection: interrupted (forced after 1 s)\n");
  });

  it("is ended at once by a second signal", async () => {
    const run = stuck();
    await run.ready;
    run.child.kill("SIGTERM");
    run.child.kill("SIGINT");
    // Both may be pending at once, and then the lower-numbered SIGINT is handled first.
    const { code } = await run.exit;
    const word = code === 130 ? "interrupted" : "terminated";
    expect([130, 143]).toContain(code);
    expect(run.stderr()).toBe(`nectar-connection: ${word} (forced by a second signal)\n`);
  });
});

describe("nothing in flight", () => {
  it("check --file - ends on SIGINT while it waits for standard input that never ends", async () => {
    api = await startApi((request, response) =>
      sendJson(response, 200, { ...CONNECTION, id: lastSegment(request) }),
    );
    const run = spawnCli(["check", "--file", "-", "--json", ...api.flags]);
    run.child.stdin.write(`${CONNECTION.id}\n`); // answered; then standard input stays open
    await run.firstLine;
    const sent = Date.now();
    run.child.kill("SIGINT");
    expect(await run.exit).toEqual({ code: 130, signal: null });
    expect(Date.now() - sent).toBeLessThan(BOUND_MS);
    expect(run.stderr()).toBe("nectar-connection: interrupted\n");
    expect(JSON.parse(run.stdout())).toMatchObject({ id: CONNECTION.id, ok: true });
  });

  it("check --invite ends on Ctrl-C at its question on a terminal, before any request", async () => {
    api = await startApi(hang);
    const command = ["node dist/cli/index.js check", CONNECTION.id, "--invite", ...api.flags];
    const child = spawn("script", ["-qec", command.join(" "), "/dev/null"], {
      cwd: root,
      env: cleanEnv(),
    });
    let screen = "";
    child.stdin.on("error", () => {}); // the terminal may be gone before the key is written
    child.stdout.on("data", (chunk: Buffer) => {
      const asked = screen.includes("[y/N]");
      screen += chunk;
      if (!asked && screen.includes("[y/N]")) child.stdin.write("\u0003"); // Ctrl-C, once
    });
    const exitCode = await new Promise<number | null>((resolve) => child.once("close", resolve));
    expect(exitCode).toBe(130);
    expect(screen).toContain("nectar-connection: interrupted");
    expect(screen).not.toMatch(/\n\s+at /); // no stack
    expect(screen).not.toContain(TEST_API_KEY);
    expect(api.requests).toEqual([]);
  });
});
