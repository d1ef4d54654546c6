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
  CompoundEntityRef,
  getCompoundEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { EksFleetApi, eksFleetApiRef } from '../api';

/**
 * Asks the EKS Fleet API about the entity of the page: loading, failed (with
 * a retry) or answered; asks again when the entity or `deps` change.
 */
export function useEntityAnswer<T>(
  ask: (api: EksFleetApi, entity: CompoundEntityRef) => Promise<T>,
  deps: unknown[] = [],
) {
  const { entity } = useEntity();
  const api = useApi(eksFleetApiRef);
  const ref = getCompoundEntityRef(entity);
  return useAsyncRetry(
    () => ask(api, ref),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, ref.kind, ref.namespace, ref.name, ...deps],
  );
}
