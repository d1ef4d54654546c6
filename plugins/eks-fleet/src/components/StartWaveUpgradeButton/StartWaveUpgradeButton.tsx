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
import { AUTOMATIC_STRATEGY_NAME } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { rolloutsApiRef } from '../../api/rollouts';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import { StrategyPicker } from '../RolloutStrategies/StrategyPicker';

/** Where the "Upgrade EKS clusters in waves" template opens. */
export const WAVE_UPGRADE_TEMPLATE_PATH =
  '/create/templates/default/eks-wave-upgrade';

/**
 * The template's fields to fill in ahead, as the scaffolder reads them
 * from its page's `formData` query parameter.
 *
 * @public
 */
export interface WaveUpgradeFormData {
  /** The clusters ticked in the template's cluster picker, by entity ref. */
  clusters?: string[];
  targetVersion?: string;
  /** The saved rollout strategy; default automatic. */
  strategy?: string;
}

/** The template's page, with `formData` filled in ahead when given. */
export function waveUpgradeTemplateHref(formData?: WaveUpgradeFormData) {
  return formData
    ? `${WAVE_UPGRADE_TEMPLATE_PATH}?${new URLSearchParams({
        formData: JSON.stringify(formData),
      })}`
    : WAVE_UPGRADE_TEMPLATE_PATH;
}

/**
 * "Start a wave upgrade" beside a pick of the saved strategy (automatic
 * unless another is chosen): opens the template with that strategy, for
 * those allowed to start rollouts (the backend checks again); nothing for
 * others. With `formData`, the template opens with those fields filled in.
 *
 * @public
 */
export function StartWaveUpgradeButton(props: {
  formData?: WaveUpgradeFormData;
}) {
  const api = useApi(rolloutsApiRef);
  const [strategy, setStrategy] = useState(
    props.formData?.strategy ?? AUTOMATIC_STRATEGY_NAME,
  );
  // Decided per cluster by the backend: shown to whoever may start a
  // rollout of at least some clusters.
  const { value } = useAsync(() => api.getCapabilities(), [api]);
  if (!value?.create) {
    return null;
  }
  const formData =
    strategy === AUTOMATIC_STRATEGY_NAME
      ? props.formData
      : { ...props.formData, strategy };
  return (
    <Stack direction="row" spacing={1} alignItems="flex-start">
      <Button
        variant="contained"
        color="primary"
        href={waveUpgradeTemplateHref(formData)}
        sx={{ whiteSpace: 'nowrap', flexShrink: 0 }}
      >
        Start a wave upgrade
      </Button>
      {/* Beside the button, as wide as a strategy's name needs, its
          description wrapping below it. */}
      <div style={{ width: 340, maxWidth: '100%' }}>
        <StrategyPicker
          size="small"
          fullWidth
          label="Strategy"
          value={strategy}
          onChange={setStrategy}
        />
      </div>
    </Stack>
  );
}
