/** The language server's entry point (`dist/server.js`): create the connection and start the server. */
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { KubeForecastServer } from './server';

new KubeForecastServer(createConnection(ProposedFeatures.all)).listen();
