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

import { expect, Page, test } from '@playwright/test';
import {
  fleetBranches,
  fleetChange,
  fleetYaml,
} from './support/fleetRepository';
import { signIn } from './support/session';

/*
 * "Request a Kubernetes namespace", end to end in Chromium against the
 * end-to-end server: the template checks the request against the cluster
 * entity's node groups, commits the namespace's manifests on a new branch
 * of the local fleet repository, and registers the namespace's entity from
 * that branch, so the catalog shows it depending on its cluster.
 */

const ACCOUNT = '268413095734';
const REGION = 'eu-west-1';
const CLUSTER_NAME = 'storefront-prod-euw1';
const CLUSTER = `${CLUSTER_NAME}-${REGION}-${ACCOUNT}`;
const NAMESPACE = `shop-${Date.now().toString(36)}`;

async function openTemplate(page: Page) {
  // The template and the clusters are in the catalog once it has read them.
  await expect(async () => {
    await page.goto(`/catalog/default/resource/${CLUSTER}`);
    await expect(
      page.getByRole('heading', { name: CLUSTER_NAME, exact: true }),
    ).toBeVisible({
      timeout: 5_000,
    });
    await page.goto('/create/templates/default/eks-request-namespace');
    await expect(page.getByLabel('Namespace name')).toBeVisible({
      timeout: 5_000,
    });
  }).toPass({ timeout: 150_000, intervals: [2_000, 5_000] });
}

async function fillFirstStep(page: Page, namespace: string) {
  await page.getByRole('textbox', { name: 'Cluster' }).fill(CLUSTER_NAME);
  await page
    .getByRole('option', { name: new RegExp(CLUSTER_NAME) })
    .first()
    .click();
  await page.getByLabel('Namespace name').fill(namespace);
  await page.getByRole('textbox', { name: 'Owner team' }).fill('storefront');
  await page
    .getByRole('option', { name: /^storefront-team|^Storefront/ })
    .first()
    .click();
}

