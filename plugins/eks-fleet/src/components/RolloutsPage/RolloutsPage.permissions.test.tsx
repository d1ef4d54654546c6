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

import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen } from '@testing-library/react';
import { renderRolloutView, rolloutsApi } from '../../__testUtils__/rollouts';

// A file of its own: usePermission keeps its answers for the whole file.
// The page renders tables and a stepper: slow on a busy machine.
jest.setTimeout(30_000);

describe('RolloutView without the permissions', () => {
  it('shows the controls disabled', async () => {
    await renderRolloutView(rolloutsApi(), AuthorizeResult.DENY);
    expect(
      await screen.findByRole('button', { name: 'Resume' }),
    ).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Abort' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Approve' })).toBeDisabled();
  });
});
