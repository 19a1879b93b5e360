/**
 * Disposable discipline: every class that owns listeners or VS Code objects extends {@link Disposable}
 * and registers them with `_register`, so one `dispose()` releases everything.
 */

/** Anything with a `dispose()` method. */
export interface IDisposable {
  dispose(): void;
}

/** Wraps a function as a disposable that runs it once. */
export function toDisposable(fn: () => void): IDisposable {
  let done = false;
  return {
    dispose: () => {
      if (!done) {
        done = true;
        fn();
      }
    },
  };
}

/** Disposes every item, in reverse order, continuing past failures; rethrows the first failure afterwards. */
function disposeAll(items: IDisposable[]): void {
  let first: unknown;
  for (const d of items.splice(0).reverse()) {
    try {
      d.dispose();
    } catch (e) {
      first ??= e;
    }
  }
  if (first !== undefined) throw first;
}

/** Base class owning a list of disposables. */
export abstract class Disposable implements IDisposable {
  private readonly toDispose: IDisposable[] = [];
  private disposedValue = false;

  /** True once `dispose()` ran. */
  protected get isDisposed(): boolean {
    return this.disposedValue;
  }

  /** Takes ownership of `value`; disposes it immediately if this object is already disposed. */
  protected _register<T extends IDisposable>(value: T): T {
    if (this.disposedValue) value.dispose();
    else this.toDispose.push(value);
    return value;
  }

  /** Disposes everything registered, last first. */
  dispose(): void {
    if (this.disposedValue) return;
    this.disposedValue = true;
    disposeAll(this.toDispose);
  }
}
