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
import {
  StartWaveUpgradeButton,
  WAVE_UPGRADE_TEMPLATE_PATH,
} from './StartWaveUpgradeButton';

describe('StartWaveUpgradeButton', () => {
  it('opens the wave-upgrade template for those allowed to start rollouts', async () => {
    await renderInTestApp(<StartWaveUpgradeButton />, {
      apis: [[rolloutsApiRef, rolloutsApi()]],
    });
    expect(
      await screen.findByRole('link', { name: 'Start a wave upgrade' }),
    ).toHaveAttribute('href', WAVE_UPGRADE_TEMPLATE_PATH);
  });
});
