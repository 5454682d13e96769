/**
 * Peak memory (RSS) of `nectar-connection check` over many ids, for each output format:
 * `tsx bench/check-memory.ts [--ids 1000000] [--formats table,csv,json]`. Not part of
 * `npm run bench` (a million lookups take minutes); its numbers are quoted in the README.
 *
 * The built CLI (`dist/cli/index.js`) reads the ids from a file (distinct UUIDs, one per line)
 * and checks them against `bench/check-memory-server.ts` on 127.0.0.1 (another process),
 * writing to /dev/null. The peak RSS is the CLI process's own (`process.resourceUsage().maxRSS`,
 * read at exit by a preloaded module), the time its wall time.
 */
import { type ChildProcess, fork, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createWriteStream, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: { ids: { type: "string", default: "1000000" }, formats: { type: "string" } },
});
const count = Number(values.ids);
const formats = (values.formats ?? "table,csv,json").split(",");

/** Writes `n` distinct ids, one per line, to a file in `dir`. */
async function idFile(dir: string, n: number): Promise<string> {
  const file = path.join(dir, "ids.txt");
  const out = createWriteStream(file);
  for (let i = 0; i < n; i++) {
    if (!out.write(`${randomUUID()}\n`))
      await new Promise<void>((resolve) => out.once("drain", () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
  return file;
}

/** Starts the API process and waits for its port. */
function startServer(): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(path.join(root, "bench", "check-memory-server.ts"), [], {
    execArgv: ["--import", "tsx"],
  });
  return new Promise((resolve) => {
    child.once("message", (message) =>
      resolve({ child, port: (message as { port: number }).port }),
    );
  });
}

/** One run of the CLI: its peak RSS in MB and its wall time in seconds. */
async function measure(format: string, file: string, port: number, preload: string) {
  const flags = format === "table" ? [] : [`--${format}`];
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ["--import", preload, "dist/cli/index.js", "check", "--file", file, ...flags],
    {
      cwd: root,
      env: {
        ...process.env,
        NECTAR_API_KEY: "bench-key-0000000000",
        NECTAR_BASE_URL: `http://127.0.0.1:${port}/v2.2`,
      },
      stdio: ["ignore", openSync("/dev/null", "w"), "pipe"],
    },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk;
  });
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  const rss = /maxRSS (\d+)/.exec(stderr)?.[1];
  if (code !== 0 || rss === undefined)
    throw new Error(`check --${format} exited ${code}: ${stderr}`);
  return { mb: Math.round(Number(rss) / 1024), seconds: (performance.now() - started) / 1000 };
}

const dir = mkdtempSync(path.join(tmpdir(), "nectar-check-memory-"));
const preload = path.join(dir, "max-rss.mjs");
writeFileSync(
  preload,
  [
    'import { writeSync } from "node:fs";',
    'process.on("exit", () => writeSync(2, "maxRSS " + process.resourceUsage().maxRSS + "\\n"));',
  ].join("\n"),
);
const server = await startServer();
try {
  const file = await idFile(dir, count);
  console.log(`check over ${count} ids (node ${process.version})`);
  console.log("| format | peak RSS | wall time |");
  console.log("| --- | ---: | ---: |");
  for (const format of formats) {
    const { mb, seconds } = await measure(format, file, server.port, preload);
    console.log(`| ${format} | ${mb} MB | ${seconds.toFixed(0)} s |`);
  }
} finally {
  server.child.send("stop");
  rmSync(dir, { recursive: true, force: true });
}
