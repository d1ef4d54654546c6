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
  eksFleet?: {
    insights?: {
      /** How long a source's answer is reused. Default 5 minutes. */
      cacheTtl?: HumanDuration | string;
      /**
       * The provider of each card, by id: the built-in "aws" (CloudWatch,
       * Cost Explorer, Security Hub), one a module added through
       * eksFleetInsightsExtensionPoint, or "none" to hide the card's source.
       * Default "aws".
       */
      slo?: {
        provider?: string;
        objective?: number;
        /**
         * The built-in Prometheus provider (provider: prometheus): the
         * Prometheus HTTP API, signed with SigV4 for Amazon Managed Service
         * for Prometheus. Queries are PromQL with {clusterName}, {region},
         * {accountId}, {namespace}, {service}, {threshold} and {window}.
         */
        prometheus?: PrometheusSloConfig & {
          /** Request timeout. Default 10 seconds. */
          timeout?: HumanDuration | string;
          /** Per environment (the cluster's), over the settings above. */
          environments?: { [environment: string]: PrometheusSloConfig };
        };
      };
      cost?: {
        provider?: string;
        days?: number;
        /**
         * OpenCost's (or Kubecost's) allocation API, for the cost split by
         * namespace, namespaces', components' and teams' cost, and for the
         * Cost card with provider: opencost. A cluster's
         * eks-fleet.io/opencost-url annotation overrides the URL.
         */
        opencost?: {
          /** With {clusterName}, {region}, {accountId}, {environment}. */
          url?: string;
          /** Base URLs by cluster name or ARN. */
          clusters?: { [cluster: string]: string };
          /** "opencost" (/allocation/compute, default) or "kubecost" (/model/allocation). */
          api?: 'opencost' | 'kubecost';
          currency?: string;
          /** The namespace label naming the owning team. Default "team". */
          teamLabel?: string;
          /** Request timeout. Default 10 seconds. */
          timeout?: HumanDuration | string;
        };
      };
      findings?: { provider?: string };
      /**
       * What an EKS control plane costs, USD an hour, for the versions card's
       * and the fleet page's extended-support figures. Defaults are AWS's
       * list prices, 0.10 in standard support and 0.60 in extended; set them
       * where an agreement with AWS changes them.
       */
      controlPlanePrice?: {
        standardHourlyUsd?: number;
        extendedHourlyUsd?: number;
      };
      /**
       * Links the cluster page's Links card shows beside the AWS console,
       * e.g. the cluster's Grafana dashboard or Argo CD. The URL may carry
       * the placeholders {clusterName}, {region}, {accountId},
       * {environment}, {namespace}, {name} (the entity's) and {arn}.
       */
      links?: Array<{
        title: string;
        url: string;
        /** Only for clusters of these environments; left out, for all. */
        environments?: string[];
        /** A Backstage icon id, e.g. "dashboard" or "github". */
        icon?: string;
      }>;
    };
    /** The fleet page's summary (GET /api/eks-fleet/fleet/summary). */
    fleet?: {
      /** How long AWS answers for the fleet are reused. Default 15 minutes. */
      cacheTtl?: HumanDuration | string;
      /** AWS calls at once for the fleet, 1 to 256 (a quarter of them per account and region). Default 64. */
      concurrency?: number;
    };
    /** Upgrade blockers on the component and team pages. */
    blockers?: {
      /**
       * The Kyverno policies whose findings block an upgrade, by policy
       * name, with what to do about them. Default: pdb-maxunavailable,
       * deployment-has-multiple-replicas and require-pod-probes.
       */
      policies?: Array<{
        policy: string;
        title: string;
        action: string;
        docsUrl?: string;
      }>;
      /**
       * How long a wave's upgrade is expected to take before its bake
       * time, for the start of the waves after it. Default 1 hour.
       */
      waveUpgradeEstimate?: HumanDuration | string;
      /**
       * Keeps every cluster's blockers warm, so that a team's card is
       * answered from the cache the first time it is opened: each replica
       * reads every cluster's upgrade insights and findings again before
       * the insights TTL (eksFleet.insights.cacheTtl) ends, findings once
       * per account and region, through the same limits as the cards
       * (eksFleet.fleet.concurrency). A source that fails keeps the answers
       * read before until they end.
       */
      warmUp?: {
        /** Default true. */
        enabled?: boolean;
        /**
         * Default: every 80% of the insights TTL, from 10 seconds after the
         * start, on every replica (each keeps its own cache); with a cache
         * the replicas share (backend.cache in Redis, Valkey or memcache),
         * `scope: global` has one replica do it for all.
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
      /**
       * Notifications to the owners of blockers (through Backstage's
       * notifications): when one appears, and daysBeforeDeadline days
       * before its deadline. Left out, none are sent.
       */
      notifications?: {
        /** Default true when the section is there. */
        enabled?: boolean;
        /** Default 7. */
        daysBeforeDeadline?: number;
        /** How often the fleet is looked at. Default every hour. */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
    /** The wave-upgrade engine. */
    rollouts?: {
      /**
       * How often each replica's engine ticks. Default every 5 seconds. The
       * engine runs on every replica whatever is set here (its claims in
       * the database decide who runs what), so a scope given here is
       * ignored.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** How long a claim on a rollout or a cluster's step lasts. Default 60 seconds. */
      leaseDuration?: HumanDuration | string;
      /** Between two looks at an EKS update under way. Default 15 seconds. */
      pollInterval?: HumanDuration | string;
      /** Between two looks at a soaking wave's alarms. Default 30 seconds. */
      gateCheckInterval?: HumanDuration | string;
      /** Cluster steps one replica runs at once. Default 16. */
      stepParallelism?: number;
      /**
       * The longest a call that starts an EKS update may take, retries
       * included; a pause or an abort waits that long at most for calls on
       * their way. Under half the lease. Default 20 seconds, or a third of
       * the lease if that is less.
       */
      startTimeout?: HumanDuration | string;
      /**
       * The first wait after a transient failure (throttling, 5xx, a
       * timeout); it doubles with each failure in a row, up to
       * retryBackoffMax. Defaults 5 seconds and 5 minutes.
       */
      retryBackoff?: HumanDuration | string;
      retryBackoffMax?: HumanDuration | string;
      /** Clusters whose gates (alarms) are asked at once. Default 8. */
      gateConcurrency?: number;
      /**
       * CloudWatch requests per second the gate checks make, per backend
       * replica. Default 10.
       */
      cloudWatchRequestsPerSecond?: number;
      /**
       * May the person who started a rollout approve its production waves?
       * Default false: someone else must.
       */
      allowSelfApproval?: boolean;
      /**
       * How often each replica looks for new rollout events, to tell open
       * rollout pages (Backstage's signals) and to send notifications.
       * Default 1 second.
       */
      eventFeedInterval?: HumanDuration | string;
      /**
       * Fleet-wide change freezes: no cluster starts between start and end
       * (ISO date-times); updates under way finish. The rollout page names
       * the freeze that holds it.
       */
      freezes?: Array<{
        name: string;
        start: string;
        end: string;
        reason?: string;
      }>;
      /**
       * Saved rollout strategies: named wave policies a rollout request,
       * the wave upgrade template and the fleet actions can name
       * (`strategy: <name>`). Read-only: the rollouts page lists them as
       * from config and cannot change them; people holding
       * eks-fleet.rollout.strategy.manage create more there (kept in the
       * database). The built-in `automatic` (growing automatic waves) is
       * always there and is the default; a name may be given once and may
       * not be `automatic`. Default none.
       */
      strategies?: Array<{
        /** Lower-case letters, digits and dashes, e.g. "canary-then-halves". */
        name: string;
        title: string;
        description?: string;
        /**
         * A rollout request's wavePolicy: { type: automatic, firstWaveSize,
         * growthFactor, maxWaveSize, initialBakeSeconds, bakeShrinkFactor,
         * minBakeSeconds, productionAfterWaves, productionEnvironments,
         * environmentOrder, approvalBefore, approvalBeforeProduction } or
         * { type: explicit, waves: [{ name, selector, bakeSeconds,
         * requiresApproval }] }.
         */
        wavePolicy: { type: 'automatic' | 'explicit'; [key: string]: unknown };
      }>;
      /**
       * Rollout notifications through Backstage's notifications: a wave
       * started or halted (with the reason) and a rollout finished, to its
       * author and the owners of the clusters; a wave awaiting approval, to
       * the approvers; a heads-up to each team whose workloads are in a
       * wave's blast radius, headsUpBefore its estimated start. Each notice
       * is claimed in the database first, so replicas never send one twice.
       * Left out, none are sent.
       */
      notifications?: {
        /** Default true when the section is there. */
        enabled?: boolean;
        /**
         * Who is asked to approve a wave: user or group entity refs.
         * Default: the owners of the wave's clusters.
         */
        approvers?: string[];
        /** How long before a wave's estimated start its teams hear. Left out, no heads-up. */
        headsUpBefore?: HumanDuration | string;
        /** How often the heads-ups due are looked for. Default every minute. */
        headsUpSchedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
      /**
       * EKS requests per second the rollout engine makes, per backend
       * replica: each replica paces its own requests in memory (every
       * account and region together), so N replicas may make up to N
       * times this at once. For a fleet-wide budget B, set B / N (e.g. a
       * budget of 20 with 2 replicas: 10). Default 10.
       */
      eksRequestsPerSecond?: number;
      /**
       * How a cluster's CloudWatch alarms are named; {clusterName} stands
       * for the cluster. Default "{clusterName}-".
       */
      alarmNamePrefix?: string;
      /** The executor's id: "eks" (default) or one a module added. */
      executor?: string;
      /** The gate sources watched, by id; default all (aws-cloudwatch-alarms and any added). */
      gates?: string[];
      /**
       * A node refresh of a cluster upgraded through the EKS API moves its
       * Karpenter EC2NodeClasses too, through the cluster's Kubernetes API
       * (endpoint and CA from DescribeCluster, a bearer token as `aws eks
       * get-token` makes it with the account's credentials): each class
       * selecting an AMI alias to the newest release of its family. The
       * backend's role needs an EKS access entry on each cluster that may
       * get, list and patch ec2nodeclasses.karpenter.k8s.aws. Unset, the
       * classes are left alone.
       */
      kubernetesApi?: {
        /** Default true once the block is there. */
        enabled?: boolean;
        /**
         * The API's address instead of DescribeCluster's endpoint, with
         * {accountId}, {region} and {clusterName} placeholders: a proxy, or
         * the AWS emulator's stand-in
         * (http://127.0.0.1:4566/_k8s/{accountId}/{region}/{clusterName}).
         */
        endpoint?: string;
        /** How long one request may take. Default 20 seconds. */
        requestTimeout?: HumanDuration | string;
        /**
         * How long a class may take to report its new alias's AMIs
         * (status.amis) before its cluster fails. Default 60 minutes.
         */
        nodeClassTimeout?: HumanDuration | string;
      };
      /**
       * GitOps upgrades. A cluster whose folder of the fleet repository
       * holds its ACK manifests (clusters/<account>/<region>/<name>/
       * control-plane/cluster.yaml, as the cluster template writes them) is
       * upgraded there: each wave is one commit on a branch of the
       * repository that sets the version of its clusters' ACK Cluster (and
       * Addon and Nodegroup versions when the rollout upgrades those); once
       * merged into the target branch, the engine watches each cluster
       * converge. Unset, every cluster is upgraded through the EKS API.
       */
      gitops?: {
        /** The fleet repository on this machine (or github, not both). */
        local?: {
          /** Its path: a bare repository or a work tree. */
          path: string;
        };
        /**
         * The fleet repository on GitHub (or local, not both): each wave's
         * change is a pull request. Its credentials are the
         * integrations.github entry for its host, whose token needs
         * contents and pull requests write on it.
         */
        github?: {
          /** The repository's address, such as https://github.com/acme/fleet. */
          url: string;
        };
        /** The branch the controllers follow. Default "main". */
        targetBranch?: string;
        /**
         * "manual" (default): a wave waits until a person merges its branch
         * (on GitHub, its pull request); the merge is the wave's approval,
         * recorded with the merge commit's author (on GitHub, the user who
         * merged). "auto": the engine merges it once the wave's clusters
         * passed their pre-checks.
         */
        merge?: 'manual' | 'auto';
        /**
         * How long after the merge a cluster may take to reach the version
         * before it fails, naming what did not converge. Default 60 minutes.
         */
        convergenceTimeout?: HumanDuration | string;
        /** Who writes the engine's commits. Default "EKS Fleet" <eks-fleet@localhost>. */
        author?: {
          name: string;
          email: string;
        };
      };
    };
  };
}

/** Where and how one environment's SLOs are read from Prometheus. */
interface PrometheusSloConfig {
  /** The HTTP API's base URL; may carry {clusterName}, {region}, {accountId}. */
  url?: string;
  /** SigV4 for Amazon Managed Service for Prometheus; set by itself for aps-workspaces.<region>.amazonaws.com. */
  sigv4?: { region: string; accountId?: string };
  controlPlane?: PrometheusSloObjectiveConfig;
  workload?: PrometheusSloObjectiveConfig & {
    /** "ingress" (ingress-nginx, default) or "service" (http_requests_total). */
    via?: 'ingress' | 'service';
  };
}

interface PrometheusSloObjectiveConfig {
  latencyThresholdSeconds?: number;
  latencyObjective?: number;
  queries?: {
    requests?: string;
    errors?: string;
    latencyRequests?: string;
    fast?: string;
  };
}
