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

import { useApi } from '@backstage/frontend-plugin-api';
import { FleetSummary } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { eksFleetApiRef } from '../api';

/**
 * The fleet page's one aggregate request, asked once `ready`: the page asks
 * for its first rows first, so the backend answers them before it starts
 * on the summary.
 */
export function useFleetSummary(ready: boolean): {
  loading: boolean;
  error?: Error;
  value?: FleetSummary;
  retry: () => void;
} {
  const api = useApi(eksFleetApiRef);
  const state = useAsyncRetry(
    async () => (ready ? api.getFleetSummary() : undefined),
    [api, ready],
  );
  return { ...state, loading: state.loading || !ready };
}
