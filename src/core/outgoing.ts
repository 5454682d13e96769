/**
 * The request as the transport sends it: the light request openapi-fetch builds for the client's
 * own calls (or a real `Request` from `raw`), turned into what `fetch` is called with, and the
 * path a message may show.
 */

/**
 * The request object openapi-fetch builds for the client's own calls. A WHATWG `Request`
 * costs microseconds to build and is thrown away at once; this keeps only what the transport
 * reads. `client.raw` uses real `Request`s.
 */
export class LightRequest {
  readonly url: string;
  readonly method: string;
  readonly signal: AbortSignal | undefined;
  /** The JSON body openapi-fetch serialized, if any. */
  readonly body: string | undefined;

  /** Called by openapi-fetch as `new Request(url, init)`. */
  constructor(url: string, init: RequestInit) {
    this.url = url;
    this.method = init.method ?? "GET";
    this.signal = init.signal ?? undefined;
    this.body = typeof init.body === "string" ? init.body : undefined;
  }
}

/** A request as the transport receives it: a light one (the client's own calls) or a real one (raw). */
export type TransportRequest = LightRequest | Request;

/** A request as the transport sends it, whichever kind it came as: can be sent again as is. */
export interface Outgoing {
  url: string;
  method: string;
  headers: HeadersInit;
  body: string | ArrayBuffer | null;
  signal: AbortSignal | undefined;
}

/**
 * The request as sent: a light one with the client's headers (`json` when it has a body), at
 * once (no promise on the client's own path); a raw one with its own, once its body is read.
 */
export function toOutgoing(
  request: TransportRequest,
  headers: Record<string, string>,
  json: Record<string, string>,
): Outgoing | Promise<Outgoing> {
  const { url, method } = request;
  const signal = request.signal ?? undefined;
  if (request instanceof LightRequest) {
    const body = request.body;
    if (body === undefined) return { url, method, headers, body: null, signal };
    return { url, method, headers: json, body, signal };
  }
  if (request.body === null) return { url, method, headers: request.headers, body: null, signal };
  const raw = request;
  return raw.arrayBuffer().then((body) => ({ url, method, headers: raw.headers, body, signal }));
}

/** The path below the base URL, for messages: never the host, never a query. */
export function pathBelow(baseUrl: string, url: string): string {
  return (url.startsWith(baseUrl) ? url.slice(baseUrl.length) : url).replace(/\?.*$/, "");
}
