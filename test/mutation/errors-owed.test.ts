/**
 * The error classes' details the M4 mutation run left unpinned: `name` as writable and
 * configurable as Error's own, a JSON body that is `null` or a number, how a detail or a text
 * body is shortened into the message, the HTML test of a text body, a proxy error's attempts, the
 * too-large and validation messages, the last status in a wait error, and a webhook error's options.
 */
import { describe, expect, it } from "vitest";
import { MAX_DETAIL_IN_MESSAGE } from "../../src/core/constants.ts";
import {
  type ApiErrorInit,
  apiErrorFor,
  NectarApiError,
  NectarError,
  NectarNotFoundError,
  NectarPaginationError,
  NectarProxyError,
  NectarResponseTooLargeError,
  NectarResponseValidationError,
  NectarTooManyItemsError,
  NectarWaitTimeoutError,
  NectarWebhookVerificationError,
} from "../../src/core/errors.ts";

function init(body: unknown, status = 500): ApiErrorInit {
  return { method: "GET", path: "/x", status, body, headers: new Headers(), attempts: 1 };
}

const PROBLEM = { method: "GET", path: "/x", status: 200, headers: new Headers() };

describe("name, as Error.prototype has it", () => {
  it("is writable and configurable on every class's prototype, like the built-in's", () => {
    const builtIn = Object.getOwnPropertyDescriptor(Error.prototype, "name");
    for (const errorClass of [NectarError, NectarApiError, NectarProxyError]) {
      const own = Object.getOwnPropertyDescriptor(errorClass.prototype, "name");
      expect(own).toEqual({ ...builtIn, value: errorClass.name });
    }
  });

  it("can be set on an instance, as a framework wrapping errors does", () => {
    const error = apiErrorFor(init("x"));
    error.name = "Wrapped";
    expect(error.name).toBe("Wrapped");
  });
});

describe("the message of an API error", () => {
  it("ends with a full stop for a JSON body of null or a number (no detail to read)", () => {
    expect(apiErrorFor(init(null)).message).toBe("GET /x failed with status 500.");
    expect(apiErrorFor(init(42)).message).toBe("GET /x failed with status 500.");
    expect(apiErrorFor(init(null)).detail).toBeUndefined();
  });

  it("folds each run of whitespace in a detail into one space and trims it", () => {
    const error = apiErrorFor(init({ detail: "  Not\n\n  found \t here  " }, 404));
    expect(error.message).toBe("GET /x failed with status 404: Not found here");
  });

  it("keeps a detail of exactly the limit whole, and cuts one character longer", () => {
    const exact = "a".repeat(MAX_DETAIL_IN_MESSAGE);
    expect(apiErrorFor(init({ detail: exact })).message).toMatch(new RegExp(`: ${exact}$`));
    const longer = `${"b".repeat(MAX_DETAIL_IN_MESSAGE)}c`;
    expect(apiErrorFor(init({ detail: longer })).message).toMatch(
      new RegExp(`: ${"b".repeat(MAX_DETAIL_IN_MESSAGE)}…$`),
    );
  });

  it("names a text body that starts with a tag, after any whitespace, as an HTML page", () => {
    for (const body of ["<html>oops</html>", " \n\t<!doctype html>"]) {
      expect(apiErrorFor(init(body, 502)).message).toBe(
        "GET /x failed with status 502 (an HTML page, not Nectar's JSON).",
      );
    }
  });

  it("quotes a text body that holds a `<` later on, and a word before a tag", () => {
    expect(apiErrorFor(init("a < b", 502)).message).toBe("GET /x failed with status 502: a < b");
    expect(apiErrorFor(init("x<b>", 502)).message).toBe("GET /x failed with status 502: x<b>");
  });
});

