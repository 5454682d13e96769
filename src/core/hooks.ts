/**
 * The `hooks` option: functions called with the same frozen events the tracing channels carry.
 * A hook is called synchronously and never awaited: whatever it returns, a promise that never
 * settles included, the call goes on at once. A hook that throws or rejects is caught; its first
 * failure is logged at `warn`, later ones at `debug`, and the call never sees it.
 */
import type { AttemptEvent, EndEvent, Sink } from "./observe.js";

/** Functions the client calls as a call runs. Each gets a frozen event: no key, no body. */
export interface NectarHooks {
  /** Before each attempt is sent (after its wait for a slot). */
  onRequest?: ((event: AttemptEvent) => void) | undefined;
  /** When an attempt is answered, whatever the status. */
  onResponse?: ((event: EndEvent) => void) | undefined;
  /** When an attempt is to be retried: `retryDelayMs` says when. */
  onRetry?: ((event: EndEvent) => void) | undefined;
  /** When a call fails for good: `errorName` and `errorMessage` say why. */
  onError?: ((event: EndEvent) => void) | undefined;
}

/** The names of the hooks, for checks. */
export const HOOK_NAMES = ["onRequest", "onResponse", "onRetry", "onError"] as const;

/** Where a hook's failure is reported: the hook's name, and whether it failed before. */
export type HookFault = (name: string, error: unknown, again: boolean) => void;

/** The sink calling `hooks`; failures go to `report`. */
export function hooksSink(hooks: NectarHooks, report: HookFault): Sink {
  const failed = new Set<string>();
  const call = <E>(name: (typeof HOOK_NAMES)[number], hook: ((event: E) => void) | undefined) => {
    if (hook === undefined) return undefined;
    const fault = (error: unknown) => {
      report(name, error, failed.has(name));
      failed.add(name);
    };
    return (event: E) => {
      try {
        const returned: unknown = hook(event);
        if (returned instanceof Promise) returned.then(undefined, fault);
      } catch (error) {
        fault(error);
      }
    };
  };
  const onResponse = call("onResponse", hooks.onResponse);
  const onRetry = call("onRetry", hooks.onRetry);
  const onError = call("onError", hooks.onError);
  return {
    attemptStart: call("onRequest", hooks.onRequest),
    attemptEnd: (event: EndEvent) => {
      if (event.status !== undefined) onResponse?.(event);
      if (event.retryDelayMs !== undefined) onRetry?.(event);
    },
    callEnd: (event: EndEvent) => {
      if (event.errorName !== undefined) onError?.(event);
    },
  };
}
