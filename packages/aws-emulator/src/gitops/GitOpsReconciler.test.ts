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
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  EKSClient,
} from '@aws-sdk/client-eks';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadFleetFile } from '../fleet/fleetFile';
import { Fleet, FleetCluster } from '../fleet/types';
import { RunningEmulator, startEmulator } from '../index';
import { applicationName } from './fleetManifests';
import { GitOpsReconciler } from './GitOpsReconciler';
import { startGitOpsStandIn } from './GitOpsStandIn';
import {
  clusterManifests,
  commitFiles,
  seedFleetRepository,
} from './seedFleetRepository';

jest.setTimeout(60_000);

const DEMO = path.resolve(__dirname, '../../fleets/demo.yaml');

describe('the GitOps stand-in', () => {
  let emulator: RunningEmulator;
  let fleet: Fleet;
  let dir: string;

  beforeEach(async () => {
    fleet = loadFleetFile(DEMO);
    emulator = await startEmulator({ fleet, port: 0, updateDelayMs: 200 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eks-fleet-gitops-'));
  });
  afterEach(async () => {
    await emulator.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const live = () => fleet.clusters.filter(x => !x.deleted);
  const eksOf = (c: FleetCluster) =>
    new EKSClient({
      endpoint: emulator.url,
      region: c.region,
      credentials: { accessKeyId: `AKIA${c.accountId}`, secretAccessKey: 't' },
    });
  const app = (c: FleetCluster) =>
    applicationName(c.accountId, c.region, c.name);
  const nextMinor = (v: string) => `1.${Number(v.split('.')[1]) + 1}`;

  /** The cluster's manifests with its control plane and node groups at a version. */
  const at = (c: FleetCluster, version: string) =>
    clusterManifests({
      ...c,
      version,
      nodegroups: c.nodegroups.map(n => ({ ...n, version })),
    });

  it('seeds the repository once, and finds every seeded cluster in sync', async () => {
    const repository = path.join(dir, 'fleet.git');
    const seeded = await seedFleetRepository({ repository, fleet });
    expect(seeded.added).toBe(live().length);
    expect((await seedFleetRepository({ repository, fleet })).added).toBe(0);
    const reconciler = new GitOpsReconciler({
      gitdir: seeded.gitdir,
      endpoint: emulator.url,
      syncDelayMs: 0,
    });
    await reconciler.tick();
    const apps = reconciler.applications();
    expect(apps).toHaveLength(seeded.added);
    expect(
      apps.filter(
        a => a.sync.status !== 'Synced' || a.health.status !== 'Healthy',
      ),
    ).toEqual([]);
  });

  it('applies a merged change after the sync delay, control plane then node groups, and reports OutOfSync, Progressing, Synced', async () => {
    const { gitdir } = await seedFleetRepository({
      repository: path.join(dir, 'fleet.git'),
      fleet,
    });
    let now = 0;
    const reconciler = new GitOpsReconciler({
      gitdir,
      endpoint: emulator.url,
      syncDelayMs: 5_000,
      now: () => now,
    });
    await reconciler.tick();
    now += 5_000;
    await reconciler.tick();
    const cluster = fleet.clusters.find(c => c.name === 'payments-dev-use1')!;
    const from = cluster.version;
    const to = nextMinor(from);
    const revision = await commitFiles({
      gitdir,
      branch: 'main',
      files: at(cluster, to),
      message: `payments-dev-use1 to ${to}`,
    });
    await reconciler.tick();
    const waiting = reconciler
      .applications()
      .find(a => a.name === app(cluster))!;
    expect(waiting.sync).toEqual({ status: 'OutOfSync', revision });
    const eks = eksOf(cluster);
    const version = async () =>
      (await eks.send(new DescribeClusterCommand({ name: cluster.name })))
        .cluster!.version;
    expect(await version()).toBe(from);

    now += 5_000;
    await reconciler.tick();
    expect(reconciler.appliedRevision()).toBe(revision);
    const progressing = reconciler
      .applications()
      .find(a => a.name === app(cluster))!;
    expect(progressing.health.status).toBe('Progressing');
    expect(progressing.sync).toEqual({ status: 'Synced', revision });
    const seen = new Set<string>([progressing.health.message!]);
    for (let i = 0; i < 200; i++) {
      await new Promise(r => setTimeout(r, 100));
      await reconciler.tick();
      const a = reconciler.applications().find(x => x.name === app(cluster))!;
      seen.add(a.health.message ?? a.health.status);
      if (a.health.status === 'Healthy') break;
    }
    expect(await version()).toBe(to);
    for (const n of cluster.nodegroups) {
      const { nodegroup } = await eks.send(
        new DescribeNodegroupCommand({
          clusterName: cluster.name,
          nodegroupName: n.nodegroupName,
        }),
      );
      expect(nodegroup!.version).toBe(to);
    }
    expect([...seen]).toEqual(
      expect.arrayContaining([
        `updating ${cluster.name} to ${to}`,
        `updating node group ${cluster.nodegroups[0].nodegroupName} to ${to}`,
        'Healthy',
      ]),
    );
    // The other clusters were left alone.
    expect(
      reconciler
        .applications()
        .filter(a => a.name !== app(cluster))
        .every(a => a.sync.status === 'Synced'),
    ).toBe(true);
  });

  it('reports a downgrade EKS would refuse and a folder that does not read, and serves it as Argo CD does', async () => {
    const { gitdir } = await seedFleetRepository({
      repository: path.join(dir, 'fleet.git'),
      fleet,
    });
    const cluster = fleet.clusters.find(c => c.name === 'payments-dev-use1')!;
    const other = fleet.clusters.find(c => c.name === 'checkout-dev-use1')!;
    await commitFiles({
      gitdir,
      branch: 'main',
      files: [
        ...at(cluster, '1.30'),
        {
          path: `clusters/${other.accountId}/${other.region}/${other.name}/control-plane/cluster.yaml`,
          content: 'spec: [unclosed',
        },
      ],
      message: 'a revert gone wrong',
    });
    const standIn = await startGitOpsStandIn({
      gitdir,
      endpoint: emulator.url,
      syncDelayMs: 0,
      intervalMs: 60_000,
    });
    try {
      const get = async (name: string) =>
        (await fetch(`${standIn.url}/api/v1/applications/${name}`)).json();
      expect(await get(app(cluster))).toMatchObject({
        metadata: { name: app(cluster) },
        spec: {
          source: {
            path: `clusters/${cluster.accountId}/${cluster.region}/${cluster.name}`,
            targetRevision: 'main',
          },
        },
        status: {
          sync: { status: 'OutOfSync' },
          health: {
            status: 'Degraded',
            message: expect.stringContaining('EKS does not downgrade'),
          },
        },
      });
      expect(await get(app(other))).toMatchObject({
        status: {
          sync: { status: 'Unknown' },
          health: {
            status: 'Unknown',
            message: expect.stringContaining('control-plane/cluster.yaml'),
          },
        },
      });
      const list = await (
        await fetch(`${standIn.url}/api/v1/applications`)
      ).json();
      expect(list.items.length).toBe(live().length);
      expect(
        (await fetch(`${standIn.url}/api/v1/applications/nope`)).status,
      ).toBe(404);
      expect(
        (await fetch(`${standIn.url}/api/v1/applications`, { method: 'POST' }))
          .status,
      ).toBe(405);
    } finally {
      await standIn.stop();
    }
    const { cluster: unchanged } = await eksOf(cluster).send(
      new DescribeClusterCommand({ name: cluster.name }),
    );
    expect(unchanged!.version).toBe(cluster.version);
  });
});
