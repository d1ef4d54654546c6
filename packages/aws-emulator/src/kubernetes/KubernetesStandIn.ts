/*
 * Copyright 2026 The EKS Fleet Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

import { createHash } from 'node:crypto';
import { FleetCluster, FleetNodeClass } from '../fleet/types';
import { accountOfAccessKey } from '../server/sigv4';
import { FleetState } from '../state/FleetState';

/** Where each emulated cluster's Kubernetes API stand-in lives. */
export const KUBERNETES_PATH_PREFIX = '/_k8s/';

const NODE_CLASSES =
  /^\/apis\/karpenter\.k8s\.aws\/v1\/ec2nodeclasses(?:\/([^/]+))?$/;

/** How far a token's signing time may be from the emulator's wall clock. */
const TOKEN_SKEW_MS = 15 * 60_000;

export interface KubernetesReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The operation a request to the stand-in is, for faults and logs. */
export function kubernetesOperation(method: string, pathname: string): string {
  const path = `/${pathname.split('/').slice(5).join('/')}`;
  const match = NODE_CLASSES.exec(path);
  if (!match) return 'Unknown';
  if (method === 'PATCH') return 'PatchEC2NodeClass';
  return match[1] ? 'GetEC2NodeClass' : 'ListEC2NodeClasses';
}

function status(
  code: number,
  reason: string,
  message: string,
): KubernetesReply {
  return {
    status: code,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      code,
    }),
  };
}

function json(value: unknown): KubernetesReply {
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(value),
  };
}

/**
 * Whether a bearer token is one EKS would take for this cluster: as `aws
 * eks get-token` makes it, `k8s-aws-v1.` and a base64url (unpadded)
 * presigned STS GetCallerIdentity URL, signed for STS in the cluster's
 * region (or the global endpoint) within the last 15 minutes with the
 * `x-k8s-aws-id` header among the signed ones, by a key of the cluster's
 * account. Undefined when it is; else why not. The signature itself is not
 * checked, as for every call the emulator answers (it knows no secrets).
 */
