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
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Typography from '@mui/material/Typography';
import useAsync from 'react-use/esm/useAsync';
import { eksFleetApiRef } from '../../api';

const SHOWN = 10;

/**
 * A notice on the fleet page while the catalog provider's deletion guard
 * holds back cluster deletions: which clusters, and why. Nothing when
 * none are held; a quiet line when the list cannot be read (an app
 * without the catalog module's routes).
 */
export function HeldDeletionsNotice() {
  const api = useApi(eksFleetApiRef);
  const state = useAsync(() => api.getHeldDeletions(), [api]);
  if (state.loading || !state.value || state.value.items.length === 0) {
    return null;
  }
  const { items } = state.value;
  const clusters = items.map(i => i.clusterKey.split('/').pop());
  return (
    <Alert severity="warning" data-testid="held-deletions">
      <AlertTitle>
        {items.length === 1
          ? '1 cluster deletion is held back'
          : `${items.length} cluster deletions are held back`}
      </AlertTitle>
      <Typography variant="body2">
        {items[0].reason}. The clusters stay in the catalog until a later
        complete read agrees or someone allowed to confirms it (POST
        /api/catalog/eks-fleet/held-deletions/confirm):{' '}
        {clusters.slice(0, SHOWN).join(', ')}
        {items.length > SHOWN ? ` and ${items.length - SHOWN} more` : ''}.
      </Typography>
    </Alert>
  );
}
