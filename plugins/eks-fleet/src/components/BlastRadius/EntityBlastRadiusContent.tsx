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
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@mui/material/Box';
import { BlastRadiusView } from './BlastRadiusView';

/** The cluster page's "Blast radius" tab. */
export function EntityBlastRadiusContent(props: {
  /** The depth the tab opens at; 3 unless configured. */
  defaultDepth?: number;
}) {
  const { entity } = useEntity();
  return (
    <Box sx={{ p: { xs: 0, md: 1 } }}>
      <BlastRadiusView
        cluster={getCompoundEntityRef(entity)}
        defaultDepth={props.defaultDepth}
      />
    </Box>
  );
}
