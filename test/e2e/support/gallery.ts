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

import { Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';

/**
 * When EKS_FLEET_GALLERY names a folder (scripts/screenshots.sh sets it),
 * the page as a person sees it is saved there for the README's gallery.
 */
export async function galleryShot(page: Page, name: string): Promise<void> {
  const folder = process.env.EKS_FLEET_GALLERY;
  if (!folder) {
    return;
  }
  fs.mkdirSync(folder, { recursive: true });
  await page.screenshot({
    path: path.join(folder, `${name}.png`),
    animations: 'disabled',
    caret: 'hide',
  });
}
