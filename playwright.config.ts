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

import { defineConfig } from '@playwright/test';
import {
  E2E_EMULATOR_PORT,
  E2E_PORT,
  TEAM_MEMBER_GITOPS_URL,
  TEAM_MEMBER_URL,
} from './test/e2e/support/servers';

// End-to-end tests drive Debian's Chromium (never a browser Playwright
// downloads) against the real backend, which serves the built app.
// EKS_FLEET_E2E_PORT moves the server (scripts/e2e-server.sh reads it too).
const port = E2E_PORT;
const emulatorPort = E2E_EMULATOR_PORT;
const baseURL = process.env.EKS_FLEET_E2E_URL ?? `http://localhost:${port}`;

export default defineConfig({
  testDir: 'test/e2e',
  timeout: 120_000,
  expect: {
    timeout: 30_000,
    // Visual regression (visual.test.ts): baselines made with Debian's
    // Chromium here; a per-pixel threshold and a share of differing pixels
    // that font hinting and anti-aliasing stay within, layout changes not.
    toHaveScreenshot: {
      threshold: 0.3,
      maxDiffPixelRatio: 0.01,
      animations: 'disabled',
      caret: 'hide',
    },
  },
  // One baseline per test file and name, shared by every machine (the
  // browser is always Debian's Chromium).
  snapshotPathTemplate: 'test/e2e/__screenshots__/{testFileName}/{arg}{ext}',
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  reporter: [
    ['list'],
    ['json'],
    ['html', { open: 'never', outputFolder: 'test-results/e2e-report' }],
  ],
  outputDir: 'test-results/e2e',
  webServer: process.env.EKS_FLEET_E2E_URL
    ? []
    : [
        {
          // Builds the app, then starts the backend that serves it.
          command: 'bash scripts/e2e-server.sh',
          url: `${baseURL}/.backstage/health/v1/readiness`,
          reuseExistingServer: false,
          timeout: 300_000,
          stdout: 'ignore',
          stderr: 'pipe',
          // Only the second server has a GitOps stand-in: a port set in the
          // environment (a second checkout running its own e2e tests) moves
          // that one, and does not start a second on the same port here.
          env: { EKS_FLEET_E2E_GITOPS_PORT: '' },
        },
        {
          // Started once the first is up, serving the app it built. Its
          // rollouts go through its fleet repository, applied to its
          // emulator by the GitOps stand-in (wave-upgrade-gitops.test.ts),
          // whose EKS updates take 2 s rather than 20.
          command: 'bash scripts/e2e-server.sh',
          url: `${TEAM_MEMBER_URL}/.backstage/health/v1/readiness`,
          reuseExistingServer: false,
          timeout: 300_000,
          stdout: 'ignore',
          stderr: 'pipe',
          env: {
            EKS_FLEET_E2E_PORT: String(port + 1),
            EKS_FLEET_E2E_EMULATOR_PORT: String(emulatorPort + 1),
            EKS_FLEET_E2E_INSTANCE: 'team-member',
            EKS_FLEET_E2E_SKIP_BUILD: '1',
            EKS_FLEET_E2E_GUEST: 'user:default/priya.natarajan',
            EKS_FLEET_E2E_GUEST_GROUPS: 'group:default/payments-team',
            EKS_FLEET_E2E_GITOPS_PORT: new URL(TEAM_MEMBER_GITOPS_URL).port,
            AWS_EMULATOR_UPDATE_DELAY_MS: '2000',
          },
        },
      ],
  use: {
    baseURL,
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
});
