/**
 * `src/cli/words.ts` on its own: each option of the table the CLI tests did not reach is said in
 * the CLI's words, and every name in a message is replaced, not only the first.
 */
import { describe, expect, it } from "vitest";
import { inCliWords } from "../../src/cli/words.js";

describe("inCliWords", () => {
  it.each([
    ["allowedEmails must list at most 100 addresses", "--email must list at most 100 addresses"],
    ["sendEmail must be a boolean", "--send-email must be a boolean"],
    ["startMockServer fleet.size must be at most 100000", "--fleet must be at most 100000"],
    ["fleet.seed must be an integer", "--seed must be an integer"],
  ])("%j → %j", (message, said) => {
    expect(inCliWords(message)).toBe(said);
  });

  it("replaces every name in a message", () => {
    expect(inCliWords("give timeoutMs or deadlineMs, not baseUrl")).toBe(
      "give --timeout or --deadline, not --base-url",
    );
  });
});
