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
  commitFiles,
  loadFleetFile,
  seedFleetRepository,
} from '@internal/aws-emulator';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { DEMO_FLEET } from '../__testUtils__/demoFleetBackend';
import { bottlerocketAmiAlias, karpenterAmiAlias } from './ackManifests';
import { GitOpsFleet, waveBranch } from './GitOpsFleet';
import { DEFAULT_GITOPS_AUTHOR } from './gitOpsSettings';

const git = (gitdir: string, ...args: string[]) =>
  execFileSync('git', ['--git-dir', gitdir, ...args], {
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: os.tmpdir() },
  }).trim();

/** A Karpenter EC2NodeClass selecting its AMI by the given term. */
const nodeClass = (name: string, term: string) =>
  `apiVersion: karpenter.k8s.aws/v1\nkind: EC2NodeClass\nmetadata:\n  name: ${name}\nspec:\n  amiSelectorTerms:\n${term}\n`;

describe('GitOpsFleet', () => {
  let dir: string;
  let gitdir: string;
  let fleet: GitOpsFleet;
  const demo = loadFleetFile(DEMO_FLEET);
  const payments = demo.clusters.find(c => c.name === 'payments-dev-use1')!;
  const checkout = demo.clusters.find(c => c.name === 'checkout-dev-use1')!;
  const ref = (c: typeof payments) => ({
    entityRef: `resource:default/${c.name}`,
    accountId: c.accountId,
    region: c.region,
    clusterName: c.name,
  });

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eks-fleet-gitops-fleet-'));
    ({ gitdir } = await seedFleetRepository({
      repository: path.join(dir, 'fleet.git'),
      fleet: { ...demo, clusters: [payments, checkout] },
    }));
    fleet = new GitOpsFleet({
      repositoryPath: gitdir,
      targetBranch: 'main',
      merge: 'manual',
      convergenceTimeoutMs: 60_000,
      author: DEFAULT_GITOPS_AUTHOR,
    });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const wave = (rolloutId: string) => ({
    rolloutId,
    rolloutTitle: 'Dev to 1.35',
    wave: { index: 0, name: 'wave-1' },
    targetVersion: '1.35',
    nodegroups: true,
    clusters: [payments, checkout].map(c => ({
      ...ref(c),
      fromVersion: c.version,
      addons: new Map([[c.addons[0].addonName, 'v9.9.9-eksbuild.1']]),
    })),
  });

  it('tells which clusters the repository manages', async () => {
    const other = demo.clusters.find(c => c.name === 'storefront-dev-euw1')!;
    expect(
      await fleet.managedClusters([ref(payments), ref(other), ref(checkout)]),
    ).toEqual(new Set([ref(payments).entityRef, ref(checkout).entityRef]));
  });

  it("makes a wave's change once: one commit on the wave's branch, whoever asks and however often", async () => {
    const mainBefore = git(gitdir, 'rev-parse', 'main');
    const [first, second] = await Promise.all([
      fleet.proposeWave(wave('r-1')),
      fleet.proposeWave(wave('r-1')),
    ]);
    const again = await fleet.proposeWave(wave('r-1'));
    expect(first.commit).toBeDefined();
    expect(second.commit).toBe(first.commit);
    expect(again).toEqual({
      branch: waveBranch('r-1', 0),
      commit: first.commit,
      created: false,
    });
    expect([first.created, second.created].filter(Boolean)).toHaveLength(1);
    const branch = waveBranch('r-1', 0);
    expect(git(gitdir, 'rev-list', '--count', `main..${branch}`)).toBe('1');
    expect(git(gitdir, 'rev-parse', 'main')).toBe(mainBefore);
    expect(git(gitdir, 'log', '-1', '--format=%s', branch)).toBe(
      'Upgrade wave-1 of "Dev to 1.35" to 1.35',
    );
    const folder = `clusters/${payments.accountId}/${payments.region}/${payments.name}/control-plane`;
    const read = (file: string) =>
      YAML.parseAllDocuments(
        git(gitdir, 'show', `${branch}:${folder}/${file}`),
      ).map(d => d.toJS());
    expect(read('cluster.yaml')[0].spec.version).toBe('1.35');
    expect(read('nodegroups.yaml').map(d => d.spec.version)).toEqual(
      payments.nodegroups.map(() => '1.35'),
    );
    const addons = read('addons.yaml');
    expect(addons[0].spec.addonVersion).toBe('v9.9.9-eksbuild.1');
    // Only the add-ons the wave names change.
    expect(addons[1].spec.addonVersion).toBe(payments.addons[1].addonVersion);
    expect(
      git(gitdir, 'diff', '--name-only', `main..${branch}`).split('\n'),
    ).toEqual(
      expect.arrayContaining([
        `${folder}/cluster.yaml`,
        `${folder}/addons.yaml`,
      ]),
    );
  });

  it('finds the merge, and a revert of it on the target branch', async () => {
    const proposed = await fleet.proposeWave(wave('r-2'));
    expect(await fleet.mergeStatus(proposed.branch, proposed.commit!)).toEqual({
      state: 'open',
    });
    await fleet.mergeWave(proposed.branch, 'wave-1');
    const merged = await fleet.mergeStatus(proposed.branch, proposed.commit!);
    expect(merged).toMatchObject({
      state: 'merged',
      merge: { author: DEFAULT_GITOPS_AUTHOR },
    });
    expect(
      (await fleet.revertedClusters([ref(payments), ref(checkout)], '1.35'))
        .reverted,
    ).toEqual([]);

    // A person reverts the merge with git itself, in a clone.
    const clone = path.join(dir, 'clone');
    execFileSync('git', ['clone', '-q', gitdir, clone]);
    const cli = (...args: string[]) =>
      execFileSync('git', ['-C', clone, ...args], {
        encoding: 'utf8',
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 'Riley Revert',
          GIT_AUTHOR_EMAIL: 'riley@example.com',
          GIT_COMMITTER_NAME: 'Riley Revert',
          GIT_COMMITTER_EMAIL: 'riley@example.com',
        },
      });
    cli('revert', '--no-edit', '-m', '1', 'HEAD');
    cli('push', '-q', 'origin', 'main');
    const { reverted, head } = await fleet.revertedClusters(
      [ref(payments), ref(checkout)],
      '1.35',
    );
    expect(reverted).toEqual([
      { clusterName: payments.name, asks: payments.version },
      { clusterName: checkout.name, asks: checkout.version },
    ]);
    expect(GitOpsFleet.describeCommit(head)).toContain(
      'by Riley Revert <riley@example.com>',
    );
  });

  it("makes a node refresh's change: the node groups' AMI releases and each EC2NodeClass's alias in its own family, the Cluster's version kept, and finds it reverted", async () => {
    const folder = `clusters/${payments.accountId}/${payments.region}/${payments.name}`;
    await commitFiles({
      gitdir,
      branch: 'main',
      message: 'Karpenter',
      files: [
        {
          path: `${folder}/karpenter/ec2nodeclass.yaml`,
          content:
            '# the default class\napiVersion: karpenter.k8s.aws/v1\nkind: EC2NodeClass\nmetadata:\n  name: default\nspec:\n  role: nodes\n  amiSelectorTerms:\n    - alias: al2023@latest\n',
        },
        {
          path: `${folder}/karpenter/others.yaml`,
          content: [
            nodeClass('bottlerocket', '    - alias: bottlerocket@v1.19.0'),
            nodeClass('pinned', '    - id: ami-0123456789abcdef0'),
            nodeClass('legacy', '    - alias: al2@latest'),
          ].join('---\n'),
        },
      ],
    });
    const release = `${payments.version}.7-20241011`;
    const alias = karpenterAmiAlias('AL2023_x86_64_STANDARD', release)!;
    expect(alias).toBe('al2023@v20241011');
    expect(karpenterAmiAlias('CUSTOM', release)).toBeUndefined();
    const bottlerocket = bottlerocketAmiAlias('1.26.1-943d9a41')!;
    expect(bottlerocket).toBe('bottlerocket@v1.26.1');
    expect(bottlerocketAmiAlias('latest')).toBeUndefined();
    const proposed = await fleet.proposeWave({
      rolloutId: 'r-3',
      rolloutTitle: 'Node refresh',
      wave: { index: 0, name: 'wave-1' },
      label: 'node refresh',
      nodegroups: false,
      clusters: [
        {
          ...ref(payments),
          fromVersion: payments.version,
          addons: new Map(),
          releases: new Map(
            payments.nodegroups.map(n => [
              n.nodegroupName,
              { version: payments.version, releaseVersion: release },
            ]),
          ),
          // No AL2 release: its classes stay.
          amiAliases: new Map([
            ['al2023', alias],
            ['bottlerocket', bottlerocket],
          ]),
          summary: 'node refresh',
        },
      ],
    });
    const branch = proposed.branch;
    expect(git(gitdir, 'log', '-1', '--format=%s', branch)).toBe(
      'Change wave-1 of "Node refresh": node refresh',
    );
    expect(git(gitdir, 'log', '-1', '--format=%b', branch)).toContain(
      `- ${payments.name} (${payments.accountId}, ${payments.region}): node refresh, EC2NodeClass default to ${alias}, EC2NodeClass bottlerocket to ${bottlerocket}, EC2NodeClass pinned left as it is: it selects its AMI by id, tags or name, not by an alias, EC2NodeClass legacy left as it is: it asks al2@latest, and no newer al2 release is known for its minor`,
    );
    expect(proposed.nodeClassesLeft).toEqual([
      `${payments.name} EC2NodeClass pinned selects its AMI by id, tags or name, not by an alias`,
      `${payments.name} EC2NodeClass legacy asks al2@latest, and no newer al2 release is known for its minor`,
    ]);
    const show = (file: string) =>
      git(gitdir, 'show', `${branch}:${folder}/${file}`);
    expect(
      YAML.parseAllDocuments(show('control-plane/nodegroups.yaml')).map(
        d => d.toJS().spec,
      ),
    ).toEqual(
      payments.nodegroups.map(() =>
        expect.objectContaining({
          version: payments.version,
          releaseVersion: release,
        }),
      ),
    );
    const defaultClass = show('karpenter/ec2nodeclass.yaml');
    expect(defaultClass).toContain('# the default class');
    expect(YAML.parse(defaultClass).spec).toEqual({
      role: 'nodes',
      amiSelectorTerms: [{ alias }],
    });
    expect(
      YAML.parseAllDocuments(show('karpenter/others.yaml')).map(
        d => d.toJS().spec.amiSelectorTerms,
      ),
    ).toEqual([
      [{ alias: bottlerocket }],
      [{ id: 'ami-0123456789abcdef0' }],
      [{ alias: 'al2@latest' }],
    ]);
    expect(
      git(gitdir, 'diff', '--name-only', `main..${branch}`).split('\n').sort(),
    ).toEqual([
      `${folder}/control-plane/nodegroups.yaml`,
      `${folder}/karpenter/ec2nodeclass.yaml`,
      `${folder}/karpenter/others.yaml`,
    ]);

    await fleet.mergeWave(branch, 'wave-1');
    expect(
      (await fleet.revertedComponents([ref(payments)], proposed.commit!))
        .reverted,
    ).toEqual([]);
    await commitFiles({
      gitdir,
      branch: 'main',
      message: 'Back to the latest AMI',
      files: [
        {
          path: `${folder}/karpenter/ec2nodeclass.yaml`,
          content: defaultClass.replace(alias, 'al2023@latest'),
        },
        {
          path: `${folder}/karpenter/others.yaml`,
          content: show('karpenter/others.yaml').replace(
            bottlerocket,
            'bottlerocket@latest',
          ),
        },
      ],
    });
    expect(
      (await fleet.revertedComponents([ref(payments)], proposed.commit!))
        .reverted,
    ).toEqual([
      {
        clusterName: payments.name,
        asks: 'EC2NodeClass bottlerocket bottlerocket@latest, EC2NodeClass default al2023@latest',
        set: `EC2NodeClass bottlerocket ${bottlerocket}, EC2NodeClass default ${alias}`,
      },
    ]);
  });
});
