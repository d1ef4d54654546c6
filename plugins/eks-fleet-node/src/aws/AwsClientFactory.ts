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

import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient } from '@aws-sdk/client-eks';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SSMClient } from '@aws-sdk/client-ssm';
import { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { Config, readDurationFromConfig } from '@backstage/config';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';
import { RequestRateLimiter } from '../util/RequestRateLimiter';
import {
  AwsCredentialsManager,
  DefaultAwsCredentialsManager,
} from '@backstage/integration-aws-node';

/**
 * How every AWS SDK client of EKS Fleet is set up.
 *
 * @public
 */
export interface AwsClientSettings {
  endpoint?: string;
  maxAttempts: number;
  retryMode: 'standard' | 'adaptive';
  /** How long a connection may take to open, in ms. */
  connectionTimeoutMs: number;
  /**
   * How long one request and its response may take, in ms, per service
   * (signing name); a request that outlives it fails with a TimeoutError,
   * which the SDK retries like any transient error.
   */
  requestTimeoutMs: Record<AwsServiceName, number>;
}

/**
 * The AWS services EKS Fleet calls, by signing name.
 *
 * @public
 */
export type AwsServiceName =
  | 'config'
  | 'eks'
  | 'monitoring'
  | 'ce'
  | 'securityhub'
  | 'ec2'
  | 'ssm';

/**
 * Request timeouts that suit each API: AWS Config's aggregated advanced
 * queries and Cost Explorer can take many seconds for a page; EKS,
 * CloudWatch and EC2 answer in well under a second when healthy.
 *
 * @public
 */
export const DEFAULT_REQUEST_TIMEOUTS_MS: Record<AwsServiceName, number> = {
  config: 60_000,
  eks: 20_000,
  monitoring: 20_000,
  ce: 60_000,
  securityhub: 30_000,
  ec2: 20_000,
  ssm: 20_000,
};

/** @public */
export const DEFAULT_CONNECTION_TIMEOUT_MS = 5_000;

/**
 * Where a client talks to: an account (whose credentials the aws
 * integration config decides) and a region.
 *
 * @public
 */
export interface AwsClientTarget {
  /** Unset: the integration's main account. */
  accountId?: string;
  region: string;
}

const USER_AGENT: [string, string] = ['backstage-eks-fleet', '0.1.0'];

/** What every client gets, whatever its service. */
interface CommonClientConfig {
  region: string;
  endpoint?: string;
  maxAttempts: number;
  retryMode: string;
  credentials: AwsCredentialIdentityProvider;
  customUserAgent: [string, string][];
  requestHandler: {
    connectionTimeout: number;
    requestTimeout: number;
    throwOnRequestTimeout: true;
  } & ServiceAgents;
}

/** The connections of one service's clients, whatever their account. */
interface ServiceAgents {
  httpAgent: HttpAgent;
  httpsAgent: HttpsAgent;
}

/**
 * A service's clients share their connections: every account's client
 * for a region calls the same endpoint, and each would otherwise open
 * (and, over TLS, handshake) connections of its own, as the SDK gives
 * every client its own agent. Callers bound how many calls run at once
 * (the provider's enrichment concurrency, the fleet's), so the agent does
 * not cap sockets (the SDK's own agent caps them at 50 per client); it
 * keeps up to this many idle ones per endpoint.
 */
const MAX_FREE_SOCKETS = 64;

const MAX_TIMEOUT_MS = 15 * 60_000;

/**
 * Reads `eksFleet.aws`, refusing bad values with a message that names the key.
 *
 * @public
 */
export function readAwsClientSettings(config: Config): AwsClientSettings {
  const aws = config.getOptionalConfig('eksFleet.aws');
  const endpoint = aws?.getOptionalString('endpoint');
  if (endpoint !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(endpoint);
    } catch {
      url = undefined;
    }
    if (!url || !['http:', 'https:'].includes(url.protocol)) {
      throw new InputError(
        `Invalid eksFleet.aws.endpoint ${JSON.stringify(
          endpoint,
        )}: expected an http(s) URL such as http://127.0.0.1:4566`,
      );
    }
  }
  const maxAttempts = aws?.getOptionalNumber('maxAttempts') ?? 5;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 20) {
    throw new InputError(
      `Invalid eksFleet.aws.maxAttempts ${maxAttempts}: expected a whole number from 1 to 20`,
    );
  }
  const retryMode = aws?.getOptionalString('retryMode') ?? 'adaptive';
  if (retryMode !== 'standard' && retryMode !== 'adaptive') {
    throw new InputError(
      `Invalid eksFleet.aws.retryMode ${JSON.stringify(
        retryMode,
      )}: expected "standard" or "adaptive"`,
    );
  }
  const timeout = (key: string, fallback: number): number => {
    if (!aws?.has(key)) {
      return fallback;
    }
    let ms: number;
    try {
      ms = durationToMilliseconds(readDurationFromConfig(aws, { key }));
    } catch (error) {
      throw new InputError(
        `Invalid eksFleet.aws.${key}: ${(error as Error).message}`,
      );
    }
    if (!(ms >= 100 && ms <= MAX_TIMEOUT_MS)) {
      throw new InputError(
        `Invalid eksFleet.aws.${key}: expected a duration from 100 ms to 15 minutes, got ${ms} ms`,
      );
    }
    return ms;
  };
  const connectionTimeoutMs = timeout(
    'connectionTimeout',
    DEFAULT_CONNECTION_TIMEOUT_MS,
  );
  const requestTimeoutMs = { ...DEFAULT_REQUEST_TIMEOUTS_MS };
  if (aws?.has('requestTimeout')) {
    const every = timeout('requestTimeout', 0);
    for (const service of Object.keys(requestTimeoutMs) as AwsServiceName[]) {
      requestTimeoutMs[service] = every;
    }
  }
  const perService = aws?.getOptionalConfig('requestTimeouts');
  for (const service of perService?.keys() ?? []) {
    if (!(service in DEFAULT_REQUEST_TIMEOUTS_MS)) {
      throw new InputError(
        `Invalid eksFleet.aws.requestTimeouts.${service}: no such service; known: ${Object.keys(
          DEFAULT_REQUEST_TIMEOUTS_MS,
        ).join(', ')}`,
      );
    }
    requestTimeoutMs[service as AwsServiceName] = timeout(
      `requestTimeouts.${service}`,
      0,
    );
  }
  return {
    endpoint,
    maxAttempts,
    retryMode,
    connectionTimeoutMs,
    requestTimeoutMs,
  };
}

