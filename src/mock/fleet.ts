/**
 * The fleet generator: `size` realistic connections, the same ones for the same seed, spread
 * over every status the spec lists (each appears once as soon as `size` reaches their number),
 * most of them healthy as in a real integration.
 */
import type { Connection, ConnectionStatus, CountryCode } from "../../generated/schema.js";

/** Options of the generated fleet (`startMockServer({ fleet })`). */
export interface MockFleetOptions {
  /** How many connections to generate, 0 to 100 000. */
  size: number;
  /** The same seed gives the same fleet; default 1. */
  seed?: number | undefined;
}

/** The largest fleet the mock generates. */
export const MAX_FLEET_SIZE = 100_000;

/** What Nectar's `statusErrorDetail` reads like for each status (null for the error-free ones). */
const ERROR_DETAIL: Record<ConnectionStatus, string | null> = {
  PENDING: null,
  CONNECTED: null,
  UNDER_INVESTIGATION: "The utility portal changed its login page; our team is updating the flow.",
  PASSWORD_INCORRECT: "The utility website rejected the username and password.",
  MFA_TOKEN_EXPIRED: "The portal asked for a one-time code sent to the account holder.",
  NEW_PASSWORD_NEEDED: "The portal requires a new password before logging in.",
  ADDITIONAL_CREDENTIALS_NEEDED: "The portal asked for the answer to a security question.",
  WEBSITE_DOWN: "The utility website returned an error page.",
  URL_INACCESSIBLE: "The login URL did not respond.",
  NO_ACCOUNTS_FOUND: "Logged in, but the portal lists no accounts.",
  OTHER_ERROR: "Collection stopped with an unexpected portal response.",
  COMPANY_INACTIVE: "The company was deactivated.",
  DEACTIVATED: "The connection was deactivated.",
};

/** The `statusErrorDetail` of a status; `null` for a status without one or an unknown status. */
export function errorDetailOf(status: string): string | null {
  return isStatus(status) ? ERROR_DETAIL[status] : null;
}

/** Is `status` one of the statuses this generator knows? */
function isStatus(status: string): status is ConnectionStatus {
  return Object.hasOwn(ERROR_DETAIL, status);
}

/** Relative frequency of each status past the first one of each: mostly healthy. */
const WEIGHT: Partial<Record<ConnectionStatus, number>> = { CONNECTED: 60, PENDING: 6 };
const OTHER_WEIGHT = 3;

const UTILITIES: readonly (readonly [name: string, url: string, country: CountryCode])[] = [
  ["Pacific Gas and Electric", "https://www.pge.com", "US"],
  ["Consolidated Edison", "https://www.coned.com", "US"],
  ["Duke Energy", "https://www.duke-energy.com", "US"],
  ["Southern California Edison", "https://www.sce.com", "US"],
  ["Hydro One", "https://www.hydroone.com", "CA"],
  ["British Gas", "https://www.britishgas.co.uk", "GB"],
  ["EDF Energy", "https://www.edfenergy.com", "GB"],
  ["Vattenfall", "https://www.vattenfall.de", "DE"],
  ["Thames Water", "https://www.thameswater.co.uk", "GB"],
  ["Origin Energy", "https://www.originenergy.com.au", "AU"],
];
const COMPANIES = ["Acme Facilities", "Globex Properties", "Initech Offices", "Umbrella Retail"];
const TYPES = ["ELECTRICITY", "GAS", "WATER"] as const;

/** mulberry32: a small, fast, seedable generator; numbers in [0, 1). */
function randomFrom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A random version-4 UUID from `random`. */
function uuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = "4";
  hex[16] = "89ab"[Math.floor(random() * 4)] ?? "8";
  const s = hex.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** One of `items`, picked by `random`. */
function pick<T>(items: readonly T[], random: () => number): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new RangeError("pick from an empty list");
  return item;
}

/** The statuses of the fleet in order: each once (shuffled), then drawn by weight. */
function statusesFor(size: number, statuses: readonly ConnectionStatus[], random: () => number) {
  const first = [...statuses];
  for (let i = first.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const [a, b] = [first[i], first[j]];
    if (a !== undefined && b !== undefined) [first[i], first[j]] = [b, a];
  }
  const weights = statuses.map((s) => WEIGHT[s] ?? OTHER_WEIGHT);
  const sum = weights.reduce((a, b) => a + b, 0);
  const draw = (): ConnectionStatus => {
    let x = random() * sum;
    for (let i = 0; i < statuses.length; i++) {
      x -= weights[i] ?? 0;
      if (x < 0) return statuses[i] ?? "CONNECTED";
    }
    return "CONNECTED";
  };
  return Array.from({ length: size }, (_, i) => first[i] ?? draw());
}

