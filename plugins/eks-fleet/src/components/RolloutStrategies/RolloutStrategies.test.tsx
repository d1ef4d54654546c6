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

import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { rolloutsApiRef } from '../../api/rollouts';
import { rolloutsApi } from '../../__testUtils__/rollouts';
import { STRATEGIES } from '../../__testUtils__/strategies';
import { RolloutStrategies } from './RolloutStrategies';

// usePermission keeps its answers for the whole file: the refusal is in
// RolloutStrategies.denied.test.tsx.
jest.setTimeout(30_000);

describe('RolloutStrategies', () => {
  it('lists each strategy with its source and waves, and lets a manager create, edit and delete those saved here', async () => {
    const rollouts = rolloutsApi();
    rollouts.listStrategies.mockResolvedValue(STRATEGIES);
    rollouts.createStrategy.mockResolvedValue({} as any);
    rollouts.updateStrategy.mockResolvedValue({} as any);
    await renderInTestApp(<RolloutStrategies />, {
      apis: [
        [rolloutsApiRef, rollouts],
        [
          permissionApiRef,
          mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
        ],
      ],
    });
    const table = await screen.findByRole('table', {
      name: 'Rollout strategies',
    });
    expect(table).toHaveTextContent('Automatic waves');
    expect(table).toHaveTextContent('built in');
    expect(table).toHaveTextContent(
      'canary (30 min), then rest (15 min, approval)',
    );
    expect(table).toHaveTextContent('config');
    expect(table).toHaveTextContent('Automatic waves: ×1.5 each wave');
    // Only the one saved here is changed here.
    await waitFor(() =>
      expect(screen.getAllByRole('button', { name: /^Edit: / })).toHaveLength(
        1,
      ),
    );
    expect(screen.getAllByRole('button', { name: /^Delete: / })).toHaveLength(
      1,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Delete: slow' }));
    await waitFor(() =>
      expect(rollouts.deleteStrategy).toHaveBeenCalledWith('slow'),
    );

    fireEvent.click(screen.getByRole('button', { name: 'Edit: slow' }));
    fireEvent.change(screen.getByLabelText('Title'), {
      target: { value: 'Slower' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Save strategy' }));
    await waitFor(() =>
      expect(rollouts.updateStrategy).toHaveBeenCalledWith({
        name: 'slow',
        title: 'Slower',
        wavePolicy: { type: 'automatic', growthFactor: 1.5 },
      }),
    );

    fireEvent.click(
      await screen.findByRole('button', { name: 'New strategy' }),
    );
    fireEvent.change(screen.getByLabelText('Name'), {
      target: { value: 'wide' },
    });
    fireEvent.change(screen.getByLabelText('Title'), {
      target: { value: 'Wide' },
    });
    // The automatic waves' fields, each checked as the backend does.
    fireEvent.change(screen.getByLabelText('First wave (cells)'), {
      target: { value: '0' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Add strategy' }));
    expect(
      await screen.findByText('Expected a whole number from 1 to 10000'),
    ).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent(
      'One field needs a change before saving',
    );
    expect(rollouts.createStrategy).not.toHaveBeenCalled();
    fireEvent.change(screen.getByLabelText('First wave (cells)'), {
      target: { value: '3' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Add strategy' }));
    await waitFor(() =>
      expect(rollouts.createStrategy).toHaveBeenCalledWith({
        name: 'wide',
        title: 'Wide',
        wavePolicy: { type: 'automatic', firstWaveSize: 3 },
      }),
    );
  });

  it('builds waves by hand: added, reordered and removed, each checked before saving, the backend refusal shown', async () => {
    const rollouts = rolloutsApi();
    rollouts.listStrategies.mockResolvedValue(STRATEGIES);
    rollouts.createStrategy
      .mockRejectedValueOnce(
        new Error('Invalid wave policy: waves[0].name must be unique'),
      )
      .mockResolvedValue({} as any);
    await renderInTestApp(<RolloutStrategies />, {
      apis: [
        [rolloutsApiRef, rollouts],
        [
          permissionApiRef,
          mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
        ],
      ],
    });
    fireEvent.click(
      await screen.findByRole('button', { name: 'New strategy' }),
    );
    fireEvent.change(screen.getByLabelText('Name'), {
      target: { value: 'Canary First' },
    });
    expect(
      screen.getByText(/^Expected lower-case letters, digits and dashes/),
    ).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Name'), {
      target: { value: 'canary-first' },
    });
    fireEvent.change(screen.getByLabelText('Title'), {
      target: { value: 'Canary first' },
    });
    fireEvent.click(screen.getByLabelText('By hand: waves in order'));
    const first = screen.getByRole('group', { name: 'Wave 1: wave-1' });
    fireEvent.change(within(first).getByLabelText('Wave name'), {
      target: { value: 'canary' },
    });
    fireEvent.change(within(first).getByLabelText('Environments'), {
      target: { value: 'dev, sandbox' },
    });
    fireEvent.change(within(first).getByLabelText('Bake (minutes)'), {
      target: { value: '30' },
    });

    fireEvent.click(screen.getByRole('button', { name: 'Add wave' }));
    const second = screen.getByRole('group', { name: 'Wave 2: wave-2' });
    fireEvent.change(within(second).getByLabelText('Accounts'), {
      target: { value: '735260918427, 123' },
    });
    expect(
      within(second).getByText('Expected 12-digit AWS account ids, got "123"'),
    ).toBeInTheDocument();
    fireEvent.change(within(second).getByLabelText('Tags'), {
      target: { value: 'tier=*' },
    });
    fireEvent.click(within(second).getByLabelText('Requires approval'));
    // An empty name says so once a save is tried.
    fireEvent.change(within(second).getByLabelText('Wave name'), {
      target: { value: '' },
    });
    expect(screen.queryByText('Give the wave a name')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Add strategy' }));
    expect(await screen.findByText('Give the wave a name')).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent(
      '2 fields need a change before saving',
    );
    expect(rollouts.createStrategy).not.toHaveBeenCalled();
    fireEvent.change(within(second).getByLabelText('Wave name'), {
      target: { value: 'rest' },
    });
    fireEvent.change(within(second).getByLabelText('Accounts'), {
      target: { value: '735260918427' },
    });

    // A third wave, moved first, then back last and removed.
    fireEvent.click(screen.getByRole('button', { name: 'Add wave' }));
    fireEvent.change(
      within(
        screen.getByRole('group', { name: 'Wave 3: wave-3' }),
      ).getByLabelText('Wave name'),
      { target: { value: 'early' } },
    );
    fireEvent.click(screen.getByRole('button', { name: 'Move up: wave 3' }));
    fireEvent.click(screen.getByRole('button', { name: 'Move up: wave 2' }));
    expect(
      screen
        .getAllByRole('group', { name: /^Wave \d/ })
        .map(g => g.querySelector('legend')?.textContent),
    ).toEqual(['Wave 1: early', 'Wave 2: canary', 'Wave 3: rest']);
    expect(
      screen.getByRole('button', { name: 'Move up: wave 1' }),
    ).toBeDisabled();
    fireEvent.click(screen.getByRole('button', { name: 'Move down: wave 1' }));
    fireEvent.click(screen.getByRole('button', { name: 'Move down: wave 2' }));
    fireEvent.click(screen.getByRole('button', { name: 'Remove: wave 3' }));
    expect(screen.getAllByRole('group', { name: /^Wave \d/ })).toHaveLength(2);

    const expected = {
      name: 'canary-first',
      title: 'Canary first',
      wavePolicy: {
        type: 'explicit',
        waves: [
          {
            name: 'canary',
            selector: { environments: ['dev', 'sandbox'] },
            bakeSeconds: 1800,
          },
          {
            name: 'rest',
            selector: { accounts: ['735260918427'], tags: { tier: '*' } },
            bakeSeconds: 3600,
            requiresApproval: true,
          },
        ],
      },
    };
    // The backend's refusal is shown, the form kept.
    fireEvent.click(screen.getByRole('button', { name: 'Add strategy' }));
    expect(
      (await screen.findAllByText(/waves\[0\]\.name must be unique/))[0],
    ).toBeInTheDocument();
    expect(rollouts.createStrategy).toHaveBeenLastCalledWith(expected);
    fireEvent.click(screen.getByRole('button', { name: 'Add strategy' }));
    await waitFor(() =>
      expect(rollouts.createStrategy).toHaveBeenCalledTimes(2),
    );
    expect(rollouts.createStrategy).toHaveBeenLastCalledWith(expected);
    expect(
      await screen.findByRole('button', { name: 'New strategy' }),
    ).toBeInTheDocument();
  });

  it('edits as JSON a wave policy with parts the form has no field for', async () => {
    const rollouts = rolloutsApi();
    rollouts.listStrategies.mockResolvedValue({
      canManage: true,
      items: [
        {
          name: 'nothing-production',
          title: 'Nothing is production',
          source: 'database',
          wavePolicy: { type: 'automatic', productionEnvironments: [] },
        },
      ],
    });
    rollouts.updateStrategy.mockResolvedValue({} as any);
    await renderInTestApp(<RolloutStrategies />, {
      apis: [
        [rolloutsApiRef, rollouts],
        [
          permissionApiRef,
          mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
        ],
      ],
    });
    fireEvent.click(
      await screen.findByRole('button', { name: 'Edit: nothing-production' }),
    );
    expect(screen.queryByLabelText('First wave (cells)')).toBeNull();
    const json = screen.getByLabelText('Wave policy (JSON)');
    expect(JSON.parse((json as HTMLTextAreaElement).value)).toEqual({
      type: 'automatic',
      productionEnvironments: [],
    });
    fireEvent.change(json, { target: { value: 'not json' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save strategy' }));
    expect(
      (await screen.findAllByText(/The wave policy is not JSON/))[0],
    ).toBeInTheDocument();
    expect(rollouts.updateStrategy).not.toHaveBeenCalled();
    fireEvent.change(json, {
      target: {
        value:
          '{"type": "automatic", "productionEnvironments": [], "firstWaveSize": 2}',
      },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Save strategy' }));
    await waitFor(() =>
      expect(rollouts.updateStrategy).toHaveBeenCalledWith({
        name: 'nothing-production',
        title: 'Nothing is production',
        wavePolicy: {
          type: 'automatic',
          productionEnvironments: [],
          firstWaveSize: 2,
        },
      }),
    );
  });
});
