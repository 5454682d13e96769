/** A promise of data that can also give the response behind it (Stainless's `withResponse()`). */
import { requestIdOf } from "./errors.js";

/** What a call produces; the request id is read from it only when asked for. */
export interface CallResult<T> {
  data: T;
  response: Response;
  attempts: number;
}

/** The data of a call with what came with it. */
export interface WithResponse<T> {
  /** The parsed, checked body. */
  data: T;
  /** The final HTTP response (its body already read). */
  response: Response;
  /** How many attempts the call took, retries included. */
  attempts: number;
  /** A request id from the response headers, when the server sent one. */
  requestId: string | undefined;
}

/**
 * Resolves to the data, like any promise; `.withResponse()` resolves to the data together with
 * the raw `Response`, the number of attempts and the request id.
 * @example
 * const { data, response, attempts } = await client.connections.retrieve(id).withResponse();
 */
export class NectarPromise<T> extends Promise<T> {
  readonly #full: Promise<CallResult<T>>;
  #data: Promise<T> | undefined;

  /** Wraps the full result; the data promise is derived only when someone awaits it. */
  constructor(full: Promise<CallResult<T>>) {
    // The base promise is never observed: then/catch/finally read the derived data promise,
    // so a caller who only uses withResponse() gets no unhandled rejection from it.
    super((resolve) => resolve(undefined as T));
    this.#full = full;
  }

  /** The data with the raw `Response`, the attempt count and the request id. */
  withResponse(): Promise<WithResponse<T>> {
    return this.#full.then((result) => ({
      ...result,
      requestId: requestIdOf(result.response.headers),
    }));
  }

  #dataPromise(): Promise<T> {
    this.#data ??= this.#full.then((result) => result.data);
    return this.#data;
  }

  // biome-ignore lint/suspicious/noThenProperty: a Promise subclass must define then.
  override then<A = T, B = never>(
    onfulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#dataPromise().then(onfulfilled, onrejected);
  }

  override catch<B = never>(
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<T | B> {
    return this.#dataPromise().catch(onrejected);
  }

  override finally(onfinally?: (() => void) | null): Promise<T> {
    return this.#dataPromise().finally(onfinally);
  }
}
