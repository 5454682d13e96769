#!/usr/bin/env node
/**
 * `nectar-connection`: Nectar Climate connections from a shell. Node-only.
 *
 * ```sh
 * nectar-connection get <id> [--json]   # a readable summary, or the connection as JSON
 * nectar-connection link <id>           # only the update link
 * nectar-connection get 8d2f4c1e-5b7a-4e3d-9c61-0f2a7b9e4d13 --mock   # no key, no network
 * nectar-connection check --file ids.txt --fail-on needs_user_action  # many at once; exit 5 if so
 * nectar-connection watch <id> --deadline 1h  # each status change, until healthy
 * nectar-connection mock --fleet 100         # the mock on 127.0.0.1 for any language's tests
 * nectar-connection webhook verify --secret-env NECTAR_WEBHOOK_SECRET --id … < body.json
 * ```
 *
 * Exit codes: 0 ok, 1 unexpected failure, 2 usage, 3 API error, 4 network or timeout,
 * 5 condition (check --fail-on, watch --deadline), 130 interrupted (SIGINT), 141 output closed,
 * 143 terminated (SIGTERM).
 * Everything runs through {@link main} (`main.ts`); this file is the process-level wiring.
 *
 * @module
 */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { main } from "./main.js";
import { processIo } from "./process-io.js";

export { type CliIo, EXIT, PROGRAM } from "./io.js";
export { main } from "./main.js";

/** True when this file is the program node was started with (also through a symlinked bin). */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // Node's fetch parses HTTP with WebAssembly (llhttp), which V8 recompiles in the background
  // once it runs; a process cannot exit before that compilation ends: ~60 ms added to every
  // short command (measured with `node --cpu-prof`, see bench/README.md). The baseline compiler
  // is plenty for a command's few answers. Set before any WebAssembly is compiled.
  setFlagsFromString("--liftoff-only");
  const { io, finish } = processIo();
  finish(await main(process.argv.slice(2), io));
}
