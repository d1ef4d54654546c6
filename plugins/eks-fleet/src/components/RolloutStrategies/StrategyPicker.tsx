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
import {
  AUTOMATIC_STRATEGY_NAME,
  RolloutStrategy,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import useAsync from 'react-use/esm/useAsync';
import { rolloutsApiRef } from '../../api/rollouts';
import { describeWavePolicy } from './describeWavePolicy';

const SOURCE_LABEL: Record<RolloutStrategy['source'], string> = {
  'built-in': 'built in',
  config: 'from config',
  database: 'saved here',
};

/**
 * A saved rollout strategy, picked from those the backend lists;
 * `automatic` until another is chosen. Says what the chosen one does.
 */
export function StrategyPicker(props: {
  value?: string;
  onChange: (name: string) => void;
  label?: string;
  description?: string;
  error?: boolean;
  disabled?: boolean;
  size?: 'small' | 'medium';
  /** Fills its container's width; by default only at the medium size. */
  fullWidth?: boolean;
  /** The field's id; its label names the select through it. */
  id?: string;
}) {
  const api = useApi(rolloutsApiRef);
  const strategies = useAsync(() => api.listStrategies(), [api]);
  const value = props.value || AUTOMATIC_STRATEGY_NAME;
  const items = strategies.value?.items ?? [];
  const chosen = items.find(s => s.name === value);
  let helperText = props.description;
  if (strategies.loading) {
    helperText = 'Reading the strategies…';
  } else if (strategies.error) {
    helperText = `Could not read the strategies: ${strategies.error.message}`;
  } else if (chosen) {
    helperText = chosen.description ?? describeWavePolicy(chosen.wavePolicy);
  } else if (strategies.value) {
    helperText = `No strategy "${value}"`;
  }
  return (
    <TextField
      select
      id={props.id ?? 'eks-fleet-rollout-strategy'}
      fullWidth={props.fullWidth ?? props.size !== 'small'}
      size={props.size}
      label={props.label ?? 'Strategy'}
      value={strategies.value ? value : ''}
      // Read-only, not disabled, until the list is read: a disabled
      // field's label is greyed below a readable contrast.
      disabled={props.disabled}
      SelectProps={{ readOnly: !strategies.value }}
      error={
        props.error ||
        Boolean(strategies.error) ||
        (strategies.value && !chosen)
      }
      helperText={helperText}
      onChange={e => props.onChange(e.target.value)}
    >
      {items.map(s => (
        <MenuItem key={s.name} value={s.name}>
          {s.title} ({s.name}, {SOURCE_LABEL[s.source]})
        </MenuItem>
      ))}
    </TextField>
  );
}
