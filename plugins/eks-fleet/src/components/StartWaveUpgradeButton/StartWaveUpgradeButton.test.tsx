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
import { fireEvent, screen, within } from '@testing-library/react';
import { STRATEGIES } from '../../__testUtils__/strategies';
import {
  StartWaveUpgradeButton,
  WAVE_UPGRADE_TEMPLATE_PATH,
  waveUpgradeTemplateHref,
} from './StartWaveUpgradeButton';

jest.setTimeout(30_000);

describe('StartWaveUpgradeButton', () => {
  it('opens the wave-upgrade template for those allowed to start rollouts', async () => {
    await renderInTestApp(<StartWaveUpgradeButton />, {
      apis: [[rolloutsApiRef, rolloutsApi()]],
    });
    expect(
      await screen.findByRole('link', { name: 'Start a wave upgrade' }),
    ).toHaveAttribute('href', WAVE_UPGRADE_TEMPLATE_PATH);
  });

  it('offers the saved strategies, automatic first, and opens the template with the one picked', async () => {
    const api = rolloutsApi();
    api.listStrategies.mockResolvedValue(STRATEGIES);
    await renderInTestApp(
      <StartWaveUpgradeButton
        formData={{ clusters: ['resource:default/a'] }}
      />,
      { apis: [[rolloutsApiRef, api]] },
    );
    const link = await screen.findByRole('link', {
      name: 'Start a wave upgrade',
    });
    expect(link).toHaveAttribute(
      'href',
      waveUpgradeTemplateHref({ clusters: ['resource:default/a'] }),
    );
    const picker = await screen.findByRole('combobox', { name: 'Strategy' });
    expect(picker).toHaveTextContent('Automatic waves (automatic, built in)');
    fireEvent.mouseDown(picker);
    const options = within(await screen.findByRole('listbox')).getAllByRole(
      'option',
    );
    expect(options.map(o => o.textContent)).toEqual([
      'Automatic waves (automatic, built in)',
      'Canary, then halves (canary-then-halves, from config)',
      'Slow (slow, saved here)',
    ]);
    fireEvent.click(options[1]);
    expect(
      await screen.findByText('canary (30 min), then rest (15 min, approval)'),
    ).toBeInTheDocument();
    expect(link).toHaveAttribute(
      'href',
      waveUpgradeTemplateHref({
        clusters: ['resource:default/a'],
        strategy: 'canary-then-halves',
      }),
    );
  });
});
