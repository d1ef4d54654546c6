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

import { DescribeClusterVersionsCommand, EKSClient } from '@aws-sdk/client-eks';
import { expect, Page, test } from '@playwright/test';
import {
  fleetBranches,
  fleetChange,
  fleetYaml,
} from './support/fleetRepository';
import { signIn } from './support/session';

/*
 * "Request an EKS cluster", end to end in Chromium against the end-to-end
 * server: the form offers the landing zones of the backend's config and
 * the Kubernetes versions the AWS emulator's EKS has in standard support
 * in the chosen region, the template checks and renders the request,
 * and the change lands as a commit on a new branch of the local fleet
 * repository (scripts/e2e-server.sh), which the test reads with git.
 */

const emulator = `http://127.0.0.1:${
  process.env.EKS_FLEET_E2E_EMULATOR_PORT ?? '4577'
}`;
const ACCOUNT = '268413095734';
const REGION = 'eu-west-1';
const NAME = `checkout-e2e-${Date.now().toString(36)}`;

async function standardSupportVersions(region: string): Promise<string[]> {
  const eks = new EKSClient({
    region,
    endpoint: emulator,
    maxAttempts: 2,
    credentials: {
      accessKeyId: 'AKIA481620937501E2E0',
      secretAccessKey: 'e2e',
    },
  });
  const out = await eks.send(new DescribeClusterVersionsCommand({}));
  return (out.clusterVersions ?? [])
    .filter(v => v.versionStatus === 'STANDARD_SUPPORT')
    .map(v => v.clusterVersion!)
    .sort((a, b) => Number(b.split('.')[1]) - Number(a.split('.')[1]));
}

