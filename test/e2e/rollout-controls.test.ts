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

import { APIRequestContext, expect, test } from '@playwright/test';
import { signIn, tokenOf } from './support/session';

/*
 * Rollout controls on the demo (scripts/e2e-server.sh), changing no
 * cluster: a change freeze created on the rollouts page holds a rollout of
 * the staging clusters (nothing starts), a wave is skipped from the
 * rollout page with its reason, the rollout is aborted and the freeze
 * ended there again, so the tests after this one run unfrozen.
 */

const FREEZE = 'e2e hold';

/** A datetime-local field's value for an instant, in the browser's zone. */
const localInput = (ms: number) =>
  new Date(ms - new Date(ms).getTimezoneOffset() * 60_000)
    .toISOString()
    .slice(0, 16);

async function endFreezes(request: APIRequestContext, token: string) {
  const headers = { authorization: `Bearer ${token}` };
  const listed = await (
    await request.get('/api/eks-fleet/freezes', { headers })
  ).json();
  for (const f of listed.items ?? []) {
    if (f.name === FREEZE && f.id) {
      await request.delete(`/api/eks-fleet/freezes/${f.id}`, { headers });
    }
  }
}

test('a change freeze created on the rollouts page holds a rollout; a wave is skipped with its reason; the freeze ends there', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await signIn(page);
  const token = await tokenOf(page);
  const headers = { authorization: `Bearer ${token}` };
  let rolloutId: string | undefined;
  try {
    await page.goto('/eks-fleet/rollouts');
    const card = page.getByTestId('change-freezes');
    await card.getByLabel('Freeze name').fill(FREEZE);
    await card.getByLabel('From').fill(localInput(Date.now() - 120_000));
    await card.getByLabel('Until').fill(localInput(Date.now() + 3_600_000));
    await card.getByLabel('Why').fill('the end-to-end test holds the fleet');
    await card.getByRole('button', { name: 'Add freeze' }).click();
    await expect(
      card.getByRole('table', { name: 'Change freezes' }),
    ).toContainText(FREEZE);
    await expect(
      page.getByRole('table', { name: 'Rollout strategies' }),
    ).toContainText('canary-then-halves');

    const created = await page.request.post('/api/eks-fleet/rollouts', {
      headers,
      data: {
        title: 'Staging during a freeze',
        targetVersion: '1.36',
        selector: { environments: ['staging'] },
        strategy: 'cautious',
      },
    });
    expect(created.status()).toBe(201);
    rolloutId = (await created.json()).id as string;

    await page.goto(`/eks-fleet/rollouts/${rolloutId}`);
    // Started with a saved strategy from the demo's config, and says so.
    await expect(page.getByTestId('rollout-strategy')).toHaveText(
      'Strategy: Cautious (cautious)',
    );
    await expect(page.getByTestId('rollout-freeze')).toContainText(
      `Change freeze "${FREEZE}" until`,
    );
    // Three engine ticks (every 5 s) later, no cluster has started.
    await page.waitForTimeout(15_000);
    const events = async () =>
      (
        await (
          await page.request.get(
            `/api/eks-fleet/rollouts/${rolloutId}/events`,
            { headers },
          )
        ).json()
      ).items as Array<{ kind: string; message: string; actor: string }>;
    expect(
      (await events()).filter(e => e.kind === 'cluster.step-started'),
    ).toEqual([]);

    // Skip a wave that has not started, saying why.
    await page.getByRole('button', { name: 'Skip wave' }).first().click();
    const dialog = page.getByRole('dialog');
    await expect(
      dialog.getByRole('button', { name: 'Skip the wave' }),
    ).toBeDisabled();
    await dialog
      .getByRole('textbox', { name: /Why\? \(kept in the event log\)/ })
      .fill('not in this window');
    await dialog.getByRole('button', { name: 'Skip the wave' }).click();
    await expect(
      page
        .getByText(
          /user:default\/guest skipped wave-\d+[^(]* \(\d+ cluster\(s\)\): not in this window/,
        )
        .first(),
    ).toBeVisible({ timeout: 30_000 });
    expect(
      (await events()).some(
        e =>
          e.kind === 'rollout.control' &&
          e.actor === 'user:default/guest' &&
          e.message.endsWith(': not in this window'),
      ),
    ).toBe(true);

    // The freeze ends on the rollouts page.
    await page.request.post(`/api/eks-fleet/rollouts/${rolloutId}/abort`, {
      headers,
      data: { reason: 'end of the test' },
    });
    rolloutId = undefined;
    await page.goto('/eks-fleet/rollouts');
    await page.getByRole('button', { name: `End now: ${FREEZE}` }).click();
    await expect(page.getByTestId('change-freezes')).not.toContainText(FREEZE);
  } finally {
    if (rolloutId) {
      await page.request.post(`/api/eks-fleet/rollouts/${rolloutId}/abort`, {
        headers,
        data: { reason: 'end of the test' },
      });
    }
    await endFreezes(page.request, token);
  }
});
