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

/**
 * One backend replica of the chaos benchmark, in a process of its own so
 * that the benchmark can kill it with SIGKILL: the real backend system
 * (createBackend) with the catalog, the EKS Fleet provider and the
 * eks-fleet plugin, on the PostgreSQL and the config file the benchmark
 * gives.
 *
 *   tsx test/bench/rolloutChaosBackend.ts --config <file>
 */

import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@eks-fleet/backstage-plugin-catalog-backend-module-eks-fleet'),
);
backend.add(import('@eks-fleet/backstage-plugin-eks-fleet-backend'));
backend.start();
