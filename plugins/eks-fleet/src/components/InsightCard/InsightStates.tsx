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
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
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

/** An insight answer, of a cluster or of an entity. */
export type InsightAnswer =
  | { status: 'ok'; source: string; fetchedAt: string; data: unknown }
  | { status: 'not-configured'; source: 'none' }
  | { status: 'not-applicable'; source: string; reason: string };

/**
 * A card's body and footer for each state of its answer: loading, failed
 * (with a retry), no source configured, not applicable to the entity, or
 * the children with the data (or the card's own empty state when it says
 * the data shows nothing) above where the data came from.
 */
export function insightBody<D>(options: {
  title: string;
  loading: boolean;
  error?: Error;
  retry: () => void;
  value?: InsightAnswer;
  /** What to configure when no source is. */
  configure: string;
  emptyWhen?: (data: D) => { title: string; description?: string } | undefined;
  children: (data: D) => ReactNode;
}): { body: ReactNode; footer?: ReactNode } {
  const { title, value } = options;
  if (options.loading) {
    return { body: <Progress /> };
  }
  if (options.error) {
    return {
      body: (
        <InsightError
          title={title}
          error={options.error}
          retry={options.retry}
        />
      ),
    };
  }
  if (!value || value.status === 'not-configured') {
    return {
      body: (
        <EmptyState
          missing="info"
          title={`No source is configured for ${title}`}
          description={options.configure}
        />
      ),
    };
  }
  if (value.status === 'not-applicable') {
    return {
      body: (
        <EmptyState
          missing="data"
          title={`No ${title.toLocaleLowerCase('en-US')} for this entity`}
          description={value.reason}
        />
      ),
    };
  }
  const data = value.data as D;
  const empty = options.emptyWhen?.(data);
  return {
    body: empty ? (
      <EmptyState
        missing="data"
        title={empty.title}
        description={empty.description}
      />
    ) : (
      options.children(data)
    ),
    footer: <InsightSource source={value.source} fetchedAt={value.fetchedAt} />,
  };
}

/**
 * A card's content, whatever frames it: the body and footer for the state
 * of its answer (see insightBody), marked with the card's kind and busy
 * while the answer loads.
 */
export function InsightContent<D>(props: {
  kind: string;
  title: string;
  answer: {
    loading: boolean;
    error?: Error;
    value?: InsightAnswer;
    retry: () => void;
  };
  /** What to configure when no source is. */
  configure: string;
  emptyWhen?: (data: D) => { title: string; description?: string } | undefined;
  children: (data: D) => ReactNode;
}) {
  const { kind, answer } = props;
  const { body, footer } = insightBody<D>({ ...props, ...answer });
  return (
    <Box
      data-testid={`eks-fleet-${kind}-card`}
      aria-busy={answer.loading}
      display="flex"
      flexDirection="column"
      gap={2}
    >
      {body}
      {footer}
    </Box>
  );
}
