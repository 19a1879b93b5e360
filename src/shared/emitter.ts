/**
 * One small typed event emitter for the server and the cluster layer (the pattern of VS Code's
 * `Emitter<T>`, without its dependencies).
 *
 * Contract: `event(listener)` registers and returns the remover; `fire(e)` calls the listeners in
 * registration order, synchronously, with `Set` iteration semantics (a listener removed during a
 * fire and not yet called is skipped; one added during a fire is called too); a listener that
 * throws ends the fire and the error reaches the caller of `fire`. After `dispose`, every listener
 * is forgotten, `fire` does nothing and `event` registers nothing.
 */

/** Registers `listener`; returns the function that removes it (calling it twice is harmless). */
export type Event<T> = (listener: (e: T) => void) => () => void;

/** Holds the listeners of one event and fires it. */
export class Emitter<T> {
  private readonly listeners = new Set<(e: T) => void>();
  private disposed = false;

  /** Registers a listener (see {@link Event}); bound, so it can be handed out as a property. */
  readonly event: Event<T> = (listener) => {
    if (this.disposed) return () => undefined;
    // A wrapper per registration, so the same function registered twice is called twice and removed once.
    const entry = (e: T): void => listener(e);
    this.listeners.add(entry);
    return () => void this.listeners.delete(entry);
  };

  /** Calls every listener with `e`. */
  fire(e: T): void {
    if (this.disposed) return;
    for (const l of this.listeners) l(e);
  }

  /** How many listeners are registered (tests and leak checks read it). */
  get size(): number {
    return this.listeners.size;
  }

  /** Forgets every listener; later fires and registrations do nothing. */
  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
  }
}
