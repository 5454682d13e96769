/**
 * Types only: the generated `paths`, `components` and `operations`, and named aliases for the
 * schemas. Importing from `nectar-climate-connection/types` adds no JavaScript to a bundle.
 * @packageDocumentation
 */
export type {
  $defs,
  Account,
  AccountTrackingStatus,
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
  components,
  DatasourceType,
  ErrorBody,
  EventDateTime,
  Invitation,
  InvitationCreatedConnection,
  InvitationDetail,
  InvitationPrefill,
  InvitationStatus,
  InvitationType,
  operations,
  paths,
  webhooks,
} from "../generated/schema.js";