/** An enum of the form (a select button named by its label and value). */
async function pick(page: Page, label: string, option: string) {
  await page.getByRole('button', { name: new RegExp(`^${label}`) }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/**
 * The landing zone field (EksLandingZonePicker): the account from the
 * landing zones the backend offers, then a region of that account.
 */
async function pickLandingZone(
  page: Page,
  account: string,
  region: string,
  expectedRegions?: string[],
) {
  const accountField = page.getByRole('combobox', { name: /^AWS account/ });
  const regionField = page.getByRole('combobox', { name: /^AWS region/ });
  await expect(accountField).not.toHaveAttribute('aria-disabled', 'true');
  await accountField.click();
  await page.getByRole('option', { name: account, exact: true }).click();
  await expect(regionField).not.toHaveAttribute('aria-disabled', 'true');
  await regionField.click();
  if (expectedRegions) {
    await expect(page.getByRole('listbox').getByRole('option')).toHaveText(
      expectedRegions,
    );
  }
  await page.getByRole('option', { name: region, exact: true }).click();
  await expect(regionField).toContainText(region);
}

test('a cluster request runs end to end and lands on a branch of the fleet repository', async ({
  page,
}, testInfo) => {
  test.setTimeout(240_000);
  const offered = await standardSupportVersions(REGION);
  expect(offered.length).toBeGreaterThan(0);
  await signIn(page);

  // The template is in the catalog once the catalog has read its location.
  await expect(async () => {
    await page.goto('/create/templates/default/eks-request-cluster');
    await expect(page.getByLabel('Cluster name')).toBeVisible({
      timeout: 5_000,
    });
  }).toPass({ timeout: 120_000, intervals: [2_000, 5_000] });

  await page.getByLabel('Cluster name').fill(NAME);
  // The accounts are the landing zones of app-config.yaml, named there,
  // and the regions those the chosen account has a landing zone in.
  await page.getByRole('combobox', { name: /^AWS account/ }).click();
  await expect(page.getByRole('listbox').getByRole('option')).toHaveText([
    'platform (481620937501)',
    'payments (735260918427)',
    `commerce (${ACCOUNT})`,
    'data (619384027751)',
    'sandbox (904512738860)',
  ]);
  await page.keyboard.press('Escape');
  await pickLandingZone(page, `commerce (${ACCOUNT})`, REGION, [
    'us-east-1',
    REGION,
    'ap-southeast-2',
  ]);
  await page.screenshot({
    path: testInfo.outputPath('0-cluster-landing-zone.png'),
    fullPage: true,
  });
  await pick(page, 'Environment', 'staging');

  // The version field offers what EKS offers in the region, and starts on
  // EKS's default.
  const versionField = page.getByRole('combobox', {
    name: /^Kubernetes version/,
  });
  await expect(
    page.getByText(`The versions EKS has in standard support in ${REGION}`),
  ).toBeVisible();
  await versionField.click();
  const options = page.getByRole('listbox').getByRole('option');
  await expect(options).toHaveText(
    offered.map(v => new RegExp(`^Kubernetes ${v.replace('.', '\\.')}\\b`)),
  );
  await page.screenshot({
    path: testInfo.outputPath('1-cluster-versions.png'),
    fullPage: true,
  });
  await options.filter({ hasText: `Kubernetes ${offered[0]} ` }).click();
  await expect(versionField).toContainText(`Kubernetes ${offered[0]}`);
  await page.getByRole('button', { name: 'Next' }).click();

  // Ownership: the team from the catalog, and its system.
  await page.getByRole('textbox', { name: 'Owner' }).fill('checkout');
  await page
    .getByRole('option', { name: /^checkout-team|^Checkout/ })
    .first()
    .click();
  await page.getByRole('textbox', { name: 'System' }).fill('checkout');
  await page
    .getByRole('option', { name: /^checkout|^Checkout/ })
    .first()
    .click();
  await page.screenshot({
    path: testInfo.outputPath('2-cluster-ownership.png'),
    fullPage: true,
  });
  await page.getByRole('button', { name: 'Next' }).click();

  // Node pools and add-ons: the default pool, the default add-ons and
  // metrics-server.
  await page.getByRole('checkbox', { name: 'metrics-server' }).check();
  await page.screenshot({
    path: testInfo.outputPath('3-cluster-node-pools.png'),
    fullPage: true,
  });
  await page.getByRole('button', { name: 'Review' }).click();
  await page.screenshot({
    path: testInfo.outputPath('4-cluster-review.png'),
    fullPage: true,
  });
  await page.getByRole('button', { name: 'Create' }).click();

  await expect(page.getByText('Fleet repository change')).toBeVisible({
    timeout: 60_000,
  });
  await expect(
    page.getByText(`EKS cluster ${NAME} in ${ACCOUNT}, ${REGION}`).first(),
  ).toBeVisible();
  await page.screenshot({
    path: testInfo.outputPath('5-cluster-done.png'),
    fullPage: true,
  });

  // The commit on its own branch of the fleet repository, with the files.
  const branch = fleetBranches().find(b =>
    b.startsWith(`eks-fleet/cluster-${NAME}-`),
  );
  expect(branch).toBeDefined();
  const change = fleetChange(branch!);
  expect(change.parentIsMain).toBe(true);
  expect(change.message).toContain(
    `EKS cluster ${NAME} in ${ACCOUNT}, ${REGION}`,
  );
  expect(change.message).toContain('requested by `user:default/guest`');
  const folder = `clusters/${ACCOUNT}/${REGION}/${NAME}`;
  expect(change.files.sort()).toEqual(
    [
      'cluster-request.yaml',
      'control-plane/addons.yaml',
      'control-plane/cluster.yaml',
      'control-plane/kustomization.yaml',
      'control-plane/system-nodegroup.yaml',
      'karpenter/ec2nodeclass.yaml',
      'karpenter/kustomization.yaml',
      'karpenter/nodepools.yaml',
    ].map(f => `${folder}/${f}`),
  );

  const [cluster] = fleetYaml(branch!, `${folder}/control-plane/cluster.yaml`);
  expect(cluster).toMatchObject({
    apiVersion: 'eks.services.k8s.aws/v1alpha1',
    kind: 'Cluster',
    metadata: {
      name: NAME,
      annotations: {
        'services.k8s.aws/owner-account-id': ACCOUNT,
        'services.k8s.aws/region': REGION,
      },
    },
    spec: {
      name: NAME,
      version: offered[0],
      roleARN: `arn:aws:iam::${ACCOUNT}:role/EksClusterRole`,
      tags: {
        team: 'checkout-team',
        system: 'checkout',
        environment: 'staging',
      },
    },
  });
  const addons = fleetYaml(branch!, `${folder}/control-plane/addons.yaml`);
  expect(addons.map(a => `${a.kind} ${a.spec.name}`)).toEqual([
    'Addon vpc-cni',
    'Addon coredns',
    'Addon kube-proxy',
    'Addon eks-pod-identity-agent',
    'Addon metrics-server',
  ]);
  for (const addon of addons) {
    expect(addon.spec.addonVersion).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
  }
  const [nodePool] = fleetYaml(branch!, `${folder}/karpenter/nodepools.yaml`);
  expect(nodePool).toMatchObject({
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name: 'general' },
    spec: { limits: { cpu: '64', memory: '256Gi' } },
  });
  expect(nodePool.spec.template.spec.requirements).toContainEqual({
    key: 'karpenter.k8s.aws/instance-family',
    operator: 'In',
    values: ['m6i', 'm7i'],
  });
  const [nodeClass] = fleetYaml(
    branch!,
    `${folder}/karpenter/ec2nodeclass.yaml`,
  );
  expect(nodeClass).toMatchObject({
    apiVersion: 'karpenter.k8s.aws/v1',
    kind: 'EC2NodeClass',
    spec: { role: 'KarpenterNodeRole' },
  });
});

test('a cluster request that breaks the rules is refused, naming the field', async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  await signIn(page);
  await expect(async () => {
    await page.goto('/create/templates/default/eks-request-cluster');
    await expect(page.getByLabel('Cluster name')).toBeVisible({
      timeout: 5_000,
    });
  }).toPass({ timeout: 120_000, intervals: [2_000, 5_000] });

  // A name the catalog knows in that account and region already.
  await page.getByLabel('Cluster name').fill('storefront-prod-euw1');
  await pickLandingZone(page, `commerce (${ACCOUNT})`, REGION);
  await expect(
    page.getByText(`The versions EKS has in standard support in ${REGION}`),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('textbox', { name: 'Owner' }).fill('storefront');
  await page
    .getByRole('option', { name: /^storefront-team|^Storefront/ })
    .first()
    .click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Review' }).click();
  const before = fleetBranches();
  await page.getByRole('button', { name: 'Create' }).click();

  await expect(
    page
      .getByText(
        `name: account ${ACCOUNT} has a cluster storefront-prod-euw1 in ${REGION} already`,
      )
      .first(),
  ).toBeVisible({ timeout: 60_000 });
  await page.screenshot({
    path: testInfo.outputPath('cluster-refused.png'),
    fullPage: true,
  });
  expect(fleetBranches()).toEqual(before);
});
