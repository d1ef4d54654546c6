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
import { JsonObject } from '@backstage/types';
import { fillLinkTemplate, readInsightsConfig } from './insightsConfig';

// Garbage included: the config a person writes is not typed.
const read = (insights: unknown) =>
  readInsightsConfig(
    new ConfigReader({ eksFleet: { insights } } as unknown as JsonObject),
  );

describe('readInsightsConfig', () => {
  it('has defaults for everything', () => {
    expect(readInsightsConfig(new ConfigReader({}))).toEqual({
      cacheTtlMs: 300_000,
      providers: { slo: 'aws', cost: 'aws', findings: 'aws' },
      sloObjective: 0.9995,
      costDays: 30,
      links: [],
      controlPlanePrice: { standardHourlyUsd: 0.1, extendedHourlyUsd: 0.6 },
    });
  });

  it('reads every setting', () => {
    expect(
      read({
        cacheTtl: { minutes: 1 },
        slo: { provider: 'prometheus', objective: 0.999 },
        cost: { provider: 'none', days: 60 },
        findings: { provider: 'kyverno' },
        controlPlanePrice: { standardHourlyUsd: 0.08, extendedHourlyUsd: 0.48 },
        links: [
          {
            title: 'Grafana',
            url: 'https://grafana.{environment}.example.com/d/eks?var-cluster={clusterName}',
            environments: ['prod'],
            icon: 'dashboard',
          },
        ],
      }),
    ).toEqual({
      cacheTtlMs: 60_000,
      providers: { slo: 'prometheus', cost: 'none', findings: 'kyverno' },
      sloObjective: 0.999,
      costDays: 60,
      controlPlanePrice: { standardHourlyUsd: 0.08, extendedHourlyUsd: 0.48 },
      links: [
        {
          title: 'Grafana',
          url: 'https://grafana.{environment}.example.com/d/eks?var-cluster={clusterName}',
          environments: ['prod'],
          icon: 'dashboard',
        },
      ],
    });
    expect(read({ cacheTtl: '30 seconds' }).cacheTtlMs).toBe(30_000);
  });

  it.each([
    [{ slo: { objective: 99.95 } }, 'eksFleet.insights.slo.objective'],
    [{ slo: { objective: 'high' } }, 'eksFleet.insights.slo.objective'],
    [{ cost: { days: 7 } }, 'eksFleet.insights.cost.days'],
    [{ cost: { days: 30.5 } }, 'eksFleet.insights.cost.days'],
    [{ slo: { provider: ' ' } }, 'eksFleet.insights.slo.provider'],
    [{ findings: { provider: 42 } }, 'eksFleet.insights.findings.provider'],
    [{ cacheTtl: 'soon' }, 'eksFleet.insights.cacheTtl'],
    [
      { controlPlanePrice: { standardHourlyUsd: -0.1 } },
      'eksFleet.insights.controlPlanePrice.standardHourlyUsd',
    ],
    [
      { controlPlanePrice: { extendedHourlyUsd: 'cheap' } },
      'eksFleet.insights.controlPlanePrice.extendedHourlyUsd',
    ],
    [
      // Below the standard price.
      { controlPlanePrice: { extendedHourlyUsd: 0.05 } },
      'eksFleet.insights.controlPlanePrice.extendedHourlyUsd',
    ],
    [{ controlPlanePrice: 0.6 }, 'eksFleet.insights.controlPlanePrice'],
    [{ cacheTtl: { minutes: 0 } }, 'eksFleet.insights.cacheTtl'],
    [{ links: 'grafana' }, 'eksFleet.insights.links'],
    [
      { links: [{ url: 'https://x.example.com' }] },
      'eksFleet.insights.links[0].title',
    ],
    [
      { links: [{ title: 'Grafana', url: 'grafana.example.com' }] },
      'eksFleet.insights.links[0].url',
    ],
    [
      // eslint-disable-next-line no-script-url
      { links: [{ title: 'Grafana', url: 'javascript:alert({clusterName})' }] },
      'eksFleet.insights.links[0].url',
    ],
    [
      {
        links: [
          { title: 'A', url: 'https://a.example.com' },
          { title: 'B', url: 'https://b.example.com/{cluster}' },
        ],
      },
      'eksFleet.insights.links[1].url',
    ],
    [
      {
        links: [{ title: 'A', url: 'https://a.example.com', environments: [] }],
      },
      'eksFleet.insights.links[0].environments',
    ],
  ])('refuses %j, naming %s', (insights, key) => {
    expect(() => read(insights)).toThrow(key);
  });

  it('names the known placeholders when one is unknown', () => {
    expect(() =>
      read({ links: [{ title: 'B', url: 'https://b.example.com/{cluster}' }] }),
    ).toThrow(/unknown placeholder \{cluster\}; known: \{clusterName\}/);
  });
});

describe('fillLinkTemplate', () => {
  it('puts each value in URL-encoded', () => {
    expect(
      fillLinkTemplate('https://x.example.com/{namespace}/{name}?arn={arn}', {
        clusterName: 'c',
        region: 'eu-west-1',
        accountId: '1',
        environment: 'prod',
        namespace: 'default',
        name: 'c-eu-west-1-1',
        arn: 'arn:aws:eks:eu-west-1:1:cluster/c',
      }),
    ).toBe(
      'https://x.example.com/default/c-eu-west-1-1?arn=arn%3Aaws%3Aeks%3Aeu-west-1%3A1%3Acluster%2Fc',
    );
  });
});
