/**
 * `onResponse` hears only attempts that got a response: an attempt that failed without a status
 * (a refused connection, a timeout) goes to `onError` at the call's end, never to `onResponse`.
 * A hook not given is skipped (no call, no failure reported); a failing one is reported by name.
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

it("a hook not given is not called, and no missing hook counts as a failure", () => {
  const onError = vi.fn();
  const report = vi.fn();
  const onlyOnError = hooksSink({ onError }, report);
  onlyOnError.attemptEnd?.({ ...failed, status: 503, retryDelayMs: 1_000, errorName: undefined });
  onlyOnError.attemptStart?.(attempt);
  onlyOnError.callEnd?.(failed);
  expect(onError).toHaveBeenCalledOnce();
  hooksSink({ onRequest: vi.fn() }, report).callEnd?.(failed);
  expect(report).not.toHaveBeenCalled();
});

it("reports a failing hook under its own name", () => {
  const report = vi.fn();
  const broken = () => {
    throw new Error("broken");
  };
  const sink = hooksSink({ onRetry: broken, onError: broken }, report);
  sink.attemptEnd?.({ ...failed, status: 503, retryDelayMs: 1_000 });
  sink.callEnd?.(failed);
  expect(report.mock.calls.map(([name]) => name)).toEqual(["onRetry", "onError"]);
});
