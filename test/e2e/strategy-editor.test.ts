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

import { expect, test } from '@playwright/test';
import { expectAccessible } from './support/axe';
import { signIn, tokenOf } from './support/session';

/*
 * The strategy editor of the rollouts page against the real backend: a
 * member of the platform team (the demo's guest) builds waves by hand in
 * the form, is told of a bad field before saving, saves, sees the backend
 * refuse the same name again, and deletes the strategy, so the tests after
 * this one see the demo's strategies only.
 */

const NAME = 'e2e-canary-first';

test('a strategy built in the form is saved as its wave policy; a bad field and the backend refusal are shown', async ({
  page,
}, testInfo) => {
  await signIn(page);
  const headers = { authorization: `Bearer ${await tokenOf(page)}` };
  try {
    await page.goto('/eks-fleet/rollouts');
    const card = page.getByTestId('rollout-strategies');
    await card.getByRole('button', { name: 'New strategy' }).click();
    await card.getByLabel('Name', { exact: true }).fill(NAME);
    await card.getByLabel('Title', { exact: true }).fill('Canary first');
    await card.getByLabel('By hand: waves in order').check();

    // A wave's legend carries its name as typed: "Wave 1: canary".
    const first = card.getByRole('group', { name: /^Wave 1\b/ });
    await first.getByLabel('Wave name').fill('canary');
    await first.getByLabel('Environments').fill('dev');
    await first.getByLabel('Bake (minutes)').fill('1');
    await card.getByRole('button', { name: 'Add wave' }).click();
    const second = card.getByRole('group', { name: /^Wave 2\b/ });
    await second.getByLabel('Wave name').fill('rest');
    await second.getByLabel('Requires approval').check();
    await second.getByLabel('Accounts').fill('1234');
    await expect(
      second.getByText('Expected 12-digit AWS account ids, got "1234"'),
    ).toBeVisible();
    await card.getByRole('button', { name: 'Add strategy' }).click();
    await expect(card.getByRole('alert')).toHaveText(
      /One field needs a change before saving/,
    );
    // The open form, its errors shown, is accessible.
    await expectAccessible(page, testInfo, 'strategy editor', {
      include: '[data-testid="rollout-strategies"]',
    });
    await second.getByLabel('Accounts').fill('');
    await card.getByRole('button', { name: 'Add strategy' }).click();

    const table = card.getByRole('table', { name: 'Rollout strategies' });
    await expect(
      table.getByRole('row', { name: new RegExp(NAME) }),
    ).toContainText('canary (1 min), then rest (60 min, approval)');
    const saved = await page.request.get(`/api/eks-fleet/strategies/${NAME}`, {
      headers,
    });
    expect((await saved.json()).wavePolicy).toEqual({
      type: 'explicit',
      waves: [
        {
          name: 'canary',
          selector: { environments: ['dev'] },
          bakeSeconds: 60,
        },
        {
          name: 'rest',
          selector: {},
          bakeSeconds: 3600,
          requiresApproval: true,
        },
      ],
    });

    // The backend's refusal of the same name again is shown above the form,
    // its reason under it.
    await card.getByRole('button', { name: 'New strategy' }).click();
    await card.getByLabel('Name', { exact: true }).fill(NAME);
    await card.getByLabel('Title', { exact: true }).fill('Again');
    await card.getByRole('button', { name: 'Add strategy' }).click();
    const refusal = card.getByText('Request failed with 409 Conflict');
    await expect(refusal).toBeVisible();
    await refusal.click();
    await expect(
      card
        .getByText(`A strategy named "${NAME}" exists already`)
        .filter({ visible: true })
        .first(),
    ).toBeVisible();
    await card.getByRole('button', { name: 'Cancel' }).click();

    await card.getByRole('button', { name: `Delete: ${NAME}` }).click();
    await expect(table).not.toContainText(NAME);
  } finally {
    await page.request.delete(`/api/eks-fleet/strategies/${NAME}`, {
      headers,
    });
  }
});
