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
import fs from 'node:fs';
import path from 'node:path';

// Every Component the demo's catalog locations hold.
function demoComponentCount(): number {
  const examples = path.resolve(__dirname, '../../examples');
  const files = [
    path.join(examples, 'entities.yaml'),
    ...fs
      .readdirSync(path.join(examples, 'demo'))
      .map(f => path.join(examples, 'demo', f)),
  ];
  // The end-to-end server's generated workloads (scripts/lib/e2e-generated-catalog.js).
  const generated = path.resolve(
    __dirname,
    '../../test-results/e2e-generated-catalog.yaml',
  );
  if (!process.env.EKS_FLEET_E2E_URL && fs.existsSync(generated)) {
    files.push(generated);
  }
  return files
    .map(
      f => fs.readFileSync(f, 'utf8').match(/^kind: Component$/gm)?.length ?? 0,
    )
    .reduce((a, b) => a + b, 0);
}

test('a guest signs in and reaches the catalog', async ({ page }, testInfo) => {
  await page.goto('/');

  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible();
  await enter.click();

  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await expect(
    nav.getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();

  // The catalog is the landing page; its table lists what the demo's
  // catalog locations hold, read from the backend.
  await expect(
    page.getByRole('heading', { name: /EKS Fleet Demo Catalog/ }),
  ).toBeVisible();
  // The guest is a member of platform-team (examples/demo/org.yaml): once the
  // catalog has read that, the list opens on "Owned"; ask for all of it.
  await page.goto('/?filters%5Bkind%5D=component&filters%5Buser%5D=all');
  await expect(
    page.getByText(`All components (${demoComponentCount()})`),
  ).toBeVisible();
  // The list pages by 20: find one by its name.
  await page.getByRole('textbox', { name: 'Search' }).fill('example-website');
  await expect(
    page.getByRole('link', { name: 'example-website' }),
  ).toBeVisible();

  await page.screenshot({
    path: testInfo.outputPath('catalog.png'),
    fullPage: true,
  });
});

test('the backend refuses unauthenticated API calls', async ({ request }) => {
  const res = await request.get('/api/catalog/entities');
  expect(res.status()).toBe(401);
});

// The demo is opened as localhost or as 127.0.0.1 alike: the backend allows
// both origins (backend.cors.origin), so the guest signs in from either.
for (const host of ['localhost', '127.0.0.1']) {
  test(`a guest signs in from http://${host}`, async ({ page, baseURL }) => {
    const url = new URL(baseURL!);
    url.hostname = host;
    await page.goto(url.toString());
    await page.getByRole('button', { name: 'Enter' }).click();
    await expect(
      page
        .getByRole('navigation', { name: 'sidebar nav' })
        .getByRole('link', { name: 'Catalog', exact: true }),
    ).toBeVisible();
    await expect(page.getByText(/cannot sign in/i)).toHaveCount(0);
    await expect(
      page.getByRole('heading', { name: /EKS Fleet Demo Catalog/ }),
    ).toBeVisible();
  });
}
