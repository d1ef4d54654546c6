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

import { RolloutWaveView } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import Typography from '@mui/material/Typography';

/** A soaking wave's time left before its next wave may start. */
export function SoakCountdown(props: { wave: RolloutWaveView; now: string }) {
  const until = props.wave.soakUntil
    ? Date.parse(props.wave.soakUntil)
    : undefined;
  if (props.wave.status !== 'soaking' || !until) return null;
  const left = Math.max(0, Math.round((until - Date.parse(props.now)) / 1000));
  return (
    <Typography variant="body2" data-testid="soak-countdown">
      Soaking: {Math.floor(left / 60)} min {left % 60} s left of{' '}
      {props.wave.bakeSeconds} s
    </Typography>
  );
}
