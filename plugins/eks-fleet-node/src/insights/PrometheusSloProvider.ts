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

import { Sha256 } from '@aws-crypto/sha256-js';
import { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { SignatureV4 } from '@smithy/signature-v4';
import { z } from 'zod';
import {
  EksClusterTarget,
  EksWorkloadSloProvider,
  EksWorkloadTarget,
  SloReport,
} from './types';
import { DAY, isoDay, lastDays, utcDay } from './utcDays';
import { LatencySloReport } from '@eks-fleet/backstage-plugin-eks-fleet-common';

/**
 * The PromQL of one SLO, with {clusterName}, {region}, {accountId},
 * {namespace}, {service}, {threshold} and {window} placeholders (label
 * values are escaped for PromQL). Each must answer one number: the
 * increase over {window}.
 *
 * @public
 */
export interface PrometheusSloQueries {
  /** Every request. */
  requests: string;
  /** Requests that failed (5xx). */
  errors: string;
  /** Requests the latency histogram saw. */
  latencyRequests: string;
  /** Those answered within {threshold} seconds (the histogram's le bucket). */
  fast: string;
}

const ESCAPED = (value: string) =>
  value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** The API server's own metrics, as the EKS control plane exposes them. */
export const API_SERVER_SLO_QUERIES: PrometheusSloQueries = {
  requests:
    'sum(increase(apiserver_request_total{cluster="{clusterName}"}[{window}]))',
  errors:
    'sum(increase(apiserver_request_total{cluster="{clusterName}",code=~"5.."}[{window}]))',
  latencyRequests:
    'sum(increase(apiserver_request_duration_seconds_count{cluster="{clusterName}",verb!~"WATCH|CONNECT"}[{window}]))',
  fast: 'sum(increase(apiserver_request_duration_seconds_bucket{cluster="{clusterName}",verb!~"WATCH|CONNECT",le="{threshold}"}[{window}]))',
};

/** A workload's ingress, as ingress-nginx counts it. */
export const INGRESS_NGINX_SLO_QUERIES: PrometheusSloQueries = {
  requests:
    'sum(increase(nginx_ingress_controller_requests{cluster="{clusterName}",exported_namespace="{namespace}",ingress="{service}"}[{window}]))',
  errors:
    'sum(increase(nginx_ingress_controller_requests{cluster="{clusterName}",exported_namespace="{namespace}",ingress="{service}",status=~"5.."}[{window}]))',
  latencyRequests:
    'sum(increase(nginx_ingress_controller_request_duration_seconds_count{cluster="{clusterName}",exported_namespace="{namespace}",ingress="{service}"}[{window}]))',
  fast: 'sum(increase(nginx_ingress_controller_request_duration_seconds_bucket{cluster="{clusterName}",exported_namespace="{namespace}",ingress="{service}",le="{threshold}"}[{window}]))',
};

/** A workload's Service, by the conventional HTTP server metrics. */
export const HTTP_SERVICE_SLO_QUERIES: PrometheusSloQueries = {
  requests:
    'sum(increase(http_requests_total{cluster="{clusterName}",namespace="{namespace}",service="{service}"}[{window}]))',
  errors:
    'sum(increase(http_requests_total{cluster="{clusterName}",namespace="{namespace}",service="{service}",code=~"5.."}[{window}]))',
  latencyRequests:
    'sum(increase(http_request_duration_seconds_count{cluster="{clusterName}",namespace="{namespace}",service="{service}"}[{window}]))',
  fast: 'sum(increase(http_request_duration_seconds_bucket{cluster="{clusterName}",namespace="{namespace}",service="{service}",le="{threshold}"}[{window}]))',
};

/**
 * Where and how one environment's SLOs are read.
 *
 * @public
 */
export interface PrometheusEnvironmentSettings {
  /** The Prometheus HTTP API's base URL; may carry {clusterName}, {region}, {accountId}. */
  url: string;
  /**
   * SigV4 signing for Amazon Managed Service for Prometheus: on by itself
   * for aps-workspaces.<region>.amazonaws.com, the region read from it.
   */
  sigv4?: { region: string; accountId?: string };
  controlPlane: {
    queries: PrometheusSloQueries;
    latencyThresholdSeconds: number;
    latencyObjective: number;
  };
  workload: {
    /** "ingress" or "service": what the queries read, said on the card. */
    via: string;
    queries: PrometheusSloQueries;
    latencyThresholdSeconds: number;
    latencyObjective: number;
  };
}

/** @public */
export interface PrometheusSloSettings {
  /** By environment; "default" for the rest. */
  environments: Record<string, PrometheusEnvironmentSettings>;
  timeoutMs: number;
}

const matrixSchema = z.looseObject({
  status: z.literal('success'),
  data: z.looseObject({
    resultType: z.literal('matrix'),
    result: z.array(
      z.looseObject({
        metric: z.record(z.string(), z.string()),
        values: z.array(z.tuple([z.number(), z.string()])),
      }),
    ),
  }),
});
const errorSchema = z.looseObject({
  status: z.literal('error'),
  errorType: z.string().optional(),
  error: z.string().optional(),
});

/** The host of Amazon Managed Service for Prometheus, and its region. */
const AMP_HOST = /^aps-workspaces\.([a-z0-9-]+)\.amazonaws\.com$/;

/** The id Prometheus answers under. */
export const PROMETHEUS_PROVIDER_ID = 'prometheus';

/**
 * Availability and latency SLOs from PromQL over the Prometheus HTTP API
 * (query_range, one point a day over 30 days): the API server's by
 * default, and a workload's through its ingress or Service; requests to
 * Amazon Managed Service for Prometheus signed with SigV4 (service "aps")
 * with the AWS credentials of the configured account.
 *
 * @public
 */
export class PrometheusSloProvider implements EksWorkloadSloProvider {
  readonly id = PROMETHEUS_PROVIDER_ID;

  constructor(
    private readonly settings: PrometheusSloSettings,
    private readonly options: {
      /** The credentials of an account, for SigV4. */
      credentials?: (
        accountId?: string,
      ) => Promise<AwsCredentialIdentityProvider>;
      fetchFn?: typeof fetch;
    } = {},
  ) {}

  private environmentOf(cluster: EksClusterTarget) {
    const settings =
      (cluster.environment &&
        this.settings.environments[cluster.environment]) ||
      this.settings.environments.default;
    if (!settings) {
      throw new Error(
        `No Prometheus configured for environment ${
          cluster.environment ?? '(none)'
        }: set eksFleet.insights.slo.prometheus.url or its environments.${
          cluster.environment ?? 'default'
        }`,
      );
    }
    return settings;
  }

  async getSlo(
    cluster: EksClusterTarget,
    options: { objective: number; now: Date },
  ): Promise<SloReport> {
    const env = this.environmentOf(cluster);
    return this.report(cluster, env, env.controlPlane, {}, options, {
      kind: 'control-plane',
    });
  }

  async getWorkloadSlo(
    cluster: EksClusterTarget,
    workload: EksWorkloadTarget,
    options: { objective: number; now: Date },
  ): Promise<SloReport> {
    const env = this.environmentOf(cluster);
    return this.report(
      cluster,
      env,
      env.workload,
      { namespace: workload.namespace, service: workload.service },
      options,
      {
        kind: 'workload',
        namespace: workload.namespace,
        service: workload.service,
        via: env.workload.via,
      },
    );
  }

  private async report(
    cluster: EksClusterTarget,
    env: PrometheusEnvironmentSettings,
    slo: PrometheusEnvironmentSettings['controlPlane'],
    extra: Record<string, string>,
    options: { objective: number; now: Date },
    subject: NonNullable<SloReport['subject']>,
  ): Promise<SloReport> {
    const values: Record<string, string> = {
      clusterName: cluster.clusterName,
      region: cluster.region,
      accountId: cluster.accountId,
      threshold: String(slo.latencyThresholdSeconds),
      window: '1d',
      ...extra,
    };
    const fill = (template: string, escape: (v: string) => string) =>
      template.replace(/\{(\w+)\}/g, (match, key: string) =>
        key in values ? escape(values[key]) : match,
      );
    const baseUrl = fill(env.url, encodeURIComponent).replace(/\/+$/, '');
    const { start, end } = lastDays(options.now, 30);
    const days: number[] = [];
    for (let day = start; day < end; day += DAY) {
      days.push(day);
    }
    const [requests, errors, latencyRequests, fast] = await Promise.all(
      (['requests', 'errors', 'latencyRequests', 'fast'] as const).map(key =>
        this.dailySeries(
          baseUrl,
          env,
          fill(slo.queries[key], ESCAPED),
          start,
          end,
        ),
      ),
    );
    const daily: SloReport['daily'] = days.map(day => {
      const r = requests.get(day) ?? 0;
      const e = Math.min(errors.get(day) ?? 0, r);
      return {
        date: isoDay(day),
        requests: r,
        errors: e,
        availability: r > 0 ? 1 - e / r : null,
      };
    });
    const windows = [7, 30].map(n => {
      const slice = daily.slice(-n);
      const total = slice.reduce((sum, d) => sum + d.requests, 0);
      const failed = slice.reduce((sum, d) => sum + d.errors, 0);
      return {
        days: n,
        requests: total,
        errors: failed,
        availability: total > 0 ? 1 - failed / total : null,
        ...budget(total, failed, options.objective),
      };
    });
    const latency: LatencySloReport = {
      thresholdSeconds: slo.latencyThresholdSeconds,
      objective: slo.latencyObjective,
      windows: [7, 30].map(n => {
        const slice = days.slice(-n);
        const total = slice.reduce(
          (s, d) => s + (latencyRequests.get(d) ?? 0),
          0,
        );
        const within = Math.min(
          slice.reduce((s, d) => s + (fast.get(d) ?? 0), 0),
          total,
        );
        return {
          days: n,
          requests: total,
          fast: within,
          share: total > 0 ? within / total : null,
          ...budget(total, total - within, slo.latencyObjective),
        };
      }),
    };
    return {
      source: this.id,
      objective: options.objective,
      windows,
      daily,
      subject,
      latency,
    };
  }

  /** One query's value for each day (keyed by the day's start). */
  private async dailySeries(
    baseUrl: string,
    env: PrometheusEnvironmentSettings,
    query: string,
    start: number,
    end: number,
  ): Promise<Map<number, number>> {
    // Evaluated at each day's end: the increase over [1d] is that day's.
    const params = new URLSearchParams({
      query,
      start: String((start + DAY) / 1000),
      end: String(end / 1000),
      step: '86400',
    });
    const body = await this.get(baseUrl, env, '/api/v1/query_range', params);
    const error = errorSchema.safeParse(body);
    if (error.success) {
      throw new Error(
        `Prometheus refused the query (${error.data.errorType ?? 'error'}): ${
          error.data.error ?? ''
        }`,
      );
    }
    const parsed = matrixSchema.safeParse(body);
    if (!parsed.success) {
      throw new Error(
        `Prometheus answered something that is not a range query's matrix: ${parsed.error.issues
          .slice(0, 3)
          .map(i => `${i.path.join('.') || '(root)'}: ${i.message}`)
          .join('; ')}`,
      );
    }
    const series = new Map<number, number>();
    for (const result of parsed.data.data.result) {
      for (const [time, text] of result.values) {
        const value = Number(text);
        if (Number.isFinite(value) && value >= 0) {
          const day = utcDay(time * 1000 - 1);
          series.set(day, (series.get(day) ?? 0) + value);
        }
      }
    }
    return series;
  }

  private async get(
    baseUrl: string,
    env: PrometheusEnvironmentSettings,
    path: string,
    params: URLSearchParams,
  ): Promise<unknown> {
    const url = new URL(`${baseUrl}${path}?${params}`);
    const headers: Record<string, string> = { accept: 'application/json' };
    const ampRegion = AMP_HOST.exec(url.hostname)?.[1];
    const sigv4 = env.sigv4 ?? (ampRegion ? { region: ampRegion } : undefined);
    if (sigv4) {
      if (!this.options.credentials) {
        throw new Error('SigV4 signing needs AWS credentials');
      }
      const signer = new SignatureV4({
        service: 'aps',
        region: sigv4.region,
        credentials: await this.options.credentials(sigv4.accountId),
        sha256: Sha256,
      });
      const signed = await signer.sign({
        method: 'GET',
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port ? Number(url.port) : undefined,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: { ...headers, host: url.host },
      });
      Object.assign(headers, signed.headers);
      delete headers.host;
    }
    const response = await (this.options.fetchFn ?? fetch)(url, {
      headers,
      signal: AbortSignal.timeout(this.settings.timeoutMs),
    }).catch((error: Error) => {
      throw new Error(
        error.name === 'TimeoutError'
          ? `Prometheus did not answer within ${this.settings.timeoutMs} ms`
          : `Prometheus is unreachable: ${error.message}`,
      );
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(
        `Prometheus answered ${response.status} with something that is not JSON`,
      );
    }
    if (!response.ok && !errorSchema.safeParse(body).success) {
      throw new Error(`Prometheus answered ${response.status}`);
    }
    return body;
  }
}

/** What is left of a window's error budget, and how fast it burns. */
function budget(requests: number, bad: number, objective: number) {
  const allowed = requests * (1 - objective);
  return {
    errorBudgetRemaining:
      requests > 0 && allowed > 0 ? 1 - bad / allowed : null,
    burnRate: requests > 0 ? bad / requests / (1 - objective) : null,
  };
}
