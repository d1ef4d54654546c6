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

import { CacheManager } from '@backstage/backend-defaults/cache';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { JsonObject } from '@backstage/types';
import {
  credentialsFor,
  RunningEmulator,
  startEmulator,
  testFleet,
} from '@internal/aws-emulator';
import {
  AwsClientFactory,
  EksReleaseCatalog,
  FetchedCache,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { clusterEntity, group, user } from '../__testUtils__/fixtures';
import { Ec2InstanceTypeCatalog } from '../capacity/Ec2InstanceTypeCatalog';
import { readScaffolderConfig } from '../config/readScaffolderConfig';
import { FleetRepository } from '../fleet/FleetRepository';
import { ClusterRequestService } from '../service/ClusterRequestService';
import { createClusterRenderAction } from './clusterRender';

const ACCOUNT = '222222222222';
const ZONE = {
  accountId: ACCOUNT,
  region: 'eu-west-1',
  clusterRoleArn: `arn:aws:iam::${ACCOUNT}:role/EksClusterRole`,
  nodeRoleName: 'KarpenterNodeRole',
  subnetIds: ['subnet-0a1b2c3d4e5f60718', 'subnet-0a1b2c3d4e5f60719'],
  securityGroupIds: ['sg-0123456789abcdef0'],
};

const VALID = {
  name: 'checkout-prod-euw1',
  accountId: ACCOUNT,
  region: 'eu-west-1',
  kubernetesVersion: '1.35',
  environment: 'prod',
  owner: 'group:default/checkout-team',
  system: 'system:default/checkout',
  nodePools: [
    {
      name: 'general',
      instanceFamilies: ['m6i', 'm7i'],
      capacityType: 'on-demand',
      limits: { cpu: '64', memory: '256Gi' },
    },
    {
      name: 'batch',
      instanceFamilies: ['c7g', 'm6i'],
      capacityType: 'spot-and-on-demand',
      limits: { cpu: 32, memory: '64Gi' },
    },
  ],
  addons: ['vpc-cni', 'coredns', 'kube-proxy'],
};

const system: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: { name: 'checkout', namespace: 'default' },
  spec: { owner: 'group:default/checkout-team' },
};

