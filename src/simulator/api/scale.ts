/**
 * The scale subresource (autoscaling/v1 Scale) of kinds that serve one: read from and written to
 * `spec.replicas`, with the selector as the kind's file declares it (`scaleSelector`).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */
import * as E from '../store/errors';
import { definitionOf } from '../store/kinds';
import type { ResourceKind } from '../store/registry';
import type { KubeObject } from '../store/types';
import { type RequestContext, managerOf } from './request-context';

/** The Scale object of `o`. */
export function scaleOf(kind: ResourceKind, o: KubeObject): Record<string, unknown> {
  // A ReplicationController's selector is a plain label map; the apps kinds use a LabelSelector.
  const sel = definitionOf(kind)?.scaleSelector === 'map' ? o['spec']?.selector : o['spec']?.selector?.matchLabels;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: o.metadata.name,
      namespace: o.metadata.namespace,
      uid: o.metadata.uid,
      resourceVersion: o.metadata.resourceVersion,
      creationTimestamp: o.metadata.creationTimestamp,
    },
    // ScaleSpec.replicas is omitempty: zero replicas encode as an empty spec.
    spec: (o['spec']?.replicas ?? 0) === 0 ? {} : { replicas: o['spec'].replicas },
    status: {
      replicas: o['status']?.replicas ?? 0,
      ...(sel !== undefined
        ? {
            selector: Object.entries(sel)
              .map(([k, v]) => `${k}=${String(v)}`)
              .join(','),
          }
        : {}),
    },
  };
}

/** Writes a Scale's replicas to the object (422 for a negative or non-integer count). */
export function writeScale(c: RequestContext, cur: KubeObject, scale: Record<string, any>, dry: boolean): KubeObject {
  const replicas = scale['spec']?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw E.invalid('autoscaling', 'Scale', c.name!, [
      {
        type: 'FieldValueInvalid',
        field: 'spec.replicas',
        value: replicas,
        detail: 'must be greater than or equal to 0',
      },
    ]);
  }
  const rv = scale['metadata']?.resourceVersion;
  const next = structuredClone(cur) as KubeObject;
  next['spec'] = { ...(next['spec'] ?? {}), replicas };
  next.metadata.resourceVersion = rv !== undefined && rv !== '' ? rv : cur.metadata.resourceVersion;
  return c.store.update(c.kind, next, { dryRun: dry, fieldManager: managerOf(c) });
}
