/**
 * The client a command gets: the library's client with the run's signal passed to every call,
 * so that Ctrl-C, SIGTERM or a closed output aborts whatever the command is waiting for and no
 * new request starts. A command cannot forget the signal: it never holds a client without it.
 */
import type { NectarClient } from "../client.js";

/** The resources a command calls. */
type Resources = Pick<NectarClient, "connections" | "invitations">;

/** The names of the methods of `T`. */
type MethodsOf<T> = {
  [K in keyof T]: T[K] extends (...args: never[]) => unknown ? K : never;
}[keyof T];

/**
 * For each method of each resource, the position of its options argument (where `signal`
 * goes). The type requires every method: one the library adds fails to compile until it is
 * listed here, so no call reaches the network without the run's signal.
 */
export const OPTIONS_ARGUMENT = {
  connections: { list: 1, retrieve: 1, retrieveMany: 1, updateLink: 1, waitFor: 1 },
  invitations: { createReconnect: 1, retrieve: 1, revoke: 1 },
} as const satisfies {
  readonly [R in keyof Resources]: { readonly [M in MethodsOf<Resources[R]>]: number };
};

/**
 * The client of a session: the resources, each call carrying the run's signal. The raw
 * openapi-fetch client is left out: its calls would not.
 */
export type SessionClient = Resources & Pick<NectarClient, "baseUrl" | "ping">;

/** `args` with the run's `signal` in the options at `position`. */
function withSignal(args: readonly unknown[], position: number, signal: AbortSignal): unknown[] {
  const out = [...args];
  const options = out[position];
  if (options !== undefined && (typeof options !== "object" || options === null)) {
    return out; // the library refuses a bad options argument before sending anything
  }
  if (options !== undefined && "signal" in options) {
    // A second signal would have to be combined with this one: none of the CLI's calls needs it.
    throw new TypeError("A session's calls carry the run's signal: pass no signal of your own.");
  }
  out[position] = { ...options, signal };
  return out;
}

/** `resource` with each method of `positions` given the run's signal. */
function bindResource<T extends object>(
  resource: T,
  positions: Readonly<Record<string, number>>,
  signal: AbortSignal,
): T {
  return new Proxy(resource, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key);
      const position =
        typeof key === "string" && Object.hasOwn(positions, key) ? positions[key] : undefined;
      if (typeof value !== "function" || position === undefined) return value;
      return (...args: unknown[]) =>
        Reflect.apply(value, target, withSignal(args, position, signal));
    },
  });
}

/**
 * The session client over `client`: every call of every resource receives `signal`.
 * @throws {TypeError} from a call given a `signal` of its own.
 */
export function bindSignal(client: NectarClient, signal: AbortSignal): SessionClient {
  return {
    connections: bindResource(client.connections, OPTIONS_ARGUMENT.connections, signal),
    invitations: bindResource(client.invitations, OPTIONS_ARGUMENT.invitations, signal),
    ping: (options) => client.ping(withSignal([options], 0, signal)[0] as typeof options),
    baseUrl: client.baseUrl,
  };
}
