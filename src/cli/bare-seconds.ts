/**
 * The duration flags whose bare number 0.1 read as seconds and every later release reads as
 * milliseconds (`--expires 120000` was 33 hours and is now 2 minutes). Values below a flag's
 * floor are refused with a hint already; a bare number that is accepted gets a warning for one
 * minor, so a script written for 0.1 does not silently get an expiry 1 000 times shorter.
 */
import type { OptionValues } from "./args.js";
import { asSeconds, type DurationFlag, inWords, isBareNumber, parseDuration } from "./duration.js";
import { PROGRAM } from "./io.js";

/** The flags a bare number changed meaning in (their commands: invite/check, watch, webhook, mock). */
const WERE_SECONDS: readonly DurationFlag[] = ["expires", "interval", "tolerance", "webhook-retry"];

/** The value given a flag, or `undefined` when it was not given as one string. */
const given = (values: OptionValues, flag: string) => {
  const value = values[flag];
  return typeof value === "string" ? value : undefined;
};

/** Whether a duration parses within its flag's limits (a refused one has its own message). */
function accepted(value: string, flag: DurationFlag): boolean {
  try {
    parseDuration(value, flag);
  } catch {
    return false;
  }
  return true;
}

/**
 * One warning line for each accepted bare number given to a flag that read it as seconds in 0.1
 * (`--webhook-retry` is a comma-separated list: each of its values is looked at).
 */
export function bareSecondsWarnings(values: OptionValues): string[] {
  return WERE_SECONDS.flatMap((flag) =>
    (given(values, flag)?.split(",") ?? [])
      .filter((value) => isBareNumber(value) && accepted(value, flag))
      .map(
        (value) =>
          `${PROGRAM}: warning: --${flag} ${value} is ${inWords(Number(value))}: a bare number is milliseconds (0.1 read it as seconds: write ${asSeconds(value)})\n`,
      ),
  );
}
