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

import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { getSupportStatus } from '@internal/plugin-eks-fleet-common';
import {
  AwsClientFactory,
  CostReport,
  EksClusterTarget,
  EksCostProvider,
  EksFindingsProvider,
  EksSloProvider,
  EksUpgradeInsight,
  EksVersionInfo,
  FindingsReport,
  readAddonVersionsFor,
  readEksVersions,
  readUpgradeInsights,
  SloReport,
} from '@internal/plugin-eks-fleet-node';
import { clusterTargetOf } from './clusterTarget';

/** EKS control-plane prices, USD an hour (standard and extended support). */
const STANDARD_HOURLY_USD = 0.1;
const EXTENDED_HOURLY_USD = 0.6;
const HOURS_PER_MONTH = 730;

/** The Versions card. */
export interface VersionsReport {
  kubernetesVersion?: string;
  platformVersion?: string;
  status?: string;
  support?: {
    state: string;
    endOfStandardSupport: string;
    endOfExtendedSupport: string;
    daysLeft: number;
    daysUntilUnsupported: number;
  };
  controlPlaneCost: {
    standardPerMonth: number;
    extendedPerMonth: number;
    extraPerMonthInExtended: number;
  };
  nextVersion?: {
    version: string;
    status: string;
    endOfStandardSupportDate?: string;
  };
  addons: Array<{
    name: string;
    installedVersion?: string;
    status?: string;
    nextDefaultVersion?: string;
    /** Whether the installed version runs on the next Kubernetes version; null when there is none. */
    compatibleWithNext: boolean | null;
  }>;
  nodegroups: Array<{
    name: string;
    version?: string;
    releaseVersion?: string;
    minorsBehind: number | null;
    status?: string;
  }>;
}

/** One card's answer: its data, or why the source could not answer. */
export type SourceResult<T> =
  | { source: string; data: T }
  | { source: string; error: { name: string; message: string } };

const minor = (version?: string) =>
  version ? Number(version.split('.')[1]) : NaN;

/**
 * Answers a cluster page: each card from its source, cached for the TTL;
 * EKS's version calendar once per region, add-on versions once per region
 * and Kubernetes version.
 */
export class InsightsService {
  constructor(
    private readonly options: {
      clients: Pick<AwsClientFactory, 'eks'>;
      cache: CacheService;
      cacheTtlMs: number;
      logger: LoggerService;
      slo?: EksSloProvider;
      cost?: EksCostProvider;
      findings?: EksFindingsProvider;
      sloObjective: number;
      costDays: number;
      clock?: () => Date;
    },
  ) {}

  private now() {
    return (this.options.clock ?? (() => new Date()))();
  }

