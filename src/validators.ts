/**
 * `nectar-climate-connection/validators`: the response validators compiled from the spec, for
 * the client option `validators`. Import them only where responses are validated, so that an
 * app that never turns validation on never ships them:
 *
 * ```ts
 * import { createNectarClient } from "nectar-climate-connection";
 * import * as validators from "nectar-climate-connection/validators";
 *
 * const nectar = createNectarClient({ validateResponses: "strict", validators });
 * ```
 * @packageDocumentation
 */
export * from "../generated/validators.js";