/** An ISO timestamp `days` (fractional) before 2026-01-01. */
const before = (days: number) =>
  new Date(Date.UTC(2026, 0, 1) - Math.round(days * 86_400) * 1_000)
    .toISOString()
    .replace(".000", "");

/** A company of the fleet: its name and id (the same for the same seed). */
interface FleetCompany {
  readonly name: string;
  readonly id: string;
}

/** The fleet's companies: every connection belongs to one of these few, as in a real organization. */
function companiesFor(seed: number): FleetCompany[] {
  // A stream of its own, so the connections drawn from `random` do not depend on the companies.
  const random = randomFrom(seed ^ 0x5eed_c0de);
  return COMPANIES.map((name) => ({ name, id: uuid(random) }));
}

/** Up to two utility accounts of generated connection `index`. */
function accountsOf(
  index: number,
  random: () => number,
  datasourceTypes: NonNullable<Connection["initialDatasourceTypes"]>,
): NonNullable<Connection["accounts"]> {
  return Array.from({ length: Math.floor(random() * 3) }, (_, n) => ({
    id: uuid(random),
    meters: [uuid(random)],
    isTracked: true,
    isDuplicated: false,
    accountNumber: `${1000 + index}-${String(n).padStart(4, "0")}`,
    trackingStatus: "ENABLED" as const,
    dataCollectionStartDate: "2024-01-01",
    isCollectingInvoiceData: true,
    isCollectingSmartMeterData: random() < 0.3,
    datasourceTypes,
    lastServiceDate: "2025-11-30",
  }));
}

/** One generated connection. */
function connectionOf(
  index: number,
  status: ConnectionStatus,
  random: () => number,
  companies: readonly FleetCompany[],
): Connection {
  const [name, url, country] = pick(UTILITIES, random);
  const { name: company, id: companyId } = pick(companies, random);
  const createdDays = 30 + random() * 700;
  const sinceDays = random() * Math.min(createdDays, 60);
  const types = TYPES.filter(() => random() < 0.5);
  const datasourceTypes = types.length > 0 ? [...types] : ["ELECTRICITY" as const];
  const accounts = accountsOf(index, random, datasourceTypes);
  const slug = company.toLowerCase().replace(/[^a-z]+/g, "-");
  return {
    id: uuid(random),
    created: before(createdDays),
    publicCompanyId: `${slug}-${companyId.slice(0, 4)}`,
    connectionMagicLinkSecret: `gAAAAABmockFleetSecret${uuid(random).replace(/-/g, "")}==`,
    statusLastUpdateTime: status === "PENDING" ? null : before(random() * sinceDays),
    statusFirstSeenTime: status === "PENDING" ? null : before(sinceDays),
    statusErrorDetail: errorDetailOf(status),
    updated: before(sinceDays),
    externalId: `crm-connection-${10_000 + index}`,
    datasource: { name, url },
    accounts: status === "PENDING" ? [] : accounts,
    company: { id: companyId, name: company, externalId: `crm-company-${slug}` },
    url: `${url}/login`,
    status,
    country,
    initialSites: [uuid(random)],
    initialDatasourceTypes: datasourceTypes,
    username: `facilities+${index}@${slug}.example`,
    workflowOwnerEmail: `energy+${index}@${slug}.example`,
    dataCollectionStartDate: "2024-01-01",
    multiplyByOccupancy: false,
    isActive: status !== "DEACTIVATED",
  };
}

/**
 * Generates `size` connections for `seed`, using `statuses` (the spec's enum, in its order).
 * @throws {RangeError} on a size outside 0…100 000 or a seed that is not an integer.
 */
export function generateFleet(
  options: MockFleetOptions,
  statuses: readonly ConnectionStatus[],
): Connection[] {
  const { size, seed = 1 } = options;
  if (!Number.isInteger(size) || size < 0 || size > MAX_FLEET_SIZE) {
    throw new RangeError(`fleet.size must be an integer from 0 to ${MAX_FLEET_SIZE}, got ${size}`);
  }
  if (!Number.isSafeInteger(seed))
    throw new RangeError(`fleet.seed must be an integer, got ${seed}`);
  const random = randomFrom(seed);
  const companies = companiesFor(seed);
  return statusesFor(size, statuses, random).map((status, i) =>
    connectionOf(i, status, random, companies),
  );
}
