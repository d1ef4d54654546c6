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

import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { RolloutPlanResponse } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import { useState } from 'react';
import { fleetEntities, fleetSummary } from '../../__testUtils__/fleet';
import { fleetApi } from '../../__testUtils__/renderFleet';
import { eksFleetApiRef } from '../../api';
import { rolloutsApiRef } from '../../api/rollouts';
import { rolloutsApi } from '../../__testUtils__/rollouts';
import { ClusterPicker, clusterPickerValidation } from './ClusterPicker';
import {
  EMPTY_PICKER_FILTER,
  filterPickerClusters,
  PickerCluster,
} from './clusterPickerRows';
import { toFleetCluster } from '../../hooks/useFleetClusters';
import { waveUpgradeRequestOf } from './waveUpgradeRequestOf';

jest.setTimeout(30_000);
const LOADED = { timeout: 15_000 };
const PROD = 'resource:default/payments-prod-use1-us-east-1-735260918427';
const DATA = 'resource:default/data-prod-use1-us-east-1-619384027751';

const plan: RolloutPlanResponse = {
  wavePolicy: { type: 'automatic' },
  strategy: { name: 'automatic', title: 'Automatic waves', source: 'built-in' },
  plan: {
    targetVersion: '1.35',
    clusterCount: 2,
    excluded: [],
    waves: [
      {
        index: 0,
        name: 'wave-1',
        bakeSeconds: 3600,
        requiresApproval: true,
        cells: [
          {
            key: 'a',
            clusters: [{ entityRef: PROD, clusterName: 'payments-prod-use1' }],
          },
        ],
      },
      {
        index: 1,
        name: 'wave-2',
        bakeSeconds: 1800,
        requiresApproval: false,
        cells: [
          {
            key: 'b',
            clusters: [{ entityRef: DATA, clusterName: 'data-prod-use1' }],
          },
        ],
      },
    ],
  } as never,
  sequence: [{ targetVersion: '1.35', clusters: [PROD, DATA] }],
  refusals: [],
  executors: { [PROD]: 'gitops', [DATA]: 'eks-api' },
  gitDrift: {
    [PROD]:
      "the fleet repository's manifests (main at c0ffee1) and the live cluster disagree: Kubernetes: Git 1.34, live 1.33",
  },
  blockingTeams: [
    {
      waveIndex: 1,
      teams: [
        { ownerRef: 'group:default/data-team', clusters: [DATA], blockers: 2 },
      ],
    },
  ],
  estimates: [
    {
      waveIndex: 0,
      startsAt: '2026-12-01T00:00:00Z',
      endsAt: '2026-12-01T02:00:00Z',
      waitingForWindow: 0,
    },
    {
      waveIndex: 1,
      startsAt: '2026-12-01T02:00:00Z',
      endsAt: '2026-12-05T03:00:00Z',
      waitingForWindow: 1,
    },
  ],
  options: {
    concurrency: 3,
    failureBudget: 0,
    upgradeAddons: true,
    upgradeNodegroups: true,
  },
};

/** The field as the scaffolder form drives it: its value, and the whole form's data. */
function Harness(props: { initial: string[]; form: Record<string, unknown> }) {
  const [value, setValue] = useState<string[]>(props.initial);
  return (
    <>
      <ClusterPicker
        {...({
          onChange: setValue,
          formData: value,
          required: true,
          rawErrors: [],
          schema: { title: 'Clusters', type: 'array' },
          uiSchema: {},
          formContext: { formData: { ...props.form, clusters: value } },
          idSchema: { $id: 'clusters' },
        } as any)}
      />
      <output data-testid="value">{JSON.stringify(value)}</output>
    </>
  );
}

async function renderPicker(initial: string[], form: Record<string, unknown>) {
  const rollouts = rolloutsApi();
  (rollouts.planRollout as jest.Mock).mockResolvedValue(plan);
  await renderInTestApp(<Harness initial={initial} form={form} />, {
    apis: [
      [catalogApiRef, catalogApiMock({ entities: fleetEntities })],
      [eksFleetApiRef, fleetApi({ summary: fleetSummary })],
      [rolloutsApiRef, rollouts],
    ],
  });
  return rollouts;
}

