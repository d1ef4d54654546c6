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

import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  API_SERVER_SLO_QUERIES,
  HTTP_SERVICE_SLO_QUERIES,
  INGRESS_NGINX_SLO_QUERIES,
  OpenCostSettings,
  PrometheusEnvironmentSettings,
  PrometheusSloQueries,
  PrometheusSloSettings,
  readDurationSetting,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';

/** eksFleet.insights.cost.opencost, read and checked. */
export interface OpenCostConfig extends OpenCostSettings {
  /** The namespace label a team is read from. */
  teamLabel: string;
}

function timeoutOf(settings: Config, key: string): number {
  return readDurationSetting(settings, 'timeout', {
    path: key,
    fallbackMs: 10_000,
  });
}

function checkUrlTemplate(value: string, key: string) {
  let url: URL | undefined;
  try {
    url = new URL(value.replace(/\{\w+\}/g, 'x'));
  } catch {
    url = undefined;
  }
  if (!url || !['http:', 'https:'].includes(url.protocol)) {
    throw new InputError(
      `Invalid config at ${key}: ${JSON.stringify(
        value,
      )} is not an http(s) URL`,
    );
  }
}

/** Reads eksFleet.insights.cost.opencost; undefined when it is not there. */
export function readOpenCostConfig(config: Config): OpenCostConfig | undefined {
  const key = 'eksFleet.insights.cost.opencost';
  const settings = config.getOptionalConfig(key);
  if (!settings) {
    return undefined;
  }
  const url = settings.getOptionalString('url');
  if (url !== undefined) {
    checkUrlTemplate(url, `${key}.url`);
  }
  const clustersConfig = settings.getOptionalConfig('clusters');
  const clusters: Record<string, string> = {};
  for (const name of clustersConfig?.keys() ?? []) {
    const value = clustersConfig!.getString(name);
    checkUrlTemplate(value, `${key}.clusters.${name}`);
    clusters[name] = value;
  }
  if (url === undefined && Object.keys(clusters).length === 0) {
    throw new InputError(
      `Invalid config at ${key}: set url (a template such as http://opencost.{clusterName}.example.com:9003) or clusters`,
    );
  }
  const api = settings.getOptionalString('api') ?? 'opencost';
  if (api !== 'opencost' && api !== 'kubecost') {
    throw new InputError(
      `Invalid config at ${key}.api: expected opencost or kubecost, got ${JSON.stringify(
        api,
      )}`,
    );
  }
  const currency = settings.getOptionalString('currency') ?? 'USD';
  if (!/^[A-Z]{3}$/.test(currency)) {
    throw new InputError(
      `Invalid config at ${key}.currency: expected an ISO 4217 code such as USD, got ${JSON.stringify(
        currency,
      )}`,
    );
  }
  const teamLabel = settings.getOptionalString('teamLabel') ?? 'team';
  if (!/^[A-Za-z0-9_.\/-]{1,253}$/.test(teamLabel)) {
    throw new InputError(
      `Invalid config at ${key}.teamLabel: ${JSON.stringify(
        teamLabel,
      )} is not a Kubernetes label key`,
    );
  }
  return {
    url,
    clusters,
    allocationPath:
      api === 'kubecost' ? '/model/allocation' : '/allocation/compute',
    currency,
    teamLabel,
    timeoutMs: timeoutOf(settings, key),
  };
}

const QUERY_KEYS: Array<keyof PrometheusSloQueries> = [
  'requests',
  'errors',
  'latencyRequests',
  'fast',
];

