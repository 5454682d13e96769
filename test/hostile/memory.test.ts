/**
 * Memory proofs: one call against a 500 MB body, an endless body and a 10 GB gzip bomb (zeros
 * compressed on the fly, never held whole) each ends in a typed error, with the RSS of the
 * client's process growing by less than 100 MB. The client runs in a child process
 * (`memory-child.ts`) so that its RSS is its own; the servers run here. Small caps keep it fast.
 */
import { execFile } from "node:child_process";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { createGzip } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connections } from "../helpers/fixtures.js";
import { closeServer } from "./servers.js";

const CHILD = fileURLToPath(new URL("./memory-child.ts", import.meta.url));
const MiB = 1024 * 1024;
const MAX_RESPONSE_BYTES = MiB;
const MAX_GROWTH = 100 * 1_000_000;

/** `total` bytes of `chunk` repeated (endless when Infinity), produced as they are read. */
function repeated(chunk: Buffer, total: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= total) this.push(null);
      else {
        sent += chunk.length;
        this.push(chunk);
      }
    },
  });
}

const ZEROS = Buffer.alloc(64 * 1024);
const bodies: Record<string, (response: ServerResponse) => Promise<void>> = {
  "a 500 MB body": (response) => {
    response.writeHead(200, { "content-type": "application/json" });
    return pipeline(repeated(Buffer.alloc(64 * 1024, 32), 500 * 1_000_000), response);
  },
  "an endless body": (response) => {
    response.writeHead(200, { "content-type": "application/json" });
    return pipeline(repeated(Buffer.alloc(64 * 1024, 32), Number.POSITIVE_INFINITY), response);
  },
  "a 10 GB gzip bomb": (response) => {
    response.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
    return pipeline(repeated(ZEROS, 10 * 1_000_000_000), createGzip({ level: 9 }), response);
  },
};

let body: (response: ServerResponse) => Promise<void>;
const server = createServer((request, response) => {
  if (request.url?.endsWith("-000000000001")) {
    response.writeHead(200, { "content-type": "application/json" });
    // The warm-up answer names the id asked for, as the client requires.
    const id = request.url.split("/").pop();
    response.end(JSON.stringify({ ...connections.seed(), id }));
    return;
  }
  body(response).catch(() => response.destroy());
});
let baseUrl = "";

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2.2`;
});
afterAll(() => closeServer(server));

/** Runs the child against the current body; resolves to what it printed. */
function runChild(
  cap: number | undefined,
): Promise<{ name: string; message: string; baseline: number; peak: number }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--expose-gc", "--import", "tsx", CHILD],
      {
        env: {
          ...process.env,
          NECTAR_TEST_BASE_URL: baseUrl,
          NECTAR_TEST_MAX_RESPONSE_BYTES: cap === undefined ? "" : String(cap),
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`child failed: ${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout.trim().split("\n").pop() ?? "{}"));
      },
    );
  });
}

describe("one call against a hostile body, in a child process", () => {
  it.each(Object.keys(bodies))(
    "%s ends in NectarResponseTooLargeError with RSS growing < 100 MB",
    async (name) => {
      body = bodies[name] as typeof body;
      const result = await runChild(MAX_RESPONSE_BYTES);
      const growth = result.peak - result.baseline;
      console.info(
        `${name}: RSS ${(result.baseline / MiB).toFixed(1)} MiB → peak ${(result.peak / MiB).toFixed(1)} MiB (+${(growth / MiB).toFixed(1)} MiB)`,
      );
      expect(result.name).toBe("NectarResponseTooLargeError");
      expect(growth).toBeLessThan(MAX_GROWTH);
    },
    60_000,
  );

  it("a 500 MB body with the default cap (10 MiB) stays within a small multiple of it", async () => {
    body = bodies["a 500 MB body"] as typeof body;
    const result = await runChild(undefined);
    const growth = result.peak - result.baseline;
    console.info(`500 MB body, default cap: +${(growth / MiB).toFixed(1)} MiB`);
    expect(result.name).toBe("NectarResponseTooLargeError");
    expect(result.message).toMatch(/larger than maxResponseBytes \(10485760 bytes\)/);
    expect(growth).toBeLessThan(MAX_GROWTH);
  }, 60_000);
});
