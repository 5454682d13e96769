/**
 * Results keyed by what was asked: the field of a 2xx body that names the object (a
 * connection's `id`, an invitation's `connectionId`) must name the one the path asked for. A
 * buggy or hostile answer naming another object is refused, never taken for the one asked for
 * (which would, say, redirect an invitation to another connection).
 */

/** Which field of the 2xx body must name which path parameter. */
export interface Echo {
  /** The body field, e.g. `id` or `connectionId`. */
  readonly field: string;
  /** The path parameter it must equal (without regard to case), e.g. `connection_id`. */
  readonly param: string;
  /**
   * `true` when the spec requires the field (an answer without it is refused too); `false` when
   * it may be absent or `null` (then the body names nothing else, and is accepted).
   */
  readonly required: boolean;
}

/**
 * Why `body` does not answer for `params[echo.param]`, or `undefined` when it does (or when there
 * is no `echo`). The reason never quotes the body's value: it is server text.
 */
export function echoMismatch(
  body: object,
  echo: Echo | undefined,
  params: Readonly<Record<string, string>>,
): string | undefined {
  if (echo === undefined) return undefined;
  const named: unknown = Reflect.get(body, echo.field);
  if (named === undefined || named === null) {
    return echo.required ? `the body has no ${echo.field}` : undefined;
  }
  const asked = params[echo.param];
  if (typeof named === "string" && asked !== undefined && named.toLowerCase() === asked) {
    return undefined;
  }
  return `the body's ${echo.field} names another object than the ${echo.param} asked for`;
}
