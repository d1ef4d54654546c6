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
import fs from 'node:fs';
import { signIn } from './support/session';

// A platform lead's screen.
test.use({ viewport: { width: 1600, height: 1200 } });

const PLATFORM_PROD = 'platform-prod-use1-us-east-1-481620937501';
// The cluster the end-to-end server's 500 generated workloads run on.
const SANDBOX = 'sandbox-data-euw1-eu-west-1-904512738860';

/** The graph's scale once it has settled (fit runs a frame after layout). */
async function settledScale(page: Page): Promise<number> {
  const viewport = page.locator('.react-flow__viewport');
  let last = '';
  await expect(async () => {
    const now = await viewport.evaluate(el => getComputedStyle(el).transform);
    const same = now === last;
    last = now;
    expect(same && now !== 'none').toBe(true);
  }).toPass({ timeout: 20_000, intervals: [300] });
  return viewport.evaluate(
    el => new DOMMatrixReadOnly(getComputedStyle(el).transform).a,
  );
}

/** Every node label's height on screen: its font size times the zoom it is drawn at. */
async function labelPixels(page: Page, selector: string): Promise<number[]> {
  return page
    .locator(`[data-testid="blast-canvas"] ${selector}`)
    .evaluateAll(elements =>
      elements.map(element => {
        const el = element as HTMLElement;
        const drawn = el.getBoundingClientRect().height / el.offsetHeight;
        return parseFloat(getComputedStyle(el).fontSize) * drawn;
      }),
    );
}

test('platform-prod-use1’s blast radius at depth 3 is readable at fit on a 1600x1200 screen, zooms, pans, goes full screen and exports', async ({
  page,
}, testInfo) => {
  test.setTimeout(240_000);
  await signIn(page);
  const workloads = page.getByTestId('blast-workloads');
  await expect(async () => {
    await page.goto(`/catalog/default/resource/${PLATFORM_PROD}/blast-radius`);
    await expect(workloads).not.toHaveText('0 workloads', { timeout: 5_000 });
    await expect(
      page.getByTestId(`blast-node-resource:default/${PLATFORM_PROD}`),
    ).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: 180_000, intervals: [2_000, 5_000] });

  const canvas = page.getByTestId('blast-canvas');
  const nodes = canvas.locator('[data-testid^="blast-node-"]');
  const drawn = await nodes.count();
  expect(drawn).toBeGreaterThan(20);
  expect(drawn).toBeLessThanOrEqual(61);
  const scale = await settledScale(page);
  const labels = await labelPixels(page, '.blast-node-label');
  const sublabels = await labelPixels(page, '.blast-node-sublabel');
  expect(labels).toHaveLength(drawn);
  const box = (await canvas.boundingBox())!;
  const figures = {
    nodes: drawn,
    canvas: `${Math.round(box.width)}x${Math.round(box.height)}`,
    scale: Number(scale.toFixed(3)),
    smallestLabelPx: Number(Math.min(...labels).toFixed(2)),
    smallestSublabelPx: Number(Math.min(...sublabels).toFixed(2)),
  };
  testInfo.annotations.push({
    type: 'blast-radius labels at fit',
    description: JSON.stringify(figures),
  });
  console.log(
    `blast radius of platform-prod-use1 at fit: ${JSON.stringify(figures)}`,
  );
  expect(Math.min(...labels)).toBeGreaterThanOrEqual(11);
  expect(Math.min(...sublabels)).toBeGreaterThanOrEqual(11);
  // Every node is inside the canvas at fit.
  for (const node of await nodes.all()) {
    const b = (await node.boundingBox())!;
    expect(b.x).toBeGreaterThanOrEqual(box.x - 1);
    expect(b.y).toBeGreaterThanOrEqual(box.y - 1);
    expect(b.x + b.width).toBeLessThanOrEqual(box.x + box.width + 1);
    expect(b.y + b.height).toBeLessThanOrEqual(box.y + box.height + 1);
  }

  // Hovering a downstream cluster lights its paths back to the cluster.
  const downstream = canvas
    .locator('[data-testid^="blast-node-resource:"]')
    .filter({ hasNotText: 'platform-prod-use1' })
    .first();
  await downstream.hover();
  await expect(downstream).toHaveAttribute('data-highlight', 'path');
  await expect(
    canvas.getByTestId(`blast-node-resource:default/${PLATFORM_PROD}`),
  ).toHaveAttribute('data-highlight', 'path');
  expect(
    await canvas.locator('[data-highlight="dim"]').count(),
  ).toBeGreaterThan(0);
  await page.mouse.move(box.x + 5, box.y + box.height - 5);
  await expect(canvas.locator('[data-highlight="dim"]')).toHaveCount(0);

  // Zoom in, pan by dragging the background, fit again.
  const toolbar = page.getByRole('toolbar', { name: 'Graph view' });
  await toolbar.getByRole('button', { name: 'Zoom in' }).click();
  await expect.poll(() => settledScale(page)).toBeGreaterThan(scale * 1.1);
  const before = await page
    .locator('.react-flow__viewport')
    .evaluate(el => new DOMMatrixReadOnly(getComputedStyle(el).transform).e);
  await page.mouse.move(box.x + 8, box.y + 8);
  await page.mouse.down();
  await page.mouse.move(box.x + 208, box.y + 58, { steps: 5 });
  await page.mouse.up();
  const after = await page
    .locator('.react-flow__viewport')
    .evaluate(el => new DOMMatrixReadOnly(getComputedStyle(el).transform).e);
  expect(after - before).toBeGreaterThan(150);
  await toolbar.getByRole('button', { name: 'Fit to screen' }).click();
  await expect.poll(() => settledScale(page)).toBeCloseTo(scale, 2);

  // Full screen, and back.
  await toolbar.getByRole('button', { name: 'Full screen' }).click();
  await expect
    .poll(() => page.evaluate(() => Boolean(document.fullscreenElement)))
    .toBe(true);
  await expect(
    toolbar.getByRole('button', { name: 'Exit full screen' }),
  ).toBeVisible();
  await toolbar.getByRole('button', { name: 'Exit full screen' }).click();
  await expect
    .poll(() => page.evaluate(() => Boolean(document.fullscreenElement)))
    .toBe(false);

  // Export as SVG and PNG.
  const [svgDownload] = await Promise.all([
    page.waitForEvent('download'),
    toolbar.getByRole('button', { name: 'Export SVG' }).click(),
  ]);
  expect(svgDownload.suggestedFilename()).toBe(
    'blast-radius-platform-prod-use1.svg',
  );
  const svg = fs.readFileSync((await svgDownload.path())!, 'utf8');
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  expect(svg.match(/<g transform=/g)?.length).toBe(drawn);
  const [pngDownload] = await Promise.all([
    page.waitForEvent('download'),
    toolbar.getByRole('button', { name: 'Export PNG' }).click(),
  ]);
  expect(pngDownload.suggestedFilename()).toBe(
    'blast-radius-platform-prod-use1.png',
  );
  const png = fs.readFileSync((await pngDownload.path())!);
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  expect(png.readUInt32BE(16)).toBeGreaterThan(1000); // width, at 2x
  await testInfo.attach('blast radius export', {
    body: png,
    contentType: 'image/png',
  });

  // A workload's node opens its page.
  const workload = canvas
    .locator('[data-testid^="blast-node-component:"]')
    .first();
  const ref = (await workload.getAttribute('data-testid'))!.replace(
    'blast-node-',
    '',
  );
  await workload.click();
  await expect(page).toHaveURL(
    new RegExp(`/catalog/default/component/${ref.split('/')[1]}$`),
  );
});

