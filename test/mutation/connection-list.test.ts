/**
 * Mutation tests of `src/resources/connection-list.ts` over a real socket: leaving a walk early
 * cuts the page request already in flight (the walk's own signal reaches each page's request,
 * not only the caller's), and an abort mid-page names the request in its message.
 */
import type { ServerResponse } from "node:http";
import { afterAll, describe, expect, test } from "vitest";
import { createNectarClient, NectarAbortError } from "../../src/index.ts";
import { pagingHandler } from "../hostile/paging-server.ts";
import { closeAll, optionsFor, startServer } from "../hostile/servers.ts";

const COMPANY = "6b1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f";

afterAll(closeAll);

/** Resolves `true` once `check()` holds, `false` if it still does not after `ms` (a hang bound). */
async function within(ms: number, check: () => boolean): Promise<boolean> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}

describe("connections.list (mutation)", () => {
  test("a break cuts the request of the page fetched ahead, which the server never answered", async () => {
    const answer = pagingHandler({ total: () => 25 });
    const held: ServerResponse[] = [];
    const server = await startServer((request, response) => {
      if (new URL(request.url ?? "/", "http://x.invalid").searchParams.get("page") === "1") {
        answer(request, response);
      } else {
        held.push(response); // never answered: only the client can end it
      }
    });
    // A long timeout: without the walk's signal the held request would stay open for it.
    const client = createNectarClient(optionsFor(server, { timeoutMs: 60_000 }));
    let closed = false;
    for await (const _connection of client.connections.list(COMPANY, { limit: 10 })) {
      expect(await within(5_000, () => held.length === 1)).toBe(true);
      held[0]?.on("close", () => {
        closed = true;
      });
      break;
    }
    expect(await within(5_000, () => closed)).toBe(true);
  });

  test("an abort mid-page ends the walk with a message naming the request", async () => {
    const server = await startServer(pagingHandler({ total: () => 25 }));
    const client = createNectarClient(optionsFor(server));
    const controller = new AbortController();
    const seen: string[] = [];
    let failure: unknown;
    try {
      for await (const connection of client.connections.list(COMPANY, {
        limit: 10,
        signal: controller.signal,
      })) {
        seen.push(connection.id);
        if (seen.length === 3) controller.abort();
      }
    } catch (error) {
      failure = error;
    }
    expect(seen).toHaveLength(3);
    expect(failure).toBeInstanceOf(NectarAbortError);
    expect((failure as Error).message).toBe(
      `GET /connection/company/${COMPANY} was aborted by the caller.`,
    );
  });
});
