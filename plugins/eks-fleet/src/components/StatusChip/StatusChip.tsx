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

import Chip, { ChipProps } from '@mui/material/Chip';

/** How a state reads at a glance: fine, worth a look, or needs action. */
export type StatusTone = 'ok' | 'warning' | 'error' | 'neutral';

const COLORS: Record<StatusTone, ChipProps['color']> = {
  ok: 'success',
  warning: 'warning',
  error: 'error',
  neutral: 'default',
};

/** A small chip in the theme's status colours. */
export function StatusChip(props: { label: string; tone: StatusTone }) {
  const colour = COLORS[props.tone];
  // The tone on the border, the text in the body's colour: amber text on
  // white is too faint to read (axe: colour contrast).
  return (
    <Chip
      size="small"
      variant="outlined"
      color={colour}
      label={props.label}
      sx={
        props.tone === 'warning'
          ? { color: 'text.primary', borderWidth: 2 }
          : undefined
      }
    />
  );
}
