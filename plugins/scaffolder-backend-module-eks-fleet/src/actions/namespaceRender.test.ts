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

import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { JsonObject } from '@backstage/types';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import {
  clusterEntity,
  expectValidResource,
  group,
  StaticInstanceTypeCatalog,
  user,
} from '../__testUtils__/fixtures';
import { readScaffolderConfig } from '../config/readScaffolderConfig';
import { FleetRepository } from '../fleet/FleetRepository';
import { LocalGitRepository } from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { renderCluster } from '../render/clusterManifests';
import { NamespaceRequestService } from '../service/NamespaceRequestService';
import { createNamespaceRenderAction } from './namespaceRender';

const CLUSTER = clusterEntity({
  name: 'payments-prod-use1-us-east-1-735260918427',
  clusterName: 'payments-prod-use1',
  accountId: '735260918427',
  region: 'us-east-1',
  system: 'payments',
  nodegroups: [
    // 4 vCPU, 16 GiB, 58 pods a node
    {
      name: 'general',
      instanceTypes: ['m6i.xlarge', 'm6i.2xlarge'],
      maxSize: 8,
    },
    { name: 'system', instanceTypes: ['m6i.large'], maxSize: 2 },
  ],
});

function existingNamespace(name: string, quota: JsonObject): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: `${name}.${CLUSTER.metadata.name}`,
      namespace: 'default',
      annotations: {
        'eks-fleet.io/cluster-ref': `resource:default/${CLUSTER.metadata.name}`,
        'eks-fleet.io/namespace': name,
      },
    },
    spec: {
      type: 'kubernetes-namespace',
      owner: 'group:default/checkout-team',
      dependsOn: [`resource:default/${CLUSTER.metadata.name}`],
      quota,
    },
  };
}

function descriptionOf(ctx: { output: unknown }): string {
  const call = jest
    .mocked(ctx.output as (name: string, value: unknown) => void)
    .mock.calls.find(([name]) => name === 'description');
  return String(call?.[1]);
}

const VALID = {
  cluster: `resource:default/${CLUSTER.metadata.name}`,
  namespace: 'payments-api',
  owner: 'group:default/payments-team',
  quota: { cpu: '4', memory: '8Gi', pods: 50 },
  defaults: {
    requestCpu: '100m',
    requestMemory: '128Mi',
    limitCpu: '500m',
    limitMemory: '512Mi',
  },
};