  private async cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = (await this.options.cache.get(key)) as T | undefined;
    if (hit !== undefined) {
      return hit;
    }
    const value = await load();
    await this.options.cache.set(key, value as any, {
      ttl: this.options.cacheTtlMs,
    });
    return value;
  }

  private async eksVersions(
    target: EksClusterTarget,
  ): Promise<EksVersionInfo[]> {
    return this.cached(`eks-versions:${target.region}`, async () =>
      readEksVersions(
        await this.options.clients.eks({
          accountId: target.accountId,
          region: target.region,
        }),
      ),
    );
  }

  async versions(entity: Entity): Promise<VersionsReport> {
    const target = clusterTargetOf(entity);
    const eks = (entity.spec?.eks ?? {}) as Record<string, any>;
    const current: string | undefined = eks.version;
    const calendar = await this.eksVersions(target);
    const own = calendar.find(v => v.version === current);
    const next = calendar
      .filter(v => minor(v.version) === minor(current) + 1)
      .find(v => v.status !== 'UNSUPPORTED' || v.releaseDate);
    let addonOffer: Record<
      string,
      { versions: string[]; defaultVersion?: string }
    > = {};
    if (next) {
      addonOffer = await this.cached(
        `eks-addon-versions:${target.region}:${next.version}`,
        async () =>
          Object.fromEntries(
            await readAddonVersionsFor(
              await this.options.clients.eks({
                accountId: target.accountId,
                region: target.region,
              }),
              next.version,
            ),
          ),
      );
    }
    const support = own?.endOfStandardSupportDate
      ? getSupportStatus(
          {
            endOfStandardSupport: own.endOfStandardSupportDate,
            endOfExtendedSupport: own.endOfExtendedSupportDate,
          },
          this.now(),
        )
      : undefined;
    return {
      kubernetesVersion: current,
      platformVersion: eks.platformVersion,
      status: eks.status,
      support: support && {
        state: support.state,
        endOfStandardSupport: support.endOfStandardSupport
          .toISOString()
          .slice(0, 10),
        endOfExtendedSupport: support.endOfExtendedSupport
          .toISOString()
          .slice(0, 10),
        daysLeft: support.daysLeft,
        daysUntilUnsupported: support.daysUntilUnsupported,
      },
      controlPlaneCost: {
        standardPerMonth: STANDARD_HOURLY_USD * HOURS_PER_MONTH,
        extendedPerMonth: EXTENDED_HOURLY_USD * HOURS_PER_MONTH,
        extraPerMonthInExtended:
          (EXTENDED_HOURLY_USD - STANDARD_HOURLY_USD) * HOURS_PER_MONTH,
      },
      nextVersion: next && {
        version: next.version,
        status: next.status,
        endOfStandardSupportDate: next.endOfStandardSupportDate,
      },
      addons: (
        (eks.addons ?? []) as Array<{
          name: string;
          version?: string;
          status?: string;
        }>
      ).map(addon => {
        const offer = addonOffer[addon.name];
        return {
          name: addon.name,
          installedVersion: addon.version,
          status: addon.status,
          nextDefaultVersion: offer?.defaultVersion,
          compatibleWithNext: next
            ? Boolean(addon.version && offer?.versions.includes(addon.version))
            : null,
        };
      }),
      nodegroups: (
        (eks.nodegroups ?? []) as Array<{
          name: string;
          version?: string;
          releaseVersion?: string;
          status?: string;
        }>
      ).map(nodegroup => {
        const behind = minor(current) - minor(nodegroup.version);
        return {
          name: nodegroup.name,
          version: nodegroup.version,
          releaseVersion: nodegroup.releaseVersion,
          status: nodegroup.status,
          minorsBehind: Number.isFinite(behind) ? behind : null,
        };
      }),
    };
  }

  async upgradeInsights(entity: Entity): Promise<EksUpgradeInsight[]> {
    const target = clusterTargetOf(entity);
    return this.cached(`eks-insights:${target.arn}`, async () =>
      readUpgradeInsights(
        await this.options.clients.eks({
          accountId: target.accountId,
          region: target.region,
        }),
        target.clusterName,
      ),
    );
  }

  private async fromProvider<T>(
    kind: string,
    provider: { id: string } | undefined,
    entity: Entity,
    load: (target: EksClusterTarget) => Promise<T>,
  ): Promise<SourceResult<T>> {
    const target = clusterTargetOf(entity);
    if (!provider) {
      return {
        source: 'none',
        error: {
          name: 'NotConfigured',
          message: `No ${kind} source is configured`,
        },
      };
    }
    try {
      return {
        source: provider.id,
        data: await this.cached(`${kind}:${provider.id}:${target.arn}`, () =>
          load(target),
        ),
      };
    } catch (error) {
      const e = error as Error;
      this.options.logger.warn(
        `The ${kind} source ${provider.id} failed for ${target.entityRef}: ${e.message}`,
      );
      return {
        source: provider.id,
        error: { name: e.name ?? 'Error', message: e.message },
      };
    }
  }

  slo(entity: Entity): Promise<SourceResult<SloReport>> {
    return this.fromProvider('slo', this.options.slo, entity, target =>
      this.options.slo!.getSlo(target, {
        objective: this.options.sloObjective,
        now: this.now(),
      }),
    );
  }

  cost(entity: Entity): Promise<SourceResult<CostReport>> {
    return this.fromProvider('cost', this.options.cost, entity, target =>
      this.options.cost!.getCost(target, {
        days: this.options.costDays,
        now: this.now(),
      }),
    );
  }

  findings(entity: Entity): Promise<SourceResult<FindingsReport>> {
    return this.fromProvider(
      'findings',
      this.options.findings,
      entity,
      target => this.options.findings!.getFindings(target),
    );
  }
}
