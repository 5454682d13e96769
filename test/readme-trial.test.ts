/**
 * The newcomer trial: every shell command of the README's ```sh blocks, in order, run by `sh`
 * against the built CLI (`dist/`, the package's bin) and ONE standalone mock this file starts
 * with `nectar-connection mock` on a free port, its two variables in every command's
 * environment as the README says. Each must exit with the code its line states (`# exit N`),
 * 0 otherwise. The README is read when the test runs, so a command added or changed there is
 * tried as written. Also: every flag a command's help names is one of its options, every
 * `nectar-connection <cmd>` of the README is a command, and every help example runs.
 *
 * What cannot run here as written, and why, is listed once in {@link SKIPPED} and
 * {@link SUBSTITUTED}.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMMANDS } from "../src/cli/commands/index.js";
import { connections, invitations } from "./helpers/fixtures.js";
import { cleanEnv, ensureBuilt, root } from "./helpers/package.js";

/** Commands the trial does not run, each with its reason (matched at the start of the line). */
const SKIPPED: readonly (readonly [start: RegExp, reason: string])[] = [
  [/^npm ci\b/, "installs and rebuilds the tree every other test runs against (setup did it)"],
  [/^npm test\b/, "runs the whole suite, this trial included"],
  [/^export NECTAR_WEBHOOK_SECRET=whsec_\.\.\./, "a placeholder for a real endpoint's secret"],
  [
    /^nectar-connection webhook verify\b/,
    "verifies a real delivery's body.json, not in the README",
  ],
  [/^nectar-connection mock --port 4010 --fleet\b/, "a server on a fixed port until Ctrl-C"],
  [/^kill %1\b/, "the trial stops its own mock"],
];

/**
 * Commands the trial runs in its own way: the README's shared mock is the trial's (a free
 * port), and the `export` of its variables sets the trial's URL and key.
 */
const SUBSTITUTED: readonly (readonly [start: RegExp, reason: string])[] = [
  [/^nectar-connection mock --port 4010 &/, "the trial's shared mock, started the same way"],
  [/^export NECTAR_BASE_URL=/, "the shared mock's URL and key, in every command's environment"],
];

/** The placeholders of the README's commands, and what the trial puts in their place. */
function placeholders(companyId: string): Record<string, string> {
  return {
    "<connection-id>": connections.passwordIncorrect().id,
    "<invitation-id>": invitations.detailActive().id,
    "<companyId>": companyId,
    "<siteId>": "1f0e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
    // watch's id: the placeholder connection, made CONNECTED first so that watch ends at once
    "<id>": connections.seed().id,
  };
}

/** A command of a ```sh block: its text (continuations joined) and the exit code it states. */
interface ReadmeCommand {
  readonly text: string;
  readonly exit: number;
}

/** The commands of `markdown`'s ```sh blocks, in order; comment lines dropped. */
function shellCommands(markdown: string): ReadmeCommand[] {
  const commands: ReadmeCommand[] = [];
  for (const block of markdown.matchAll(/^```sh\n([\s\S]*?)^```/gm)) {
    const joined = (block[1] ?? "").replace(/\\\n\s*/g, "");
    for (const line of joined.split("\n").map((l) => l.trim())) {
      if (line === "" || line.startsWith("#")) continue;
      const stated = /#.*\bexit (\d+)/.exec(line)?.[1];
      commands.push({ text: line, exit: stated === undefined ? 0 : Number(stated) });
    }
  }
  return commands;
}

const README = () => readFileSync(path.join(root, "README.md"), "utf8");
const BIN = path.join(root, "dist", "cli", "index.js");

let work: string;
let mockProcess: ChildProcess;
let env: NodeJS.ProcessEnv;
let origin: string;

/** Starts `nectar-connection mock` on a free port; resolves to its two variables. */
async function startSharedMock(): Promise<Record<string, string>> {
  mockProcess = spawn(process.execPath, [BIN, "mock"], { env: cleanEnv(), stdio: "pipe" });
  let stdout = "";
  return new Promise((resolve, reject) => {
    mockProcess.once("exit", (code) => reject(new Error(`the mock exited (${code})`)));
    mockProcess.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const lines = stdout.split("\n").filter((line) => line.includes("="));
      if (lines.length < 2) return;
      resolve(Object.fromEntries(lines.map((line) => line.split(/=(.*)/s).slice(0, 2))));
    });
  });
}

