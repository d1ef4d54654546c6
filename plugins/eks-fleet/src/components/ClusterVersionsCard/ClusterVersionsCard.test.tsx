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

import { VersionsReport } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { screen, within } from '@testing-library/react';
import {
  answeringApi,
  ok,
  renderForCluster,
  sourceDown,
  versionsReport,
} from '../../__testUtils__/clusterInsights';
import { ClusterVersionsCard } from './ClusterVersionsCard';

describe('ClusterVersionsCard', () => {
  it('shows the versions, the support state with dates and days left, what extended support costs, and the next version', async () => {
    await renderForCluster(
      <ClusterVersionsCard />,
      answeringApi({ versions: ok(versionsReport, 'aws-eks') }),
    );
    expect(await screen.findByTestId('kubernetes-version')).toHaveTextContent(
      '1.32',
    );
    expect(screen.getByTestId('platform-version')).toHaveTextContent('eks.20');
    expect(screen.getByTestId('next-version')).toHaveTextContent('1.33');
    expect(screen.getByText('Standard support')).toBeInTheDocument();
    expect(screen.getByTestId('support-days-left')).toHaveTextContent(
      '118 days left in standard support',
    );
    expect(screen.getByTestId('end-of-standard-support')).toHaveTextContent(
      '2026-03-23',
    );
    expect(screen.getByTestId('end-of-extended-support')).toHaveTextContent(
      '2027-03-23',
    );
    expect(screen.getByTestId('extended-support-cost')).toHaveTextContent(
      'would cost $438.00 a month instead of $73.00 (+$365.00)',
    );
  });

  describe('Git vs live', () => {
    const at = {
      folder: 'clusters/735260918427/us-east-1/payments-prod-use1',
      branch: 'main',
      commit: 'c0ffee1234567890c0ffee1234567890c0ffee12',
    };
    const render = (gitDrift: VersionsReport['gitDrift']) =>
      renderForCluster(
        <ClusterVersionsCard />,
        answeringApi({
          versions: ok({ ...versionsReport, gitDrift }, 'aws-eks'),
        }),
      );

    it('shows what differs between the fleet repository and the cluster, both ways', async () => {
      await render({
        ...at,
        state: 'drifted',
        differences: [
          {
            part: 'kubernetes',
            name: 'Kubernetes',
            git: '1.33',
            live: '1.32',
            direction: 'git-ahead',
          },
          {
            part: 'addon',
            name: 'coredns',
            git: 'v1.11.1-eksbuild.1',
            live: 'v1.11.4-eksbuild.2',
            direction: 'live-ahead',
          },
          {
            part: 'addon',
            name: 'aws-ebs-csi-driver',
            git: 'v1.45.0-eksbuild.2',
            direction: 'git-ahead',
          },
        ],
      });
      const section = await screen.findByTestId('git-vs-live');
      expect(within(section).getByText('Drifted')).toBeInTheDocument();
      expect(section).toHaveTextContent(`${at.folder} on main at c0ffee1`);
      const table = within(section).getByRole('table', { name: 'Git vs live' });
      const rowOf = (name: string) =>
        within(table).getByText(name).closest('tr')!;
      expect(rowOf('Kubernetes')).toHaveTextContent(
        'Kubernetes1.331.32Git asks for a version the cluster does not run',
      );
      expect(rowOf('coredns')).toHaveTextContent('changed outside Git');
      expect(rowOf('aws-ebs-csi-driver')).toHaveTextContent('not installed');
    });

    it('says when the cluster is in sync, not in Git, its manifest unreadable, or the repository unreadable', async () => {
      const { unmount } = await render({
        ...at,
        state: 'in-sync',
        differences: [],
      });
      expect(
        within(await screen.findByTestId('git-vs-live')).getByText('In sync'),
      ).toBeInTheDocument();
      expect(screen.queryByRole('table', { name: 'Git vs live' })).toBeNull();
      unmount();

      const notInGit = await render({
        ...at,
        state: 'not-in-git',
        differences: [],
      });
      expect(
        await screen.findByText(/it is not managed through Git/),
      ).toBeInTheDocument();
      notInGit.unmount();

      const unreadable = await render({
        ...at,
        state: 'unreadable',
        differences: [],
        message: `Unreadable manifest: ${at.folder}/control-plane/cluster.yaml does not parse: bad indentation`,
      });
      expect(
        await screen.findByText(
          /cluster\.yaml does not parse: bad indentation/,
        ),
      ).toBeInTheDocument();
      expect(screen.getByText('Unreadable manifest')).toBeInTheDocument();
      unreadable.unmount();

      await render(null);
      expect(await screen.findByTestId('git-vs-live')).toHaveTextContent(
        'the fleet repository could not be read',
      );
    });

    it('shows nothing of Git when no fleet repository is configured', async () => {
      await render(undefined);
      await screen.findByTestId('kubernetes-version');
      expect(screen.queryByTestId('git-vs-live')).toBeNull();
    });
  });

  it('says "details pending", not "no node groups", while EKS could not be read for the cluster', async () => {
    await renderForCluster(
      <ClusterVersionsCard />,
      answeringApi({
        versions: ok(
          {
            ...versionsReport,
            platformVersion: undefined,
            detailsPending: true,
            nodegroups: [],
          },
          'aws-eks',
        ),
      }),
    );
    expect(await screen.findByTestId('platform-version')).toHaveTextContent(
      'details pending',
    );
    expect(screen.getByTestId('details-pending')).toHaveTextContent(
      'Node groups: details pending',
    );
    expect(screen.queryByText('No managed node groups.')).toBeNull();
  });

  it('lists add-ons with the next version’s default and whether they run on it', async () => {
    await renderForCluster(
      <ClusterVersionsCard />,
      answeringApi({ versions: ok(versionsReport, 'aws-eks') }),
    );
    const addons = await screen.findByRole('table', { name: 'Add-ons' });
    expect(
      within(addons).getByRole('columnheader', { name: 'Default on 1.33' }),
    ).toBeInTheDocument();
    const coredns = within(addons).getByText('coredns').closest('tr')!;
    expect(coredns).toHaveTextContent('v1.11.4-eksbuild.2');
    expect(coredns).toHaveTextContent('v1.12.1-eksbuild.2');
    expect(coredns).toHaveTextContent('Update first');
    const cni = within(addons).getByText('vpc-cni').closest('tr')!;
    expect(cni).toHaveTextContent('Yes');
  });

  it('shows node group skew, and when one more control-plane minor would break it', async () => {
    await renderForCluster(
      <ClusterVersionsCard />,
      answeringApi({ versions: ok(versionsReport, 'aws-eks') }),
    );
    const nodegroups = await screen.findByRole('table', {
      name: 'Node groups',
    });
    expect(
      within(nodegroups).getByText('general').closest('tr'),
    ).toHaveTextContent('in step');
    const batch = within(nodegroups).getByText('batch').closest('tr')!;
    expect(batch).toHaveTextContent('1.29.15-20261101');
    expect(batch).toHaveTextContent('3 minors behind');
  });

  it('speaks of extended support as what the cluster pays now once it is in it', async () => {
    await renderForCluster(
      <ClusterVersionsCard />,
      answeringApi({
        versions: ok({
          ...versionsReport,
          support: {
            ...versionsReport.support!,
            state: 'extended',
            daysLeft: 12,
          },
        }),
      }),
    );
    expect(await screen.findByText('Extended support')).toBeInTheDocument();
    expect(screen.getByTestId('support-days-left')).toHaveTextContent(
      '12 days left in extended support',
    );
    expect(screen.getByTestId('extended-support-cost')).toHaveTextContent(
      'costs $438.00 a month in extended support, $365.00 more',
    );
  });

  it('says when EKS’s calendar does not know the version, and when there is no next version', async () => {
    await renderForCluster(
      <ClusterVersionsCard />,
      answeringApi({
        versions: ok({
          ...versionsReport,
          kubernetesVersion: '1.40',
          support: undefined,
          nextVersion: undefined,
          addons: [],
          nodegroups: [],
        }),
      }),
    );
    expect(
      await screen.findByText(/does not list Kubernetes 1.40/),
    ).toBeInTheDocument();
    expect(screen.getByTestId('next-version')).toHaveTextContent('none yet');
    expect(screen.getByText('No EKS add-ons installed.')).toBeInTheDocument();
    expect(screen.getByText('No managed node groups.')).toBeInTheDocument();
  });

  it('has an empty state before the catalog read the cluster from EKS', async () => {
    await renderForCluster(
      <ClusterVersionsCard />,
      answeringApi({
        versions: ok({ ...versionsReport, kubernetesVersion: undefined }),
      }),
    );
    expect(await screen.findByText('No version known yet')).toBeInTheDocument();
  });

  it('says EKS is down', async () => {
    await renderForCluster(
      <ClusterVersionsCard />,
      answeringApi({ versions: await sourceDown('versions', 'aws-eks') }),
    );
    expect(
      await screen.findByText(
        /Versions and support: the source is unavailable/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/The versions source aws-eks failed/).length,
    ).toBeGreaterThan(0);
  });
});
