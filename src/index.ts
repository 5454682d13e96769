/**
 * nectar-climate-connection: a typed, resilient client for Nectar Climate's utility-connection
 * API (v2.2). Start with {@link createNectarClient}.
 * @packageDocumentation
 */

export type {
  Account,
  Connection,
  ConnectionCompany,
  ConnectionDatasource,
  ConnectionStatus,
  CountryCode,
  CreateReconnectInvitationRequest,
  DatasourceType,
  ErrorBody,
  Invitation,
  InvitationCreatedConnection,
  InvitationDetail,
  InvitationPrefill,
  InvitationStatus,
  InvitationType,
} from "../generated/schema.js";
export type { NectarClient, NectarClientOptions, RequestOptions } from "./client.js";
export { createNectarClient } from "./client.js";
export type { UpdateLinkOptions } from "./connections.js";
export { ConnectionsResource } from "./connections.js";
export type { ApiErrorInit, ResponseProblemInit, Violation } from "./errors.js";
export {
  isNectarError,
  NectarAbortError,
  NectarApiError,
  NectarAuthenticationError,
  NectarBadRequestError,
  NectarConnectionError,
  NectarError,
  NectarInvalidInputError,
  NectarInvalidResponseError,
  NectarNotFoundError,
  NectarPermissionError,
  NectarRateLimitError,
  NectarResponseValidationError,
  NectarServerError,
  NectarTimeoutError,
} from "./errors.js";
export type { LogLevel, NectarLogger } from "./logger.js";
export type { LinkPieces, UpdateLink, UpdateLinkUrlOptions } from "./magic-link.js";
export { updateLinkUrl } from "./magic-link.js";
export type { WithResponse } from "./promise.js";
export { NectarPromise } from "./promise.js";
export type { ConnectionHealth, HealthGroup } from "./status.js";
export { connectionHealth } from "./status.js";
export type { ValidationMode } from "./validation.js";