describe("the other errors' fields and messages", () => {
  it("a proxy error keeps its attempts", () => {
    const error = new NectarProxyError("refused", { proxyStatus: 407, attempts: 3 });
    expect(error.attempts).toBe(3);
    expect(error.proxyStatus).toBe(407);
  });

  it("a too-large body's message names the limit", () => {
    const error = new NectarResponseTooLargeError({ ...PROBLEM, maxResponseBytes: 100 });
    expect(error.message).toBe(
      "GET /x returned status 200, but the body is larger than maxResponseBytes (100 bytes).",
    );
  });

  it("a validation error names the body itself as (body), and a pointer as itself", () => {
    const atBody = new NectarResponseValidationError({
      ...PROBLEM,
      violations: [{ pointer: "", message: "must be object" }],
    });
    expect(atBody.message).toMatch(/: \(body\) must be object\.$/);
    const atField = new NectarResponseValidationError({
      ...PROBLEM,
      violations: [{ pointer: "/status", message: "must be string" }],
    });
    expect(atField.message).toMatch(/: \/status must be string\.$/);
  });
});

describe("the last status in a wait error", () => {
  const progress = { deadlineMs: 1000, waitedMs: 1001, polls: 2 };

  it("says no poll answered when none did", () => {
    const error = new NectarWaitTimeoutError({ ...progress, lastStatus: undefined });
    expect(error.message).toBe(
      "waitFor gave up after 1001 ms (deadlineMs 1000, 2 polls, no answer yet).",
    );
  });

  it("names the last status, on one line and at most 60 characters", () => {
    const error = new NectarWaitTimeoutError({ ...progress, lastStatus: "pending\n review" });
    expect(error.message).toMatch(/, last status pending review\)\.$/);
    const long = new NectarWaitTimeoutError({ ...progress, lastStatus: "s".repeat(100) });
    expect(long.message).toMatch(new RegExp(`, last status ${"s".repeat(60)}\\)\\.$`));
    expect(long.lastStatus).toBe("s".repeat(100));
  });
});

describe("a webhook error's options", () => {
  it("without options: no violations and no cause property at all", () => {
    const error = new NectarWebhookVerificationError("invalid_json", "not JSON");
    expect(error.violations).toEqual([]);
    expect("cause" in error).toBe(false);
    expect(error.message).toBe("Webhook refused (invalid_json): not JSON");
  });

  it("keeps the cause and the violations it is given", () => {
    const cause = new SyntaxError("bad");
    const violations = [{ pointer: "/type", message: "must be string" }];
    const error = new NectarWebhookVerificationError("invalid_payload", "bad", {
      cause,
      violations,
    });
    expect(error.cause).toBe(cause);
    expect(error.violations).toEqual(violations);
  });
});

describe("errors built from source (the export tests build the bundle)", () => {
  it("a validation error without violations says unknown", () => {
    const error = new NectarResponseValidationError({ ...PROBLEM, violations: [] });
    expect(error.message).toBe("GET /x returned a body that does not match the spec: unknown.");
  });

  it("a pagination error and a too-many-items error keep their fields and message", () => {
    const paging = new NectarPaginationError({ problem: "repeated_page", page: 2, message: "m." });
    expect(paging).toMatchObject({ problem: "repeated_page", page: 2, message: "m." });
    const many = new NectarTooManyItemsError(10);
    expect(many.max).toBe(10);
    expect(many.message).toMatch(/^toArray stopped: the list holds more than 10 items \(max\)\./);
  });
});

describe("the 404 hint of a base URL without a version", () => {
  const notFound = (baseUrl: string, message?: string) =>
    new NectarNotFoundError({ ...init({}, 404), baseUrl }, message);

  it("takes a version of several digits, or with several digits after the point, as one", () => {
    for (const baseUrl of ["https://h.example/v10", "https://h.example/v2.10/"]) {
      expect(notFound(baseUrl).hint, baseUrl).toBeUndefined();
    }
    expect(notFound("https://h.example/api").hint).toBeDefined();
  });

  it("gives no hint for a base URL that is not a URL, and none without one", () => {
    expect(notFound("not a url").hint).toBeUndefined();
    expect(new NectarNotFoundError(init({}, 404)).hint).toBeUndefined();
  });

  it("ends a message without a period with one before the hint", () => {
    const error = notFound("https://h.example/api", "nothing here");
    expect(error.message).toBe(`nothing here. Hint: ${error.hint}.`);
  });
});