function readObjective(
  settings: Config | undefined,
  key: string,
  base: {
    latencyThresholdSeconds: number;
    latencyObjective: number;
    queries: PrometheusSloQueries;
  },
) {
  const threshold =
    settings?.getOptionalNumber('latencyThresholdSeconds') ??
    base.latencyThresholdSeconds;
  if (!(threshold > 0 && threshold <= 3600)) {
    throw new InputError(
      `Invalid config at ${key}.latencyThresholdSeconds: expected seconds above 0, got ${threshold}`,
    );
  }
  const objective =
    settings?.getOptionalNumber('latencyObjective') ?? base.latencyObjective;
  if (!(objective > 0 && objective < 1)) {
    throw new InputError(
      `Invalid config at ${key}.latencyObjective: expected a share between 0 and 1 such as 0.99, got ${objective}`,
    );
  }
  const queries = { ...base.queries };
  for (const q of QUERY_KEYS) {
    const value = settings?.getOptionalString(`queries.${q}`);
    if (value !== undefined) {
      if (!value.trim()) {
        throw new InputError(`Invalid config at ${key}.queries.${q}: empty`);
      }
      queries[q] = value;
    }
  }
  return {
    latencyThresholdSeconds: threshold,
    latencyObjective: objective,
    queries,
  };
}

function readEnvironment(
  settings: Config | undefined,
  key: string,
  base: Partial<PrometheusEnvironmentSettings>,
): Partial<PrometheusEnvironmentSettings> {
  const url = settings?.getOptionalString('url') ?? base.url;
  if (url !== undefined) {
    checkUrlTemplate(url, `${key}.url`);
  }
  const sigv4Config = settings?.getOptionalConfig('sigv4');
  const sigv4 = sigv4Config
    ? {
        region: sigv4Config.getString('region'),
        accountId: sigv4Config.getOptionalString('accountId'),
      }
    : base.sigv4;
  if (sigv4 && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(sigv4.region)) {
    throw new InputError(
      `Invalid config at ${key}.sigv4.region: ${JSON.stringify(
        sigv4.region,
      )} is not an AWS region`,
    );
  }
  const controlPlane = readObjective(
    settings?.getOptionalConfig('controlPlane'),
    `${key}.controlPlane`,
    base.controlPlane ?? {
      queries: API_SERVER_SLO_QUERIES,
      latencyThresholdSeconds: 1,
      latencyObjective: 0.99,
    },
  );
  const workloadSettings = settings?.getOptionalConfig('workload');
  const via =
    workloadSettings?.getOptionalString('via') ??
    base.workload?.via ??
    'ingress';
  if (via !== 'ingress' && via !== 'service') {
    throw new InputError(
      `Invalid config at ${key}.workload.via: expected ingress or service, got ${JSON.stringify(
        via,
      )}`,
    );
  }
  const viaQueries =
    via === 'ingress' ? INGRESS_NGINX_SLO_QUERIES : HTTP_SERVICE_SLO_QUERIES;
  // An environment keeps the base's queries unless it reads another way.
  const baseQueries =
    base.workload && base.workload.via === via
      ? base.workload.queries
      : viaQueries;
  const workload = readObjective(workloadSettings, `${key}.workload`, {
    latencyThresholdSeconds: base.workload?.latencyThresholdSeconds ?? 0.5,
    latencyObjective: base.workload?.latencyObjective ?? 0.99,
    queries: baseQueries,
  });
  return { url, sigv4, controlPlane, workload: { via, ...workload } };
}

/** Reads eksFleet.insights.slo.prometheus; undefined when it is not there. */
export function readPrometheusConfig(
  config: Config,
): PrometheusSloSettings | undefined {
  const key = 'eksFleet.insights.slo.prometheus';
  const settings = config.getOptionalConfig(key);
  if (!settings) {
    return undefined;
  }
  const base = readEnvironment(settings, key, {});
  const environments: Record<string, PrometheusEnvironmentSettings> = {};
  if (base.url) {
    environments.default = base as PrometheusEnvironmentSettings;
  }
  const perEnvironment = settings.getOptionalConfig('environments');
  for (const name of perEnvironment?.keys() ?? []) {
    const env = readEnvironment(
      perEnvironment!.getConfig(name),
      `${key}.environments.${name}`,
      base,
    );
    if (!env.url) {
      throw new InputError(
        `Invalid config at ${key}.environments.${name}.url: no URL here nor at ${key}.url`,
      );
    }
    environments[name] = env as PrometheusEnvironmentSettings;
  }
  if (Object.keys(environments).length === 0) {
    throw new InputError(
      `Invalid config at ${key}.url: set the Prometheus HTTP API's URL (or one per environment)`,
    );
  }
  return { environments, timeoutMs: timeoutOf(settings, key) };
}
