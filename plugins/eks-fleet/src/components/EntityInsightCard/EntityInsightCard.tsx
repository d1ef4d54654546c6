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

import { InfoCard } from '@backstage/core-components';
import {
  EntityInsightKind,
  EntityInsightResponses,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { ReactNode } from 'react';
import { InsightContent } from '../InsightCard/InsightStates';
import { useEntityAnswer } from '../../hooks/useEntityAnswer';

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
  const { kind, title, aggregate } = props;
  const variant = props.variant ?? 'gridItem';
  const answer = useEntityAnswer(
    (api, entity) =>
      api.getEntityInsight(kind, entity, aggregate ? { aggregate } : {}),
    [kind, aggregate],
  );

  const content = (
    <InsightContent
      {...props}
      answer={answer}
      configure={`Configure ${CONFIG_KEY[kind]} in app-config.`}
    />
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
