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
  clusterManifests,
  commitFiles,
  FleetCluster,
  generateFleet,
  loadFleetFile,
  seedFleetRepository,
} from '@internal/aws-emulator';
import { readFilesUnder } from '@eks-fleet/backstage-plugin-eks-fleet-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_FLEET } from '../__testUtils__/demoFleetBackend';
import { FleetManifests } from './FleetManifests';
import { GitOpsFleet } from './GitOpsFleet';
import { DEFAULT_GITOPS_AUTHOR } from './gitOpsSettings';
import { clusterGitDrift, planGitDrift } from './gitDrift';
import { mockServices } from '@backstage/backend-test-utils';

jest.mock('@eks-fleet/backstage-plugin-eks-fleet-node', () => {
  const actual = jest.requireActual(
    '@eks-fleet/backstage-plugin-eks-fleet-node',
  );
  return { ...actual, readFilesUnder: jest.fn(actual.readFilesUnder) };
});
const walks = readFilesUnder as jest.MockedFunction<typeof readFilesUnder>;

const refOf = (c: FleetCluster) => ({
  entityRef: `resource:default/${c.name}-${c.accountId}-${c.region}`,
  accountId: c.accountId,
  region: c.region,
  clusterName: c.name,
});
const liveOf = (c: FleetCluster) => ({
  version: c.version,
  addons: c.addons.map(a => ({ name: a.addonName, version: a.addonVersion })),
});
const folderOf = (c: FleetCluster) =>
  `clusters/${c.accountId}/${c.region}/${c.name}/control-plane`;

