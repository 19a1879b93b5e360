/**
 * The language server's entry point (`dist/server.js`): create the connection and start the server.
 * A promise rejection nobody handled is logged as an error (`window/logMessage`) instead of ending
 * the process, which Node does by default: one bad document must not take every feature down.
 */
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { KubeForecastServer } from './server';

const connection = createConnection(ProposedFeatures.all);
process.on('unhandledRejection', (e) => {
  connection.console.error(
    `kube-forecast: unhandled error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
  );
});
new KubeForecastServer(connection).listen();