export function checkBearerToken(
  authorization: string | undefined,
  cluster: FleetCluster,
  managementAccountId: string,
  now = Date.now(),
): string | undefined {
  const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
  if (!token) return 'no bearer token';
  if (!token.startsWith('k8s-aws-v1.')) return 'not an EKS token (k8s-aws-v1.)';
  const encoded = token.slice('k8s-aws-v1.'.length);
  if (!/^[A-Za-z0-9_-]+$/.test(encoded)) {
    return 'the token is not base64url without padding';
  }
  let url: URL;
  try {
    url = new URL(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    return 'the token is not a URL';
  }
  const q = url.searchParams;
  if (
    url.protocol !== 'https:' ||
    ![`sts.${cluster.region}.amazonaws.com`, 'sts.amazonaws.com'].includes(
      url.hostname,
    ) ||
    url.pathname !== '/'
  ) {
    return `the token's URL is not STS's (${url.hostname})`;
  }
  if (
    q.get('Action') !== 'GetCallerIdentity' ||
    q.get('Version') !== '2011-06-15'
  ) {
    return 'the token is not a GetCallerIdentity call';
  }
  if (q.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') {
    return 'the token is not presigned with SigV4';
  }
  const [accessKeyId, , region, service, terminator] = (
    q.get('X-Amz-Credential') ?? ''
  ).split('/');
  if (!accessKeyId || service !== 'sts' || terminator !== 'aws4_request') {
    return 'the token is not signed for STS';
  }
  if (url.hostname !== 'sts.amazonaws.com' && region !== cluster.region) {
    return `the token is signed for ${region}, not ${cluster.region}`;
  }
  const signedHeaders = (q.get('X-Amz-SignedHeaders') ?? '').split(';');
  if (!signedHeaders.includes('x-k8s-aws-id')) {
    return 'the token does not sign the x-k8s-aws-id header naming the cluster';
  }
  if (!/^[0-9a-f]{64}$/.test(q.get('X-Amz-Signature') ?? '')) {
    return 'the token has no signature';
  }
  const expires = Number(q.get('X-Amz-Expires'));
  if (!Number.isInteger(expires) || expires < 1 || expires > 900) {
    return 'the token has no valid X-Amz-Expires';
  }
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(
    q.get('X-Amz-Date') ?? '',
  );
  const signedAt = date
    ? Date.UTC(+date[1], +date[2] - 1, +date[3], +date[4], +date[5], +date[6])
    : NaN;
  if (!(Math.abs(now - signedAt) <= TOKEN_SKEW_MS)) {
    return 'the token has expired';
  }
  const caller = accountOfAccessKey(accessKeyId, managementAccountId);
  if (caller.accountId !== cluster.accountId) {
    return "the token is signed by another account than the cluster's";
  }
  return undefined;
}

const hash = (value: string) =>
  createHash('sha256').update(value).digest('hex');

/** The AMI name EKS or Bottlerocket gives the release an alias names. */
function amiNameOf(alias: string, minor: string): string {
  const [family, version] = alias.split('@');
  switch (family) {
    case 'al2023':
      return `amazon-eks-node-al2023-x86_64-standard-${minor}-${version}`;
    case 'al2':
      return `amazon-eks-node-${minor}-${version}`;
    case 'bottlerocket':
      return `bottlerocket-aws-k8s-${minor}-x86_64-${version}-${hash(
        alias,
      ).slice(0, 8)}`;
    default:
      return `${family}-${minor}-${version}`;
  }
}

/** status.amis for a class's terms: what Karpenter would resolve. */
function amisOf(terms: Array<Record<string, unknown>>, minor: string) {
  return terms.map(t => {
    if (typeof t.alias === 'string') {
      return {
        id: `ami-${hash(`${t.alias}/${minor}`).slice(0, 17)}`,
        name: amiNameOf(t.alias, minor),
        requirements: [
          {
            key: 'kubernetes.io/arch',
            operator: 'In',
            values: ['amd64'],
          },
        ],
      };
    }
    if (typeof t.id === 'string') {
      return { id: t.id, name: `custom-${t.id}`, requirements: [] };
    }
    return {
      id: `ami-${hash(JSON.stringify(t)).slice(0, 17)}`,
      name: typeof t.name === 'string' ? t.name : 'custom',
      requirements: [],
    };
  });
}

function nodeClassObject(
  c: FleetCluster,
  n: FleetNodeClass,
  now: number,
): Record<string, unknown> {
  const resolved = !n.resolvedAt || Date.parse(n.resolvedAt) <= now;
  const generation = n.generation ?? 1;
  const shown = resolved ? n.amiSelectorTerms : n.previousTerms ?? [];
  return {
    apiVersion: 'karpenter.k8s.aws/v1',
    kind: 'EC2NodeClass',
    metadata: {
      name: n.name,
      generation,
      uid: hash(`${c.accountId}/${c.region}/${c.name}/${n.name}`).slice(0, 32),
    },
    spec: {
      role: `KarpenterNodeRole-${c.name}`,
      amiSelectorTerms: n.amiSelectorTerms,
      subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': c.name } }],
      securityGroupSelectorTerms: [
        { tags: { 'karpenter.sh/discovery': c.name } },
      ],
    },
    status: {
      amis: amisOf(shown, c.version),
      conditions: [
        {
          type: 'AMIsReady',
          status: resolved ? 'True' : 'Unknown',
          reason: resolved ? 'AMIsReady' : 'AwaitingReconciliation',
          message: resolved ? '' : 'resolving the AMIs of the new terms',
          observedGeneration: resolved ? generation : generation - 1,
          lastTransitionTime: new Date(
            n.resolvedAt ? Date.parse(n.resolvedAt) : now,
          ).toISOString(),
        },
      ],
    },
  };
}

/** RFC 7386: a JSON merge patch over a value. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
    return patch;
  }
  const out: Record<string, unknown> =
    target && typeof target === 'object' && !Array.isArray(target)
      ? { ...(target as Record<string, unknown>) }
      : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete out[key];
    } else {
      out[key] = mergePatch(out[key], value);
    }
  }
  return out;
}

/**
 * A minimal stand-in for each emulated cluster's Kubernetes API, at
 * /_k8s/<account>/<region>/<cluster>: what a node refresh reads and
 * changes of Karpenter, EC2NodeClasses listed, read and merge-patched
 * (spec.amiSelectorTerms), behind EKS's bearer token. As no Karpenter
 * runs, a class reports the AMIs of its new terms in status.amis once the
 * emulator's update delay has passed.
 */
export function handleKubernetes(
  state: FleetState,
  request: {
    method: string;
    path: string;
    authorization?: string;
    contentType?: string;
    body: string;
  },
): KubernetesReply {
  const [account, region, name, ...rest] = request.path
    .slice(KUBERNETES_PATH_PREFIX.length)
    .split('/')
    .map(decodeURIComponent);
  const cluster =
    account && region && name
      ? state.findCluster(account, region, name)
      : undefined;
  if (!cluster) {
    return status(
      404,
      'NotFound',
      `no emulated cluster at ${request.path}; expected ${KUBERNETES_PATH_PREFIX}<account>/<region>/<cluster>/...`,
    );
  }
  const refused = checkBearerToken(
    request.authorization,
    cluster,
    state.fleet.managementAccountId,
  );
  if (refused) {
    return status(401, 'Unauthorized', `Unauthorized: ${refused}`);
  }
  const path = `/${rest.join('/')}`;
  const match = NODE_CLASSES.exec(path);
  if (!match || !cluster.nodeClasses) {
    return status(
      404,
      'NotFound',
      `the server could not find the requested resource (${request.method} ${path})`,
    );
  }
  state.tick();
  const now = state.now().getTime();
  const className = match[1] && decodeURIComponent(match[1]);
  if (!className) {
    if (request.method !== 'GET') {
      return status(
        405,
        'MethodNotAllowed',
        `${request.method} is not allowed`,
      );
    }
    return json({
      apiVersion: 'karpenter.k8s.aws/v1',
      kind: 'EC2NodeClassList',
      metadata: { resourceVersion: String(state.generation) },
      items: cluster.nodeClasses.map(n => nodeClassObject(cluster, n, now)),
    });
  }
  const nodeClass = cluster.nodeClasses.find(n => n.name === className);
  if (!nodeClass) {
    return status(
      404,
      'NotFound',
      `ec2nodeclasses.karpenter.k8s.aws "${className}" not found`,
    );
  }
  if (request.method === 'GET') {
    return json(nodeClassObject(cluster, nodeClass, now));
  }
  if (request.method !== 'PATCH') {
    return status(405, 'MethodNotAllowed', `${request.method} is not allowed`);
  }
  if (
    request.contentType?.split(';')[0].trim() !== 'application/merge-patch+json'
  ) {
    return status(
      415,
      'UnsupportedMediaType',
      `the stand-in takes only application/merge-patch+json, not ${request.contentType}`,
    );
  }
  let patch: unknown;
  try {
    patch = JSON.parse(request.body);
  } catch {
    return status(400, 'BadRequest', 'the patch is not JSON');
  }
  const current = nodeClassObject(cluster, nodeClass, now) as {
    spec: { amiSelectorTerms: unknown };
  };
  const patched = mergePatch(current, patch) as {
    spec?: { amiSelectorTerms?: unknown };
  };
  const terms = patched.spec?.amiSelectorTerms;
  if (
    !Array.isArray(terms) ||
    terms.length < 1 ||
    terms.length > 30 ||
    !terms.every(t => t && typeof t === 'object' && !Array.isArray(t)) ||
    (terms.some(t => 'alias' in t) && terms.length !== 1)
  ) {
    return status(
      422,
      'Invalid',
      `EC2NodeClass.karpenter.k8s.aws "${className}" is invalid: spec.amiSelectorTerms: expected 1 to 30 terms, an alias alone`,
    );
  }
  if (JSON.stringify(terms) !== JSON.stringify(nodeClass.amiSelectorTerms)) {
    const resolved =
      !nodeClass.resolvedAt || Date.parse(nodeClass.resolvedAt) <= now;
    nodeClass.previousTerms = resolved
      ? nodeClass.amiSelectorTerms
      : nodeClass.previousTerms;
    nodeClass.amiSelectorTerms = terms as Array<Record<string, unknown>>;
    nodeClass.generation = (nodeClass.generation ?? 1) + 1;
    nodeClass.resolvedAt = new Date(now + state.updateDelayMs).toISOString();
  }
  return json(nodeClassObject(cluster, nodeClass, now));
}
