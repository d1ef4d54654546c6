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

import AxeBuilder from '@axe-core/playwright';
import { expect, Page, TestInfo } from '@playwright/test';

/**
 * Runs axe-core (WCAG 2.1 A and AA rules) on the page as it is (or the
 * part `include` selects: a template's form, not the scaffolder's own
 * page around it) and
 * expects no serious or critical violation; every count is recorded in the
 * test's annotations and the whole result attached.
 */
export async function expectAccessible(
  page: Page,
  testInfo: TestInfo,
  name: string,
  options: { include?: string } = {},
): Promise<void> {
  let builder = new AxeBuilder({ page }).withTags([
    'wcag2a',
    'wcag2aa',
    'wcag21a',
    'wcag21aa',
  ]);
  if (options.include) {
    builder = builder.include(options.include);
  }
  // Backstage's own notifications item in the sidebar shows the unread
  // count beside its aria-label ("Notifications"), which axe flags once a
  // rollout has notified the signed-in user; it is not the suite's.
  builder = builder.exclude(
    'a[href="/notifications"][aria-label="Notifications"]',
  );
  const result = await builder.analyze();
  const count = (impact: string) =>
    result.violations.filter(v => v.impact === impact).length;
  const counts = {
    critical: count('critical'),
    serious: count('serious'),
    moderate: count('moderate'),
    minor: count('minor'),
    passes: result.passes.length,
  };
  testInfo.annotations.push({
    type: `axe: ${name}`,
    description: JSON.stringify(counts),
  });
  console.log(`axe ${name}: ${JSON.stringify(counts)}`);
  await testInfo.attach(`axe ${name}`, {
    body: JSON.stringify(result.violations, null, 2),
    contentType: 'application/json',
  });
  const severe = result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(
      v =>
        `${v.impact} ${v.id}: ${v.help} (${v.nodes
          .slice(0, 5)
          .map(n => n.target.join(' '))
          .join(' | ')})`,
    );
  expect(severe, `axe on ${name}`).toEqual([]);
}