/** Sends `body` to the mock's control route for `id`. */
async function control(id: string, body: unknown): Promise<void> {
  const response = await fetch(`${origin}/_mock/connection/${id}/status`, {
    method: "POST",
    headers: { "x-api-key": env.NECTAR_API_KEY ?? "", "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(202);
}

beforeAll(async () => {
  await ensureBuilt();
  work = mkdtempSync(path.join(tmpdir(), "readme-trial-"));
  const binDir = path.join(work, "bin");
  const shim = path.join(binDir, "nectar-connection");
  mkdirSync(binDir);
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(shim, 0o755);
  const variables = await startSharedMock();
  env = { ...cleanEnv(), ...variables, PATH: `${binDir}:${process.env.PATH ?? ""}` };
  origin = new URL(variables.NECTAR_BASE_URL ?? "").origin;
  const ids = [connections.passwordIncorrect(), connections.deactivated(), connections.seed()];
  writeFileSync(
    path.join(work, "ids.txt"),
    `# the mock's examples\n${ids.map((c) => c.id).join("\n")}\n`,
  );
  await control(connections.seed().id, { becomes: "CONNECTED" });
}, 60_000);

afterAll(() => {
  mockProcess?.kill("SIGTERM");
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

/** What one command did. */
interface Ran {
  readonly code: number | null;
  readonly stderr: string;
  /** Whether it was still running when the trial stopped it (after `capMs`). */
  readonly capped: boolean;
}

/** Runs `command` with `sh` in the working directory; stops it after `capMs`. */
function sh(command: string, capMs = 30_000): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn("sh", ["-c", command], { cwd: work, env, stdio: "pipe" });
    let stderr = "";
    let capped = false;
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.resume();
    const timer = setTimeout(() => {
      capped = true;
      child.kill("SIGTERM");
    }, capMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, capped });
    });
  });
}

/** The README's command as the trial runs it: `npx` dropped, placeholders filled in. */
function runnable(text: string, companyId: string): string {
  let command = text.replace(/^npx nectar-connection\b/, "nectar-connection");
  for (const [name, value] of Object.entries(placeholders(companyId))) {
    command = command.split(name).join(value);
  }
  return command;
}

/** The company of the README's connection on the shared mock. */
async function companyOfExample(): Promise<string> {
  const id = connections.passwordIncorrect().id;
  const response = await fetch(`${env.NECTAR_BASE_URL}/connection/${id}`, {
    headers: { "x-api-key": env.NECTAR_API_KEY ?? "" },
  });
  const body = (await response.json()) as { company?: { id?: string } };
  return body.company?.id ?? "";
}

describe("the README, run as a newcomer would", () => {
  it("runs every ```sh command in order, each exiting as its line says", async () => {
    const companyId = await companyOfExample();
    const failures: string[] = [];
    let ran = 0;
    for (const { text, exit } of shellCommands(README())) {
      if (SKIPPED.some(([start]) => start.test(text))) continue;
      if (SUBSTITUTED.some(([start]) => start.test(text))) continue;
      const result = await sh(runnable(text, companyId));
      ran++;
      if (result.code !== exit) {
        failures.push(
          `${text}\n  exit ${result.code}, README says ${exit}: ${result.stderr.trim()}`,
        );
      }
    }
    expect(failures).toEqual([]);
    expect(ran).toBeGreaterThan(15);
  }, 240_000);

  it("skips or substitutes only lines that exist in the README", () => {
    const commands = shellCommands(README()).map((c) => c.text);
    for (const [start] of [...SKIPPED, ...SUBSTITUTED]) {
      expect(
        commands.some((text) => start.test(text)),
        String(start),
      ).toBe(true);
    }
  });

  it("names only commands that exist", () => {
    const names = new Set(COMMANDS.map((command) => command.name));
    const named = [...README().matchAll(/nectar-connection ([a-z][a-z-]*)/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((name) => !names.has(name ?? ""))).toEqual([]);
  });
});

describe("the help of every command", () => {
  it.each(COMMANDS.map((command) => [command.name, command] as const))(
    "%s: every flag it names is one of its options",
    (_name, command) => {
      const named = new Set(
        [...command.help.matchAll(/(?<![\w-])--([a-z][a-z-]*)/g)].map((m) => m[1]),
      );
      const known = new Set([...Object.keys(command.options), "help"]);
      expect([...named].filter((flag) => !known.has(flag ?? ""))).toEqual([]);
    },
  );

  /** Help examples that do not end by themselves, and why. */
  const LONG_RUNNING: Readonly<Record<string, string>> = {
    mock: "a server on a fixed port until Ctrl-C (the trial's shared mock is one)",
    webhook: "verifies a real delivery's body on standard input",
  };

  it("runs every example, each ending by itself with 0 (5 with --fail-on)", async () => {
    const companyId = await companyOfExample();
    const failures: string[] = [];
    for (const command of COMMANDS) {
      const examples = (command.help.split(/\nExamples?\b[^\n]*:\n/)[1] ?? "")
        .replace(/\\\n\s*/g, "")
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line.includes("nectar-connection "));
      expect(examples.length, command.name).toBeGreaterThan(0);
      if (command.name in LONG_RUNNING) continue;
      for (const example of examples) {
        const result = await sh(runnable(example, companyId));
        const expected = example.includes("--fail-on") ? [0, 5] : [0];
        if (result.capped || !expected.includes(result.code ?? -1)) {
          failures.push(`${example}: exit ${result.code}: ${result.stderr.trim()}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(Object.keys(LONG_RUNNING)).toEqual(["mock", "webhook"]);
  }, 120_000);
});
