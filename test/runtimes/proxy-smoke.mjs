// The library through a CONNECT proxy on this runtime: the packed tarball's `proxy` option with
// its optional undici 6 (its own fetch with its agent, whatever undici the runtime bundles), one
// retrieve through a proxy that opens tunnels, and one through a proxy that answers 407.
import { createNectarClient } from "nectar-climate-connection";

const config = JSON.parse(process.env.NECTAR_PROXY_SMOKE ?? "{}");
const { apiKey, baseUrl, seedId, proxyUrl, refusingProxyUrl } = config;

const client = createNectarClient({ apiKey, baseUrl, proxy: proxyUrl });
const found = await client.connections.retrieve(seedId);

const refused = createNectarClient({ apiKey, baseUrl, proxy: refusingProxyUrl, logLevel: "off" });
let refusal = null;
try {
  await refused.connections.retrieve(seedId);
} catch (error) {
  refusal = { name: error.name, proxyStatus: error.proxyStatus, attempts: error.attempts };
}
console.log(JSON.stringify({ node: process.versions.node, id: found.id, refusal }));
