/**
 * An https API on 127.0.0.1 with a certificate made for the test (selfsigned, EC P-256, for
 * `127.0.0.1` and `localhost`), so that a request through a proxy is a real TLS tunnel. The
 * certificate is also written to a file for `NODE_EXTRA_CA_CERTS` in child processes.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { generate } from "selfsigned";
import { TEST_API_KEY } from "./fixtures.js";

/** Answers one request; return without answering to leave it hanging. */
export type TlsHandler = (request: IncomingMessage, response: ServerResponse) => void;

/** A running https API. */
export interface TlsApi {
  /** `https://127.0.0.1:<port>/v2.2` */
  readonly baseUrl: string;
  readonly port: number;
  /** The certificate (PEM), to trust. */
  readonly ca: string;
  /** A file holding `ca`, for `NODE_EXTRA_CA_CERTS`. */
  readonly caFile: string;
  /** `x-api-key` of each request, in order. */
  readonly keys: readonly string[];
  close(): Promise<void>;
}

/** Makes a certificate for 127.0.0.1 and localhost. */
async function certificate() {
  return generate([{ name: "commonName", value: "127.0.0.1" }], {
    keyType: "ec",
    algorithm: "sha256",
    extensions: [
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
        ],
      },
    ],
  });
}

/** Starts the API answering with `handler`; close it when done. */
export async function startTlsApi(handler: TlsHandler): Promise<TlsApi> {
  const pems = await certificate();
  const keys: string[] = [];
  const server = createServer({ key: pems.private, cert: pems.cert }, (request, response) => {
    keys.push(String(request.headers["x-api-key"]));
    request.resume();
    request.on("end", () => handler(request, response));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const dir = mkdtempSync(path.join(tmpdir(), "nectar-tls-"));
  const caFile = path.join(dir, "ca.pem");
  writeFileSync(caFile, pems.cert);
  return {
    baseUrl: `https://127.0.0.1:${port}/v2.2`,
    port,
    ca: pems.cert,
    caFile,
    keys,
    close: () => {
      rmSync(dir, { recursive: true, force: true });
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The test key, for assertions that it never reached the proxy. */
export const KEY = TEST_API_KEY;
