/**
 * `signal` checked by shape as well as by class: a signal from another realm or a polyfill (an
 * object with a boolean `aborted` and both listener methods) is accepted as is; an object missing
 * any one of the three, `null`, a string and a controller-like object holding one are refused with
 * the documented message. And `secureUrl` refuses a URL object (a string is expected).
 */
import { describe, expect, it } from "vitest";
import { NectarInvalidInputError } from "../../src/core/errors.js";
import { secureUrl, signalOption } from "../../src/core/input.js";

const listen = () => {};
const shaped = { aborted: false, addEventListener: listen, removeEventListener: listen };

describe("signalOption", () => {
  it("accepts an object shaped like an AbortSignal, as is", () => {
    expect(signalOption(shaped)).toBe(shaped);
    const controller = new AbortController();
    expect(signalOption(controller.signal)).toBe(controller.signal);
    expect(signalOption(undefined)).toBeUndefined();
  });

  it.each([
    ["no aborted", { addEventListener: listen, removeEventListener: listen }],
    ["aborted not a boolean", { ...shaped, aborted: "no" }],
    ["no addEventListener", { aborted: false, removeEventListener: listen }],
    ["no removeEventListener", { aborted: false, addEventListener: listen }],
  ])("refuses an object with %s", (_, value) => {
    expect(() => signalOption(value)).toThrow(
      new NectarInvalidInputError("signal must be an AbortSignal, got a value of type object."),
    );
  });

  it.each([
    [null, "null"],
    ["abort", '"abort"'],
  ])("refuses %j", (value, shown) => {
    expect(() => signalOption(value)).toThrow(
      new NectarInvalidInputError(`signal must be an AbortSignal, got ${shown}.`),
    );
  });

  it("names a controller-like object that holds a signal-shaped one", () => {
    expect(() => signalOption({ signal: shaped })).toThrow(
      new NectarInvalidInputError(
        "signal must be an AbortSignal, got an AbortController: pass controller.signal.",
      ),
    );
    expect(() => signalOption({ signal: { aborted: false } })).toThrow(
      new NectarInvalidInputError("signal must be an AbortSignal, got a value of type object."),
    );
  });
});

describe("secureUrl", () => {
  it("refuses a URL object: a string is expected", () => {
    expect(() => secureUrl(new URL("https://api.example/v2.2"), "baseUrl")).toThrow(
      "baseUrl must be an absolute URL, got a value of type object.",
    );
  });
});