describe('eks-fleet:namespace:render', () => {
  const mockDir = createMockDirectory();
  const scaffolderConfig = readScaffolderConfig(
    new ConfigReader({
      eksFleet: {
        scaffolder: {
          fleetRepository: { local: { path: '/srv/fleet.git' } },
          namespaces: { reservedNames: ['karpenter'] },
        },
      },
    }),
  );
  const fleetRepository = FleetRepository.fromConfig(
    scaffolderConfig.fleetRepository!,
  );

  function setup(entities: Entity[] = []) {
    const instanceTypes = new StaticInstanceTypeCatalog();
    const action = createNamespaceRenderAction({
      fleetRepository,
      requests: new NamespaceRequestService({
        catalog: catalogServiceMock({
          entities: [
            CLUSTER,
            group('payments-team'),
            group('checkout-team'),
            user('alex.rivera'),
            ...entities,
          ],
        }),
        instanceTypes,
        config: scaffolderConfig.namespaces,
        fleetRepository,
      }),
    });
    return { action, instanceTypes };
  }

  function run(
    action: ReturnType<typeof createNamespaceRenderAction>,
    ctx: ReturnType<typeof context>,
  ) {
    return action.handler(ctx as Parameters<typeof action.handler>[0]);
  }

  function context(input: unknown) {
    mockDir.clear();
    return createMockActionContext({
      workspacePath: mockDir.path,
      input: input as JsonObject,
      task: { id: 'c0ffee12-3456-7890-abcd-ef0123456789' },
      user: { ref: 'user:default/alex.rivera' },
    });
  }

  function readRendered(relative: string) {
    return yaml.parse(
      fs.readFileSync(path.join(mockDir.path, 'fleet', relative), 'utf8'),
    );
  }

  it('renders the namespace, its quota, defaults, access, network policy and catalog entity', async () => {
    const { action, instanceTypes } = setup();
    const ctx = context(VALID);

    await run(action, ctx);

    const folder =
      'clusters/735260918427/us-east-1/payments-prod-use1/namespaces/payments-api';
    expect(
      fs.readdirSync(path.join(mockDir.path, 'fleet', folder)).sort(),
    ).toEqual([
      'catalog-info.yaml',
      'kustomization.yaml',
      'limit-range.yaml',
      'namespace.yaml',
      'network-policy.yaml',
      'resource-quota.yaml',
      'role-binding.yaml',
    ]);

    const namespace = readRendered(`${folder}/namespace.yaml`);
    expect(namespace).toMatchObject({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'payments-api',
        labels: {
          'app.kubernetes.io/managed-by': 'eks-fleet',
          'eks-fleet.io/owner': 'payments-team',
          'pod-security.kubernetes.io/enforce': 'baseline',
        },
        annotations: {
          'backstage.io/owner': 'group:default/payments-team',
          'eks-fleet.io/requested-by': 'user:default/alex.rivera',
        },
      },
    });

    expect(readRendered(`${folder}/resource-quota.yaml`)).toEqual({
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: expect.objectContaining({
        name: 'compute',
        namespace: 'payments-api',
      }),
      spec: {
        hard: { 'requests.cpu': '4', 'requests.memory': '8Gi', pods: '50' },
      },
    });

    const limitRange = readRendered(`${folder}/limit-range.yaml`);
    expect(limitRange.apiVersion).toBe('v1');
    expect(limitRange.kind).toBe('LimitRange');
    expect(limitRange.metadata.namespace).toBe('payments-api');
    expect(limitRange.spec.limits).toEqual([
      {
        type: 'Container',
        defaultRequest: { cpu: '100m', memory: '128Mi' },
        default: { cpu: '500m', memory: '512Mi' },
      },
    ]);

    const roleBinding = readRendered(`${folder}/role-binding.yaml`);
    expect(roleBinding).toMatchObject({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { namespace: 'payments-api' },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'edit',
      },
      subjects: [
        {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'Group',
          name: 'payments-team',
        },
      ],
    });

    const networkPolicy = readRendered(`${folder}/network-policy.yaml`);
    expect(networkPolicy).toMatchObject({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { namespace: 'payments-api' },
      spec: {
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ podSelector: {} }] }],
      },
    });

    expect(readRendered(`${folder}/kustomization.yaml`)).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: [
        'namespace.yaml',
        'resource-quota.yaml',
        'limit-range.yaml',
        'role-binding.yaml',
        'network-policy.yaml',
      ],
    });

    const entity = readRendered(`${folder}/catalog-info.yaml`);
    await expectValidResource(entity);
    expect(entity).toMatchObject({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: 'payments-api.payments-prod-use1-us-east-1-735260918427',
        title: 'payments-api on payments-prod-use1',
        annotations: {
          'eks-fleet.io/cluster-ref': `resource:default/${CLUSTER.metadata.name}`,
          'eks-fleet.io/namespace': 'payments-api',
        },
      },
      spec: {
        type: 'kubernetes-namespace',
        owner: 'group:default/payments-team',
        system: 'payments',
        dependsOn: [`resource:default/${CLUSTER.metadata.name}`],
        quota: { cpu: '4', memory: '8Gi', pods: 50 },
      },
    });

    const branch =
      'eks-fleet/namespace-payments-api-payments-prod-use1-c0ffee12';
    expect(ctx.output).toHaveBeenCalledWith('branchName', branch);
    expect(ctx.output).toHaveBeenCalledWith('sourcePath', 'fleet');
    expect(ctx.output).toHaveBeenCalledWith('folder', folder);
    expect(ctx.output).toHaveBeenCalledWith('fleetRepository', {
      type: 'local',
      repoUrl: '',
      targetBranch: 'main',
    });
    expect(ctx.output).toHaveBeenCalledWith(
      'catalogInfoUrl',
      `git+file:///srv/fleet.git?ref=${encodeURIComponent(
        branch,
      )}&path=${encodeURIComponent(`${folder}/catalog-info.yaml`)}`,
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'resource:default/payments-api.payments-prod-use1-us-east-1-735260918427',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'description',
      expect.stringContaining(
        'Cluster capacity (managed node groups at their maximum size): 35.2 CPUs, 134.9 GiB, 522 pods (general: 8 x m6i.xlarge, system: 2 x m6i.large)',
      ),
    );
    // /srv/fleet.git does not exist: the NodePools are not counted, and it says why.
    expect(descriptionOf(ctx)).toContain(
      '- Karpenter NodePools not counted: its NodePools could not be read: No git repository at /srv/fleet.git',
    );
    expect(ctx.output).toHaveBeenCalledWith('capacitySource', 'nodegroups');
    // One EC2 question for all the cluster's instance types.
    expect(instanceTypes.calls).toEqual([
      {
        region: 'us-east-1',
        instanceTypes: ['m6i.xlarge', 'm6i.2xlarge', 'm6i.large'],
      },
    ]);
  });

  it('sets limits in the quota when asked', async () => {
    const { action } = setup();
    await run(
      action,
      context({
        ...VALID,
        quota: { ...VALID.quota, limitsCpu: 8, limitsMemory: '16Gi' },
      }),
    );
    expect(
      readRendered(
        'clusters/735260918427/us-east-1/payments-prod-use1/namespaces/payments-api/resource-quota.yaml',
      ).spec.hard,
    ).toEqual({
      'requests.cpu': '4',
      'requests.memory': '8Gi',
      'limits.cpu': '8',
      'limits.memory': '16Gi',
      pods: '50',
    });
  });

  it.each<[string, unknown, RegExp]>([
    ['cluster', { ...VALID, cluster: undefined }, /cluster: required/],
    ['cluster', { ...VALID, cluster: 17 }, /cluster: must be a string/],
    [
      'cluster',
      { ...VALID, cluster: 'resource:default/' },
      /cluster: "resource:default\/" is not an entity reference/,
    ],
    [
      'cluster',
      { ...VALID, cluster: 'resource:default/nope' },
      /cluster: there is no resource:default\/nope in the catalog/,
    ],
    [
      'cluster',
      { ...VALID, cluster: 'group:default/payments-team' },
      /cluster: group:default\/payments-team is not an EKS cluster/,
    ],
    ['namespace', { ...VALID, namespace: '' }, /namespace: must not be empty/],
    [
      'namespace',
      { ...VALID, namespace: 'Payments' },
      /namespace: "Payments" is not a DNS label/,
    ],
    [
      'namespace',
      { ...VALID, namespace: 'a_b' },
      /namespace: "a_b" is not a DNS label/,
    ],
    [
      'namespace',
      { ...VALID, namespace: '-x' },
      /namespace: "-x" is not a DNS label/,
    ],
    [
      'namespace',
      { ...VALID, namespace: 'x'.repeat(64) },
      /namespace: "x{64}" is not a DNS label/,
    ],
    [
      'namespace',
      { ...VALID, namespace: 'kube-system' },
      /namespace: "kube-system" is reserved/,
    ],
    [
      'namespace',
      { ...VALID, namespace: 'kube-public' },
      /namespace: "kube-public" is reserved/,
    ],
    [
      'namespace',
      { ...VALID, namespace: 'kube-node-lease' },
      /namespace: "kube-node-lease" is reserved/,
    ],
    [
      'namespace',
      { ...VALID, namespace: 'default' },
      /namespace: "default" is reserved/,
    ],
    [
      'namespace',
      { ...VALID, namespace: 'kube-anything' },
      /namespace: "kube-anything" is reserved/,
    ],
    [
      'namespace',
      { ...VALID, namespace: 'karpenter' },
      /namespace: "karpenter" is reserved/,
    ],
    ['owner', { ...VALID, owner: null }, /owner: must be a string/],
    [
      'owner',
      { ...VALID, owner: 'group:default/ghosts' },
      /owner: there is no group:default\/ghosts in the catalog/,
    ],
    [
      'owner',
      { ...VALID, owner: 'user:default/alex.rivera' },
      /owner: user:default\/alex.rivera is a User; a namespace is owned by a team/,
    ],
    ['quota', { ...VALID, quota: undefined }, /quota: required/],
    ['quota', { ...VALID, quota: 'lots' }, /quota: must be an object/],
    [
      'quota.cpu',
      { ...VALID, quota: { ...VALID.quota, cpu: 'four' } },
      /quota.cpu: "four" is not a CPU quantity/,
    ],
    [
      'quota.cpu',
      { ...VALID, quota: { ...VALID.quota, cpu: '-1' } },
      /quota.cpu: "-1" is not a CPU quantity/,
    ],
    [
      'quota.cpu',
      { ...VALID, quota: { ...VALID.quota, cpu: { a: 1 } } },
      /quota.cpu: expected a CPU quantity/,
    ],
    [
      'quota.memory',
      { ...VALID, quota: { ...VALID.quota, memory: '8 GB' } },
      /quota.memory: "8 GB" is not a memory quantity/,
    ],
    [
      'quota.memory',
      { ...VALID, quota: { ...VALID.quota, memory: '0.5m' } },
      /quota.memory: "0.5m" is not a memory quantity/,
    ],
    [
      'quota.pods',
      { ...VALID, quota: { ...VALID.quota, pods: 2.5 } },
      /quota.pods: must be a whole number/,
    ],
    [
      'quota.pods',
      { ...VALID, quota: { ...VALID.quota, pods: 0 } },
      /quota.pods: must be at least 1/,
    ],
    [
      'quota.pods',
      { ...VALID, quota: { ...VALID.quota, pods: '50' } },
      /quota.pods: must be a number/,
    ],
    [
      'quota.limitsCpu',
      { ...VALID, quota: { ...VALID.quota, limitsCpu: '2' } },
      /quota.limitsCpu: 2 is less than the CPU requests quota 4/,
    ],
    [
      'quota.limitsMemory',
      { ...VALID, quota: { ...VALID.quota, limitsMemory: '1Gi' } },
      /quota.limitsMemory: 1Gi is less than the memory requests quota 8Gi/,
    ],
    ['defaults', { ...VALID, defaults: [] }, /defaults: must be an object/],
    [
      'defaults.requestCpu',
      { ...VALID, defaults: { ...VALID.defaults, requestCpu: 'lots' } },
      /defaults.requestCpu: "lots" is not a CPU quantity/,
    ],
    [
      'defaults.requestCpu',
      { ...VALID, defaults: { ...VALID.defaults, requestCpu: '600m' } },
      /defaults.requestCpu: 600m is more than the default CPU limit 500m/,
    ],
    [
      'defaults.requestMemory',
      { ...VALID, defaults: { ...VALID.defaults, requestMemory: '1Gi' } },
      /defaults.requestMemory: 1Gi is more than the default memory limit 512Mi/,
    ],
    [
      'defaults.limitCpu',
      {
        ...VALID,
        quota: { ...VALID.quota, limitsCpu: '4' },
        defaults: { ...VALID.defaults, limitCpu: '5' },
      },
      /defaults.limitCpu: 5 is more than the namespace's CPU limits quota 4/,
    ],
    [
      'defaults.limitMemory',
      { ...VALID, defaults: { ...VALID.defaults, limitMemory: 'big' } },
      /defaults.limitMemory: "big" is not a memory quantity/,
    ],
    [
      'outputPath',
      { ...VALID, outputPath: '../../etc' },
      /Invalid outputPath "..\/..\/etc"/,
    ],
    ['outputPath', { ...VALID, outputPath: 5 }, /outputPath: must be a string/],
  ])('refuses a bad %s', async (_field, input, message) => {
    const { action } = setup();
    await expect(run(action, context(input))).rejects.toThrow(message);
  });

  it('lists every problem at once', async () => {
    const { action } = setup();
    await expect(
      run(
        action,
        context({
          ...VALID,
          namespace: 'kube-system',
          owner: 'group:default/ghosts',
        }),
      ),
    ).rejects.toThrow(
      /Invalid namespace request: namespace: "kube-system" is reserved.*; owner: there is no group:default\/ghosts/,
    );
  });

  it('refuses a namespace the cluster has already', async () => {
    const { action } = setup([
      existingNamespace('payments-api', { cpu: '1', memory: '1Gi', pods: 10 }),
    ]);
    await expect(run(action, context(VALID))).rejects.toThrow(
      /namespace: payments-api exists on payments-prod-use1 already \(resource:default\/payments-api\.payments-prod-use1-us-east-1-735260918427\)/,
    );
  });

  it('refuses a quota beyond what the node groups hold, counting the other namespaces', async () => {
    const { action } = setup([
      existingNamespace('checkout', { cpu: '32', memory: '64Gi', pods: 400 }),
    ]);
    // 35.2 CPUs in all, 32 granted: 3.2 left.
    await expect(run(action, context(VALID))).rejects.toThrow(
      /quota.cpu: 4 CPUs do not fit on payments-prod-use1: its node groups hold 35.2 CPUs at their maximum size \(general: 8 x m6i.xlarge, system: 2 x m6i.large\), and its 1 other namespace\(s\) have 32 CPUs of it; at most 3.2 CPUs are left/,
    );
    await expect(
      run(
        action,
        context({ ...VALID, quota: { cpu: '1', memory: '80Gi', pods: 200 } }),
      ),
    ).rejects.toThrow(
      /quota.memory: 80 GiB do not fit.*; quota.pods: 200 pods do not fit/,
    );
    await expect(
      run(
        action,
        context({ ...VALID, quota: { cpu: '3', memory: '32Gi', pods: 100 } }),
      ),
    ).resolves.toBeUndefined();
  });

  it('refuses a cluster whose capacity it cannot know', async () => {
    const bare = clusterEntity({
      name: 'bare-us-east-1-735260918427',
      clusterName: 'bare',
      accountId: '735260918427',
      region: 'us-east-1',
      nodegroups: [{ name: 'odd', instanceTypes: ['x9z.huge'], maxSize: 3 }],
    });
    const { action } = setup([bare]);
    await expect(
      run(
        action,
        context({
          ...VALID,
          cluster: 'resource:default/bare-us-east-1-735260918427',
        }),
      ),
    ).rejects.toThrow(
      /cluster: the capacity of bare is unknown: the catalog lists no node group with a maximum size and an instance type EC2 knows \(unknown: x9z.huge\)/,
    );
  });
});

