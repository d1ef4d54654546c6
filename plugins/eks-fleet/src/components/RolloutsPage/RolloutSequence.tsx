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

import { RolloutDetail } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';

const SEQUENCE_STATE: Record<
  RolloutDetail['sequence'][number]['state'],
  { label: string; color: 'success' | 'primary' | 'default' }
> = {
  done: { label: 'done', color: 'success' },
  current: { label: 'running', color: 'primary' },
  next: { label: 'next', color: 'default' },
  'passed-over': { label: 'no cluster left', color: 'default' },
};

/** The minors a rollout goes through, one at a time: done, running, to come. */
export function RolloutSequence(props: { rollout: RolloutDetail }) {
  const sequence = props.rollout.sequence ?? [];
  if (sequence.length < 2) {
    return null;
  }
  return (
    <Stack
      direction="row"
      spacing={1}
      alignItems="center"
      data-testid="rollout-sequence"
    >
      <Typography variant="body2">One minor at a time:</Typography>
      {sequence.map((step, i) => (
        <Chip
          key={step.targetVersion}
          size="small"
          variant={step.state === 'current' ? 'filled' : 'outlined'}
          color={SEQUENCE_STATE[step.state].color}
          label={`${i + 1}. ${step.targetVersion}: ${
            SEQUENCE_STATE[step.state].label
          }${
            step.clusterCount > 0
              ? `, ${step.clusterCount} cluster(s) in ${step.waveCount} wave(s)`
              : ''
          }`}
        />
      ))}
      {sequence.some(step => step.state === 'next') && (
        <Typography variant="caption">
          the next minor's waves are planned when the one before completes
        </Typography>
      )}
    </Stack>
  );
}
