/**
 * Creates and supervises the language client. Loaded on demand (`await import`) so that activation
 * never evaluates vscode-languageclient; the server process starts only when a manifest opens or the
 * cluster view becomes visible.
 */
import type { ExtensionContext, LogOutputChannel } from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  State,
  TransportKind,
  type CloseHandlerResult,
  type ErrorHandler,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { LANGUAGE_CLIENT_ID, PREFIX } from '../shared/ids';
import * as protocol from '../shared/protocol';
import { SERVER_EXEC_ARGV } from '../shared/server-launch';
import { redactTrace } from './util/trace-redact';

/**
 * The protocol constants, re-exported from this lazily loaded module: evaluating them loads
 * vscode-languageserver-protocol, which activation must not pay for. Eager client code uses
 * `import type` from `shared/protocol` and sends requests through `ExtensionState.request`.
 */
export { protocol };

/** How many unexpected exits within {@link RESTART_WINDOW_MS} are restarted before giving up. */
export const MAX_RESTARTS = 5;
/** The window for {@link MAX_RESTARTS}. */
export const RESTART_WINDOW_MS = 3 * 60_000;

/**
 * Restarts the server after a crash, up to {@link MAX_RESTARTS} times in {@link RESTART_WINDOW_MS}, and says
 * so in the output channel; after that it stops and points at the Restart Language Server command.
 */
export class RestartingErrorHandler implements ErrorHandler {
  private readonly exits: number[] = [];
  /** Number of crash restarts so far. */
  restarts = 0;

  /** Creates a handler logging to `log` that calls `onGiveUp` when it stops restarting; `now` is injectable for tests. */
  constructor(
    private readonly log: LogOutputChannel,
    private readonly onGiveUp: () => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  error(error: Error, _message: unknown, count: number | undefined): ErrorHandlerResult {
    this.log.error(`Language server connection error: ${error.message}`);
    return { action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true };
  }

  closed(): CloseHandlerResult {
    const now = this.now();
    while (this.exits.length > 0 && now - (this.exits[0] ?? 0) > RESTART_WINDOW_MS) this.exits.shift();
    this.exits.push(now);
    if (this.exits.length <= MAX_RESTARTS) {
      this.restarts++;
      this.log.warn('The Kube Forecast language server stopped unexpectedly; restarting it.');
      return { action: CloseAction.Restart, handled: true };
    }
    const message = `The Kube Forecast language server stopped ${MAX_RESTARTS + 1} times in ${RESTART_WINDOW_MS / 60_000} minutes and will not be restarted. Run "Kube Forecast: Restart Language Server" after checking the output.`;
    this.log.error(message);
    this.onGiveUp();
    return { action: CloseAction.DoNotRestart, message, handled: false };
  }
}

/** The running-state of the client, as the extension reports it. */
export type ServerRunState = 'stopped' | 'starting' | 'running';

/**
 * `log` for the protocol trace: every trace line goes through {@link redactTrace}, so a verbose trace
 * holds no document text and no revealed Secret value; everything else is `log` itself.
 */
export function redactingTraceChannel(log: LogOutputChannel): LogOutputChannel {
  return new Proxy(log, {
    get(target, p) {
      if (p === 'trace') return (message: string, ...args: unknown[]) => target.trace(redactTrace(message), ...args);
      const v: unknown = Reflect.get(target, p);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/** Builds the language client for `dist/server.js` over node IPC. Does not start it. */
export function createLanguageClient(
  context: ExtensionContext,
  log: LogOutputChannel,
  onGiveUp: () => void,
): { client: LanguageClient; errorHandler: RestartingErrorHandler } {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV] } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV] } },
  };
  const errorHandler = new RestartingErrorHandler(log, onGiveUp);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
    ],
    outputChannel: log,
    traceOutputChannel: redactingTraceChannel(log),
    synchronize: { configurationSection: PREFIX },
    errorHandler,
  };
  const client = new LanguageClient(LANGUAGE_CLIENT_ID, 'Kube Forecast Language Server', serverOptions, clientOptions);
  return { client, errorHandler };
}

/** Maps the client's state enum to {@link ServerRunState}. */
export function runState(state: State): ServerRunState {
  switch (state) {
    case State.Running:
      return 'running';
    case State.Starting:
      return 'starting';
    default:
      return 'stopped';
  }
}
