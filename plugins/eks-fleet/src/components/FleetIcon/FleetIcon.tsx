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

import SvgIcon, { SvgIconProps } from '@mui/material/SvgIcon';

/** The fleet page's icon: three clusters of nodes. */
export function FleetIcon(props: SvgIconProps) {
  return (
    <SvgIcon {...props}>
      <path d="M12 2 8.5 4v4L12 10l3.5-2V4L12 2zM6.5 12 3 14v4l3.5 2 3.5-2v-4l-3.5-2zm11 0L14 14v4l3.5 2 3.5-2v-4l-3.5-2z" />
    </SvgIcon>
  );
}
