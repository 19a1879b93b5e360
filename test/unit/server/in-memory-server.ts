/** The language server in this process over in-memory streams, with a JSON-RPC client to it. */
import { PassThrough } from 'node:stream';
import {
  type ClientCapabilities,
  InitializeRequest,
  InitializedNotification,
  ProposedFeatures,
  createConnection,
} from 'vscode-languageserver/node';
import {
  StreamMessageReader,
  StreamMessageWriter,
  createMessageConnection,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import { KubeForecastServer } from '@src/server/server';

/**
 * Starts a `KubeForecastServer` whose backends come from `makeBackend`, and returns a client that has
 * sent `initialize` (with `capabilities`, none by default) and `initialized`. `beforeListen` registers
 * the client's handlers before any message flows (notifications sent during initialisation are not
 * missed); `onServer` sees the server (tests of its objects read `server.ctx`). Dispose the client to stop.
 */
export async function inMemoryServer(
  makeBackend: ConstructorParameters<typeof KubeForecastServer>[1],
  beforeListen?: (client: MessageConnection) => void,
  capabilities: ClientCapabilities = {},
  onServer?: (server: KubeForecastServer) => void,
): Promise<MessageConnection> {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const server = new KubeForecastServer(createConnection(ProposedFeatures.all, toServer, toClient), makeBackend);
  onServer?.(server);
  server.listen();
  const client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  beforeListen?.(client);
  client.listen();
  await client.sendRequest(InitializeRequest.type, {
    processId: null,
    rootUri: null,
    capabilities,
    workspaceFolders: null,
  });
  await client.sendNotification(InitializedNotification.type, {});
  return client;
}
