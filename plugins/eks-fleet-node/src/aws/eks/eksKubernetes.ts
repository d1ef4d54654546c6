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

import http from 'node:http';
import https from 'node:https';
import { Sha256 } from '@aws-crypto/sha256-js';
import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { SignatureV4 } from '@smithy/signature-v4';
import { EksClusterTarget } from '../../insights/types';
import { redactAwsText } from '../awsErrors';

/** How long an EKS bearer token is valid, as `aws eks get-token` makes it. */
const TOKEN_EXPIRES_SECONDS = 60;

/**
 * The prefix of an EKS bearer token.
 *
 * @public
 */
export const EKS_TOKEN_PREFIX = 'k8s-aws-v1.';

/**
 * A bearer token for a cluster's Kubernetes API, made as
 * `aws eks get-token` makes it: a presigned STS GetCallerIdentity URL (regional
 * endpoint, 60 s) whose signature covers the `x-k8s-aws-id` header naming
 * the cluster, base64url-encoded without padding after `k8s-aws-v1.`.
 * EKS's authenticator calls the URL to learn who signed it.
 *
 * @public
 */
export async function eksBearerToken(input: {
  clusterName: string;
  region: string;
  credentials: AwsCredentialIdentityProvider;
  /** The signing time; now when unset. */
  signingDate?: Date;
}): Promise<string> {
  const hostname = `sts.${input.region}.amazonaws.com`;
  const signer = new SignatureV4({
    service: 'sts',
    region: input.region,
    credentials: input.credentials,
    sha256: Sha256,
  });
  const signed = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname,
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host: hostname, 'x-k8s-aws-id': input.clusterName },
    },
    {
      expiresIn: TOKEN_EXPIRES_SECONDS,
      signingDate: input.signingDate,
    },
  );
  const query = Object.entries(signed.query ?? {})
    .map(
      ([k, v]) =>
        `${encodeURIComponent(k)}=${encodeURIComponent(
          Array.isArray(v) ? v.join(',') : String(v ?? ''),
        )}`,
    )
    .join('&');
  const url = `https://${hostname}/?${query}`;
  return `${EKS_TOKEN_PREFIX}${Buffer.from(url, 'utf8').toString('base64url')}`;
}

/**
 * One AMI selector term of a Karpenter EC2NodeClass
 * (`spec.amiSelectorTerms`).
 *
 * @public
 */
export interface AmiSelectorTerm {
  alias?: string;
  id?: string;
  name?: string;
  owner?: string;
  tags?: Record<string, string>;
}

/**
 * A Karpenter EC2NodeClass as the cluster's Kubernetes API reports it,
 * as far as a node refresh reads it.
 *
 * @public
 */
export interface Ec2NodeClass {
  name: string;
  generation?: number;
  amiSelectorTerms: AmiSelectorTerm[];
  /** The AMIs Karpenter resolved for the class (`status.amis`). */
  amis: Array<{ id: string; name?: string }>;
  /** `status.conditions`, e.g. AMIsReady and Ready. */
  conditions: Array<{
    type: string;
    status: string;
    reason?: string;
    message?: string;
    observedGeneration?: number;
  }>;
}

/**
 * A failure of a cluster's Kubernetes API: its HTTP status when it
 * answered. The message names the cluster and the request, never the
 * token; `$fault` sorts it as the AWS errors are sorted (5xx and 429:
 * try again; other 4xx: terminal).
 *
 * @public
 */
export class KubernetesApiError extends Error {
  readonly name = 'KubernetesApiError';
  readonly $fault?: 'client' | 'server';

  constructor(message: string, readonly status?: number) {
    super(message);
    if (status !== undefined) {
      this.$fault = status >= 500 || status === 429 ? 'server' : 'client';
    }
  }
}

/**
 * Where {@link EksKubernetesClient} finds a cluster's API and its
 * credentials.
 *
 * @public
 */
export interface EksKubernetesClientOptions {
  /** EKS in the cluster's account and region, for DescribeCluster. */
  eks: (cluster: EksClusterTarget) => Promise<EKSClient>;
  /** The credentials of an account, as the suite assumes its role. */
  credentials: (accountId: string) => Promise<AwsCredentialIdentityProvider>;
  /**
   * The API's address instead of DescribeCluster's endpoint, with
   * `{accountId}`, `{region}` and `{clusterName}` placeholders: a proxy,
   * or the emulator's stand-in.
   */
  endpoint?: string;
  /** How long one request and its answer may take; default 20 s. */
  requestTimeoutMs?: number;
}