const value = () => JSON.parse(screen.getByTestId('value').textContent!);

describe('ClusterPicker', () => {
  it('lists the fleet with version, environment, owner and support state, starts from the given selection and plans it beside the list', async () => {
    const rollouts = await renderPicker([PROD], {
      targetVersion: '1.35',
      firstWaveSize: 1,
      initialBakeMinutes: 60,
    });
    const rows = await screen.findAllByTestId('cluster-picker-row', {}, LOADED);
    expect(rows).toHaveLength(4);
    const prod = rows.find(r => within(r).queryByText('payments-prod-use1'))!;
    expect(within(prod).getByRole('checkbox')).toBeChecked();
    expect(prod).toHaveTextContent('1.33');
    expect(prod).toHaveTextContent('prod');
    expect(prod).toHaveTextContent('payments-team');
    await waitFor(() =>
      expect(prod).toHaveTextContent(/extended|standard|unsupported/),
    );
    expect(screen.getByTestId('cluster-picker-count')).toHaveTextContent(
      '1 selected',
    );

    // The plan of the selection, asked once the form is still.
    expect(
      await screen.findAllByTestId('rollout-plan-wave', {}, LOADED),
    ).toHaveLength(2);
    expect(rollouts.planRollout).toHaveBeenLastCalledWith({
      targetVersion: '1.35',
      selector: { clusters: [PROD] },
      wavePolicy: {
        type: 'automatic',
        firstWaveSize: 1,
        initialBakeSeconds: 3600,
      },
    });
    expect(screen.getByTestId('rollout-plan-summary')).toHaveTextContent(
      '2 cluster(s) to 1.35 in 2 wave(s), strategy Automatic waves (automatic)',
    );
    expect(screen.getAllByTestId('rollout-plan-wave')[0]).toHaveTextContent(
      'wave-1: 1 cluster(s), bake 60 min, approval first',
    );
    // When each wave would run if started now; who waits for a window.
    const estimates = screen.getAllByTestId('rollout-plan-wave-estimate');
    expect(estimates[0]).toHaveTextContent(/^about .+2026.* to .+2026/);
    expect(estimates[0]).not.toHaveTextContent('maintenance window');
    expect(estimates[1]).toHaveTextContent(
      '1 cluster(s) wait for their maintenance window',
    );
    // The teams whose blockers would stop a wave's clusters at pre-check.
    expect(screen.getAllByTestId('rollout-plan-wave-blockers')).toHaveLength(1);
    expect(screen.getAllByTestId('rollout-plan-wave')[1]).toHaveTextContent(
      'Stopped at pre-check by the blockers of data-team (2 on 1 cluster)',
    );

    // Which executor each cluster gets: the fleet repository's by name.
    expect(screen.getByTestId('rollout-plan-executors')).toHaveTextContent(
      'Through the fleet repository (gitops, one change per wave): payments-prod-use1; through the EKS API (eks-api): 1 cluster(s)',
    );
    // A GitOps cluster whose manifest and live version disagree.
    expect(screen.getByTestId('rollout-plan-git-drift')).toHaveTextContent(
      "Git and live disagree: the pre-check will refuse payments-prod-use1 (the fleet repository's manifests (main at c0ffee1) and the live cluster disagree: Kubernetes: Git 1.34, live 1.33) unless that changes first",
    );

    // Ticking another plans again with both.
    const data = rows.find(r => within(r).queryByText('data-prod-use1'))!;
    fireEvent.click(within(data).getByRole('checkbox'));
    expect(value()).toEqual([DATA, PROD]);
    await waitFor(() =>
      expect(rollouts.planRollout).toHaveBeenLastCalledWith(
        expect.objectContaining({ selector: { clusters: [DATA, PROD] } }),
      ),
    );
  });

  it('searches, narrows by environment, and selects every cluster shown', async () => {
    await renderPicker([], { targetVersion: '1.35' });
    await screen.findAllByTestId('cluster-picker-row', {}, LOADED);
    fireEvent.change(screen.getByLabelText('Search clusters'), {
      target: { value: 'payments' },
    });
    expect(screen.getAllByTestId('cluster-picker-row')).toHaveLength(2);
    fireEvent.mouseDown(screen.getByRole('combobox', { name: 'Environment' }));
    fireEvent.click(await screen.findByRole('option', { name: 'dev' }));
    act(() => {
      fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    });
    await waitFor(() =>
      expect(screen.getAllByTestId('cluster-picker-row')).toHaveLength(1),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Select all 1 shown' }));
    expect(value()).toEqual([
      'resource:default/payments-dev-euw1-eu-west-1-735260918427',
    ]);
    // Nothing chosen yet: the plan says what it needs.
  });
});

describe('the picker’s parts', () => {
  const clusters: PickerCluster[] = fleetEntities
    .filter(e => e.kind === 'Resource')
    .map(toFleetCluster)
    .map(c => ({
      ...c,
      support: fleetSummary.clusters.find(s => s.entityRef === c.entityRef)
        ?.support,
    }));

  it('filters by version, owner and support state', () => {
    const names = (f: Partial<typeof EMPTY_PICKER_FILTER>) =>
      filterPickerClusters(clusters, { ...EMPTY_PICKER_FILTER, ...f }).map(
        c => c.title,
      );
    expect(names({ versions: ['1.34'] })).toEqual(['payments-dev-euw1']);
    expect(names({ owners: ['group:default/data-team'] })).toEqual([
      'data-prod-use1',
    ]);
    expect(names({ supportStates: ['extended'] }).length).toBe(2);
    expect(names({ query: 'use1 prod' })).toEqual([
      'data-prod-use1',
      'payments-prod-use1',
    ]);
  });

  it('builds the rollout request the template sends, and nothing without a target or a cluster', () => {
    expect(waveUpgradeRequestOf({ targetVersion: '1.35' }, [])).toBeUndefined();
    expect(
      waveUpgradeRequestOf({ targetVersion: 'latest' }, [PROD]),
    ).toBeUndefined();
    expect(
      waveUpgradeRequestOf(
        {
          targetVersion: '1.35',
          growthFactor: 3,
          minBakeMinutes: 0.5,
          cellBy: ' region ',
        },
        [PROD],
      ),
    ).toEqual({
      targetVersion: '1.35',
      selector: { clusters: [PROD] },
      wavePolicy: { type: 'automatic', growthFactor: 3, minBakeSeconds: 30 },
      cellPolicy: { by: 'region' },
    });
  });

  it("builds an add-on or node refresh request from the template's target kind", () => {
    const base = { targetVersion: '1.35', upgradeAddons: true };
    expect(
      waveUpgradeRequestOf({ ...base, targetKind: 'addon', addonName: ' ' }, [
        PROD,
      ]),
    ).toBeUndefined();
    expect(
      waveUpgradeRequestOf(
        { ...base, targetKind: 'addon', addonName: 'vpc-cni' },
        [PROD],
      ),
    ).toEqual({
      target: { kind: 'addon', name: 'vpc-cni', version: 'recommended' },
      selector: { clusters: [PROD] },
      wavePolicy: { type: 'automatic' },
    });
    expect(
      waveUpgradeRequestOf(
        {
          ...base,
          targetKind: 'addon',
          addonName: 'coredns',
          addonVersion: 'v1.12.1-eksbuild.2',
        },
        [PROD],
      )?.target,
    ).toEqual({
      kind: 'addon',
      name: 'coredns',
      version: 'v1.12.1-eksbuild.2',
    });
    expect(
      waveUpgradeRequestOf({ ...base, targetKind: 'node-refresh' }, [PROD])
        ?.target,
    ).toEqual({ kind: 'node-refresh' });
    expect(
      waveUpgradeRequestOf({ ...base, strategy: 'canary-then-halves' }, [PROD])
        ?.strategy,
    ).toBe('canary-then-halves');
  });

  it('refuses no cluster, and values that are no cluster reference', () => {
    const errors: string[] = [];
    const validation = { addError: (m: string) => errors.push(m) } as never;
    clusterPickerValidation([], validation, {} as never);
    clusterPickerValidation(['ok', 'bad ref<script>'], validation, {} as never);
    clusterPickerValidation([PROD], validation, {} as never);
    expect(errors).toEqual([
      'Choose at least one cluster',
      'Not a cluster reference: bad ref<script>',
    ]);
  });
});
