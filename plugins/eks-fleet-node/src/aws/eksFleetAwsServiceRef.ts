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

import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { AwsClientFactory } from './AwsClientFactory';

/**
 * The AWS layer of EKS Fleet, one per backend process: every plugin and
 * module of the suite takes it as a dependency for its AWS clients, so the
 * clients' connection pools, adaptive-retry state, timeouts and the
 * credentials of each account are shared by all of them. Its default
 * factory reads `eksFleet.aws` and the `aws` integration config once.
 *
 * @public
 */
export const eksFleetAwsServiceRef = createServiceRef<AwsClientFactory>({
  id: 'eks-fleet.aws',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      // Built when the first plugin that calls AWS starts, not before.
      initialization: 'lazy',
      deps: { config: coreServices.rootConfig },
      factory: ({ config }) => AwsClientFactory.fromConfig(config),
    }),
});
