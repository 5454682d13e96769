/**
 * Runs the code samples of `snippets/` the way a reader would, from a throwaway project outside
 * this repository: `node_modules/nectar-climate-connection` links to this checkout (so imports go
 * through the package's `exports` to the built `dist/`), `node_modules/.bin/nectar-connection` to
 * the built CLI (so `npx nectar-connection` runs it; npm is kept offline, so it never fetches).
 * TypeScript samples are type-checked by tsc (strict, NodeNext) and executed by tsx, shell ones
 * by bash (a curl sample runs the real curl).
 */
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { bin, cleanEnv, root } from "./package.js";

/** The throwaway project the samples run in. */
export interface SnippetProject {
  dir: string;
  /** Copies a sample into the project (as `<name>/<file>`) and returns its path there. */
  add(source: string, name: string): Promise<string>;
}

/** What one sample did. */
export interface SnippetResult {
  file: string;
  /** Empty when the sample type-checked (TypeScript), ran and exited 0. */
  problems: string[];
  stdout: string;
  stderr: string;
}

const TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    lib: ["ES2023"],
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    skipLibCheck: true,
    noEmit: true,
    types: ["node"],
    typeRoots: [path.join(root, "node_modules", "@types")],
  },
};

/**
 * The web frameworks the webhook recipes (`snippets/webhooks/`) and the README use, linked into
 * the project from this checkout's dev dependencies, as a reader's app would have them installed.
 */
const FRAMEWORKS = [
  "express",
  "@types/express",
  "fastify",
  "hono",
  "@hono/node-server",
  "pino",
  "winston",
  "@opentelemetry/api",
];

/** Creates the throwaway project; the caller removes `dir` when done. */
export async function createSnippetProject(): Promise<SnippetProject> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "nectar-snippets-"));
  await mkdir(path.join(dir, "node_modules", ".bin"), { recursive: true });
  await symlink(root, path.join(dir, "node_modules", "nectar-climate-connection"), "dir");
  for (const name of FRAMEWORKS) {
    const target = path.join(dir, "node_modules", name);
    await mkdir(path.dirname(target), { recursive: true });
    await symlink(path.join(root, "node_modules", name), target, "dir");
  }
  // The bin as package.json names it, so the samples run whatever the build ships.
  const { bin: bins } = JSON.parse(await readFile(path.join(root, "package.json"), "utf8")) as {
    bin: Record<string, string>;
  };
  const cli = bins["nectar-connection"];
  if (cli === undefined) throw new Error("package.json has no nectar-connection bin");
  await symlink(path.join(root, cli), path.join(dir, "node_modules", ".bin", "nectar-connection"));
  const manifest = { name: "snippet-reader", private: true, type: "module" };
  await writeFile(path.join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFile(path.join(dir, "tsconfig.json"), `${JSON.stringify(TSCONFIG, null, 2)}\n`);
  return {
    dir,
    async add(source, name) {
      const target = path.join(dir, name, path.basename(source));
      await mkdir(path.dirname(target), { recursive: true });
      await cp(source, target);
      return target;
    },
  };
}

/** Runs a program; resolves with its exit code and output whatever it exits with. */
function exec(
  file: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { ...options, encoding: "utf8", timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
        resolve({ code, stdout, stderr: error && code === -1 ? error.message : stderr });
      },
    );
  });
}

/** tsc's complaints about each of `files` (one tsc run for all of them). */
export async function typeErrors(project: SnippetProject, files: readonly string[]) {
  const errors = new Map<string, string[]>(files.map((file) => [file, []]));
  if (files.length === 0) return errors;
  const args = [bin.tsc, "-p", "tsconfig.json", "--pretty", "false"];
  await writeFile(
    path.join(project.dir, "tsconfig.json"),
    JSON.stringify({ ...TSCONFIG, files: files.map((file) => path.relative(project.dir, file)) }),
  );
  const result = await exec(process.execPath, args, { cwd: project.dir, env: cleanEnv() });
  for (const line of result.stdout.split("\n").filter((l) => /error TS\d+/.test(l))) {
    const file = files.find((f) => line.startsWith(path.relative(project.dir, f)));
    (file === undefined ? [...errors.values()][0] : errors.get(file))?.push(line);
  }
  if (result.code !== 0 && [...errors.values()].every((list) => list.length === 0)) {
    for (const list of errors.values()) list.push(`tsc exited ${result.code}: ${result.stdout}`);
  }
  return errors;
}

/**
 * Type-checks (TypeScript) and runs each sample in `project` with `env` added (e.g.
 * `NECTAR_BASE_URL`, `NECTAR_API_KEY`), one after the other.
 */
export async function runSnippets(
  project: SnippetProject,
  files: readonly string[],
  env: Record<string, string>,
): Promise<SnippetResult[]> {
  const typeScript = files.filter((file) => file.endsWith(".ts"));
  const checked = await typeErrors(project, typeScript);
  const results: SnippetResult[] = [];
  for (const file of files) {
    const [program, args] = file.endsWith(".ts")
      ? [process.execPath, [bin.tsx, file]]
      : ["bash", ["-eu", "-o", "pipefail", file]];
    const result = await exec(program, args, {
      cwd: project.dir,
      env: {
        ...cleanEnv(),
        npm_config_offline: "true",
        npm_config_update_notifier: "false",
        ...env,
      },
    });
    const problems = [...(checked.get(file) ?? [])];
    if (result.code !== 0) problems.push(`exited ${result.code}: ${result.stderr.trim()}`);
    results.push({ file, problems, stdout: result.stdout, stderr: result.stderr });
  }
  return results;
}
