/**
 * The one place that asks the client to re-request CodeLenses (`workspace/codeLens/refresh`): at once,
 * and once more after a cluster status has settled. Handlers never wait; the settled refresh is a
 * timer here, cleared on dispose.
 */
import { CodeLensRefreshRequest, type Connection } from 'vscode-languageserver';

/**
 * How long after the last status change the lenses are refreshed once more. VS Code (1.139's CodeLens
 * controller) cancels a pending CodeLens fetch when the editor loses focus, and a status changes mostly
 * while a quick pick or a file dialog has the focus (Choose Context, Load a cluster snapshot…): without
 * the second refresh a lens could keep saying "Starting the simulated cluster…" until the editor was
 * focused again.
 */
export const SETTLED_REFRESH_MS = 2000;

/** Sends lens refreshes over one connection, when the client declared support. */
export class LensRefresher {
  /** Whether the client supports `workspace/codeLens/refresh` (set from `initialize`). */
  supported = false;
  private settled: NodeJS.Timeout | undefined;
  private disposed = false;

  /** Creates a refresher that sends over `connection`. */
  constructor(private readonly connection: Connection) {}

  /** Sends `workspace/codeLens/refresh` now; failures are ignored (the next edit refreshes anyway). */
  refresh(): void {
    if (!this.supported || this.disposed) return;
    this.connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  }

  /** After a status change: a refresh now and one more {@link SETTLED_REFRESH_MS} after the last change. */
  statusChanged(): void {
    this.refresh();
    clearTimeout(this.settled);
    this.settled = setTimeout(() => {
      this.settled = undefined;
      this.refresh();
    }, SETTLED_REFRESH_MS);
    this.settled.unref();
  }

  /** True while a settled refresh is scheduled. */
  get pending(): boolean {
    return this.settled !== undefined;
  }

  /** Clears the pending settled refresh; later calls send nothing. */
  dispose(): void {
    this.disposed = true;
    clearTimeout(this.settled);
    this.settled = undefined;
  }
}
