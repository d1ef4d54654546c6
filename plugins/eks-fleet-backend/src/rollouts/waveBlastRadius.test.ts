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

import { Entity } from '@backstage/catalog-model';
import { waveBlastRadius } from './waveBlastRadius';

const cluster = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name, namespace: 'default' },
  spec: { type: 'kubernetes-cluster', owner: 'group:default/platform-team' },
  relations: [
    { type: 'ownedBy', targetRef: 'group:default/platform-team' },
    ...['a', 'b', 'c']
      .filter(w => name === 'c1' || w !== 'c')
      .map(w => ({
        type: 'dependencyOf',
        targetRef: `component:default/${w}`,
      })),
  ],
});

const workload = (name: string, lifecycle: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'service', lifecycle, owner },
  relations: [
    { type: 'ownedBy', targetRef: owner },
    { type: 'dependsOn', targetRef: 'resource:default/c1' },
  ],
});

const group = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [] },
});

const entities = new Map<string, Entity>(
  [
    cluster('c1'),
    cluster('c2'),
    workload('a', 'production', 'group:default/payments'),
    workload('b', 'experimental', 'group:default/search'),
    workload('c', 'production', 'group:default/payments'),
    group('payments'),
    group('search'),
  ].map(e => [
    `${e.kind.toLocaleLowerCase('en-US')}:default/${e.metadata.name}`,
    e,
  ]),
);

const catalog = {
  calls: 0,
  async getEntitiesByRefs(refs: string[]) {
    this.calls += 1;
    return refs.map(ref => entities.get(ref));
  },
};

describe('waveBlastRadius', () => {
  it("counts each wave's distinct workloads, production ones and teams across its clusters", async () => {
    const report = await waveBlastRadius(catalog, [
      {
        index: 0,
        clusterRefs: ['resource:default/c1', 'resource:default/c2'],
      },
      { index: 1, clusterRefs: ['resource:default/c2'] },
      { index: 2, clusterRefs: ['resource:default/gone'] },
    ]);
    expect(report.waves).toEqual([
      {
        index: 0,
        workloads: 3,
        productionWorkloads: 2,
        teams: 2,
        clustersWalked: 2,
        clusters: 2,
      },
      {
        index: 1,
        workloads: 2,
        productionWorkloads: 1,
        teams: 2,
        clustersWalked: 1,
        clusters: 1,
      },
      // A cluster the catalog no longer holds (or the caller may not see).
      {
        index: 2,
        workloads: 0,
        productionWorkloads: 0,
        teams: 0,
        clustersWalked: 1,
        clusters: 1,
      },
    ]);
  });

  it('walks at most maxClusters of a wave and says so', async () => {
    const report = await waveBlastRadius(
      catalog,
      [
        {
          index: 0,
          clusterRefs: ['resource:default/c2', 'resource:default/c1'],
        },
      ],
      { maxClusters: 1 },
    );
    expect(report.waves[0]).toMatchObject({
      workloads: 2,
      clustersWalked: 1,
      clusters: 2,
    });
  });
});
