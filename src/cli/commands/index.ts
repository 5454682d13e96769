/** Every command of `nectar-connection`, in the order the help lists them. */
import type { CliCommand } from "./command.js";
import { get } from "./get.js";
import { invitation } from "./invitation.js";
import { invite } from "./invite.js";
import { link } from "./link.js";
import { revoke } from "./revoke.js";

/** The commands, in help order. */
export const COMMANDS: readonly CliCommand[] = [get, link, invite, invitation, revoke];