/**
 * The one place EKS Fleet creates AWS SDK clients: credentials from the
 * aws integration (per account), region, endpoint, retries and user agent
 * from config. Clients are cached per service, account and region, so
 * their adaptive-retry state is shared by all callers; a service's
 * connections are shared by all its clients, whatever their account.
 *
 * @public
 */
export class AwsClientFactory {
  static fromConfig(
    config: Config,
    options: { credentialsManager?: AwsCredentialsManager } = {},
  ): AwsClientFactory {
    return new AwsClientFactory(
      readAwsClientSettings(config),
      options.credentialsManager ??
        DefaultAwsCredentialsManager.fromConfig(config),
    );
  }

  readonly #clients = new Map<string, Promise<unknown>>();
  readonly #credentials = new Map<string, AwsCredentialIdentityProvider>();
  readonly #agents = new Map<AwsServiceName, ServiceAgents>();
  readonly #limiters = new Map<
    string,
    { perSecond: number; limiter: RequestRateLimiter }
  >();

  readonly settings: AwsClientSettings;

  /** Settings left out take their defaults (the timeouts above). */
  constructor(
    settings: Omit<
      AwsClientSettings,
      'connectionTimeoutMs' | 'requestTimeoutMs'
    > &
      Partial<Pick<AwsClientSettings, 'connectionTimeoutMs'>> & {
        requestTimeoutMs?: Partial<Record<AwsServiceName, number>>;
      },
    private readonly credentialsManager: AwsCredentialsManager,
  ) {
    this.settings = {
      ...settings,
      connectionTimeoutMs:
        settings.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS,
      requestTimeoutMs: {
        ...DEFAULT_REQUEST_TIMEOUTS_MS,
        ...settings.requestTimeoutMs,
      },
    };
  }

  /**
   * A request rate limit shared by every plugin of this process under one
   * name (such as the rollout engine's EKS requests), so that two plugins
   * or two engines in one backend stay under one budget. The first caller
   * sets the rate; a later caller asking another rate under the same name
   * is refused, as the two would silently disagree.
   */
  rateLimiter(name: string, perSecond: number): RequestRateLimiter {
    const known = this.#limiters.get(name);
    if (known) {
      if (known.perSecond !== perSecond) {
        throw new InputError(
          `The AWS request rate limit ${name} is ${known.perSecond} a second in this backend already; it cannot also be ${perSecond}`,
        );
      }
      return known.limiter;
    }
    const limiter = new RequestRateLimiter(perSecond);
    this.#limiters.set(name, { perSecond, limiter });
    return limiter;
  }

