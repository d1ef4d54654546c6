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

/** The end-to-end server's port (scripts/e2e-server.sh), and its emulator's. */
export const E2E_PORT = Number(process.env.EKS_FLEET_E2E_PORT ?? 7017);
export const E2E_EMULATOR_PORT = Number(
  process.env.EKS_FLEET_E2E_EMULATOR_PORT ?? 4577,
);

/**
 * The second server, one port up, whose guest is a member of the payments
 * team rather than the platform team: the permission tests sign in there.
 */
export const TEAM_MEMBER_URL =
  process.env.EKS_FLEET_E2E_TEAM_MEMBER_URL ??
  `http://localhost:${E2E_PORT + 1}`;

/**
 * The GitOps stand-in of the team member's server (Argo CD's read API): its
 * rollouts go through its fleet repository (app-config.e2e-gitops.yaml).
 */
export const TEAM_MEMBER_GITOPS_URL = `http://127.0.0.1:${Number(
  process.env.EKS_FLEET_E2E_GITOPS_PORT ?? 4581,
)}`;