describe('FleetManifests', () => {
  let dir: string;
  let gitdir: string;
  let fleet: GitOpsFleet;
  let manifests: FleetManifests;
  const demo = loadFleetFile(DEMO_FLEET);
  const payments = demo.clusters.find(c => c.name === 'payments-dev-use1')!;
  const checkout = demo.clusters.find(c => c.name === 'checkout-dev-use1')!;
  const storefront = demo.clusters.find(c => c.name === 'storefront-dev-euw1')!;

  const open = (repository: string) => {
    fleet = new GitOpsFleet({
      repositoryPath: repository,
      targetBranch: 'main',
      merge: 'manual',
      convergenceTimeoutMs: 60_000,
      author: DEFAULT_GITOPS_AUTHOR,
    });
    manifests = new FleetManifests(fleet);
  };
  const commit = (files: Array<{ path: string; content: string }>) =>
    commitFiles({ gitdir, branch: 'main', files, message: 'Edit by hand' });

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eks-fleet-manifests-'));
    ({ gitdir } = await seedFleetRepository({
      repository: path.join(dir, 'fleet.git'),
      fleet: { ...demo, clusters: [payments, checkout] },
    }));
    open(gitdir);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads what each cluster folder asks; a cluster without one is not in Git', async () => {
    const read = await manifests.read([refOf(payments), refOf(storefront)]);
    expect(read.branch).toBe('main');
    expect(read.commit).toMatch(/^[0-9a-f]{40}$/);
    const found = read.byRef.get(refOf(payments).entityRef)!;
    expect(found).toMatchObject({ state: 'found', version: payments.version });
    expect(found.state === 'found' && [...found.addons]).toEqual(
      payments.addons.map(a => [a.addonName, a.addonVersion]),
    );
    expect(clusterGitDrift(found, liveOf(payments), read)).toMatchObject({
      state: 'in-sync',
      differences: [],
    });
    expect(
      clusterGitDrift(
        read.byRef.get(refOf(storefront).entityRef)!,
        liveOf(storefront),
        read,
      ),
    ).toMatchObject({ state: 'not-in-git', differences: [] });
  });

  it('finds drift both ways: Git ahead of the cluster, and a cluster changed outside Git', async () => {
    const edited = clusterManifests({
      ...payments,
      version: '1.99',
      addons: payments.addons.map((a, i) =>
        i === 0 ? { ...a, addonVersion: 'v0.0.1-eksbuild.1' } : a,
      ),
    }).filter(f => /cluster\.yaml|addons\.yaml/.test(f.path));
    await commit(edited);
    const read = await manifests.read([refOf(payments), refOf(checkout)]);
    const drift = clusterGitDrift(
      read.byRef.get(refOf(payments).entityRef)!,
      liveOf(payments),
      read,
    );
    expect(drift.state).toBe('drifted');
    expect(drift.differences).toEqual([
      {
        part: 'kubernetes',
        name: 'Kubernetes',
        git: '1.99',
        live: payments.version,
        direction: 'git-ahead',
      },
      {
        part: 'addon',
        name: payments.addons[0].addonName,
        git: 'v0.0.1-eksbuild.1',
        live: payments.addons[0].addonVersion,
        direction: 'live-ahead',
      },
    ]);
    // An add-on Git asks for that the cluster does not run.
    const missing = clusterGitDrift(
      read.byRef.get(refOf(checkout).entityRef)!,
      { ...liveOf(checkout), addons: liveOf(checkout).addons.slice(1) },
      read,
    );
    expect(missing.differences).toEqual([
      {
        part: 'addon',
        name: checkout.addons[0].addonName,
        git: checkout.addons[0].addonVersion,
        direction: 'git-ahead',
      },
    ]);
    // The cluster upgraded outside Git.
    const outside = clusterGitDrift(
      read.byRef.get(refOf(checkout).entityRef)!,
      { ...liveOf(checkout), version: '1.99' },
      read,
    );
    expect(outside.differences).toEqual([
      expect.objectContaining({
        git: checkout.version,
        live: '1.99',
        direction: 'live-ahead',
      }),
    ]);
  });

  it('compares node groups too: their minor, or their AMI release when the manifest names one', async () => {
    const v = payments.version;
    const nodegroup = (name: string, extra: string) =>
      `apiVersion: eks.services.k8s.aws/v1alpha1\nkind: Nodegroup\nmetadata:\n  name: ${name}\nspec:\n  name: ${name}\n${extra}`;
    await commit([
      {
        path: `${folderOf(payments)}/nodegroups.yaml`,
        content: [
          nodegroup('system', '  version: "1.99"\n'),
          nodegroup(
            'workers',
            `  version: "${v}"\n  releaseVersion: ${v}.9-20991231\n`,
          ),
          nodegroup('spot', `  version: "${v}"\n`),
        ].join('---\n'),
      },
    ]);
    const read = await manifests.read([refOf(payments)]);
    const live = {
      ...liveOf(payments),
      nodegroups: ['system', 'workers', 'spot'].map(name => ({
        name,
        version: v,
        releaseVersion: `${v}.1-20240101`,
      })),
    };
    const found = read.byRef.get(refOf(payments).entityRef)!;
    expect(clusterGitDrift(found, live, read).differences).toEqual([
      {
        part: 'nodegroup',
        name: 'node group system',
        git: '1.99',
        live: v,
        direction: 'git-ahead',
      },
      {
        part: 'nodegroup',
        name: 'node group workers',
        git: `${v}.9-20991231`,
        live: `${v}.1-20240101`,
        direction: 'git-ahead',
      },
    ]);
    // A node group Git names that EKS does not run.
    expect(
      clusterGitDrift(
        found,
        { ...live, nodegroups: live.nodegroups.slice(1) },
        read,
      ).differences[0],
    ).toEqual({
      part: 'nodegroup',
      name: 'node group system',
      git: '1.99',
      direction: 'git-ahead',
    });
    // Without live node groups (an entity that lists none): not compared.
    expect(clusterGitDrift(found, liveOf(payments), read).state).toBe(
      'in-sync',
    );
  });

  it("gives a malformed manifest's cluster an unreadable state and reads the others", async () => {
    await commit([
      {
        path: `${folderOf(payments)}/addons.yaml`,
        content:
          'apiVersion: eks.services.k8s.aws/v1alpha1\nkind: Addon\nspec: [oops\n',
      },
    ]);
    const read = await manifests.read([refOf(payments), refOf(checkout)]);
    const broken = clusterGitDrift(
      read.byRef.get(refOf(payments).entityRef)!,
      liveOf(payments),
      read,
    );
    expect(broken.state).toBe('unreadable');
    expect(broken.message).toMatch(
      new RegExp(
        `^Unreadable manifest: ${folderOf(
          payments,
        )}/addons.yaml does not parse`,
      ),
    );
    expect(
      clusterGitDrift(
        read.byRef.get(refOf(checkout).entityRef)!,
        liveOf(checkout),
        read,
      ).state,
    ).toBe('in-sync');

    await commit([
      {
        path: `${folderOf(checkout)}/cluster.yaml`,
        content:
          'apiVersion: eks.services.k8s.aws/v1alpha1\nkind: Cluster\nspec:\n  name: x\n',
      },
    ]);
    const again = await manifests.read([refOf(checkout)]);
    expect(again.byRef.get(refOf(checkout).entityRef)).toEqual({
      state: 'unreadable',
      folder: folderOf(checkout).replace(/\/control-plane$/, ''),
      message: `The ACK Cluster in ${folderOf(checkout)} has no spec.version`,
    });
  });

  it('reads a version as written, not as the number YAML makes of it', async () => {
    await commit([
      {
        path: `${folderOf(payments)}/cluster.yaml`,
        content:
          'apiVersion: eks.services.k8s.aws/v1alpha1\nkind: Cluster\nmetadata:\n  name: p\nspec:\n  name: p\n  version: 1.30\n',
      },
    ]);
    const read = await manifests.read([refOf(payments)]);
    expect(read.byRef.get(refOf(payments).entityRef)).toMatchObject({
      version: '1.30',
    });
  });

  it('flags drift in the dry run by the Kubernetes version only', async () => {
    await commit(
      clusterManifests({ ...payments, version: '1.99' }).filter(f =>
        f.path.endsWith('cluster.yaml'),
      ),
    );
    const warnings = await planGitDrift(
      manifests,
      [payments, checkout].map(c => ({ ...refOf(c), version: c.version })),
      mockServices.logger.mock(),
    );
    expect(warnings).toEqual({
      [refOf(payments).entityRef]: expect.stringMatching(
        new RegExp(
          `disagree: Kubernetes: Git 1\\.99, live ${payments.version.replace(
            '.',
            '\\.',
          )}$`,
        ),
      ),
    });
  });

  it('reads the repository once per head commit of the target branch, for a fleet of hundreds', async () => {
    const big = generateFleet({ clusters: 400, seed: 7 });
    const bigDir = path.join(dir, 'big.git');
    const seeded = await seedFleetRepository({
      repository: bigDir,
      fleet: big,
    });
    gitdir = seeded.gitdir;
    open(gitdir);
    walks.mockClear();
    const refs = big.clusters.map(refOf);

    const started = Date.now();
    const first = await manifests.read(refs);
    const coldMs = Date.now() - started;
    expect(walks).toHaveBeenCalledTimes(1);
    const files = (await walks.mock.results[0].value).size;
    // Cluster, Addon and Nodegroup manifests of every cluster.
    expect(files).toBe(big.clusters.length * 3);

    const warm = Date.now();
    const [second, third] = await Promise.all([
      manifests.read(refs),
      manifests.read(refs.slice(0, 1)),
    ]);
    const warmMs = Date.now() - warm;
    expect(walks).toHaveBeenCalledTimes(1);
    expect(second.commit).toBe(first.commit);
    expect(third.byRef.size).toBe(1);
    expect(
      big.clusters
        .map(c =>
          clusterGitDrift(
            second.byRef.get(refOf(c).entityRef)!,
            liveOf(c),
            second,
          ),
        )
        .filter(d => d.state !== 'in-sync'),
    ).toEqual([]);

    // A new head commit: listed again, and every folder read again once.
    const one = big.clusters[0];
    await commit(
      clusterManifests({ ...one, version: '1.99' }).filter(f =>
        f.path.endsWith('cluster.yaml'),
      ),
    );
    const after = await manifests.read(refs);
    expect(after.commit).not.toBe(first.commit);
    expect(walks).toHaveBeenCalledTimes(2);
    expect(
      clusterGitDrift(
        after.byRef.get(refOf(one).entityRef)!,
        liveOf(one),
        after,
      ).state,
    ).toBe('drifted');
    // Figures for the closing note.
    // eslint-disable-next-line no-console
    console.log(
      `FleetManifests: ${big.clusters.length} clusters, ${files} files read cold in ${coldMs} ms, warm in ${warmMs} ms`,
    );
  }, 120_000);
});
