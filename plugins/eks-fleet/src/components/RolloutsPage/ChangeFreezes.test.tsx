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
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { rolloutsApiRef } from '../../api/rollouts';
import { rolloutsApi } from '../../__testUtils__/rollouts';
import { ChangeFreezes } from './ChangeFreezes';

jest.setTimeout(30_000);

const future = (days: number) =>
  new Date(Date.now() + days * 86_400_000).toISOString();

describe('ChangeFreezes', () => {
  it('lists the freezes, ends one created here and creates one, for a user with the freeze permission', async () => {
    const rollouts = rolloutsApi();
    rollouts.listFreezes.mockResolvedValue({
      canChange: true,
      items: [
        { name: 'year-end', start: future(-1), end: future(10) },
        {
          id: '3f1f5a1e-0000-4000-8000-000000000001',
          name: 'launch',
          start: future(1),
          end: future(2),
          reason: 'product launch',
          createdBy: 'user:default/platform-lead',
        },
        { id: 'old', name: 'over', start: future(-5), end: future(-4) },
      ],
    });
    rollouts.createFreeze.mockResolvedValue({} as any);
    await renderInTestApp(<ChangeFreezes />, {
      apis: [[rolloutsApiRef, rollouts]],
    });
    const table = await screen.findByRole('table', { name: 'Change freezes' });
    expect(table).toHaveTextContent('year-end');
    expect(table).toHaveTextContent('config');
    expect(table).toHaveTextContent('product launch');
    // One that is over is not listed; one from config cannot be ended here.
    expect(table).not.toHaveTextContent('over');
    expect(screen.getAllByRole('button', { name: /^End now: / })).toHaveLength(
      1,
    );
    fireEvent.click(screen.getByRole('button', { name: 'End now: launch' }));
    await waitFor(() =>
      expect(rollouts.deleteFreeze).toHaveBeenCalledWith(
        '3f1f5a1e-0000-4000-8000-000000000001',
      ),
    );

    const add = screen.getByRole('button', { name: 'Add freeze' });
    expect(add).toBeDisabled();
    fireEvent.change(screen.getByLabelText('Freeze name'), {
      target: { value: 'audit' },
    });
    fireEvent.change(screen.getByLabelText('From'), {
      target: { value: '2030-01-01T00:00' },
    });
    fireEvent.change(screen.getByLabelText('Until'), {
      target: { value: '2030-01-02T00:00' },
    });
    fireEvent.change(screen.getByLabelText('Why'), {
      target: { value: 'yearly audit' },
    });
    fireEvent.click(add);
    await waitFor(() =>
      expect(rollouts.createFreeze).toHaveBeenCalledWith({
        name: 'audit',
        start: new Date('2030-01-01T00:00').toISOString(),
        end: new Date('2030-01-02T00:00').toISOString(),
        reason: 'yearly audit',
      }),
    );
  });

  it('offers no form and no end to a user without it', async () => {
    const rollouts = rolloutsApi();
    rollouts.listFreezes.mockResolvedValue({
      canChange: false,
      items: [
        {
          id: '3f1f5a1e-0000-4000-8000-000000000001',
          name: 'launch',
          start: future(1),
          end: future(2),
        },
      ],
    });
    await renderInTestApp(<ChangeFreezes />, {
      apis: [[rolloutsApiRef, rollouts]],
    });
    await screen.findByRole('table', { name: 'Change freezes' });
    expect(screen.queryByRole('button', { name: /End now/ })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Add freeze' })).toBeNull();
  });
});
