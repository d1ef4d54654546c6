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

import { getCompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  ClusterInsightKind,
  ClusterInsightResponses,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { eksFleetApiRef } from '../api';

/** One card's answer for the entity of the page, loading, failed or there. */
export interface ClusterInsightState<K extends ClusterInsightKind> {
  loading: boolean;
  error?: Error;
  value?: ClusterInsightResponses[K];
  retry: () => void;
}

/**
 * Asks the backend for one card of the current entity's cluster page. Each
 * card asks on its own, so a slow or failing source holds up only its card.
 */
export function useClusterInsight<K extends ClusterInsightKind>(
  kind: K,
): ClusterInsightState<K> {
  const { entity } = useEntity();
  const api = useApi(eksFleetApiRef);
  const { namespace, name } = getCompoundEntityRef(entity);
  const { loading, error, value, retry } = useAsyncRetry(
    () => api.getClusterInsight({ kind: 'resource', namespace, name }, kind),
    [api, namespace, name, kind],
  );
  return { loading, error, value, retry };
}