test('500 generated dependents fold into groups with their counts, which open and fold on click', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await signIn(page);
  const workloads = page.getByTestId('blast-workloads');
  await expect(async () => {
    await page.goto(`/catalog/default/resource/${SANDBOX}/blast-radius`);
    await expect(workloads).toHaveText('500 workloads', { timeout: 5_000 });
  }).toPass({ timeout: 180_000, intervals: [2_000, 5_000] });
  const canvas = page.getByTestId('blast-canvas');
  const nodes = canvas.locator('[data-testid^="blast-node-"]');
  // The cluster, the workloads of each depth, the teams.
  await expect(nodes).toHaveCount(5);
  const depth2 = canvas.getByTestId('blast-node-group:workload:2');
  await expect(depth2).toContainText('200 workloads');
  await expect(depth2).toContainText('at depth 2');
  await expect(canvas.getByTestId('blast-node-group:workload:1')).toContainText(
    '100 workloads',
  );
  await expect(canvas.getByTestId('blast-node-group:team')).toContainText(
    '8 teams',
  );

  // Open depth 2: 60 of its workloads, the other 140 as one node.
  await depth2.click();
  await expect(
    canvas.getByTestId('blast-node-group:workload:2:rest'),
  ).toContainText('140 workloads more');
  await expect(
    canvas.locator(
      '[data-testid^="blast-node-component:default/generated-d2-"]',
    ),
  ).toHaveCount(60);
  await expect(nodes).toHaveCount(4 + 60 + 1);
  // Its labels stay readable at fit.
  await settledScale(page);
  expect(
    Math.min(...(await labelPixels(page, '.blast-node-label'))),
  ).toBeGreaterThanOrEqual(8);

  // Fold it again.
  await canvas.getByTestId('blast-node-group:workload:2:rest').click();
  await expect(nodes).toHaveCount(5);
  await expect(page.getByText('1–20 of 508')).toBeVisible();
});
