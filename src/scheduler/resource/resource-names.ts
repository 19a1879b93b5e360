/**
 * Resource-name predicates, after pkg/apis/core/v1/helper/helpers.go (`IsExtendedResourceName`,
 * `IsNativeResource`, `IsPrefixedNativeResource`, `IsHugePageResourceName`,
 * `IsAttachableVolumeResourceName`) and pkg/scheduler/util/utils.go (`IsScalarResourceName`).
 *
 * Contract: pure string predicates with upstream's exact semantics; results are memoised per name.
 */

/** `v1.ResourceDefaultNamespacePrefix`. */
const DEFAULT_NAMESPACE_PREFIX = 'kubernetes.io/';
/** `v1.DefaultResourceRequestsPrefix`. */
const REQUESTS_PREFIX = 'requests.';
/** `v1.ResourceHugePagesPrefix`. */
export const HUGEPAGES_PREFIX = 'hugepages-';
/** `v1.ResourceAttachableVolumesPrefix`. */
const ATTACHABLE_VOLUMES_PREFIX = 'attachable-volumes-';

const QUALIFIED_NAME_RE = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** `validation.IsQualifiedName(value)` is empty, i.e. the name is a valid qualified name. */
function isQualifiedName(value: string): boolean {
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) name = parts[0] as string;
  else if (parts.length === 2) {
    const prefix = parts[0] as string;
    name = parts[1] as string;
    if (prefix.length === 0 || prefix.length > 253 || !DNS1123_SUBDOMAIN_RE.test(prefix)) return false;
  } else return false;
  return name.length > 0 && name.length <= 63 && QUALIFIED_NAME_RE.test(name);
}

/** `IsPrefixedNativeResource`: the name contains `kubernetes.io/`. */
function isPrefixedNativeResource(name: string): boolean {
  return name.includes(DEFAULT_NAMESPACE_PREFIX);
}

/** `IsNativeResource`: no `/` at all, or a `kubernetes.io/`-prefixed name. */
function isNativeResource(name: string): boolean {
  return !name.includes('/') || isPrefixedNativeResource(name);
}

/** `IsHugePageResourceName`. */
function isHugePageResourceName(name: string): boolean {
  return name.startsWith(HUGEPAGES_PREFIX);
}

const extendedCache = new Map<string, boolean>();

/**
 * `IsExtendedResourceName`: not native, not `requests.`-prefixed, and `requests.<name>` is a
 * qualified name (e.g. `nvidia.com/gpu`, `example.com/aaa`).
 */
export function isExtendedResourceName(name: string): boolean {
  let r = extendedCache.get(name);
  if (r === undefined) {
    r = !isNativeResource(name) && !name.startsWith(REQUESTS_PREFIX) && isQualifiedName(REQUESTS_PREFIX + name);
    // Names of a qualified name's length only, copied: a name sliced out of a manifest would keep the whole file alive.
    if (name.length <= 253) {
      if (extendedCache.size > 1024) extendedCache.clear();
      extendedCache.set(JSON.parse(JSON.stringify(name)) as string, r);
    }
  }
  return r;
}

/**
 * `IsScalarResourceName`: extended resources, hugepages, prefixed native resources and
 * attachable volumes. These go into `Resource.scalarResources`; any other unknown key is ignored.
 */
export function isScalarResourceName(name: string): boolean {
  return (
    isExtendedResourceName(name) ||
    isHugePageResourceName(name) ||
    isPrefixedNativeResource(name) ||
    name.startsWith(ATTACHABLE_VOLUMES_PREFIX)
  );
}
