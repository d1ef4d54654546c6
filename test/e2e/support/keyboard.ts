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

import { expect, Page } from '@playwright/test';

/** What the focused element is called: its label, or its text. */
export async function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) {
      return '';
    }
    const labelled = el.getAttribute('aria-labelledby');
    const byId = labelled
      ? labelled
          .split(/\s+/)
          .map(id => document.getElementById(id)?.textContent ?? '')
          .join(' ')
      : '';
    // A control's own text names it; a container's (the page, a form) does not.
    const named = el.matches(
      'button, a, summary, [role="button"], [role="link"], [role="tab"], [role="menuitem"], [role="option"], [role="checkbox"]',
    );
    const label =
      el.getAttribute('aria-label') ??
      (byId ||
        ((el as HTMLInputElement).labels?.[0]?.textContent ?? '') ||
        (named ? el.textContent : '') ||
        '');
    return label.replace(/\s+/g, ' ').trim();
  });
}

/**
 * Presses Tab (Shift+Tab backwards) until the focused element's name
 * matches, as a keyboard user would; fails after `max` presses.
 */
export async function tabTo(
  page: Page,
  name: RegExp,
  options: { max?: number; backwards?: boolean } = {},
): Promise<void> {
  const max = options.max ?? 250;
  for (let i = 0; i < max; i++) {
    if (name.test(await focusedName(page))) {
      return;
    }
    await page.keyboard.press(options.backwards ? 'Shift+Tab' : 'Tab');
  }
  expect(await focusedName(page), `Tab never reached ${name}`).toMatch(name);
}
