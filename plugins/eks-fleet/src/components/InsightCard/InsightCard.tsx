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
  ClusterInsightKind,
  ClusterInsightResponses,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { ReactNode } from 'react';
import { useClusterInsight } from '../../hooks/useClusterInsight';
import { InsightContent } from './InsightStates';

/** What a card's route answers when its source answered. */
export type InsightData<K extends ClusterInsightKind> = Extract<
  ClusterInsightResponses[K],
  { status: 'ok' }
>['data'];

/** Why a card has nothing to show, in words for its empty state. */
export interface InsightEmptyReason {
  title: string;
  description?: string;
}

/**
 * What a card that may also show in a plain frame takes: its `title`, which
 * app config sets (each card has its own otherwise), and its variant.
 */
export interface ClusterCardProps {
  title?: string;
  /** "gridItem" (default) fills its grid cell's height; "plain" does not. */
  variant?: 'gridItem' | 'plain';
}

/** @public */
export interface InsightCardProps<K extends ClusterInsightKind> {
  kind: K;
  title: string;
  subheader?: ReactNode;
  /** Says when the answer holds nothing to show, and why. */
  emptyWhen?: (data: InsightData<K>) => InsightEmptyReason | undefined;
  /** "gridItem" (default) fills its grid cell's height; "plain" does not. */
  variant?: 'gridItem' | 'plain';
  children: (data: InsightData<K>) => ReactNode;
}

/**
 * The frame of every cluster page card: asks the card's route and shows a
 * progress bar while it loads, the backend's error (naming the source that
 * is down) with a retry, an empty state when the source has nothing or is
 * not configured, and otherwise the card's body with where its figures came
 * from.
 */
export function InsightCard<K extends ClusterInsightKind>(
  props: InsightCardProps<K>,
) {
  const { kind, title, subheader } = props;
  const variant = props.variant ?? 'gridItem';
  const answer = useClusterInsight(kind);
  return (
    <InfoCard
      title={title}
      subheader={subheader}
      variant={variant === 'gridItem' ? 'gridItem' : undefined}
    >
      <InsightContent
        {...props}
        answer={answer}
        configure={`Choose one with eksFleet.insights.${kind}.provider in app-config.`}
      />
    </InfoCard>
  );
}
