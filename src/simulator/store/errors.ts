/**
 * Kubernetes `Status` errors, shaped exactly as kube-apiserver returns them
 * (upstream: staging/src/k8s.io/apimachinery/pkg/api/errors/errors.go).
 */

/** One `details.causes[]` entry. */
export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

/** The `metav1.Status` object. */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    uid?: string;
    causes?: StatusCause[];
    retryAfterSeconds?: number;
  };
  code: number;
}

/** An error carrying the Status body and HTTP code the server should answer with. */
export class StatusError extends Error {
  /** The Status body. */
  readonly status: Status;
  /** Extra response headers (e.g. Retry-After). */
  readonly headers: Record<string, string>;

  /** Wraps a Status; `message` of the Error is the Status message. */
  constructor(status: Status, headers: Record<string, string> = {}) {
    super(status.message ?? status.reason ?? 'error');
    this.status = status;
    this.headers = headers;
  }

  /** The HTTP status code. */
  get code(): number {
    return this.status.code;
  }
}

/** Names a resource for messages: `pods` or `deployments.apps`. */
export function qualifiedResource(group: string, resource: string): string {
  return group === '' ? resource : `${resource}.${group}`;
}

function failure(code: number, reason: string, message: string, details?: Status['details']): StatusError {
  const s = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details !== undefined ? { details } : {}),
    code,
  } as Status;
  return new StatusError(s);
}

function details(group: string, resource: string, name?: string): NonNullable<Status['details']> {
  const d: NonNullable<Status['details']> = {};
  if (name !== undefined && name !== '') d.name = name;
  if (group !== '') d.group = group;
  d.kind = resource;
  return d;
}

/** 404 NotFound: `pods "x" not found`. */
export function notFound(group: string, resource: string, name: string): StatusError {
  return failure(
    404,
    'NotFound',
    `${qualifiedResource(group, resource)} "${name}" not found`,
    details(group, resource, name),
  );
}

/** 404 for an unknown path. */
export function pathNotFound(): StatusError {
  return failure(404, 'NotFound', 'the server could not find the requested resource', {});
}

/** 409 AlreadyExists. */
export function alreadyExists(group: string, resource: string, name: string): StatusError {
  return failure(
    409,
    'AlreadyExists',
    `${qualifiedResource(group, resource)} "${name}" already exists`,
    details(group, resource, name),
  );
}

/** The message part of a 409 Conflict on a stale resourceVersion. */
export const OPTIMISTIC_LOCK_MESSAGE =
  'the object has been modified; please apply your changes to the latest version and try again';