test('a namespace request lands on a branch of the fleet repository and in the catalog, depending on its cluster', async ({
  page,
  request,
}, testInfo) => {
  test.setTimeout(240_000);
  await signIn(page);
  await openTemplate(page);

  await fillFirstStep(page, NAMESPACE);
  await page.screenshot({
    path: testInfo.outputPath('1-namespace.png'),
    fullPage: true,
  });
  await page.getByRole('button', { name: 'Next' }).click();

  await page.getByLabel('CPU quota (requests of all pods)').fill('6');
  await page.getByLabel('Memory quota (requests of all pods)').fill('12Gi');
  await page.getByLabel('Pods at most').fill('80');
  await page.screenshot({
    path: testInfo.outputPath('2-namespace-quota.png'),
    fullPage: true,
  });
  await page.getByRole('button', { name: 'Review' }).click();
  await page.screenshot({
    path: testInfo.outputPath('3-namespace-review.png'),
    fullPage: true,
  });
  await page.getByRole('button', { name: 'Create' }).click();

  await expect(page.getByText('Fleet repository change')).toBeVisible({
    timeout: 60_000,
  });
  await expect(
    page.getByText(`Namespace ${NAMESPACE} on ${CLUSTER_NAME}`).first(),
  ).toBeVisible();
  await page.screenshot({
    path: testInfo.outputPath('4-namespace-done.png'),
    fullPage: true,
  });

  // The commit, on a new branch from main, with the namespace's files.
  const branch = fleetBranches().find(b =>
    b.startsWith(`eks-fleet/namespace-${NAMESPACE}-${CLUSTER_NAME}-`),
  );
  expect(branch).toBeDefined();
  const change = fleetChange(branch!);
  expect(change.parentIsMain).toBe(true);
  const folder = `clusters/${ACCOUNT}/${REGION}/${CLUSTER_NAME}/namespaces/${NAMESPACE}`;
  expect(change.files.sort()).toEqual(
    [
      'catalog-info.yaml',
      'kustomization.yaml',
      'limit-range.yaml',
      'namespace.yaml',
      'network-policy.yaml',
      'resource-quota.yaml',
      'role-binding.yaml',
    ].map(f => `${folder}/${f}`),
  );
  const [quota] = fleetYaml(branch!, `${folder}/resource-quota.yaml`);
  expect(quota).toMatchObject({
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { namespace: NAMESPACE },
    spec: {
      hard: { 'requests.cpu': '6', 'requests.memory': '12Gi', pods: '80' },
    },
  });
  const [binding] = fleetYaml(branch!, `${folder}/role-binding.yaml`);
  expect(binding.subjects).toEqual([
    {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Group',
      name: 'storefront-team',
    },
  ]);
  const [policy] = fleetYaml(branch!, `${folder}/network-policy.yaml`);
  expect(policy).toMatchObject({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
  });

  // The namespace in the catalog, owned by the team, depending on its
  // cluster. catalog:register adds the location; the catalog processes it
  // on its next pass, seconds later while it is busy with the fleet.
  await page.getByRole('link', { name: 'Namespace in the catalog' }).click();
  await expect(async () => {
    await page.reload();
    await expect(
      page.getByRole('heading', {
        name: `${NAMESPACE} on ${CLUSTER_NAME}`,
        exact: true,
      }),
    ).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 120_000, intervals: [1_000, 2_000, 5_000] });
  await expect(page.getByText('kubernetes-namespace').first()).toBeVisible();
  await expect(page.getByText('Storefront').first()).toBeVisible();
  // Its relations graph has the cluster it depends on, once the catalog has
  // stitched the relations.
  await expect(async () => {
    await page.reload();
    await expect(
      page.locator('svg').getByText(CLUSTER_NAME, { exact: true }),
    ).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 90_000, intervals: [2_000, 5_000] });
  await page.screenshot({
    path: testInfo.outputPath('5-namespace-entity.png'),
    fullPage: true,
  });

  // And the cluster's graph has the namespace that depends on it: what the
  // blast radius follows.
  await page.goto(`/catalog/default/resource/${CLUSTER}`);
  await expect(
    page
      .locator('svg')
      .getByText(`${NAMESPACE} on ${CLUSTER_NAME}`, { exact: true }),
  ).toBeVisible({ timeout: 30_000 });
  await page.screenshot({
    path: testInfo.outputPath('6-cluster-with-namespace.png'),
    fullPage: true,
  });

  // The cluster's blast radius (the eks-fleet backend's walk of the
  // catalog) has the namespace, owned by its team, one hop from the cluster.
  const { backstageIdentity } = await (
    await request.get('/api/auth/guest/refresh')
  ).json();
  const blastRadius = await request.get(
    `/api/eks-fleet/clusters/default/${CLUSTER}/blast-radius?depth=2`,
    { headers: { Authorization: `Bearer ${backstageIdentity.token}` } },
  );
  expect(blastRadius.status()).toBe(200);
  const { nodes } = await blastRadius.json();
  expect(nodes).toContainEqual(
    expect.objectContaining({
      entityRef: `resource:default/${NAMESPACE}.${CLUSTER}`,
      type: 'kubernetes-namespace',
      depth: 1,
    }),
  );
  expect(nodes).toContainEqual(
    expect.objectContaining({ entityRef: 'group:default/storefront-team' }),
  );
});

test('a namespace request with a reserved name, or more than the cluster holds, is refused naming the field', async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  await signIn(page);
  await openTemplate(page);

  await fillFirstStep(page, 'kube-system');
  await page.getByRole('button', { name: 'Next' }).click();
  // storefront-prod-euw1: 20 x c6i.xlarge at most, about 78 CPUs for pods.
  await page.getByLabel('CPU quota (requests of all pods)').fill('500');
  await page.getByRole('button', { name: 'Review' }).click();
  const before = fleetBranches();
  await page.getByRole('button', { name: 'Create' }).click();

  await expect(
    page.getByText(/namespace: "kube-system" is reserved/).first(),
  ).toBeVisible({
    timeout: 60_000,
  });
  await expect(
    page
      .getByText(/quota\.cpu: 500 CPUs do not fit on storefront-prod-euw1/)
      .first(),
  ).toBeVisible();
  await page.screenshot({
    path: testInfo.outputPath('namespace-refused.png'),
    fullPage: true,
  });
  expect(fleetBranches()).toEqual(before);
});
