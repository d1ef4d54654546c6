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
  ApiBlueprint,
  ApiRef,
  discoveryApiRef,
  DiscoveryApi,
  fetchApiRef,
  FetchApi,
} from '@backstage/frontend-plugin-api';

/**
 * An API of the plugin whose client is built on the discovery and fetch
 * APIs, as every client of the plugin is.
 */
export function clientApi<TApi, TName extends string | undefined = undefined>(
  api: ApiRef<TApi>,
  Client: new (options: {
    discoveryApi: DiscoveryApi;
    fetchApi: FetchApi;
  }) => TApi,
  name?: TName,
) {
  return ApiBlueprint.make({
    name,
    params: defineParams =>
      defineParams({
        api,
        deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
        factory: ({ discoveryApi, fetchApi }) =>
          new Client({ discoveryApi, fetchApi }),
      }),
  });
}
