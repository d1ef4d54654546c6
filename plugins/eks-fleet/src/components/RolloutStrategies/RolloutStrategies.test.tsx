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
import { fireEvent, screen, waitFor } from '@testing-library/react';
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
    fireEvent.change(screen.getByLabelText('Wave policy (JSON)'), {
      target: { value: 'not json' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Add strategy' }));
    expect(
      (await screen.findAllByText(/The wave policy is not JSON/))[0],
    ).toBeInTheDocument();
    expect(rollouts.createStrategy).not.toHaveBeenCalled();
    fireEvent.change(screen.getByLabelText('Wave policy (JSON)'), {
      target: { value: '{"type": "automatic", "firstWaveSize": 3}' },
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
});