describe('eks-fleet:namespace:render with Karpenter NodePools', () => {
  // Git writes on a busy machine take a while; nothing here is timed.
  jest.setTimeout(60_000);
  const workspace = createMockDirectory();
  const fleetDir = createMockDirectory();
  const ACCOUNT = '735260918427';
  const REGION = 'us-east-1';

  function karpenterCluster(
    clusterName: string,
    nodegroups: Array<{
      name: string;
      instanceTypes: string[];
      maxSize?: number;
    }> = [],
  ) {
    return clusterEntity({
      name: `${clusterName}-${REGION}-${ACCOUNT}`,
      clusterName,
      accountId: ACCOUNT,
      region: REGION,
      nodegroups,
    });
  }

  // What the cluster template renders: 16 + 8 CPUs, 64 + 32 GiB.
  function renderedCluster(name: string) {
    return renderCluster({
      name,
      accountId: ACCOUNT,
      region: REGION,
      kubernetesVersion: '1.33',
      environment: 'dev',
      owner: { entityRef: 'group:default/orders-team', name: 'orders-team' },
      landingZone: {
        accountId: ACCOUNT,
        region: REGION,
        clusterRoleArn: `arn:aws:iam::${ACCOUNT}:role/EksClusterRole`,
        nodeRoleName: 'KarpenterNodeRole',
        subnetIds: ['subnet-0a1b2c3d', 'subnet-4e5f6a7b'],
        securityGroupIds: [],
        endpointPublicAccess: false,
      },
      nodePools: [
        {
          name: 'general',
          instanceFamilies: ['m6i'],
          capacityType: 'on-demand',
          architectures: ['amd64'],
          limits: { cpuMillis: 16_000, memoryBytes: 64 * 2 ** 30 },
        },
        {
          name: 'batch',
          instanceFamilies: ['c6i'],
          capacityType: 'spot',
          architectures: ['amd64'],
          limits: { cpuMillis: 8_000, memoryBytes: 32 * 2 ** 30 },
        },
      ],
      addons: [],
      systemNodegroup: {
        instanceTypes: ['m6i.large'],
        minSize: 2,
        maxSize: 3,
        desiredSize: 2,
      },
      ackNamespace: 'ack-system',
      tagKeys: { owner: 'team', system: 'system', environment: 'environment' },
    });
  }

  const CLUSTERS = {
    karpenterOnly: karpenterCluster('orders-dev'),
    both: karpenterCluster('orders-prod', [
      { name: 'system', instanceTypes: ['m6i.large'], maxSize: 2 },
    ]),
    garbage: karpenterCluster('orders-garbage'),
    unlimited: karpenterCluster('orders-unlimited'),
  };
  const karpenterFolder = (clusterName: string) =>
    `clusters/${ACCOUNT}/${REGION}/${clusterName}/karpenter`;

  let action: ReturnType<typeof createNamespaceRenderAction>;

  beforeAll(async () => {
    fleetDir.clear();
    const repositoryPath = fleetDir.resolve('fleet.git');
    await LocalGitRepository.createIfMissing(repositoryPath, {
      branch: 'main',
      message: 'Clusters',
      author: { name: 'Test', email: 'test@example.com' },
      files: [
        ...renderedCluster('orders-dev'),
        ...renderedCluster('orders-prod'),
        {
          path: `${karpenterFolder('orders-garbage')}/nodepools.yaml`,
          content: 'kind: NodePool\nspec: [limits: {cpu: 4\n',
        },
        {
          path: `${karpenterFolder('orders-unlimited')}/nodepools.yaml`,
          content: yaml.stringify({
            apiVersion: 'karpenter.sh/v1',
            kind: 'NodePool',
            metadata: { name: 'anything' },
            spec: { template: { spec: {} } },
          }),
        },
      ],
    });
    const config = readScaffolderConfig(
      new ConfigReader({
        eksFleet: {
          scaffolder: {
            fleetRepository: { local: { path: repositoryPath } },
          },
        },
      }),
    );
    const fleetRepository = FleetRepository.fromConfig(config.fleetRepository!);
    action = createNamespaceRenderAction({
      fleetRepository,
      requests: new NamespaceRequestService({
        catalog: catalogServiceMock({
          entities: [...Object.values(CLUSTERS), group('orders-team')],
        }),
        instanceTypes: new StaticInstanceTypeCatalog(),
        config: config.namespaces,
        fleetRepository,
      }),
    });
  });

  function context(cluster: Entity, quota: JsonObject) {
    workspace.clear();
    return createMockActionContext({
      workspacePath: workspace.path,
      input: {
        cluster: `resource:default/${cluster.metadata.name}`,
        namespace: 'orders-api',
        owner: 'group:default/orders-team',
        quota,
      },
      task: { id: 'c0ffee12-3456-7890-abcd-ef0123456789' },
      user: { ref: 'user:default/alex.rivera' },
    });
  }

  function run(ctx: ReturnType<typeof context>) {
    return action.handler(ctx as Parameters<typeof action.handler>[0]);
  }

  it('accepts a quota within the NodePools of a cluster that has only Karpenter', async () => {
    const ctx = context(CLUSTERS.karpenterOnly, {
      cpu: '20',
      memory: '90Gi',
      pods: 160,
    });

    await run(ctx);

    expect(ctx.output).toHaveBeenCalledWith('capacitySource', 'karpenter');
    // 24 CPUs at 7 pods a CPU (the default estimate): 168 pods.
    expect(descriptionOf(ctx)).toContain(
      '- Cluster capacity (Karpenter NodePools at their limits): 24 CPUs, 96 GiB, 168 pods (NodePool pods estimated from their CPU limits) (NodePool general: 16 CPUs, 64 GiB, 112 pods (estimated), NodePool batch: 8 CPUs, 32 GiB, 56 pods (estimated))',
    );
  });

  it('refuses a quota beyond the NodePools limits, naming the fields', async () => {
    const ctx = context(CLUSTERS.karpenterOnly, {
      cpu: '25',
      memory: '97Gi',
      pods: 100,
    });
    await expect(run(ctx)).rejects.toThrow(
      /quota.cpu: 25 CPUs do not fit on orders-dev: its Karpenter NodePools may launch 24 CPUs at their limits \(NodePool general: 16 CPUs, 64 GiB, 112 pods \(estimated\), NodePool batch: 8 CPUs, 32 GiB, 56 pods \(estimated\)\), and its 0 other namespace\(s\) have 0 CPUs of it; at most 24 CPUs are left; quota.memory: 97 GiB do not fit on orders-dev: its Karpenter NodePools may launch 96 GiB/,
    );
    await expect(
      run(
        context(CLUSTERS.karpenterOnly, {
          cpu: '4',
          memory: '8Gi',
          pods: 169,
        }),
      ),
    ).rejects.toThrow(/quota.pods: 169 pods do not fit on orders-dev/);
  });

  it('adds the NodePools to the managed node groups when a cluster has both', async () => {
    const ctx = context(CLUSTERS.both, {
      cpu: '25',
      memory: '100Gi',
      pods: 150,
    });

    await run(ctx);

    expect(ctx.output).toHaveBeenCalledWith(
      'capacitySource',
      'nodegroups+karpenter',
    );
    // 2 x m6i.large: 3.86 CPUs, 14.7 GiB, 58 pods; with the NodePools above.
    expect(descriptionOf(ctx)).toContain(
      'managed node groups at their maximum size and Karpenter NodePools at their limits): 27.9 CPUs, 110.7 GiB, 226 pods',
    );
  });

  it('falls back to the refusal, with the reason, when the NodePools do not parse', async () => {
    await expect(
      run(context(CLUSTERS.garbage, { cpu: '1', memory: '1Gi', pods: 10 })),
    ).rejects.toThrow(
      /cluster: the capacity of orders-garbage is unknown: the catalog lists no node group with a maximum size, and no Karpenter NodePool counts \(clusters\/735260918427\/us-east-1\/orders-garbage\/karpenter\/nodepools.yaml is not valid YAML/,
    );
  });

  it('falls back to the refusal when a NodePool has no limits', async () => {
    await expect(
      run(context(CLUSTERS.unlimited, { cpu: '1', memory: '1Gi', pods: 10 })),
    ).rejects.toThrow(
      /no Karpenter NodePool counts \(NodePool anything of clusters\/735260918427\/us-east-1\/orders-unlimited\/karpenter\/nodepools.yaml has no spec.limits, so what it may launch is unbounded\)/,
    );
  });
});
