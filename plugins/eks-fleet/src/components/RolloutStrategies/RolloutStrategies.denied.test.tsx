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
import { screen } from '@testing-library/react';
import { rolloutsApiRef } from '../../api/rollouts';
import { rolloutsApi } from '../../__testUtils__/rollouts';
import { RolloutStrategies } from './RolloutStrategies';
import { STRATEGIES } from '../../__testUtils__/strategies';

jest.setTimeout(30_000);

describe('RolloutStrategies without the manage permission', () => {
  it('lists the strategies and offers no change', async () => {
    const rollouts = rolloutsApi();
    rollouts.listStrategies.mockResolvedValue(STRATEGIES);
    await renderInTestApp(<RolloutStrategies />, {
      apis: [
        [rolloutsApiRef, rollouts],
        [
          permissionApiRef,
          mockApis.permission({ authorize: AuthorizeResult.DENY }),
        ],
      ],
    });
    const table = await screen.findByRole('table', {
      name: 'Rollout strategies',
    });
    expect(table).toHaveTextContent('Slow');
    await new Promise(r => setTimeout(r, 200));
    expect(screen.queryByRole('button', { name: /Edit|Delete/ })).toBeNull();
    expect(screen.queryByRole('button', { name: 'New strategy' })).toBeNull();
  });
});
