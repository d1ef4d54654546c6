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

import { ResponseError } from '@backstage/errors';
import { EmptyState, ResponseErrorPanel } from '@backstage/core-components';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { ReactNode } from 'react';

/** What the backend said went wrong, or the error's own message. */
function reasonOf(error: Error): string {
  if (error instanceof ResponseError && error.cause?.message) {
    return error.cause.message;
  }
  return error.message;
}

/** A card's failed source: the backend's error, its reason and a retry. */
export function InsightError(props: {
  title: string;
  error: Error;
  retry: () => void;
}) {
  return (
    <Box>
      <ResponseErrorPanel
        error={props.error}
        title={`${props.title}: the source is unavailable`}
      />
      <Typography variant="body2" mt={1} data-testid="insight-error-reason">
        {reasonOf(props.error)}
      </Typography>
      <Box mt={1}>
        <Button size="small" variant="outlined" onClick={props.retry}>
          Retry
        </Button>
      </Box>
    </Box>
  );
}

/** Where a card's figures came from, and when they were read. */
export function InsightSource(props: { source: string; fetchedAt: string }) {
  return (
    <Typography variant="caption" color="text.secondary" component="p">
      Source: {props.source} · read{' '}
      <time dateTime={props.fetchedAt}>
        {new Date(props.fetchedAt).toISOString().slice(0, 16).replace('T', ' ')}{' '}
        UTC
      </time>
    </Typography>
  );
}

/**
 * A card's body and footer for an answer with data: the children, or the
 * card's own empty state when it says the data shows nothing.
 */
export function answeredInsight<D>(
  value: { data: unknown; source: string; fetchedAt: string },
  emptyWhen:
    | ((data: D) => { title: string; description?: string } | undefined)
    | undefined,
  children: (data: D) => ReactNode,
): { body: ReactNode; footer: ReactNode } {
  const data = value.data as D;
  const empty = emptyWhen?.(data);
  return {
    body: empty ? (
      <EmptyState
        missing="data"
        title={empty.title}
        description={empty.description}
      />
    ) : (
      children(data)
    ),
    footer: <InsightSource source={value.source} fetchedAt={value.fetchedAt} />,
  };
}