describe('eks-fleet:cluster:render, against the AWS emulator', () => {
  const mockDir = createMockDirectory();
  let emulator: RunningEmulator;
  let calls: string[];
  let action: ReturnType<typeof createClusterRenderAction>;

  beforeAll(async () => {
    emulator = await startEmulator({
      fleet: testFleet(),
      port: 0,
      // 1.34 to 1.36 in standard support, 1.33 in extended support.
      clock: () => new Date('2026-11-20T12:00:00Z'),
      onRequest: e => calls.push(`${e.service}.${e.operation}`),
    });
  });
  afterAll(() => emulator.stop());

  beforeEach(async () => {
    calls = [];
    mockDir.clear();
    const { accessKeyId, secretAccessKey } = credentialsFor('111111111111');
    const rootConfig = new ConfigReader({
      eksFleet: {
        aws: { endpoint: emulator.url, maxAttempts: 1 },
        scaffolder: {
          fleetRepository: {
            local: { path: mockDir.resolve('fleet.git'), create: true },
          },
          landingZones: [ZONE],
        },
      },
      aws: { mainAccount: { accessKeyId, secretAccessKey } },
    });
    const config = readScaffolderConfig(rootConfig);
    const clients = AwsClientFactory.fromConfig(rootConfig);
    const fleetRepository = FleetRepository.fromConfig(config.fleetRepository!);
    await fleetRepository.local();
    action = createClusterRenderAction({
      fleetRepository,
      requests: new ClusterRequestService({
        catalog: catalogServiceMock({
          entities: [
            group('checkout-team'),
            user('alex.rivera'),
            system,
            clusterEntity({
              name: 'pay-prod-eu-west-1-222222222222',
              clusterName: 'pay-prod',
              accountId: ACCOUNT,
              region: 'eu-west-1',
            }),
          ],
        }),
        releases: new EksReleaseCatalog({
          clients,
          cache: new FetchedCache({
            cache: CacheManager.fromConfig(
              new ConfigReader({ backend: { cache: { store: 'memory' } } }),
            ).forPlugin('scaffolder'),
            ttlMs: 60 * 60 * 1000,
          }),
        }),
        instanceTypes: new Ec2InstanceTypeCatalog(clients),
        config,
        fleetRepository,
      }),
    });
  });

  function context(input: unknown) {
    return createMockActionContext({
      workspacePath: mockDir.resolve('workspace'),
      input: input as JsonObject,
      task: { id: '5eed1e55-0000-4000-8000-000000000000' },
      user: { ref: 'user:default/alex.rivera' },
    });
  }

  function run(ctx: ReturnType<typeof context>) {
    return action.handler(ctx as Parameters<typeof action.handler>[0]);
  }

  const folder = `clusters/${ACCOUNT}/eu-west-1/checkout-prod-euw1`;
  function read(relative: string) {
    return yaml
      .parseAllDocuments(
        fs.readFileSync(
          mockDir.resolve('workspace', 'fleet', folder, relative),
          'utf8',
        ),
      )
      .map(d => d.toJS());
  }

  it('renders the ACK and Karpenter manifests of the cluster', async () => {
    const ctx = context(VALID);
    await run(ctx);

    const files = fs
      .readdirSync(mockDir.resolve('workspace', 'fleet', folder), {
        recursive: true,
      })
      .map(String)
      .sort();
    expect(files).toEqual([
      'cluster-request.yaml',
      'control-plane',
      path.join('control-plane', 'addons.yaml'),
      path.join('control-plane', 'cluster.yaml'),
      path.join('control-plane', 'kustomization.yaml'),
      path.join('control-plane', 'system-nodegroup.yaml'),
      'karpenter',
      path.join('karpenter', 'ec2nodeclass.yaml'),
      path.join('karpenter', 'kustomization.yaml'),
      path.join('karpenter', 'nodepools.yaml'),
    ]);

    const ackAnnotations = {
      'services.k8s.aws/owner-account-id': ACCOUNT,
      'services.k8s.aws/region': 'eu-west-1',
    };
    const tags = {
      team: 'checkout-team',
      system: 'checkout',
      environment: 'prod',
      'eks-fleet.io/managed-by': 'backstage',
    };
    const [cluster] = read('control-plane/cluster.yaml');
    expect(cluster).toEqual({
      apiVersion: 'eks.services.k8s.aws/v1alpha1',
      kind: 'Cluster',
      metadata: {
        name: 'checkout-prod-euw1',
        namespace: 'ack-system',
        labels: {
          'app.kubernetes.io/managed-by': 'eks-fleet',
          'eks-fleet.io/cluster': 'checkout-prod-euw1',
        },
        annotations: ackAnnotations,
      },
      spec: {
        name: 'checkout-prod-euw1',
        version: '1.35',
        roleARN: ZONE.clusterRoleArn,
        resourcesVPCConfig: {
          subnetIDs: ZONE.subnetIds,
          securityGroupIDs: ZONE.securityGroupIds,
          endpointPrivateAccess: true,
          endpointPublicAccess: false,
        },
        accessConfig: {
          authenticationMode: 'API',
          bootstrapClusterCreatorAdminPermissions: true,
        },
        upgradePolicy: { supportType: 'STANDARD' },
        logging: {
          clusterLogging: [
            { enabled: true, types: ['api', 'audit', 'authenticator'] },
          ],
        },
        tags,
      },
    });

    const addons = read('control-plane/addons.yaml');
    expect(
      addons.map(a => [
        a.apiVersion,
        a.kind,
        a.metadata.name,
        a.spec.name,
        a.spec.addonVersion,
      ]),
    ).toEqual([
      [
        'eks.services.k8s.aws/v1alpha1',
        'Addon',
        'checkout-prod-euw1-vpc-cni',
        'vpc-cni',
        'v1.21.1-eksbuild.1',
      ],
      [
        'eks.services.k8s.aws/v1alpha1',
        'Addon',
        'checkout-prod-euw1-coredns',
        'coredns',
        'v1.12.4-eksbuild.1',
      ],
      [
        'eks.services.k8s.aws/v1alpha1',
        'Addon',
        'checkout-prod-euw1-kube-proxy',
        'kube-proxy',
        'v1.35.4-eksbuild.1',
      ],
    ]);
    for (const addon of addons) {
      expect(addon.metadata.annotations).toEqual(ackAnnotations);
      expect(addon.spec.clusterRef).toEqual({
        from: { name: 'checkout-prod-euw1' },
      });
      expect(addon.spec.resolveConflicts).toBe('OVERWRITE');
    }

    const [nodegroup] = read('control-plane/system-nodegroup.yaml');
    expect(nodegroup).toMatchObject({
      apiVersion: 'eks.services.k8s.aws/v1alpha1',
      kind: 'Nodegroup',
      metadata: {
        name: 'checkout-prod-euw1-system',
        namespace: 'ack-system',
        annotations: ackAnnotations,
      },
      spec: {
        name: 'system',
        clusterRef: { from: { name: 'checkout-prod-euw1' } },
        version: '1.35',
        nodeRole: `arn:aws:iam::${ACCOUNT}:role/KarpenterNodeRole`,
        subnets: ZONE.subnetIds,
        instanceTypes: ['m6i.large'],
        amiType: 'AL2023_x86_64_STANDARD',
        capacityType: 'ON_DEMAND',
        scalingConfig: { minSize: 2, maxSize: 3, desiredSize: 2 },
      },
    });

    expect(read('control-plane/kustomization.yaml')).toEqual([
      {
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        resources: ['cluster.yaml', 'system-nodegroup.yaml', 'addons.yaml'],
      },
    ]);

    const [nodeClass] = read('karpenter/ec2nodeclass.yaml');
    expect(nodeClass).toMatchObject({
      apiVersion: 'karpenter.k8s.aws/v1',
      kind: 'EC2NodeClass',
      metadata: { name: 'default' },
      spec: {
        role: 'KarpenterNodeRole',
        amiSelectorTerms: [{ alias: 'al2023@latest' }],
        subnetSelectorTerms: [
          { tags: { 'karpenter.sh/discovery': 'checkout-prod-euw1' } },
        ],
        securityGroupSelectorTerms: [
          { tags: { 'karpenter.sh/discovery': 'checkout-prod-euw1' } },
        ],
        metadataOptions: { httpTokens: 'required' },
        tags,
      },
    });
    expect(nodeClass.spec.instanceProfile).toBeUndefined();

    const nodePools = read('karpenter/nodepools.yaml');
    expect(nodePools.map(p => [p.apiVersion, p.kind, p.metadata.name])).toEqual(
      [
        ['karpenter.sh/v1', 'NodePool', 'general'],
        ['karpenter.sh/v1', 'NodePool', 'batch'],
      ],
    );
    const requirement = (pool: any, key: string) =>
      pool.spec.template.spec.requirements.find((r: any) => r.key === key);
    expect(nodePools[0].spec.template.spec.nodeClassRef).toEqual({
      group: 'karpenter.k8s.aws',
      kind: 'EC2NodeClass',
      name: 'default',
    });
    expect(
      requirement(nodePools[0], 'karpenter.k8s.aws/instance-family'),
    ).toEqual({
      key: 'karpenter.k8s.aws/instance-family',
      operator: 'In',
      values: ['m6i', 'm7i'],
    });
    expect(
      requirement(nodePools[0], 'karpenter.sh/capacity-type').values,
    ).toEqual(['on-demand']);
    expect(requirement(nodePools[0], 'kubernetes.io/arch').values).toEqual([
      'amd64',
    ]);
    expect(
      requirement(nodePools[1], 'karpenter.sh/capacity-type').values,
    ).toEqual(['spot', 'on-demand']);
    expect(requirement(nodePools[1], 'kubernetes.io/arch').values).toEqual([
      'amd64',
      'arm64',
    ]);
    expect(nodePools[0].spec.limits).toEqual({ cpu: '64', memory: '256Gi' });
    expect(nodePools[1].spec.limits).toEqual({ cpu: '32', memory: '64Gi' });
    expect(nodePools[0].spec.disruption).toEqual({
      consolidationPolicy: 'WhenEmptyOrUnderutilized',
      consolidateAfter: '1m',
    });
    for (const pool of nodePools) {
      for (const r of pool.spec.template.spec.requirements) {
        expect(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt']).toContain(
          r.operator,
        );
      }
    }

    const [record] = read('cluster-request.yaml');
    expect(record).toMatchObject({
      name: 'checkout-prod-euw1',
      owner: 'group:default/checkout-team',
      requestedBy: 'user:default/alex.rivera',
    });

    expect(ctx.output).toHaveBeenCalledWith(
      'branchName',
      `eks-fleet/cluster-checkout-prod-euw1-eu-west-1-${ACCOUNT}-5eed1e55`,
    );
    expect(ctx.output).toHaveBeenCalledWith('folder', folder);
    expect(ctx.output).toHaveBeenCalledWith('fleetRepository', {
      type: 'local',
      repoUrl: '',
      targetBranch: 'main',
    });
    // One DescribeClusterVersions and one DescribeAddonVersions; EC2 once per family.
    expect(calls.filter(c => c.startsWith('eks.')).sort()).toEqual([
      'eks.DescribeAddonVersions',
      'eks.DescribeClusterVersions',
    ]);
    expect(calls.filter(c => c.startsWith('ec2.'))).toHaveLength(3);
  });

  it.each<[string, unknown, RegExp]>([
    ['name', { ...VALID, name: undefined }, /name: required/],
    [
      'name',
      { ...VALID, name: '-bad' },
      /name: "-bad" is not an EKS cluster name/,
    ],
    [
      'name',
      { ...VALID, name: 'has space' },
      /name: "has space" is not an EKS cluster name/,
    ],
    [
      'name',
      { ...VALID, name: 'a'.repeat(101) },
      /name: "a{101}" is not an EKS cluster name/,
    ],
    [
      'name',
      { ...VALID, name: 'pay-prod' },
      /name: account 222222222222 has a cluster pay-prod in eu-west-1 already \(resource:default\/pay-prod-eu-west-1-222222222222\)/,
    ],
    [
      'accountId',
      { ...VALID, accountId: '12345' },
      /accountId: "12345" is not a 12-digit AWS account id/,
    ],
    [
      'accountId',
      { ...VALID, accountId: 222222222222 },
      /accountId: must be a string/,
    ],
    [
      'region',
      { ...VALID, region: 'Europe' },
      /region: "Europe" is not an AWS region/,
    ],
    [
      'region',
      { ...VALID, region: 'us-east-1' },
      /region: no landing zone is configured for account 222222222222 in us-east-1 \(its landing zones are in eu-west-1\)/,
    ],
    [
      'accountId',
      { ...VALID, accountId: '333333333333' },
      /accountId: no landing zone is configured for account 333333333333 \(eksFleet.scaffolder.landingZones has 222222222222\/eu-west-1\)/,
    ],
    [
      'kubernetesVersion',
      { ...VALID, kubernetesVersion: 'latest' },
      /kubernetesVersion: "latest" is not a Kubernetes minor version/,
    ],
    [
      'kubernetesVersion',
      { ...VALID, kubernetesVersion: '1.33' },
      /kubernetesVersion: 1.33 is in extended support in eu-west-1; a new cluster starts on a version in standard support \(1.36, 1.35, 1.34\)/,
    ],
    [
      'kubernetesVersion',
      { ...VALID, kubernetesVersion: '1.28' },
      /kubernetesVersion: 1.28 is no longer supported in eu-west-1/,
    ],
    [
      'kubernetesVersion',
      { ...VALID, kubernetesVersion: '1.99' },
      /kubernetesVersion: 1.99 is not offered by EKS in eu-west-1/,
    ],
    [
      'environment',
      { ...VALID, environment: 'Prod!' },
      /environment: "Prod!" is not an environment name/,
    ],
    [
      'owner',
      { ...VALID, owner: 'group:default/ghosts' },
      /owner: there is no group:default\/ghosts in the catalog/,
    ],
    [
      'owner',
      { ...VALID, owner: 'user:default/alex.rivera' },
      /owner: user:default\/alex.rivera is a User; expected a team/,
    ],
    [
      'system',
      { ...VALID, system: 'system:default/nowhere' },
      /system: there is no system:default\/nowhere in the catalog/,
    ],
    [
      'system',
      { ...VALID, system: 'group:default/checkout-team' },
      /system: group:default\/checkout-team is a Group; expected a System/,
    ],
    ['system', { ...VALID, system: 7 }, /system: must be a string/],
    ['nodePools', { ...VALID, nodePools: undefined }, /nodePools: required/],
    ['nodePools', { ...VALID, nodePools: 'big' }, /nodePools: must be a list/],
    [
      'nodePools',
      { ...VALID, nodePools: [] },
      /nodePools: at least one node pool is needed/,
    ],
    [
      'nodePools[0]',
      { ...VALID, nodePools: [5] },
      /nodePools\[0\]: must be an object/,
    ],
    [
      'nodePools[0].name',
      { ...VALID, nodePools: [{ ...VALID.nodePools[0], name: 'General' }] },
      /nodePools\[0\].name: "General" is not a node pool name/,
    ],
    [
      'nodePools[0].name',
      { ...VALID, nodePools: [{ ...VALID.nodePools[0], name: 'system' }] },
      /nodePools\[0\].name: "system" is the managed node group/,
    ],
    [
      'nodePools[1].name',
      { ...VALID, nodePools: [VALID.nodePools[0], VALID.nodePools[0]] },
      /nodePools\[1\].name: general is there twice/,
    ],
    [
      'nodePools[0].instanceFamilies',
      {
        ...VALID,
        nodePools: [{ ...VALID.nodePools[0], instanceFamilies: [] }],
      },
      /nodePools\[0\].instanceFamilies: at least one instance family is needed/,
    ],
    [
      'nodePools[0].instanceFamilies',
      {
        ...VALID,
        nodePools: [{ ...VALID.nodePools[0], instanceFamilies: 'm6i' }],
      },
      /nodePools\[0\].instanceFamilies: must be a list of instance families/,
    ],
    [
      'nodePools[0].instanceFamilies[0]',
      {
        ...VALID,
        nodePools: [
          { ...VALID.nodePools[0], instanceFamilies: ['m6i.xlarge'] },
        ],
      },
      /nodePools\[0\].instanceFamilies\[0\]: "m6i.xlarge" is not an EC2 instance family/,
    ],
    [
      'nodePools[0].instanceFamilies[1]',
      {
        ...VALID,
        nodePools: [
          { ...VALID.nodePools[0], instanceFamilies: ['m6i', 'x9z'] },
        ],
      },
      /nodePools\[0\].instanceFamilies\[1\]: EC2 has no instance type of family x9z in eu-west-1/,
    ],
    [
      'nodePools[0].capacityType',
      {
        ...VALID,
        nodePools: [{ ...VALID.nodePools[0], capacityType: 'cheap' }],
      },
      /nodePools\[0\].capacityType: must be one of on-demand, spot, spot-and-on-demand/,
    ],
    [
      'nodePools[0].limits',
      { ...VALID, nodePools: [{ ...VALID.nodePools[0], limits: undefined }] },
      /nodePools\[0\].limits: required/,
    ],
    [
      'nodePools[0].limits.cpu',
      {
        ...VALID,
        nodePools: [
          { ...VALID.nodePools[0], limits: { cpu: 'lots', memory: '1Gi' } },
        ],
      },
      /nodePools\[0\].limits.cpu: "lots" is not a CPU quantity/,
    ],
    [
      'nodePools[0].limits.cpu',
      {
        ...VALID,
        nodePools: [
          { ...VALID.nodePools[0], limits: { cpu: '500m', memory: '8Gi' } },
        ],
      },
      /nodePools\[0\].limits.cpu: must be at least 1 CPU/,
    ],
    [
      'nodePools[0].limits.memory',
      {
        ...VALID,
        nodePools: [
          { ...VALID.nodePools[0], limits: { cpu: '4', memory: '512Mi' } },
        ],
      },
      /nodePools\[0\].limits.memory: must be at least 1Gi/,
    ],
    [
      'addons',
      { ...VALID, addons: 'vpc-cni' },
      /addons: must be a list of add-on names/,
    ],
    [
      'addons[0]',
      { ...VALID, addons: ['istio'] },
      /addons\[0\]: "istio" is not an add-on a cluster may ask for/,
    ],
    [
      'addons[1]',
      { ...VALID, addons: ['coredns', 'coredns'] },
      /addons\[1\]: coredns is there twice/,
    ],
    ['addons[0]', { ...VALID, addons: [42] }, /addons\[0\]: must be a string/],
  ])('refuses a bad %s', async (_field, input, message) => {
    await expect(run(context(input))).rejects.toThrow(message);
  });

  it('refuses a cluster the fleet repository defines already', async () => {
    await run(context(VALID));
    const repository = await FleetRepository.fromConfig(
      readScaffolderConfig(
        new ConfigReader({
          eksFleet: {
            scaffolder: {
              fleetRepository: {
                local: { path: mockDir.resolve('fleet.git') },
              },
            },
          },
        }),
      ).fleetRepository!,
    ).local();
    // As if the first request's branch had been merged.
    const manifests = fs.readFileSync(
      mockDir.resolve(
        'workspace',
        'fleet',
        folder,
        'control-plane',
        'cluster.yaml',
      ),
    );
    const merged = await repository.commitOnNewBranch({
      branch: 'merged',
      baseBranch: 'main',
      message: 'merged',
      author: { name: 't', email: 't@t' },
      files: [
        { path: `${folder}/control-plane/cluster.yaml`, content: manifests },
      ],
    });
    // Move main to the merged commit.
    fs.writeFileSync(
      mockDir.resolve('fleet.git', 'refs', 'heads', 'main'),
      `${merged.commit}\n`,
    );

    await expect(run(context(VALID))).rejects.toThrow(
      /name: the fleet repository defines checkout-prod-euw1 in account 222222222222, eu-west-1 already/,
    );
  });

  it('lists every problem at once', async () => {
    await expect(
      run(
        context({
          ...VALID,
          name: '_x',
          kubernetesVersion: '1.33',
          addons: ['istio'],
        }),
      ),
    ).rejects.toThrow(
      /Invalid cluster request: name: .*; addons\[0\]: .*; kubernetesVersion: 1.33 is in extended support/,
    );
  });
});
