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
import { signIn } from './support/session';

const PLATFORM_PROD = 'platform-prod-use1-us-east-1-481620937501';

/**
 * The table headers whose words the browser broke across lines: for each
 * word of each header, a range over its letters must lie on one line.
 */
async function brokenHeaderWords(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const broken: string[] = [];
    for (const th of Array.from(document.querySelectorAll('th'))) {
      const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        for (const match of text.matchAll(/\S+/g)) {
          const range = document.createRange();
          range.setStart(node, match.index!);
          range.setEnd(node, match.index! + match[0].length);
          const lines = new Set(
            Array.from(range.getClientRects())
              .filter(r => r.width > 0)
              .map(r => Math.round(r.top)),
          );
          if (lines.size > 1) {
            broken.push(match[0]);
          }
        }
      }
    }
    return broken;
  });
}

test('no table header breaks inside a word, from 1280 px wide up', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page);
  await expect(async () => {
    await page.goto('/eks-fleet');
    await expect(page.getByTestId('fleet-row').first()).toBeVisible({
      timeout: 5_000,
    });
  }).toPass({ timeout: 180_000, intervals: [2_000, 5_000] });
  const pages = [
    '/eks-fleet',
    `/catalog/default/resource/${PLATFORM_PROD}/blast-radius`,
    `/catalog/default/resource/${PLATFORM_PROD}/eks`,
    `/eks-fleet?view=blast-radius&cluster=${encodeURIComponent(
      `resource:default/${PLATFORM_PROD}`,
    )}`,
  ];
  for (const path of pages) {
    await page.goto(path);
    await expect(page.locator('th').first()).toBeVisible({
      timeout: 60_000,
    });
    await expect(page.getByRole('progressbar')).toHaveCount(0, {
      timeout: 30_000,
    });
    for (const width of [1280, 1366, 1440, 1600, 1920]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await brokenHeaderWords(page), `${path} at ${width} px`).toEqual(
        [],
      );
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }
});
