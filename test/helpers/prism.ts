/**
 * Starts Prism (`@stoplight/prism-cli`, run with this Node) on a free loopback port, waits until
 * it answers, and stops it again. Used by the tests that hold the client or the mock against the
 * spec: `prism mock generated/openapi.json` and `prism proxy generated/openapi.json <upstream>`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const PRISM = fileURLToPath(
  new URL("../../node_modules/@stoplight/prism-cli/dist/index.js", import.meta.url),
);

/** A running Prism. */
export interface PrismProcess {
  /** Its base URL, e.g. `http://127.0.0.1:41235` (Prism serves the spec's paths at its root). */
  readonly url: string;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** Stops it (SIGTERM) and waits for it to exit; safe to call more than once. */
  stop(): Promise<void>;
}

/** A port that was free a moment ago: listen on 0, read it, close. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/**
 * Runs `prism <args> -h 127.0.0.1 -p <free port>` from the project root, e.g.
 * `startPrism(["mock", "generated/openapi.json"])`. Resolves once Prism answers an HTTP request
 * at `probePath` (any status counts: a keyless request gets Prism's own 401).
 */
export async function startPrism(
  args: readonly string[],
  probePath = "/connection/3c90c3cc-0d44-4b50-8888-8dd25736052a",
  timeoutMs = 25_000,
): Promise<PrismProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let printed = "";
  const child: ChildProcess = spawn(
    process.execPath,
    [PRISM, ...args, "-h", "127.0.0.1", "-p", `${port}`],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } },
  );
  child.stdout?.on("data", (chunk: Buffer) => {
    printed += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    printed += chunk.toString();
  });

  let stopping: Promise<void> | undefined;
  const prism: PrismProcess = {
    url,
    output: () => printed,
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          resolve();
          return;
        }
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      });
      return stopping;
    },
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Prism exited early:\n${printed}`);
    try {
      const probe = await fetch(`${url}${probePath}`, { signal: AbortSignal.timeout(1_000) });
      await probe.arrayBuffer();
      return prism;
    } catch {
      if (Date.now() > deadline) {
        await prism.stop();
        throw new Error(`Prism did not start within ${timeoutMs} ms:\n${printed}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