const EC2_NODE_CLASSES = '/apis/karpenter.k8s.aws/v1/ec2nodeclasses';

/**
 * A small client of a cluster's Kubernetes API, for what a node refresh
 * does there: list Karpenter's EC2NodeClasses and set one's
 * `spec.amiSelectorTerms` with a JSON merge patch. The endpoint and CA
 * come from DescribeCluster, the bearer token from the cluster's account
 * credentials (see {@link eksBearerToken}); the backend's role needs an
 * EKS access entry that may get, list and patch ec2nodeclasses.
 *
 * @public
 */
export class EksKubernetesClient {
  readonly #timeoutMs: number;

  constructor(private readonly options: EksKubernetesClientOptions) {
    this.#timeoutMs = options.requestTimeoutMs ?? 20_000;
  }

  /**
   * The cluster's EC2NodeClasses; empty when the cluster has no Karpenter
   * (its API knows no such resource).
   */
  async listEc2NodeClasses(
    cluster: EksClusterTarget,
    options: { abortSignal?: AbortSignal } = {},
  ): Promise<Ec2NodeClass[]> {
    const answer = await this.#request(cluster, 'GET', EC2_NODE_CLASSES, {
      ...options,
      notFound: 'empty',
    });
    const items = (answer as { items?: unknown[] } | undefined)?.items;
    return Array.isArray(items) ? items.map(toNodeClass) : [];
  }

  /** One EC2NodeClass; undefined when there is none of that name. */
  async getEc2NodeClass(
    cluster: EksClusterTarget,
    name: string,
    options: { abortSignal?: AbortSignal } = {},
  ): Promise<Ec2NodeClass | undefined> {
    const answer = await this.#request(
      cluster,
      'GET',
      `${EC2_NODE_CLASSES}/${encodeURIComponent(name)}`,
      { ...options, notFound: 'empty' },
    );
    return answer ? toNodeClass(answer) : undefined;
  }

  /**
   * Sets an EC2NodeClass's `spec.amiSelectorTerms` (a JSON merge patch
   * replaces the list whole); answers the class as the API stored it.
   */
  async setAmiSelectorTerms(
    cluster: EksClusterTarget,
    name: string,
    terms: AmiSelectorTerm[],
    options: { abortSignal?: AbortSignal } = {},
  ): Promise<Ec2NodeClass> {
    const answer = await this.#request(
      cluster,
      'PATCH',
      `${EC2_NODE_CLASSES}/${encodeURIComponent(name)}`,
      { ...options, body: { spec: { amiSelectorTerms: terms } } },
    );
    return toNodeClass(answer);
  }

  async #request(
    cluster: EksClusterTarget,
    method: 'GET' | 'PATCH',
    path: string,
    options: {
      abortSignal?: AbortSignal;
      body?: unknown;
      notFound?: 'empty';
    },
  ): Promise<unknown> {
    const what = `${method} ${path} on ${cluster.clusterName}'s Kubernetes API`;
    const signal = AbortSignal.any([
      AbortSignal.timeout(this.#timeoutMs),
      ...(options.abortSignal ? [options.abortSignal] : []),
    ]);
    const { endpoint, ca } = await this.#endpoint(cluster, signal);
    const token = await eksBearerToken({
      clusterName: cluster.clusterName,
      region: cluster.region,
      credentials: await this.options.credentials(cluster.accountId),
    });
    const url = new URL(`${endpoint.replace(/\/+$/, '')}${path}`);
    const body =
      options.body === undefined ? undefined : JSON.stringify(options.body);
    let answer: { status: number; text: string };
    try {
      answer = await send(url, {
        method,
        ca,
        signal,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(body !== undefined
            ? {
                'content-type': 'application/merge-patch+json',
                'content-length': String(Buffer.byteLength(body)),
              }
            : {}),
        },
        body,
      });
    } catch (error) {
      if (options.abortSignal?.aborted) {
        // The caller's own deadline or stop: said so, still an abort.
        const reason = options.abortSignal.reason as Error | undefined;
        const aborted = new Error(
          `${what} was given up before it answered${
            reason?.message ? ` (${reason.message})` : ''
          }`,
        );
        aborted.name = 'AbortError';
        throw aborted;
      }
      const e = error as Error & { code?: string };
      if (signal.aborted) {
        const ms = this.#timeoutMs;
        const timeout = new Error(
          `${what} did not answer within ${
            ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`
          }`,
        );
        timeout.name = 'TimeoutError';
        throw timeout;
      }
      const failure = new Error(
        `${what} could not be reached: ${e.code ?? e.message}`,
      );
      Object.assign(failure, { code: e.code });
      throw failure;
    }
    if (answer.status === 404 && options.notFound === 'empty') {
      return undefined;
    }
    if (answer.status < 200 || answer.status >= 300) {
      throw new KubernetesApiError(
        `${what} answered ${answer.status}${reasonOf(answer.text)}${
          answer.status === 401 || answer.status === 403
            ? ' (the backend needs an EKS access entry on the cluster that may get, list and patch ec2nodeclasses)'
            : ''
        }`,
        answer.status,
      );
    }
    try {
      return JSON.parse(answer.text);
    } catch {
      throw new KubernetesApiError(`${what} answered something not JSON`, 502);
    }
  }

  async #endpoint(
    cluster: EksClusterTarget,
    abortSignal: AbortSignal,
  ): Promise<{ endpoint: string; ca?: string }> {
    const eks = await this.options.eks(cluster);
    const { cluster: described } = await eks.send(
      new DescribeClusterCommand({ name: cluster.clusterName }),
      { abortSignal },
    );
    const caData = described?.certificateAuthority?.data;
    const ca = caData ? Buffer.from(caData, 'base64').toString('utf8') : '';
    const template = this.options.endpoint;
    const endpoint = template
      ? template
          .replaceAll('{accountId}', encodeURIComponent(cluster.accountId))
          .replaceAll('{region}', encodeURIComponent(cluster.region))
          .replaceAll('{clusterName}', encodeURIComponent(cluster.clusterName))
      : described?.endpoint;
    if (!endpoint) {
      throw new KubernetesApiError(
        `EKS reports no endpoint for ${cluster.clusterName}'s Kubernetes API (is the cluster still being created?)`,
      );
    }
    return {
      endpoint,
      // A CA only when it is one: the emulator's is not.
      ...(ca.includes('BEGIN CERTIFICATE') ? { ca } : {}),
    };
  }
}

