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

import {
  DescribeAddonCommand,
  DescribeAddonVersionsCommand,
  DescribeClusterCommand,
  DescribeClusterVersionsCommand,
  DescribeInsightCommand,
  DescribeNodegroupCommand,
  DescribeUpdateCommand,
  EKSClient,
  InvalidParameterException,
  InvalidRequestException,
  ListUpdatesCommand,
  paginateDescribeAddonVersions,
  paginateDescribeClusterVersions,
  paginateListAddons,
  paginateListClusters,
  paginateListInsights,
  paginateListNodegroups,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateAddonCommand,
  UpdateClusterVersionCommand,
  UpdateNodegroupVersionCommand,
} from '@aws-sdk/client-eks';
import {
  ConfigServiceClient,
  SelectResourceConfigCommand,
} from '@aws-sdk/client-config-service';
import { RunningEmulator, startEmulator } from '../index';
import {
  credentialsFor,
  PAYMENTS,
  PLATFORM,
  testFleet,
} from '../testing/testFleet';

async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) {
    all.push(page);
  }
  return all;
}

describe('Amazon EKS over the wire', () => {
  let emulator: RunningEmulator;
  let now = new Date('2026-11-25T12:00:00Z');
  const eks = (accountId: string, region: string, maxAttempts = 1) =>
    new EKSClient({
      endpoint: emulator.url,
      region,
      credentials: credentialsFor(accountId),
      maxAttempts,
    });

  beforeAll(async () => {
    emulator = await startEmulator({
      fleet: testFleet(),
      port: 0,
      updateDelayMs: 60_000,
      clock: () => now,
    });
  });
  afterAll(() => emulator.stop());
  afterEach(() => emulator.state.resetFaults());

  it('lists the clusters of the caller account and region page by page, never a deleted one', async () => {
    const pages = await collect(
      paginateListClusters(
        { client: eks(PAYMENTS, 'eu-west-1'), pageSize: 1 },
        {},
      ),
    );
    expect(pages).toHaveLength(2);
    expect(pages.flatMap(p => p.clusters)).toEqual(['pay-dev', 'pay-prod']);
    const east = await collect(
      paginateListClusters({ client: eks(PAYMENTS, 'us-east-1') }, {}),
    );
    expect(east.flatMap(p => p.clusters)).toEqual([]);
  });

  it('describes a cluster with everything EKS reports, Config lacks, included', async () => {
    const { cluster } = await eks(PAYMENTS, 'eu-west-1').send(
      new DescribeClusterCommand({ name: 'pay-prod' }),
    );
    expect(cluster).toMatchObject({
      name: 'pay-prod',
      arn: `arn:aws:eks:eu-west-1:${PAYMENTS}:cluster/pay-prod`,
      version: '1.32',
      status: 'ACTIVE',
      platformVersion: expect.stringMatching(/^eks\.\d+$/),
      upgradePolicy: { supportType: 'EXTENDED' },
      health: { issues: [] },
      certificateAuthority: { data: expect.any(String) },
      encryptionConfig: [
        {
          resources: ['secrets'],
          provider: { keyArn: expect.stringContaining(':key/') },
        },
      ],
      tags: expect.objectContaining({ team: 'payments' }),
    });
    expect(cluster?.createdAt).toBeInstanceOf(Date);
  });

  it('lists and describes add-ons and node groups, with their paginators', async () => {
    const client = eks(PAYMENTS, 'eu-west-1');
    const addons = (
      await collect(
        paginateListAddons(
          { client, pageSize: 2 },
          { clusterName: 'pay-prod' },
        ),
      )
    ).flatMap(p => p.addons);
    expect(addons.length).toBeGreaterThanOrEqual(4);
    const { addon } = await client.send(
      new DescribeAddonCommand({
        clusterName: 'pay-prod',
        addonName: addons[0],
      }),
    );
    expect(addon).toMatchObject({
      addonName: addons[0],
      status: 'ACTIVE',
      addonVersion: expect.stringMatching(/^v/),
    });

    const nodegroups = (
      await collect(
        paginateListNodegroups({ client }, { clusterName: 'pay-prod' }),
      )
    ).flatMap(p => p.nodegroups);
    const { nodegroup } = await client.send(
      new DescribeNodegroupCommand({
        clusterName: 'pay-prod',
        nodegroupName: nodegroups![0],
      }),
    );
    expect(nodegroup).toMatchObject({
      version: '1.32',
      releaseVersion: expect.stringMatching(/^1\.32\.\d+-\d{8}$/),
      capacityType: 'ON_DEMAND',
      scalingConfig: {
        minSize: expect.any(Number),
        maxSize: expect.any(Number),
        desiredSize: expect.any(Number),
      },
    });
  });

  it('lists add-on versions with compatibility and defaults per Kubernetes version', async () => {
    const client = eks(PAYMENTS, 'eu-west-1');
    const pages = await collect(
      paginateDescribeAddonVersions(
        { client, pageSize: 3 },
        { kubernetesVersion: '1.33' },
      ),
    );
    const addons = pages.flatMap(p => p.addons ?? []);
    expect(addons.length).toBeGreaterThan(5);
    for (const addon of addons) {
      for (const version of addon.addonVersions ?? []) {
        expect(version.compatibilities?.map(c => c.clusterVersion)).toEqual([
          '1.33',
        ]);
      }
      expect(
        addon.addonVersions?.filter(v => v.compatibilities?.[0].defaultVersion),
      ).toHaveLength(1);
    }
  });

  it('reports upgrade insights and their details', async () => {
    const client = eks(PAYMENTS, 'ap-southeast-2');
    const insights = (
      await collect(
        paginateListInsights(
          { client, pageSize: 2 },
          { clusterName: 'pay-apac' },
        ),
      )
    ).flatMap(p => p.insights ?? []);
    expect(insights.length).toBeGreaterThan(3);
    expect(insights.every(i => i.kubernetesVersion === '1.31')).toBe(true);
    const failing = insights.find(
      i =>
        i.insightStatus?.status === 'ERROR' ||
        i.insightStatus?.status === 'WARNING',
    );
    expect(failing).toBeDefined();
    const { insight } = await client.send(
      new DescribeInsightCommand({ clusterName: 'pay-apac', id: failing!.id }),
    );
    expect(insight).toMatchObject({
      id: failing!.id,
      recommendation: expect.any(String),
      category: 'UPGRADE_READINESS',
    });
    const onlyErrors = (
      await collect(
        paginateListInsights(
          { client },
          { clusterName: 'pay-apac', filter: { statuses: ['PASSING'] } },
        ),
      )
    ).flatMap(p => p.insights ?? []);
    expect(onlyErrors.every(i => i.insightStatus?.status === 'PASSING')).toBe(
      true,
    );
  });

  it('reports Kubernetes versions with support dates and their support status today', async () => {
    const { clusterVersions } = await eks(PLATFORM, 'us-east-1').send(
      new DescribeClusterVersionsCommand({}),
    );
    const v132 = clusterVersions?.find(v => v.clusterVersion === '1.32');
    expect(v132).toMatchObject({
      versionStatus: 'EXTENDED_SUPPORT',
      status: 'extended-support',
    });
    expect(v132?.endOfStandardSupportDate).toBeInstanceOf(Date);
    expect(v132!.endOfExtendedSupportDate!.getTime()).toBeGreaterThan(
      v132!.endOfStandardSupportDate!.getTime(),
    );
    expect(clusterVersions?.some(v => v.versionStatus === 'UNSUPPORTED')).toBe(
      false,
    );
    const all = await eks(PLATFORM, 'us-east-1').send(
      new DescribeClusterVersionsCommand({ includeAll: true }),
    );
    expect(all.clusterVersions!.length).toBeGreaterThan(
      clusterVersions!.length,
    );
    const defaults = await eks(PLATFORM, 'us-east-1').send(
      new DescribeClusterVersionsCommand({ defaultOnly: true }),
    );
    expect(defaults.clusterVersions).toHaveLength(1);
  });

  it('dates each version as EKS’s release calendar does, and pages the list', async () => {
    const pages = await collect(
      paginateDescribeClusterVersions(
        { client: eks(PLATFORM, 'us-east-1'), pageSize: 2 },
        { includeAll: true },
      ),
    );
    expect(pages.length).toBeGreaterThan(2);
    const versions = new Map(
      pages
        .flatMap(p => p.clusterVersions ?? [])
        .map(v => [v.clusterVersion, v]),
    );
    const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
    // The published dates (Amazon EKS Kubernetes release calendar).
    expect(versions.get('1.29')).toMatchObject({
      releaseDate: day('2024-01-23'),
      endOfStandardSupportDate: day('2025-03-23'),
      endOfExtendedSupportDate: day('2026-03-23'),
      versionStatus: 'UNSUPPORTED',
    });
    expect(versions.get('1.32')).toMatchObject({
      releaseDate: day('2025-01-23'),
      endOfStandardSupportDate: day('2026-03-23'),
      endOfExtendedSupportDate: day('2027-03-23'),
      versionStatus: 'EXTENDED_SUPPORT',
    });
    expect(versions.get('1.34')).toMatchObject({
      releaseDate: day('2025-10-02'),
      endOfStandardSupportDate: day('2026-12-02'),
      endOfExtendedSupportDate: day('2027-12-02'),
      versionStatus: 'STANDARD_SUPPORT',
      kubernetesPatchVersion: expect.stringMatching(/^1\.34\.\d+$/),
    });
    // Standard support lasts 14 months, extended support 12 more.
    for (const v of versions.values()) {
      const release = v.releaseDate!;
      const standard = new Date(release);
      standard.setUTCMonth(standard.getUTCMonth() + 14);
      const extended = new Date(release);
      extended.setUTCMonth(extended.getUTCMonth() + 26);
      expect([v.clusterVersion, v.endOfStandardSupportDate]).toEqual([
        v.clusterVersion,
        standard,
      ]);
      expect([v.clusterVersion, v.endOfExtendedSupportDate]).toEqual([
        v.clusterVersion,
        extended,
      ]);
    }
  });

  it('upgrades a cluster one minor: InProgress, UPDATING, then Successful and ACTIVE at the new version, with Config following', async () => {
    const client = eks(PLATFORM, 'eu-west-1');
    const cluster = emulator.state.findCluster(PLATFORM, 'eu-west-1', 'edge')!;
    const stateId = cluster.configurationStateId;
    const { update } = await client.send(
      new UpdateClusterVersionCommand({
        name: 'edge',
        version: '1.34',
        clientRequestToken: 'wave-1-edge',
      }),
    );
    expect(update).toMatchObject({
      status: 'InProgress',
      type: 'VersionUpdate',
    });
    expect(update?.params).toEqual(
      expect.arrayContaining([{ type: 'Version', value: '1.34' }]),
    );
    expect(
      (await client.send(new DescribeClusterCommand({ name: 'edge' }))).cluster
        ?.status,
    ).toBe('UPDATING');
    expect(cluster.configurationStateId).not.toBe(stateId);

    // The same token again: the same update, nothing new.
    const again = await client.send(
      new UpdateClusterVersionCommand({
        name: 'edge',
        version: '1.34',
        clientRequestToken: 'wave-1-edge',
      }),
    );
    expect(again.update?.id).toBe(update?.id);
    expect(
      (await client.send(new ListUpdatesCommand({ name: 'edge' }))).updateIds,
    ).toEqual([update?.id]);
    // The same token for something else is refused; a new update while one runs too.
    await expect(
      client.send(
        new UpdateClusterVersionCommand({
          name: 'edge',
          version: '1.35',
          clientRequestToken: 'wave-1-edge',
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidRequestException);
    await expect(
      client.send(
        new UpdateClusterVersionCommand({ name: 'edge', version: '1.34' }),
      ),
    ).rejects.toBeInstanceOf(ResourceInUseException);

    now = new Date(now.getTime() + 61_000);
    const done = await client.send(
      new DescribeUpdateCommand({ name: 'edge', updateId: update!.id }),
    );
    expect(done.update).toMatchObject({ status: 'Successful', errors: [] });
    const { cluster: after } = await client.send(
      new DescribeClusterCommand({ name: 'edge' }),
    );
    expect(after).toMatchObject({
      status: 'ACTIVE',
      version: '1.34',
      platformVersion: expect.stringMatching(/^eks\./),
    });
    // AWS Config records the cluster as EKS now describes it.
    const config = new ConfigServiceClient({
      endpoint: emulator.url,
      region: 'eu-west-1',
      credentials: credentialsFor(PLATFORM),
      maxAttempts: 1,
    });
    const { Results } = await config.send(
      new SelectResourceConfigCommand({
        Expression:
          "SELECT configurationStateId, configuration.Version, configuration.ClusterStatus WHERE resourceType = 'AWS::EKS::Cluster' AND resourceName = 'edge'",
      }),
    );
    expect(Results!.map(r => JSON.parse(r))).toEqual([
      {
        configurationStateId: emulator.state.findCluster(
          PLATFORM,
          'eu-west-1',
          'edge',
        )!.configurationStateId,
        configuration: { Version: '1.34', ClusterStatus: 'ACTIVE' },
      },
    ]);
    expect(
      emulator.state
        .findCluster(PLATFORM, 'eu-west-1', 'edge')!
        .insights.every(i => i.kubernetesVersion === '1.35'),
    ).toBe(true);
  });

  it('fails an update where the fleet says so, leaving the cluster ACTIVE at its version', async () => {
    const client = eks(PAYMENTS, 'eu-west-1');
    const { update } = await client.send(
      new UpdateClusterVersionCommand({ name: 'pay-dev', version: '1.34' }),
    );
    now = new Date(now.getTime() + 61_000);
    const done = await client.send(
      new DescribeUpdateCommand({ name: 'pay-dev', updateId: update!.id }),
    );
    expect(done.update?.status).toBe('Failed');
    expect(done.update?.errors?.[0]).toMatchObject({
      errorCode: 'ClusterUnreachable',
      resourceIds: ['pay-dev'],
    });
    const { cluster } = await client.send(
      new DescribeClusterCommand({ name: 'pay-dev' }),
    );
    expect(cluster).toMatchObject({ status: 'ACTIVE', version: '1.33' });
  });

  it('refuses what EKS refuses: a skipped minor, a downgrade, lagging node groups, unknown names', async () => {
    const client = eks(PAYMENTS, 'eu-west-1');
    const skip = await client
      .send(
        new UpdateClusterVersionCommand({ name: 'pay-prod', version: '1.34' }),
      )
      .catch(e => e);
    expect(skip).toBeInstanceOf(InvalidParameterException);
    expect(skip.message).toBe(
      'Unsupported Kubernetes minor version update from 1.32 to 1.34',
    );
    await expect(
      client.send(
        new UpdateClusterVersionCommand({ name: 'pay-prod', version: '1.31' }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(
      client.send(
        new UpdateClusterVersionCommand({
          name: 'pay-prod',
          version: 'banana',
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    const lagging = await eks(PAYMENTS, 'ap-southeast-2')
      .send(
        new UpdateClusterVersionCommand({ name: 'pay-apac', version: '1.31' }),
      )
      .catch(e => e);
    expect(lagging).toBeInstanceOf(InvalidRequestException);
    expect(lagging.message).toContain('general');
    const missing = await client
      .send(new DescribeClusterCommand({ name: 'nope' }))
      .catch(e => e);
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect(missing.$metadata.httpStatusCode).toBe(404);
    await expect(
      eks(PAYMENTS, 'us-east-1').send(
        new DescribeClusterCommand({ name: 'pay-old' }),
      ),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(
      client.send(new DescribeAddonVersionsCommand({ maxResults: 500 })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(
      client.send(new DescribeAddonVersionsCommand({ nextToken: 'garbage' })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('updates a node group, then the cluster it no longer holds back', async () => {
    const client = eks(PAYMENTS, 'ap-southeast-2');
    const started = await client.send(
      new UpdateNodegroupVersionCommand({
        clusterName: 'pay-apac',
        nodegroupName: 'general',
        clientRequestToken: 'ng-1',
      }),
    );
    expect(started.update).toMatchObject({
      status: 'InProgress',
      type: 'VersionUpdate',
    });
    const repeated = await client.send(
      new UpdateNodegroupVersionCommand({
        clusterName: 'pay-apac',
        nodegroupName: 'general',
        clientRequestToken: 'ng-1',
      }),
    );
    expect(repeated.update?.id).toBe(started.update?.id);
    expect(
      (
        await client.send(
          new DescribeNodegroupCommand({
            clusterName: 'pay-apac',
            nodegroupName: 'general',
          }),
        )
      ).nodegroup?.status,
    ).toBe('UPDATING');
    now = new Date(now.getTime() + 61_000);
    const done = await client.send(
      new DescribeUpdateCommand({
        name: 'pay-apac',
        updateId: started.update!.id,
        nodegroupName: 'general',
      }),
    );
    expect(done.update?.status).toBe('Successful');
    const { nodegroup } = await client.send(
      new DescribeNodegroupCommand({
        clusterName: 'pay-apac',
        nodegroupName: 'general',
      }),
    );
    expect(nodegroup).toMatchObject({ version: '1.30', status: 'ACTIVE' });
    await expect(
      client.send(
        new UpdateClusterVersionCommand({ name: 'pay-apac', version: '1.31' }),
      ),
    ).resolves.toBeDefined();
    await expect(
      client.send(
        new UpdateNodegroupVersionCommand({
          clusterName: 'pay-apac',
          nodegroupName: 'general',
          version: '1.32',
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('updates an add-on to a compatible version and refuses an incompatible one', async () => {
    const client = eks(PLATFORM, 'us-east-1');
    const { addons } = await client.send(
      new DescribeAddonVersionsCommand({
        addonName: 'coredns',
        kubernetesVersion: '1.34',
      }),
    );
    const versions = addons![0].addonVersions!.map(v => v.addonVersion!);
    const current = emulator.state
      .findCluster(PLATFORM, 'us-east-1', 'tools')!
      .addons.find(a => a.addonName === 'coredns')!;
    const target = versions.find(v => v !== current.addonVersion)!;
    const { update } = await client.send(
      new UpdateAddonCommand({
        clusterName: 'tools',
        addonName: 'coredns',
        addonVersion: target,
        clientRequestToken: 'addon-1',
      }),
    );
    expect(update).toMatchObject({ type: 'AddonUpdate', status: 'InProgress' });
    // Repeated with its token: the same update, not a second one.
    const again = await client.send(
      new UpdateAddonCommand({
        clusterName: 'tools',
        addonName: 'coredns',
        addonVersion: target,
        clientRequestToken: 'addon-1',
      }),
    );
    expect(again.update?.id).toBe(update?.id);
    expect(
      (
        await client.send(
          new ListUpdatesCommand({ name: 'tools', addonName: 'coredns' }),
        )
      ).updateIds,
    ).toEqual([update?.id]);
    now = new Date(now.getTime() + 61_000);
    const done = await client.send(
      new DescribeUpdateCommand({
        name: 'tools',
        updateId: update!.id,
        addonName: 'coredns',
      }),
    );
    expect(done.update?.status).toBe('Successful');
    expect(
      (
        await client.send(
          new DescribeAddonCommand({
            clusterName: 'tools',
            addonName: 'coredns',
          }),
        )
      ).addon?.addonVersion,
    ).toBe(target);
    await expect(
      client.send(
        new UpdateAddonCommand({
          clusterName: 'tools',
          addonName: 'coredns',
          addonVersion: 'v0.0.1-eksbuild.1',
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('throttles with 429 ThrottlingException, fails with ServerException, and delays calls', async () => {
    emulator.state.setFaults({ throttleRate: 1, services: ['eks'] });
    const throttled = await eks(PLATFORM, 'us-east-1')
      .send(new DescribeClusterCommand({ name: 'tools' }))
      .catch(e => e);
    expect(throttled.name).toBe('ThrottlingException');
    expect(throttled.$metadata.httpStatusCode).toBe(429);
    emulator.state.setFaults({ throttleRate: 0, errorRate: 1 });
    const failed = await eks(PLATFORM, 'us-east-1')
      .send(new DescribeClusterCommand({ name: 'tools' }))
      .catch(e => e);
    expect(failed.name).toBe('ServerException');
    expect(failed.$metadata.httpStatusCode).toBe(500);
    emulator.state.setFaults({ errorRate: 0, latencyMs: 100 });
    const started = Date.now();
    await eks(PLATFORM, 'us-east-1').send(
      new DescribeClusterCommand({ name: 'tools' }),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
  });

  it('hangs calls as told: the update takes effect, its answer never comes in time, and the activity log counts what reached EKS', async () => {
    emulator.state.setFaults({
      hangRate: 1,
      hangMs: 5_000,
      services: ['eks'],
      operations: ['UpdateClusterVersion'],
    });
    const client = new EKSClient({
      endpoint: emulator.url,
      region: 'us-east-1',
      credentials: credentialsFor(PLATFORM),
      maxAttempts: 1,
      requestHandler: { requestTimeout: 300, throwOnRequestTimeout: true },
    });
    const started = Date.now();
    await expect(
      client.send(
        new UpdateClusterVersionCommand({
          name: 'tools',
          version: '1.35',
          clientRequestToken: 'hung-1',
        }),
      ),
    ).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeLessThan(3_000);
    emulator.state.resetFaults();
    // The call took effect: the same token finds the same update.
    const again = await client.send(
      new UpdateClusterVersionCommand({
        name: 'tools',
        version: '1.35',
        clientRequestToken: 'hung-1',
      }),
    );
    const activity = await (
      await fetch(`${emulator.url}/_emulator/eks/activity`)
    ).json();
    const tools = `${PLATFORM}/us-east-1/tools`;
    expect(
      activity.updates.filter(
        (u: { clusterKey: string; token?: string }) =>
          u.clusterKey === tools && u.token === 'hung-1',
      ),
    ).toEqual([
      expect.objectContaining({
        id: again.update?.id,
        type: 'VersionUpdate',
        version: '1.35',
        token: 'hung-1',
        status: 'InProgress',
      }),
    ]);
    expect(
      activity.calls
        .filter(
          (c: { clusterKey: string; token?: string }) =>
            c.clusterKey === tools && c.token === 'hung-1',
        )
        .map((c: { operation: string; status: number }) => [
          c.operation,
          c.status,
        ]),
    ).toEqual([
      ['UpdateClusterVersion', 200],
      ['UpdateClusterVersion', 200],
    ]);
  });
});
