/**
 * `nectar-connection check` and `watch` as the built binary (`dist/cli/index.js`) in a child
 * process, for what only a process has: a file the user may not read, a pseudo-terminal
 * (`script`) for the progress line, a real SIGINT. The in-process tests are cli-fleet.test.ts.
 */
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MockServer } from "../src/mock/index.js";
import { startCliMock } from "./helpers/cli-mock.js";
import { connections } from "./helpers/fixtures.js";
import { cleanEnv, ensureBuilt, root } from "./helpers/package.js";

const PASSWORD_INCORRECT = connections.passwordIncorrect();

let mock: MockServer;
let against: string[];

beforeAll(async () => {
  ({ mock, against } = await startCliMock());
});
afterAll(() => mock.close());

describe("check: where the ids come from", () => {
  it("--file that cannot be read (permission denied) is a usage error naming the path", async () => {
    await ensureBuilt();
    const dir = mkdtempSync(path.join(tmpdir(), "nectar-check-"));
    const file = path.join(dir, "secret.txt");
    writeFileSync(file, `${PASSWORD_INCORRECT.id}\n`);
    chmodSync(file, 0o000);
    chmodSync(dir, 0o755);
    // Root may read any file: as root, the CLI runs as `nobody`.
    const nobody = process.getuid?.() === 0 ? { uid: 65_534, gid: 65_534 } : {};
    const run = spawnSync(
      process.execPath,
      [path.join(root, "dist/cli/index.js"), "check", "--file", file, ...against],
      { env: cleanEnv(), encoding: "utf8", ...nobody },
    );
    expect(run.stderr).toBe(
      `nectar-connection: --file "${file}" is not readable (permission denied) (see: nectar-connection check --help)\n`,
    );
    expect(run.status).toBe(2);
    expect(mock.stats.requests).toBe(0);
  });
});

describe("check: the progress line", () => {
  it("appears under a pseudo-terminal, and not when standard error is a file", async () => {
    const hasScript = spawnSync("script", ["--version"]).status === 0;
    expect(hasScript, "util-linux `script` is needed for this test").toBe(true);
    await ensureBuilt();
    const command = "node dist/cli/index.js check --mock --sample 200";
    const dir = mkdtempSync(path.join(tmpdir(), "nectar-pty-"));
    const typescript = path.join(dir, "typescript");
    const pty = spawnSync("script", ["-qec", command, typescript], {
      cwd: root,
      env: cleanEnv(),
      encoding: "utf8",
    });
    expect(pty.status).toBe(0);
    expect(pty.stdout).toContain("\r\u001b[Kchecked ");
    expect(pty.stdout).toMatch(/checked \d+\/200 · 0 failed · [\d.]+\/s/);
    const errFile = path.join(dir, "stderr.txt");
    const redirected = spawnSync("script", ["-qec", `${command} 2>${errFile}`, typescript], {
      cwd: root,
      env: cleanEnv(),
      encoding: "utf8",
    });
    expect(redirected.status).toBe(0);
    expect(redirected.stdout).not.toContain("\u001b[K");
    expect(redirected.stdout).toContain("(200 checked)");
  });
});

describe("the built binary", () => {
  it("watch --mock exits 130 on SIGINT, by itself, with nothing left running", async () => {
    await ensureBuilt();
    const child = spawn(
      process.execPath,
      ["dist/cli/index.js", "watch", PASSWORD_INCORRECT.id, "--mock", "--interval", "60s"],
      { cwd: root, env: cleanEnv() },
    );
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk;
    });
    await new Promise<void>((resolve) => {
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk;
        if (stdout.includes("\n")) resolve();
      });
    });
    child.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(130);
    expect(stdout).toMatch(/PASSWORD_INCORRECT \(needs_user_action\)/);
    expect(stderr).toContain("nectar-connection: interrupted\n");
  });
});