/** 409 Conflict: `Operation cannot be fulfilled on pods "x": <msg>`. */
export function conflict(
  group: string,
  resource: string,
  name: string,
  msg: string = OPTIMISTIC_LOCK_MESSAGE,
  causes?: StatusCause[],
): StatusError {
  const d = details(group, resource, name);
  if (causes !== undefined) d.causes = causes;
  return failure(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(group, resource)} "${name}": ${msg}`,
    d,
  );
}

/** 500 without a reason, as the registry answers a create that carries a resourceVersion. */
export function internal(message: string): StatusError {
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    code: 500,
  } as Status);
}

/** 409 of a server-side apply with conflicts (errors.NewApplyConflict): only the causes, no name or kind. */
export function applyConflict(causes: StatusCause[], message: string): StatusError {
  return failure(409, 'Conflict', message, { causes });
}

/** One field error for an Invalid status (upstream field.Error). */
export interface FieldError {
  type:
    | 'FieldValueRequired'
    | 'FieldValueInvalid'
    | 'FieldValueNotSupported'
    | 'FieldValueForbidden'
    | 'FieldValueDuplicate'
    | 'FieldValueTooLong'
    | 'FieldValueTypeInvalid'
    | 'FieldValueTooMany';
  field: string;
  /** The offending value, printed for Invalid/NotSupported errors. */
  value?: unknown;
  /** The detail, e.g. a regex explanation. */
  detail?: string;
}

function fieldErrorMessage(e: FieldError): string {
  const value = e.value === undefined ? '' : `${JSON.stringify(e.value)}: `;
  switch (e.type) {
    case 'FieldValueRequired':
      return `Required value${e.detail ? `: ${e.detail}` : ''}`;
    case 'FieldValueInvalid':
    case 'FieldValueTypeInvalid':
      return `Invalid value: ${value}${e.detail ?? ''}`.replace(/: $/, '');
    case 'FieldValueNotSupported':
      return `Unsupported value: ${value}${e.detail ?? ''}`.replace(/: $/, '');
    case 'FieldValueForbidden':
      return `Forbidden${e.detail ? `: ${e.detail}` : ''}`;
    case 'FieldValueDuplicate':
      return `Duplicate value: ${JSON.stringify(e.value)}`;
    case 'FieldValueTooLong':
      return `Too long: ${e.detail ?? ''}`;
    case 'FieldValueTooMany':
      return `Too many: ${value}${e.detail ?? ''}`;
  }
}

/** 422 Invalid: `Pod "x" is invalid: spec.containers: Required value` with one cause per field error. */
export function invalid(group: string, kind: string, name: string, errs: FieldError[]): StatusError {
  const parts = errs.map((e) => `${e.field}: ${fieldErrorMessage(e)}`);
  const agg = parts.length === 1 ? parts[0]! : `[${parts.join(', ')}]`;
  const causes = errs.map((e) => ({ reason: e.type, message: fieldErrorMessage(e), field: e.field }));
  const d: NonNullable<Status['details']> = {};
  if (name !== '') d.name = name;
  if (group !== '') d.group = group;
  d.kind = kind;
  d.causes = causes;
  return failure(422, 'Invalid', `${kind}${group !== '' ? `.${group}` : ''} "${name}" is invalid: ${agg}`, d);
}

/** 400 BadRequest. */
export function badRequest(message: string, causes?: StatusCause[]): StatusError {
  return failure(400, 'BadRequest', message, causes !== undefined ? { causes } : undefined);
}

/** 401 Unauthorized. */
export function unauthorized(): StatusError {
  return failure(401, 'Unauthorized', 'Unauthorized');
}

/** 403 Forbidden with the authorizer's wording. */
export function forbidden(group: string, resource: string, name: string, reason: string): StatusError {
  const q = qualifiedResource(group, resource);
  const subject = name === '' ? q : `${q} "${name}"`;
  return failure(403, 'Forbidden', `${subject} is forbidden: ${reason}`, details(group, resource, name));
}

/** 405 MethodNotAllowed, as kube-apiserver words it (the method is not named). */
export function methodNotAllowed(_method: string): StatusError {
  return failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
}

/** 406 for an Accept header no serializer takes (the negotiation error of kube-apiserver's handlers). */
export function notAcceptableRepresentation(): StatusError {
  return failure(
    406,
    'NotAcceptable',
    '406: Not Acceptable\n\nAvailable representations: application/json, application/yaml, application/vnd.kubernetes.protobuf',
    {},
  );
}

/**
 * 422 for invalid request options (`ListOptions`, `CreateOptions`, `PatchOptions`, ...):
 * `ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: ...`.
 */
export function invalidOptions(kind: string, errs: FieldError[]): StatusError {
  return invalid('meta.k8s.io', kind, '', errs);
}

/** 406 NotAcceptable. */
export function notAcceptable(accept: string): StatusError {
  return failure(
    406,
    'NotAcceptable',
    `only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf (requested ${accept})`,
  );
}

/** 403 for a non-resource path RBAC does not grant (`forbidden: User "x" cannot get path "/apis"`). */
export function forbiddenPath(user: string, verb: string, path: string): StatusError {
  return failure(403, 'Forbidden', `forbidden: User "${user}" cannot ${verb} path "${path}"`, {});
}

/**
 * 403 for a request whose `Host` is not a loopback name of the simulator's port (DNS rebinding
 * defence; kube-apiserver has no equivalent).
 */
export function misdirectedHost(host: string, port: number): StatusError {
  const shown = host.length > 100 ? `${host.slice(0, 100)}...` : host;
  return failure(
    403,
    'Forbidden',
    `forbidden: Host ${JSON.stringify(shown)} is not this server's address (127.0.0.1:${port}, localhost:${port} or [::1]:${port}); refused as a possible DNS rebinding`,
    {},
  );
}

/** 406 when no media type the endpoint serves was asked for (a review asked for as a Table). */
export function notAcceptableMediaTypes(): StatusError {
  return failure(
    406,
    'NotAcceptable',
    'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf',
  );
}

/** 410 Expired. */
export function expired(message: string): StatusError {
  return failure(410, 'Expired', message);
}

/** 413 RequestEntityTooLarge. */
export function tooLarge(limit: number): StatusError {
  return failure(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`);
}

/** 415 UnsupportedMediaType for a PATCH content type the resource does not take (kube-apiserver's wording). */
export function unsupportedMediaType(_contentType: string): StatusError {
  return failure(415, 'UnsupportedMediaType', '415: Unsupported Media Type', {});
}

/** 415 for a POST/PUT body in a media type the simulator does not decode (protobuf, CBOR). */
export function unsupportedMediaTypeBody(contentType: string): StatusError {
  return failure(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (got ${contentType})`,
  );
}

/** 415 for a patch type a kind does not take (custom resources have no strategic merge patch). */
export function unsupportedPatchType(accepted: readonly string[]): StatusError {
  return failure(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
  );
}

/** 429 TooManyRequests with Retry-After. */
export function tooManyRequests(retryAfterSeconds = 1): StatusError {
  const e = failure(429, 'TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds });
  e.headers['Retry-After'] = String(retryAfterSeconds);
  return e;
}

/** 500 InternalError. */
export function internalError(message: string): StatusError {
  return failure(500, 'InternalError', `Internal error occurred: ${message}`, {
    causes: [{ reason: 'UnexpectedServerResponse', message }],
  });
}

/** 503 ServiceUnavailable. */
export function serviceUnavailable(message = 'the server is currently unable to handle the request'): StatusError {
  return failure(503, 'ServiceUnavailable', message);
}

/** 504 Timeout. */
export function timeout(message: string): StatusError {
  return failure(504, 'Timeout', message);
}
