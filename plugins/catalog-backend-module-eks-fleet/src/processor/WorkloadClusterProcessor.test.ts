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
import { CatalogProcessorResult } from '@backstage/plugin-catalog-node';
import { ClusterNameIndex } from './ClusterNameIndex';
import { WorkloadClusterProcessor } from './WorkloadClusterProcessor';

const location = {
  type: 'url',
  target: 'https://example.com/catalog-info.yaml',
};

function workload(clusters?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'checkout-api',
      namespace: 'default',
      annotations:
        clusters === undefined ? {} : { 'eks-fleet.io/clusters': clusters },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'payments' },
  };
}

describe('WorkloadClusterProcessor', () => {
  const index = new ClusterNameIndex({
    load: async () =>
      [
        {
          clusterName: 'payments-prod',
          arn: 'arn:aws:eks:eu-west-1:222222222222:cluster/payments-prod',
          entityName: 'payments-prod-eu-west-1-222222222222',
        },
        {
          clusterName: 'shared',
          arn: 'arn:aws:eks:eu-west-1:222222222222:cluster/shared',
          entityName: 'shared-eu-west-1-222222222222',
        },
        {
          clusterName: 'shared',
          arn: 'arn:aws:eks:us-east-1:333333333333:cluster/shared',
          entityName: 'shared-us-east-1-333333333333',
        },
      ].map(names => ({ providerId: 'org', ...names })),
  });
  const processor = new WorkloadClusterProcessor({
    index,
    entityNameTemplate: '{clusterName}-{region}-{accountId}',
  });

  async function run(entity: Entity) {
    const emitted: CatalogProcessorResult[] = [];
    const result = await processor.postProcessEntity(entity, location, r =>
      emitted.push(r),
    );
    expect(result).toBe(entity);
    return emitted;
  }

  it('relates a workload to each cluster it names by ARN, cluster name or entity name, both ways', async () => {
    const emitted = await run(
      workload(
        ' arn:aws:eks:us-east-1:444444444444:cluster/new-one , payments-prod, shared-us-east-1-333333333333,payments-prod',
      ),
    );
    const relations = emitted.map(r => {
      expect(r.type).toBe('relation');
      const { relation } = r as Extract<
        CatalogProcessorResult,
        { type: 'relation' }
      >;
      return `${relation.source.name} ${relation.type} ${relation.target.kind}:${relation.target.name}`;
    });
    expect(relations).toEqual([
      'checkout-api dependsOn Resource:new-one-us-east-1-444444444444',
      'new-one-us-east-1-444444444444 dependencyOf Component:checkout-api',
      'checkout-api dependsOn Resource:payments-prod-eu-west-1-222222222222',
      'payments-prod-eu-west-1-222222222222 dependencyOf Component:checkout-api',
      'checkout-api dependsOn Resource:shared-us-east-1-333333333333',
      'shared-us-east-1-333333333333 dependencyOf Component:checkout-api',
    ]);
  });

  it('leaves entities without the annotation alone', async () => {
    expect(await run(workload())).toEqual([]);
  });

  it.each([
    ['a cluster name shared by several clusters', 'shared', /names 2 clusters/],
    ['a broken ARN', 'arn:aws:s3:::bucket', /ARN/],
    [
      'a name the catalog cannot hold',
      'not a name!',
      /Invalid cluster reference/,
    ],
  ])(
    'reports %s as an input error on the entity',
    async (_, value, message) => {
      const [result] = await run(workload(value));
      expect(result.type).toBe('error');
      expect((result as any).error.name).toBe('InputError');
      expect((result as any).error.message).toMatch(message);
      expect((result as any).error.message).toContain(
        'Component:default/checkout-api',
      );
    },
  );
});
