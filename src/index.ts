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
  ConnectionEventAccount,
  ConnectionEventV2,
  ConnectionPage,
  ConnectionStatus,
  ConnectionStatusFilter,
  ConnectionUpdatedEventV2,
  CountryCode,
  CreateReconnectInvitationRequest,
  DatasourceType,
  ErrorBody,
  EventDateTime,
  Invitation,
  InvitationCreatedConnection,
  InvitationDetail,
  InvitationPrefill,
  InvitationStatus,
  InvitationType,
} from "../generated/schema.js";
export type { NectarClient, NectarClientOptions, RequestOptions } from "./client.js";
export { createNectarClient } from "./client.js";
export type { BulkProgress } from "./core/bulk.js";
export { CHANNEL_NAMES } from "./core/channels.js";
export type {
  ApiErrorInit,
  PaginationProblem,
  RedirectErrorInit,
  ResponseProblemInit,
  Violation,
  WaitProgressInit,
  WaitTimeoutInit,
  WebhookFailureReason,
} from "./core/errors.js";
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
  NectarPaginationError,
  NectarPermissionError,
  NectarProxyError,
  NectarRateLimitError,
  NectarRedirectError,
  NectarResponseTooLargeError,
  NectarResponseValidationError,
  NectarServerError,
  NectarTimeoutError,
  NectarTooManyItemsError,
  NectarWaitTimeoutError,
  NectarWebhookVerificationError,
  WEBHOOK_FAILURE_REASONS,
} from "./core/errors.js";
export type { NectarHooks } from "./core/hooks.js";
export type { LogLevel, LogShape, NectarLogger } from "./core/logger.js";
export type { AttemptEvent, CallEvent, EndEvent, QueueEvent } from "./core/observe.js";
export type { OpenTelemetryApi, OtelSpan, OtelTracer, TracingOptions } from "./core/otel.js";
export type { WithResponse } from "./core/promise.js";
export { NectarPromise } from "./core/promise.js";
export type { ProxyOption } from "./core/proxy.js";
export type { ProxyEnvironment } from "./core/proxy-env.js";
export { describeProxy, proxyFor } from "./core/proxy-env.js";
export type {
  CompiledCheck,
  NectarValidators,
  SchemaName,
  ValidationMode,
} from "./core/validation.js";
export type { LinkPieces, UpdateLink, UpdateLinkUrlOptions } from "./helpers/magic-link.js";
export { updateLinkUrl } from "./helpers/magic-link.js";
export type { ConnectionHealth, HealthGroup } from "./helpers/status.js";
export { connectionHealth, HEALTH_GROUPS } from "./helpers/status.js";
export { CONNECTION_STATUSES, INVITATION_STATUSES } from "./helpers/statuses.js";
export type { ListConnectionsOptions, ToArrayOptions } from "./resources/connection-list.js";
export { ConnectionList } from "./resources/connection-list.js";
export type { UpdateLinkOptions } from "./resources/connections.js";
export { ConnectionsResource } from "./resources/connections.js";
export type { CreateReconnectOptions } from "./resources/invitation-input.js";
export { InvitationsResource } from "./resources/invitations.js";
export type { RetrieveManyOptions, RetrieveManyResult } from "./resources/retrieve-many.js";
export type { WaitCondition, WaitForOptions } from "./resources/wait.js";
export type { WebhookBody } from "./webhooks/body.js";
export type { WebhookDeduper, WebhookDeduperOptions } from "./webhooks/dedupe.js";
export { createWebhookDeduper } from "./webhooks/dedupe.js";
export type {
  KnownWebhookEvent,
  NectarWebhookEvent,
  NectarWebhookEventType,
  NectarWebhookPayload,
  UnknownWebhookEvent,
  WebhookDelivery,
} from "./webhooks/event.js";
export { parseEventDateTime } from "./webhooks/event-date-time.js";
export type { WebhookHeaders } from "./webhooks/headers.js";
export type { VerifyWebhookOptions } from "./webhooks/options.js";
export { verifyWebhookRequest } from "./webhooks/request.js";
export type { WebhookSecret } from "./webhooks/secret.js";
export type { SignWebhookOptions, WebhookSignatureHeaders } from "./webhooks/sign.js";
export { signWebhook } from "./webhooks/sign.js";
export { verifyWebhook } from "./webhooks/verify.js";
