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

import { renderInTestApp } from '@backstage/frontend-test-utils';
import { rolloutsApiRef } from '../../api/rollouts';
import { rolloutsApi } from '../../__testUtils__/rollouts';
import { screen } from '@testing-library/react';
import { StartWaveUpgradeButton } from './StartWaveUpgradeButton';

describe('StartWaveUpgradeButton for those who may start no rollout', () => {
  it('shows nothing', async () => {
    const api = rolloutsApi();
    api.getCapabilities.mockResolvedValue({ read: true, create: false });
    await renderInTestApp(
      <div data-testid="holder">
        <StartWaveUpgradeButton />
      </div>,
      { apis: [[rolloutsApiRef, api]] },
    );
    const holder = await screen.findByTestId('holder');
    await new Promise(r => setTimeout(r, 200));
    expect(holder).toBeEmptyDOMElement();
  });
});
