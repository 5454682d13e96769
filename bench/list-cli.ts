/**
 * The CLI's side of the list part (`--only list`): the built `nectar-connection` in its own
 * process, finding every connection that needs its user in one mock company through
 * `check --company` (one walk; one walk per needs-user status) and through `check --file` with
 * the company's ids, requests counted by the mock and wall time spawn to exit, in the same run;
 * and the peak RSS of `list` over 100 000 connections per format, read at exit by a preloaded
 * module (`process.resourceUsage().maxRSS`), output to /dev/null.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, openSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { projectRoot, round } from "./common.ts";
import type { DiscoveryRun } from "./list.ts";

/** The built CLI. */
const CLI = path.join(projectRoot, "dist", "cli", "index.js");

/** A key for servers that accept any. */
const BENCH_KEY = "bench-key-0000000000";

/** Peak RSS of one `list` run over the virtual list. */
export interface CliListMemory {
  format: string;
  connections: number;
  peakRssMb: number;
  seconds: number;
}

/** What the mock of the discovery runs offers. */
interface Target {
  readonly url: string;
  readonly apiKey: string;
  readonly stats: { requests: number };
}

/** A file in a fresh temporary directory. */
function tempFile(name: string, text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "nectar-bench-cli-")), name);
  writeFileSync(file, text);
  return file;
}

/** The preload that prints the process's peak RSS (KiB) on standard error at exit. */
const maxRssPreload = () =>
  tempFile(
    "max-rss.mjs",
    [
      'import { writeSync } from "node:fs";',
      'process.on("exit", () => writeSync(2, "maxRSS " + process.resourceUsage().maxRSS + "\\n"));',
    ].join("\n"),
  );

/**
 * Runs the CLI with `args` against `url`; resolves to its standard output (unless `stdout` is a
 * file descriptor), standard error, exit code and wall time.
 */
function runCli(args: readonly string[], url: string, key: string, stdout?: number) {
  const started = performance.now();
  const child = spawn(process.execPath, [...args], {
    cwd: projectRoot,
    env: { ...process.env, NECTAR_API_KEY: key, NECTAR_BASE_URL: url },
    stdio: ["ignore", stdout ?? "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk;
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    err += chunk;
  });
  return new Promise<{ stdout: string; stderr: string; code: number | null; wallMs: number }>(
    (resolve) =>
      child.once("close", (code) =>
        resolve({ stdout: out, stderr: err, code, wallMs: performance.now() - started }),
      ),
  );
}

/** Runs one way of finding them: `check … --json`, the needing rows counted. */
async function checkWay(
  label: string,
  target: Target,
  connections: number,
  args: readonly string[],
): Promise<DiscoveryRun> {
  const before = target.stats.requests;
  const run = await runCli([CLI, "check", ...args, "--json"], target.url, target.apiKey);
  if (run.code !== 0) throw new Error(`check ${args.join(" ")} exited ${run.code}: ${run.stderr}`);
  const found = run.stdout.split("\n").filter((line) => line.includes('"needsUserAction":true'));
  return {
    label,
    connections,
    found: found.length,
    requests: target.stats.requests - before,
    wallMs: round(run.wallMs, 0),
  };
}

/** The CLI's three ways over one company of `target`, whose connections are `ids`. */
export async function cliDiscovery(
  target: Target,
  companyId: string,
  ids: readonly string[],
  statuses: readonly string[],
): Promise<DiscoveryRun[]> {
  const file = tempFile("ids.txt", `${ids.join("\n")}\n`);
  const filters = statuses.flatMap((status) => ["--status", status]);
  return [
    await checkWay("CLI: check --company (one walk)", target, ids.length, ["--company", companyId]),
    await checkWay("CLI: check --company, one walk per needs-user status", target, ids.length, [
      "--company",
      companyId,
      ...filters,
    ]),
    await checkWay("CLI: check --file with the company's ids", target, ids.length, [
      "--file",
      file,
    ]),
  ];
}

/** Peak RSS of `list <company>` over the virtual list at `url`, in each format. */
export async function cliListMemory(
  url: string,
  companyId: string,
  connections: number,
): Promise<CliListMemory[]> {
  const preload = maxRssPreload();
  const results: CliListMemory[] = [];
  for (const format of ["json", "csv", "table"]) {
    const flags = format === "table" ? [] : [`--${format}`];
    const args = ["--import", preload, CLI, "list", companyId, ...flags];
    const run = await runCli(args, url, BENCH_KEY, openSync("/dev/null", "w"));
    const rss = /maxRSS (\d+)/.exec(run.stderr)?.[1];
    if (run.code !== 0 || rss === undefined) {
      throw new Error(`list --${format} exited ${run.code}: ${run.stderr}`);
    }
    results.push({
      format,
      connections,
      peakRssMb: Math.round(Number(rss) / 1024),
      seconds: round(run.wallMs / 1000, 1),
    });
  }
  return results;
}
