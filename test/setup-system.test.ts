/**
 * `npm run setup`'s first step (`scripts/setup-system.ts`): the decision for every combination of
 * facts, then the script itself against a fake machine (a prefix for absolute paths, a PATH with
 * a fake apt-get that records its arguments), so the real machine is never changed.
 */
import { execFile } from "node:child_process";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aptCommands, CHROMIUM_PATH, planSystemSetup } from "../scripts/system-deps.ts";
import { bin, root } from "./helpers/package.ts";

describe("planSystemSetup", () => {
  it("does nothing when nothing is missing", () => {
    expect(planSystemSetup({ missing: [], isRoot: false, hasAptGet: false })).toEqual({
      action: "ready",
    });
  });

  it("installs the missing packages with apt-get when root and apt-get is there", () => {
    expect(planSystemSetup({ missing: [CHROMIUM_PATH], isRoot: true, hasAptGet: true })).toEqual({
      action: "install",
      packages: ["chromium"],
      commands: [
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"],
      ],
    });
    const both = planSystemSetup({
      missing: [CHROMIUM_PATH, "curl"],
      isRoot: true,
      hasAptGet: true,
    });
    expect(both).toMatchObject({ action: "install", packages: ["chromium", "curl"] });
  });

  it("asks a non-root user for the sudo apt-get line, in one line", () => {
    const plan = planSystemSetup({ missing: [CHROMIUM_PATH], isRoot: false, hasAptGet: true });
    expect(plan.action).toBe("instruct");
    if (plan.action !== "instruct") return;
    expect(plan.message).toBe(
      "npm run setup: missing /usr/bin/chromium (the docs' browser test); run: sudo apt-get update && " +
        "sudo apt-get install -y --no-install-recommends chromium, then run npm run setup again.",
    );
  });

  it("without apt-get names the packages and where Chromium must be", () => {
    const plan = planSystemSetup({
      missing: [CHROMIUM_PATH, "curl"],
      isRoot: true,
      hasAptGet: false,
    });
    expect(plan).toMatchObject({ action: "instruct", packages: ["chromium", "curl"] });
    if (plan.action !== "instruct") return;
    expect(plan.message).toContain("install chromium and curl with your system's package manager");
    expect(plan.message).toContain(`Chromium must be at ${CHROMIUM_PATH}`);
    expect(plan.message).not.toContain("sudo");
    expect(plan.message).not.toContain("\n");
  });

  it("ignores keys it does not know", () => {
    expect(
      planSystemSetup({ missing: ["/usr/bin/unknown"], isRoot: true, hasAptGet: true }),
    ).toEqual({
      action: "ready",
    });
  });

  it("builds apt-get lines that never prompt and skip recommends", () => {
    expect(aptCommands(["a", "b"])[1]).toEqual([
      "apt-get",
      "install",
      "-y",
      "-qq",
      "--no-install-recommends",
      "a",
      "b",
    ]);
  });
});

describe("scripts/setup-system.ts on a fake machine", () => {
  let tmp: string;
  let fakeRoot: string;
  let fakeBin: string;
  let aptLog: string;
  const isRoot = process.getuid?.() === 0;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "nectar-setup-"));
    fakeRoot = path.join(tmp, "root");
    fakeBin = path.join(tmp, "bin");
    aptLog = path.join(tmp, "apt.log");
    await mkdir(path.join(fakeRoot, "usr", "bin"), { recursive: true });
    await mkdir(fakeBin);
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  /** An executable shell script at `file`. */
  async function script(file: string, body: string): Promise<void> {
    await writeFile(file, `#!/bin/sh\n${body}\n`);
    await chmod(file, 0o755);
  }

  /** Runs the script with `PATH` = the fake bin directory only; resolves whatever it exits. */
  function setup(args: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
    const argv = [bin.tsx, path.join(root, "scripts", "setup-system.ts"), ...args];
    const env = { PATH: fakeBin, NECTAR_SETUP_PREFIX: fakeRoot, HOME: tmp, NO_COLOR: "1" };
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        argv,
        { cwd: root, env, encoding: "utf8" },
        (error, stdout, stderr) =>
          resolve({ code: error === null ? 0 : Number(error.code ?? 1), stdout, stderr }),
      );
    });
  }

  it("without apt-get, exits 1 with one line naming what is missing", async () => {
    const result = await setup();
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("missing /usr/bin/chromium (the docs' browser test), curl");
  });

  it("with apt-get, installs what is missing (as root) or says the sudo line", async () => {
    // The fake apt-get records its arguments and, on install, puts both programs in place.
    const chromium = path.join(fakeRoot, "usr", "bin", "chromium");
    await script(
      path.join(fakeBin, "apt-get"),
      `echo "$@" >> '${aptLog}'\n` +
        `if [ "$1" = install ]; then printf '#!/bin/sh\\n' > '${chromium}'; ` +
        `printf '#!/bin/sh\\n' > '${fakeBin}/curl'; /bin/chmod 755 '${chromium}' '${fakeBin}/curl'; fi`,
    );
    const dry = await setup(["--dry-run"]);
    if (!isRoot) {
      expect(dry.code).toBe(1);
      expect(dry.stderr).toContain("run: sudo apt-get update && sudo apt-get install -y");
      return;
    }
    expect(dry).toMatchObject({ code: 0 });
    expect(dry.stdout).toContain(
      "would run: apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium curl",
    );
    await expect(readFile(aptLog, "utf8")).rejects.toThrow(); // dry run: apt-get never called

    const real = await setup();
    expect(real.stderr).toBe("");
    expect(real.code).toBe(0);
    expect(real.stdout).toContain("installed chromium, curl");
    expect(await readFile(aptLog, "utf8")).toBe(
      "update -qq\ninstall -y -qq --no-install-recommends chromium curl\n",
    );

    const again = await setup();
    expect(again).toMatchObject({ code: 0 });
    expect(again.stdout).toContain("system programs present");
    expect((await readFile(aptLog, "utf8")).split("\n")).toHaveLength(3); // nothing new
  });

  it("fails when apt-get fails, with its output", async () => {
    await rm(path.join(fakeRoot, "usr", "bin", "chromium"), { force: true });
    await script(
      path.join(fakeBin, "apt-get"),
      "echo 'E: Unable to locate package chromium'; exit 100",
    );
    const result = await setup();
    expect(result.code).toBe(1);
    if (isRoot) {
      expect(result.stderr).toContain("E: Unable to locate package chromium");
      expect(result.stderr).toContain("`apt-get update -qq` failed");
    }
  });
});
