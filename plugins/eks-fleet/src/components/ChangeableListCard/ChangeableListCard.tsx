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

import { InfoCard, ResponseErrorPanel } from '@backstage/core-components';
import Stack from '@mui/material/Stack';
import { ReactNode, useState } from 'react';

/**
 * The changes a person makes to a list of the rollouts page: `act` runs
 * one, then clears the last error, calls `onDone` and reloads the list; a
 * failed one leaves its error in `error`.
 */
export function useListChanges(options: {
  reload: () => void;
  onDone?: () => void;
}) {
  const [error, setError] = useState<Error>();
  const act = (change: Promise<unknown>) =>
    change.then(() => {
      setError(undefined);
      options.onDone?.();
      options.reload();
    }, setError);
  return { error, setError, act };
}

/**
 * The card of a list a person may change on the rollouts page (the saved
 * strategies, the change freezes): the list's error and the last change's
 * above the list and its form.
 */
export function ChangeableListCard(props: {
  title: string;
  testId: string;
  listError?: Error;
  changeError?: Error;
  children: ReactNode;
}) {
  return (
    <InfoCard title={props.title} noPadding>
      <Stack spacing={1} sx={{ p: 2 }} data-testid={props.testId}>
        {props.listError && <ResponseErrorPanel error={props.listError} />}
        {props.changeError && <ResponseErrorPanel error={props.changeError} />}
        {props.children}
      </Stack>
    </InfoCard>
  );
}
