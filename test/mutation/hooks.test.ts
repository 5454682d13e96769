/**
 * `onResponse` hears only attempts that got a response: an attempt that failed without a status
 * (a refused connection, a timeout) goes to `onError` at the call's end, never to `onResponse`.
 */
import { expect, it, vi } from "vitest";
import { hooksSink } from "../../src/core/hooks.ts";
import type { EndEvent } from "../../src/core/observe.ts";

const attempt = {
  callId: 1,
  operationId: "listConnections",
  method: "GET",
  path: "/c",
  attempt: 1,
};
const failed: EndEvent = {
  ...attempt,
  status: undefined,
  requestId: undefined,
  retryDelayMs: undefined,
  errorName: "NectarConnectionError",
  errorMessage: "connection refused",
};

it("onResponse is not called for an attempt that ended without a status", () => {
  const onResponse = vi.fn();
  const report = vi.fn();
  hooksSink({ onResponse }, report).attemptEnd?.(failed);
  expect(onResponse).not.toHaveBeenCalled();
  hooksSink({ onResponse }, report).attemptEnd?.({ ...failed, status: 503 });
  expect(onResponse).toHaveBeenCalledOnce();
  expect(report).not.toHaveBeenCalled();
});