/** The `message` of a Kubernetes Status answer, cut short and redacted. */
function reasonOf(text: string): string {
  let message: unknown;
  try {
    message = (JSON.parse(text) as { message?: unknown }).message;
  } catch {
    message = undefined;
  }
  return typeof message === 'string' && message !== ''
    ? `: ${redactAwsText(message).slice(0, 300)}`
    : '';
}

function toNodeClass(raw: unknown): Ec2NodeClass {
  const r = raw as {
    metadata?: { name?: string; generation?: number };
    spec?: { amiSelectorTerms?: AmiSelectorTerm[] };
    status?: {
      amis?: Array<{ id: string; name?: string }>;
      conditions?: Ec2NodeClass['conditions'];
    };
  };
  return {
    name: r?.metadata?.name ?? 'unnamed',
    ...(r?.metadata?.generation !== undefined
      ? { generation: r.metadata.generation }
      : {}),
    amiSelectorTerms: Array.isArray(r?.spec?.amiSelectorTerms)
      ? r.spec!.amiSelectorTerms
      : [],
    amis: Array.isArray(r?.status?.amis) ? r.status!.amis : [],
    conditions: Array.isArray(r?.status?.conditions)
      ? r.status!.conditions
      : [],
  };
}

function send(
  url: URL,
  options: {
    method: string;
    headers: Record<string, string>;
    body?: string;
    ca?: string;
    signal: AbortSignal;
  },
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(
      url,
      {
        method: options.method,
        headers: options.headers,
        signal: options.signal,
        ...(options.ca ? { ca: options.ca } : {}),
      },
      response => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}
