/** Every command of `nectar-connection`, in the order the help lists them. */
import { check } from "./check.js";
import type { CliCommand } from "./command.js";
import { doctor } from "./doctor.js";
import { get } from "./get.js";
import { invitation } from "./invitation.js";
import { invite } from "./invite.js";
import { link } from "./link.js";
import { list } from "./list.js";
import { mock } from "./mock.js";
import { revoke } from "./revoke.js";
import { watch } from "./watch.js";
import { webhook } from "./webhook.js";

/** The commands, in help order. */
export const COMMANDS: readonly CliCommand[] = [
  get,
  link,
  list,
  check,
  watch,
  invite,
  invitation,
  revoke,
  doctor,
  mock,
  webhook,
];
