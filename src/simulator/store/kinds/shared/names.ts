/**
 * Object-name rules (apimachinery/pkg/util/validation and pkg/api/validation/path), with upstream's
 * messages. A kind file names its rule as `validateName`; the DNS-1123 subdomain is the default.
 */
import type { FieldError } from '../../errors';

/** A DNS-1123 label (`[a-z0-9]([-a-z0-9]*[a-z0-9])?`). */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A DNS-1123 subdomain (dot-separated labels). */
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** A DNS-1035 label (starts with a letter). */
export const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Upstream's explanation for an invalid DNS-1123 subdomain. */
export const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
/** Upstream's explanation for an invalid DNS-1123 label. */
export const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
/** Upstream's explanation for an invalid DNS-1035 label. */
export const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

/** The default rule: a DNS-1123 subdomain of at most 253 characters. */
export function dns1123SubdomainName(name: string, field: string): FieldError[] {
  return DNS1123_SUBDOMAIN.test(name) && name.length <= 253
    ? []
    : [{ type: 'FieldValueInvalid', field, value: name, detail: SUBDOMAIN_MSG }];
}

/** A DNS-1123 label of at most 63 characters (Namespaces). */
export function dns1123LabelName(name: string, field: string): FieldError[] {
  return DNS1123_LABEL.test(name) && name.length <= 63
    ? []
    : [{ type: 'FieldValueInvalid', field, value: name, detail: LABEL_MSG }];
}

/** A DNS-1035 label of at most 63 characters (Services). */
export function dns1035LabelName(name: string, field: string): FieldError[] {
  return DNS1035_LABEL.test(name) && name.length <= 63
    ? []
    : [{ type: 'FieldValueInvalid', field, value: name, detail: DNS1035_MSG }];
}

/** ValidatePathSegmentName: anything but `.`, `..` and names with `/` or `%` (RBAC kinds, Events). */
export function pathSegmentName(name: string, field: string): FieldError[] {
  if (name === '.' || name === '..')
    return [{ type: 'FieldValueInvalid', field, value: name, detail: `may not be '${name}'` }];
  if (/[/%]/.test(name)) return [{ type: 'FieldValueInvalid', field, value: name, detail: `may not contain '/'` }];
  return [];
}