  /** AWS Config, for advanced queries. */
  configService(target: AwsClientTarget): Promise<ConfigServiceClient> {
    return this.#client(
      'config',
      target,
      common => new ConfigServiceClient(common),
    );
  }

  /** Amazon EKS. */
  eks(target: AwsClientTarget): Promise<EKSClient> {
    return this.#client('eks', target, common => new EKSClient(common));
  }

  /** Amazon CloudWatch, for control-plane metrics and alarms. */
  cloudWatch(target: AwsClientTarget): Promise<CloudWatchClient> {
    return this.#client(
      'monitoring',
      target,
      common => new CloudWatchClient(common),
    );
  }

  /** AWS Cost Explorer (a global service: its region is us-east-1). */
  costExplorer(
    target: Omit<AwsClientTarget, 'region'>,
  ): Promise<CostExplorerClient> {
    return this.#client(
      'ce',
      { ...target, region: 'us-east-1' },
      common => new CostExplorerClient(common),
    );
  }

  /** Amazon EC2, for the capacity of instance types. */
  ec2(target: AwsClientTarget): Promise<EC2Client> {
    return this.#client('ec2', target, common => new EC2Client(common));
  }

  /** AWS Systems Manager, for the public parameters of EKS's AMI releases. */
  ssm(target: AwsClientTarget): Promise<SSMClient> {
    return this.#client('ssm', target, common => new SSMClient(common));
  }

  /** AWS Security Hub, for policy findings. */
  securityHub(target: AwsClientTarget): Promise<SecurityHubClient> {
    return this.#client(
      'securityhub',
      target,
      common => new SecurityHubClient(common),
    );
  }

  /**
   * The credentials of an account (the integration's main account when
   * unset), shared with its clients: for requests the SDK has no client
   * for, such as Amazon Managed Service for Prometheus's query API.
   */
  async credentials(
    accountId?: string,
  ): Promise<AwsCredentialIdentityProvider> {
    const accountKey = accountId ?? 'main';
    let shared = this.#credentials.get(accountKey);
    if (!shared) {
      const { sdkCredentialProvider } =
        await this.credentialsManager.getCredentialProvider(
          accountId ? { accountId } : undefined,
        );
      shared =
        this.#credentials.get(accountKey) ??
        shareCredentials(sdkCredentialProvider);
      this.#credentials.set(accountKey, shared);
    }
    return shared;
  }

  #agentsOf(service: AwsServiceName): ServiceAgents {
    let agents = this.#agents.get(service);
    if (!agents) {
      const options = {
        keepAlive: true,
        maxSockets: Infinity,
        maxFreeSockets: MAX_FREE_SOCKETS,
      };
      agents = {
        httpAgent: new HttpAgent(options),
        httpsAgent: new HttpsAgent(options),
      };
      this.#agents.set(service, agents);
    }
    return agents;
  }

  #client<T>(
    service: AwsServiceName,
    target: AwsClientTarget,
    create: (common: CommonClientConfig) => T,
  ): Promise<T> {
    const key = `${service}/${target.accountId ?? 'main'}/${target.region}`;
    let client = this.#clients.get(key) as Promise<T> | undefined;
    if (!client) {
      client = this.credentialsManager
        .getCredentialProvider(
          target.accountId ? { accountId: target.accountId } : undefined,
        )
        .then(({ sdkCredentialProvider }) => {
          // One set of credentials per account for every client of it: a
          // fleet of 500 account-regions assumes each account's role once,
          // not once per client.
          const accountKey = target.accountId ?? 'main';
          let shared = this.#credentials.get(accountKey);
          if (!shared) {
            shared = shareCredentials(sdkCredentialProvider);
            this.#credentials.set(accountKey, shared);
          }
          return shared;
        })
        .then(sdkCredentialProvider =>
          create({
            region: target.region,
            ...(this.settings.endpoint
              ? { endpoint: this.settings.endpoint }
              : {}),
            maxAttempts: this.settings.maxAttempts,
            retryMode: this.settings.retryMode,
            credentials: sdkCredentialProvider,
            customUserAgent: [USER_AGENT],
            // The SDK's HTTP handler has no timeout of its own: a hung call
            // would block its caller for ever.
            requestHandler: {
              connectionTimeout: this.settings.connectionTimeoutMs,
              requestTimeout: this.settings.requestTimeoutMs[service],
              throwOnRequestTimeout: true,
              ...this.#agentsOf(service),
            },
          }),
        );
      // A failed credential lookup must not stick in the cache.
      client.catch(() => this.#clients.delete(key));
      this.#clients.set(key, client);
    }
    return client;
  }
}

/** Credentials are renewed this long before they expire. */
const RENEW_BEFORE_MS = 5 * 60_000;

/**
 * Wraps a credential provider so that concurrent and later callers share
 * one resolution until shortly before the credentials expire; a failed
 * resolution is not kept.
 */
export function shareCredentials(
  provider: AwsCredentialIdentityProvider,
  now: () => number = Date.now,
): AwsCredentialIdentityProvider {
  let current: ReturnType<AwsCredentialIdentityProvider> | undefined;
  let expiresAt = Number.POSITIVE_INFINITY;
  return async options => {
    if (!current || now() >= expiresAt - RENEW_BEFORE_MS) {
      const pending = provider(options);
      current = pending;
      expiresAt = Number.POSITIVE_INFINITY;
      pending.then(
        credentials => {
          if (current === pending) {
            expiresAt =
              credentials.expiration?.getTime() ?? Number.POSITIVE_INFINITY;
          }
        },
        () => {
          if (current === pending) {
            current = undefined;
          }
        },
      );
    }
    return current;
  };
}
