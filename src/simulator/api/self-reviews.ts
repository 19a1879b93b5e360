/**
 * The two review kinds a client creates to learn about itself: SelfSubjectAccessReview (may I do
 * this? answered by the simulator's authorizer) and SelfSubjectReview (who am I?). Neither is stored.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- request bodies are schemaless wire JSON. */
import type * as http from 'node:http';
import { updateManagedFields } from '../store/managed-fields';
import type { KubeObject } from '../store/types';
import { type AuthOptions, type UserInfo, allowedReason, authorize } from './auth';
import { decodeBody, mediaType, readBody, sendJSON } from './http-util';
import { PROTOBUF, decodeProtobufBody } from './protobuf';

/** What answering a review needs from the server. */
export interface ReviewEnv {
  readonly auth: AuthOptions;
  readonly maxBody: number;
  /** The field manager a User-Agent stands for. */
  readonly manager: (userAgent: string | undefined) => string;
}

/** POST selfsubjectaccessreviews: the request's resourceAttributes run through the authorizer. */
export async function selfAccessReview(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  user: UserInfo,
  version: string,
  env: ReviewEnv,
): Promise<void> {
  const { auth, maxBody } = env;
  const raw = await readBody(req, maxBody);
  const ct = req.headers['content-type'];
  const b = (
    mediaType(ct) === PROTOBUF
      ? decodeProtobufBody(raw, 'SelfSubjectAccessReview')
      : decodeBody(raw, ct, 'SelfSubjectAccessReview')
  ) as Record<string, any>;
  const ra = b?.['spec']?.resourceAttributes ?? {};
  const reason = authorize(
    user,
    String(ra.verb ?? 'get'),
    String(ra.group ?? ''),
    String(ra.resource ?? ''),
    ra.namespace,
    auth,
  );
  // kube-apiserver's create path runs the field manager on the review too (its only metadata).
  const review: KubeObject = {
    kind: 'SelfSubjectAccessReview',
    apiVersion: `authorization.k8s.io/${version}`,
    metadata: {},
    spec: b?.['spec'] ?? {},
  };
  const fm = new URL(req.url ?? '/', 'http://x').searchParams.get('fieldManager');
  updateManagedFields(
    {
      group: 'authorization.k8s.io',
      version,
      kind: 'SelfSubjectAccessReview',
      resource: 'selfsubjectaccessreviews',
      custom: false,
      subresources: [],
    },
    undefined,
    review,
    fm !== null && fm !== '' ? fm : env.manager(req.headers['user-agent']),
    undefined,
    new Date(),
  );
  const why = allowedReason(user);
  sendJSON(res, 201, {
    ...review,
    status:
      reason === undefined ? { allowed: true, ...(why !== undefined ? { reason: why } : {}) } : { allowed: false },
  });
}

/** POST selfsubjectreviews: the authenticated user's name, groups and extra. */
export function selfSubjectReview(res: http.ServerResponse, user: UserInfo, version: string): void {
  sendJSON(res, 201, {
    kind: 'SelfSubjectReview',
    apiVersion: `authentication.k8s.io/${version}`,
    metadata: { creationTimestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') },
    status: {
      userInfo: { username: user.name, groups: user.groups, ...(user.extra ? { extra: user.extra } : {}) },
    },
  });
}
