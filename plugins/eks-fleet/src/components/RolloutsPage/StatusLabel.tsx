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

import Chip from '@mui/material/Chip';

const STATUS_COLOURS: Record<
  string,
  'default' | 'primary' | 'success' | 'error' | 'warning'
> = {
  running: 'primary',
  soaking: 'primary',
  completed: 'success',
  done: 'success',
  halted: 'error',
  failed: 'error',
  aborted: 'warning',
  paused: 'warning',
  'awaiting-approval': 'warning',
};

/** A state as a chip: its colour on the border. */
export function StatusLabel(props: { status: string }) {
  const colour = STATUS_COLOURS[props.status] ?? 'default';
  // The state's colour on the border, the text in the body's colour: white
  // on amber would be too faint to read (axe: colour contrast).
  return (
    <Chip
      size="small"
      variant="outlined"
      label={props.status}
      sx={{
        color: 'text.primary',
        borderWidth: 2,
        borderColor: colour === 'default' ? 'divider' : `${colour}.main`,
      }}
    />
  );
}
