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
import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  EntityInsightKind,
  EntityInsightResponses,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import Box from '@mui/material/Box';
import { ReactNode } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { eksFleetApiRef } from '../../api';
import { insightBody } from '../InsightCard/InsightStates';

/** What a route answers when its source answered. */
export type EntityInsightData<K extends EntityInsightKind> = Extract<
  EntityInsightResponses[K],
  { status: 'ok' }
>['data'];

/** Where each kind's source is chosen, for the not-configured state. */
const CONFIG_KEY: Record<EntityInsightKind, string> = {
  'cost-allocation': 'eksFleet.insights.cost.opencost',
  cost: 'eksFleet.insights.cost.opencost',
  'team-cost': 'eksFleet.insights.cost.opencost',
  'workload-slo': 'eksFleet.insights.slo.provider (prometheus)',
};

/** @public */
export interface EntityInsightCardProps<K extends EntityInsightKind> {
  kind: K;
  title: string;
  /** Passed to the route, e.g. the aggregate of a cluster's split. */
  aggregate?: string;
  /** "gridItem" (default) fills its grid cell; "plain" is a bare card; "inline" has no card. */
  variant?: 'gridItem' | 'plain' | 'inline';
  emptyWhen?: (
    data: EntityInsightData<K>,
  ) => { title: string; description?: string } | undefined;
  children: (data: EntityInsightData<K>) => ReactNode;
}

/**
 * The frame of the cards for cost and SLOs on namespace, component and
 * group pages: a progress bar while loading, the backend's error naming
 * the source that is down with a retry, an empty state that says why
 * (no source configured, the entity names no namespace...), else the body
 * with where its figures came from.
 */
export function EntityInsightCard<K extends EntityInsightKind>(
  props: EntityInsightCardProps<K>,
) {
  const { kind, title, aggregate, emptyWhen, children } = props;
  const variant = props.variant ?? 'gridItem';
  const { entity } = useEntity();
  const api = useApi(eksFleetApiRef);
  const ref = getCompoundEntityRef(entity);
  const { loading, error, value, retry } = useAsyncRetry(
    () => api.getEntityInsight(kind, ref, aggregate ? { aggregate } : {}),
    [api, ref.kind, ref.namespace, ref.name, kind, aggregate],
  );

  const { body, footer } = insightBody<EntityInsightData<K>>({
    title,
    loading,
    error,
    retry,
    value,
    configure: `Configure ${CONFIG_KEY[kind]} in app-config.`,
    emptyWhen,
    children,
  });

  const content = (
    <Box
      data-testid={`eks-fleet-${kind}-card`}
      aria-busy={loading}
      display="flex"
      flexDirection="column"
      gap={2}
    >
      {body}
      {footer}
    </Box>
  );
  if (variant === 'inline') {
    return content;
  }
  return (
    <InfoCard
      title={title}
      variant={variant === 'gridItem' ? 'gridItem' : undefined}
    >
      {content}
    </InfoCard>
  );
}
