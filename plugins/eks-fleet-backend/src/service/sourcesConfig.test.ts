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

import { ConfigReader } from '@backstage/config';
import { readOpenCostConfig, readPrometheusConfig } from './sourcesConfig';

const opencost = (settings: object) =>
  readOpenCostConfig(
    new ConfigReader({
      eksFleet: { insights: { cost: { opencost: settings } } },
    }),
  );
const prometheus = (settings: object) =>
  readPrometheusConfig(
    new ConfigReader({
      eksFleet: { insights: { slo: { prometheus: settings } } },
    }),
  );

describe('readOpenCostConfig', () => {
  it('is undefined when absent, with defaults when present', () => {
    expect(readOpenCostConfig(new ConfigReader({}))).toBeUndefined();
    expect(opencost({ url: 'http://opencost.{clusterName}:9003' })).toEqual({
      url: 'http://opencost.{clusterName}:9003',
      clusters: {},
      allocationPath: '/allocation/compute',
      currency: 'USD',
      teamLabel: 'team',
      timeoutMs: 10_000,
    });
    expect(
      opencost({
        clusters: { 'pay-prod': 'https://kubecost.example.com/' },
        api: 'kubecost',
      }),
    ).toMatchObject({ allocationPath: '/model/allocation' });
  });

  it.each([
    [{}, /eksFleet.insights.cost.opencost: set url/],
    [{ url: 'ftp://x' }, /opencost.url: "ftp:\/\/x" is not an http\(s\) URL/],
    [
      { url: 'http://x', api: 'other' },
      /opencost.api: expected opencost or kubecost/,
    ],
    [{ url: 'http://x', currency: 'dollars' }, /opencost.currency/],
    [{ url: 'http://x', teamLabel: 'a b' }, /opencost.teamLabel/],
    [{ url: 'http://x', timeout: 'soon' }, /opencost.timeout/],
  ])('refuses %j', (settings, message) => {
    expect(() => opencost(settings)).toThrow(message);
  });
});

describe('readPrometheusConfig', () => {
  it('gives the API server and ingress defaults, overridden per environment', () => {
    const settings = prometheus({
      url: 'http://prometheus:9090',
      environments: {
        prod: {
          url: 'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1',
          workload: { via: 'service', latencyThresholdSeconds: 0.3 },
        },
        dev: { controlPlane: { latencyObjective: 0.9 } },
      },
    })!;
    expect(settings.environments.default.controlPlane.queries.requests).toMatch(
      /apiserver_request_total/,
    );
    expect(settings.environments.default.workload.via).toBe('ingress');
    expect(settings.environments.prod.workload).toMatchObject({
      via: 'service',
      latencyThresholdSeconds: 0.3,
    });
    expect(settings.environments.prod.workload.queries.requests).toMatch(
      /http_requests_total/,
    );
    expect(settings.environments.dev).toMatchObject({
      url: 'http://prometheus:9090',
      controlPlane: { latencyObjective: 0.9 },
    });
  });

  it.each([
    [{}, /prometheus.url: set the Prometheus HTTP API's URL/],
    [{ environments: { prod: {} } }, /environments.prod.url: no URL/],
    [{ url: 'http://x', sigv4: { region: 'Mars' } }, /sigv4.region/],
    [{ url: 'http://x', workload: { via: 'mesh' } }, /workload.via/],
    [
      { url: 'http://x', controlPlane: { latencyObjective: 2 } },
      /controlPlane.latencyObjective/,
    ],
    [
      { url: 'http://x', workload: { queries: { errors: ' ' } } },
      /workload.queries.errors: empty/,
    ],
  ])('refuses %j', (settings, message) => {
    expect(() => prometheus(settings)).toThrow(message);
  });
});
