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

import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';
import { HumanDuration } from '@backstage/types';

export interface Config {
  catalog?: {
    providers?: {
      /**
       * EKS Fleet providers, by id. Each reads the EKS clusters of one
       * scope from AWS Config on its own schedule.
       */
      eksFleet?: {
        [id: string]: {
          /**
           * Read through an AWS Config aggregator: a whole organization or
           * named accounts and regions, in one query.
           */
          aggregator?: {
            name: string;
            /** The aggregator's home region. */
            region: string;
            /** The account it lives in; unset: the aws integration's main account. */
            accountId?: string;
          };
          /** Or read each account and region with its own queries. */
          accounts?: Array<{ accountId?: string; regions: string[] }>;
          /**
           * The full read: every cluster and add-on from AWS Config; the only
           * read that removes clusters gone from AWS. Default every 30
           * minutes, 10 minutes timeout.
           */
          schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
          /**
           * The delta read: only the Config items captured since the last
           * applied read, applied as a delta mutation. It never removes an
           * entity.
           */
          deltaRefresh?: {
            /** Default true. */
            enabled?: boolean;
            /** Default every minute, 5 minutes timeout. */
            schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
            /**
             * How far before the newest capture time already applied each
             * delta asks, for items AWS Config records late. Default 10
             * minutes.
             */
            lookback?: HumanDuration | string;
          };
          enrichment?: {
            /**
             * How often every cluster is described again, changed or not
             * (platform versions move without a new Config item). Default
             * one day.
             */
            fullRefresh?: HumanDuration | string;
            /** Concurrent EKS calls per account and region. Default 4. */
            concurrencyPerRegion?: number;
            /** Concurrent EKS calls in all. Default 64. */
            maxConcurrency?: number;
          };
          /**
           * Entity name template with {clusterName}, {region} and
           * {accountId}. Default "{clusterName}-{region}-{accountId}".
           */
          entityNameTemplate?: string;
          ownership?: {
            /** Tag naming the owning group. Default "team". */
            ownerTag?: string;
            /** Tag naming the system. Default "system". */
            systemTag?: string;
            /** Tag naming the environment. Default "environment". */
            environmentTag?: string;
            /** Owner when the tag is absent or names no known group. */
            defaultOwner: string;
            /** System when the tag is absent or names no known system. */
            defaultSystem?: string;
            /** Default "unknown". */
            defaultEnvironment?: string;
          };
          /**
           * Ingest the VPC, IAM role and KMS key of each cluster as
           * Resources the cluster depends on. Default true.
           */
          infrastructure?: boolean;
          /**
           * Limits on removals: a read that would remove more than maxShare
           * of the provider's clusters, or more than maxCount, removes none
           * and holds them back (logged, listed at
           * /api/catalog/eks-fleet/held-deletions and on the fleet page)
           * until a complete read at least confirmAfter later agrees, or
           * someone with eks-fleet.cluster-deletion.confirm confirms.
           */
          deletionGuard?: {
            /** A share from 0 to 1. Default 0.1. */
            maxShare?: number;
            /** Default 50. */
            maxCount?: number;
            /** Default 20 minutes. */
            confirmAfter?: HumanDuration | string;
          };
        };
      };
    };
  };
}
