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
import { loadFleetFile } from '@internal/aws-emulator';
import path from 'node:path';
import { signIn, tokenOf } from './support/session';

/*
 * An add-on wave on the demo: the demo's one cluster whose coredns is
 * behind the version EKS recommends for its minor is planned in the
 * wave upgrade template (its from and to beside the form), started, and
 * followed on the rollout page to its end (its hour-long soak ended there
 * by the guest, with a reason), where the list says what it targeted. It
 * changes that cluster's coredns only.
 */

test.use({ viewport: { width: 1600, height: 1200 } });

const fleet = loadFleetFile(
  path.resolve(__dirname, '../../packages/aws-emulator/fleets/demo.yaml'),
);
const cluster = fleet.clusters.find(c => c.name === 'data-staging-euw1')!;
const ref = `resource:default/${cluster.name}-${cluster.region}-${cluster.accountId}`;
const from = cluster.addons.find(a => a.addonName === 'coredns')!.addonVersion;

test("an add-on wave: planned in the template with each cluster's from and to, run wave by wave, and named by its target on the rollout pages", async ({
  page,
}) => {
  test.setTimeout(300_000);
  await signIn(page);

  // The template's form, with the add-on target and the cluster chosen.
  const formData = {
    targetKind: 'addon',
    addonName: 'coredns',
    addonVersion: 'recommended',
    clusters: [ref],
  };
  await page.goto(
    `/create/templates/default/eks-wave-upgrade?formData=${encodeURIComponent(
      JSON.stringify(formData),
    )}`,
  );
  await expect(
    page.getByRole('heading', { name: 'Upgrade EKS clusters in waves' }),
  ).toBeVisible({ timeout: 30_000 });
  const plan = page.getByTestId('rollout-plan-preview');
  await expect(plan.getByTestId('rollout-plan-summary')).toContainText(
    '1 cluster(s) to coredns to the recommended version in 1 wave(s)',
    { timeout: 60_000 },
  );
  await expect(plan.getByTestId('rollout-plan-wave')).toContainText(
    `${cluster.name} (${from} → `,
  );

  // Started as the template would, by the same user.
  const token = await tokenOf(page);
  const headers = { authorization: `Bearer ${token}` };
  const refused = await page.request.post('/api/eks-fleet/rollouts/plan', {
    headers,
    data: {
      target: { kind: 'addon', name: 'coredns', version: 'v0.0.0-eksbuild.1' },
      selector: { clusters: [ref] },
      wavePolicy: { type: 'automatic' },
    },
  });
  expect(refused.status()).toBe(400);
  expect((await refused.json()).error.message).toContain(
    `${cluster.name}: EKS offers no coredns v0.0.0-eksbuild.1`,
  );
  const created = await page.request.post('/api/eks-fleet/rollouts', {
    headers,
    data: {
      title: 'coredns on data-staging-euw1',
      target: { kind: 'addon', name: 'coredns', version: 'recommended' },
      selector: { clusters: [ref] },
      // An hour's soak, which the test ends from the rollout page.
      wavePolicy: {
        type: 'automatic',
        initialBakeSeconds: 3600,
        minBakeSeconds: 3600,
      },
    },
  });
  expect(created.status()).toBe(201);
  const rollout = await created.json();
  const to = rollout.waves[0].clusters[0].targetChange.to as string;
  expect(to).not.toBe(from);

  await page.goto(`/eks-fleet/rollouts/${rollout.id}`);
  await expect(page.getByTestId('rollout-target')).toContainText(
    'coredns to the recommended version',
  );
  await expect(page.getByTestId('cluster-target-change')).toHaveText(
    `${from} → ${to}`,
  );
  // The engine runs it: pre-checks, the add-on, post-checks, then the
  // wave soaks for an hour, which the guest ends on the page, saying why.
  await expect(
    page.getByRole('heading', { name: 'coredns on data-staging-euw1' }),
  ).toBeVisible();
  const endSoak = page.getByRole('button', { name: 'End soak' });
  await expect(endSoak).toBeVisible({ timeout: 180_000 });
  await endSoak.click();
  const dialog = page.getByRole('dialog');
  await expect(
    dialog.getByRole('button', { name: 'End the soak' }),
  ).toBeDisabled();
  await dialog
    .getByRole('textbox', { name: /Why\? \(kept in the event log\)/ })
    .fill('coredns is quiet on staging');
  await dialog.getByRole('button', { name: 'End the soak' }).click();
  await expect(
    page
      .getByText(
        /user:default\/guest ended the soak of wave-1 early \(\d+ s were left\): coredns is quiet on staging/,
      )
      .first(),
  ).toBeVisible({ timeout: 30_000 });
  await expect(async () => {
    const detail = await (
      await page.request.get(`/api/eks-fleet/rollouts/${rollout.id}`, {
        headers,
      })
    ).json();
    expect(detail.status).toBe('completed');
  }).toPass({ timeout: 240_000, intervals: [2_000] });
  await page.reload();
  await expect(page.getByText('completed').first()).toBeVisible();
  const events = (
    await (
      await page.request.get(`/api/eks-fleet/rollouts/${rollout.id}/events`, {
        headers,
      })
    ).json()
  ).items as Array<{ kind: string; message: string }>;
  expect(events.map(e => e.message)).toContainEqual(
    expect.stringContaining(`add-on coredns to ${to}: update`),
  );
  expect(events.filter(e => e.message.includes('control plane to'))).toEqual(
    [],
  );

  // The list says what it targeted.
  await page.goto('/eks-fleet/rollouts');
  const row = page
    .getByRole('row')
    .filter({ has: page.getByText('coredns on data-staging-euw1') });
  await expect(row.getByTestId('rollout-target')).toHaveText(
    'coredns to the recommended version',
  );
});
