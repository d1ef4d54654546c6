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

import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { ReactNode } from 'react';

/**
 * One figure of a card under its label, e.g. "LAST 30 DAYS" above
 * "$4,123.46"; `testId` marks the figure for the tests that read it.
 */
export function LabelledFigure(props: {
  label: ReactNode;
  testId: string;
  children: ReactNode;
}) {
  return (
    <Box>
      <Typography variant="overline" component="p">
        {props.label}
      </Typography>
      <Typography variant="h5" data-testid={props.testId}>
        {props.children}
      </Typography>
    </Box>
  );
}
