/**
 * Plugin status codes and the Status value, after
 * staging/src/k8s.io/kube-scheduler/framework/interface.go (`Code`, `Status`).
 *
 * Contract: a `null`/`undefined` status means Success, as upstream's nil *Status does.
 * Reasons are upstream's exact strings; the FitError histogram counts them verbatim.
 */

export type Code = 'Success' | 'Error' | 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Wait' | 'Skip' | 'Pending';

export class Status {
  /** The plugin that produced the status; set by the runtime when it records a failure. */
  plugin = '';

  constructor(
    readonly code: Code,
    readonly reasons: readonly string[] = [],
  ) {}

  static success(): Status {
    return SUCCESS;
  }

  static unschedulable(...reasons: string[]): Status {
    return new Status('Unschedulable', reasons);
  }

  static unresolvable(...reasons: string[]): Status {
    return new Status('UnschedulableAndUnresolvable', reasons);
  }

  static skip(): Status {
    return SKIP;
  }

  static error(message: string): Status {
    return new Status('Error', [message]);
  }

  isSuccess(): boolean {
    return this.code === 'Success';
  }

  isSkip(): boolean {
    return this.code === 'Skip';
  }

  /** Unschedulable or UnschedulableAndUnresolvable, as upstream's `IsRejected`. */
  isRejected(): boolean {
    return this.code === 'Unschedulable' || this.code === 'UnschedulableAndUnresolvable';
  }

  /** The reasons joined by ", ", as upstream's `Status.Message()`. */
  message(): string {
    return this.reasons.join(', ');
  }

  withPlugin(plugin: string): Status {
    const s = new Status(this.code, this.reasons);
    s.plugin = plugin;
    return s;
  }
}

const SUCCESS = new Status('Success');
const SKIP = new Status('Skip');
