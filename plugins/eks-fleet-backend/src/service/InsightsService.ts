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
import { NotFoundError } from '@backstage/errors';
import {
  ClusterHealthReport,
  ClusterInsight,
  ClusterLinksReport,
  CostReport,
  EksUpgradeInsight,
  FindingsReport,
  formatMinorVersion,
  getSupportStatus,
  minorVersionSkew,
  nextMinorVersion,
  SloReport,
  tryParseKubernetesVersion,
  VersionsReport,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import {
  AddonOffer,
  AwsClientFactory,
  EksClusterTarget,
  EksCostProvider,
  EksFindingsProvider,
  EksReleaseCatalog,
  EksSloProvider,
  EksVersionInfo,
  Fetched,
  FetchedCache,
  readEksClusterHealth,
  readUpgradeInsights,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { describeFailure, failureLogDetail } from '../rollouts/stepFailures';
import { FleetManifests } from '../rollouts/gitops/FleetManifests';
import { clusterGitDrift } from '../rollouts/gitops/gitDrift';
import { clusterTargetOf } from './clusterTarget';
import {
  ConfiguredClusterLink,
  fillLinkTemplate,
  InsightsConfig,
  extendedExtraMonthlyUsd,
  monthlyUsd,
} from './insightsConfig';

/** EKS control-plane prices, USD an hour (standard and extended support). */

/** The id the EKS-backed cards (versions, upgrade insights) report. */
const EKS_SOURCE = 'aws-eks';

/**
 * A card's source that failed: the router answers 502 with the source named,
 * the other cards of the page are not affected.
 */
export class InsightSourceError extends Error {
  readonly name = 'InsightSourceError';

  constructor(
    readonly kind: string,
    readonly source: string,
    readonly cause: Error,
  ) {
    // Shown on the card: AWS's text without ARNs, account ids or keys.
    super(`The ${kind} source ${source} failed: ${describeFailure(cause)}`);
  }
}

interface SpecEks {
  version?: string;
  platformVersion?: string;
  status?: string;
  environment?: string;
  detailsPending?: boolean;
  addons?: Array<{ name: string; version?: string; status?: string }>;
  nodegroups?: Array<{
    name: string;
    version?: string;
    releaseVersion?: string;
    status?: string;
  }>;
}

function specEksOf(entity: Entity): SpecEks {
  const eks = entity.spec?.eks;
  return eks && typeof eks === 'object' && !Array.isArray(eks)
    ? (eks as SpecEks)
    : {};
}

/** The EKS console page of a cluster. */
export function eksConsoleUrl(target: EksClusterTarget): string {
  return `https://${target.region}.console.aws.amazon.com/eks/home?region=${
    target.region
  }#/clusters/${encodeURIComponent(target.clusterName)}`;
}

/**
 * Answers a cluster page: each card from its source, cached for the TTL
 * (one load at a time per key, however many pages ask); EKS's version
 * calendar once per region, add-on versions once per region and Kubernetes
 * version. Every AWS call goes out with the credentials of the cluster's own
 * account.
 */
export class InsightsService {
  readonly #fetched: FetchedCache;

  constructor(
    private readonly options: {
      clients: Pick<AwsClientFactory, 'eks'>;
      cache: CacheService;
      logger: LoggerService;
      config: InsightsConfig;
      /** The version calendar and add-on offers, shared with the fleet summary and rollouts. */
      releases: EksReleaseCatalog;
      slo?: EksSloProvider;
      cost?: EksCostProvider;
      findings?: EksFindingsProvider;
      clock?: () => Date;
      /** The fleet repository's manifests, for the card's "Git vs live". */
      manifests?: FleetManifests;
    },
  ) {
    this.#fetched = new FetchedCache({
      cache: options.cache,
      ttlMs: options.config.cacheTtlMs,
      clock: options.clock,
    });
  }

  /** The provider the SLO card reads, if any. */
  get sloProvider(): EksSloProvider | undefined {
    return this.options.slo;
  }

  private now() {
    return (this.options.clock ?? (() => new Date()))();
  }

  private cached<T>(key: string, load: () => Promise<T>): Promise<Fetched<T>> {
    return this.#fetched.get(key, load);
  }

  private eksClient(target: EksClusterTarget) {
    return this.options.clients.eks({
      accountId: target.accountId,
      region: target.region,
    });
  }

  private async fromSource<T>(
    kind: string,
    source: string,
    target: EksClusterTarget,
    load: () => Promise<T>,
  ): Promise<T> {
    try {
      return await load();
    } catch (error) {
      const cause = error as Error;
      this.options.logger.warn(
        `The ${kind} source ${source} failed for ${
          target.entityRef
        }: ${failureLogDetail(cause)}`,
      );
      throw new InsightSourceError(kind, source, cause);
    }
  }

  async versions(entity: Entity): Promise<ClusterInsight<VersionsReport>> {
    const target = clusterTargetOf(entity);
    const eks = specEksOf(entity);
    const current = tryParseKubernetesVersion(eks.version);
    const nextCandidate =
      current && formatMinorVersion(nextMinorVersion(current));
    // The calendar and the next version's add-ons side by side: the next
    // version is the current one plus a minor, whether or not EKS offers it
    // yet; its add-ons only count when the calendar has it.
    const offerLoad = nextCandidate
      ? this.options.releases
          .addonVersions(target, nextCandidate)
          .catch((error: Error) => error)
      : Promise.resolve(undefined);
    const calendar = await this.fromSource('versions', EKS_SOURCE, target, () =>
      this.options.releases.versions(target),
    ).finally(() => offerLoad);
    const versions: EksVersionInfo[] = calendar.data;
    const own = current
      ? versions.find(v => v.version === formatMinorVersion(current))
      : undefined;
    const next = nextCandidate
      ? versions.find(v => v.version === nextCandidate)
      : undefined;
    const offer = await offerLoad;
    let addonOffer: AddonOffer = {};
    if (next && offer) {
      if (offer instanceof Error) {
        await this.fromSource('versions', EKS_SOURCE, target, () =>
          Promise.reject(offer),
        );
      } else {
        addonOffer = offer.data;
      }
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
    const report: VersionsReport = {
      kubernetesVersion: eks.version,
      platformVersion: eks.platformVersion,
      status: eks.status,
      detailsPending: eks.detailsPending === true ? true : undefined,
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
        standardPerMonth: monthlyUsd(
          this.options.config.controlPlanePrice.standardHourlyUsd,
        ),
        extendedPerMonth: monthlyUsd(
          this.options.config.controlPlanePrice.extendedHourlyUsd,
        ),
        extraPerMonthInExtended: extendedExtraMonthlyUsd(
          this.options.config.controlPlanePrice,
        ),
      },
      nextVersion: next && {
        version: next.version,
        status: next.status,
        endOfStandardSupportDate: next.endOfStandardSupportDate,
      },
      addons: (eks.addons ?? []).map(addon => {
        const addonNext = addonOffer[addon.name];
        return {
          name: addon.name,
          installedVersion: addon.version,
          status: addon.status,
          nextDefaultVersion: addonNext?.defaultVersion,
          compatibleWithNext: next
            ? Boolean(
                addon.version && addonNext?.versions.includes(addon.version),
              )
            : null,
        };
      }),
      nodegroups: (eks.nodegroups ?? []).map(nodegroup => {
        const nodes = tryParseKubernetesVersion(nodegroup.version);
        let behind: number | null = null;
        if (current && nodes) {
          try {
            behind = minorVersionSkew(current, nodes);
          } catch {
            behind = null; // different majors: no meaningful skew
          }
        }
        return {
          name: nodegroup.name,
          version: nodegroup.version,
          releaseVersion: nodegroup.releaseVersion,
          status: nodegroup.status,
          minorsBehind: behind,
        };
      }),
    };
    if (this.options.manifests) {
      report.gitDrift = await this.#gitDrift(this.options.manifests, target, {
        version: eks.version,
        // An entity without add-ons may just not list them: not compared.
        addons: eks.addons?.length ? eks.addons : undefined,
        // Likewise its managed node groups (DescribeNodegroup's).
        nodegroups: eks.nodegroups?.length ? eks.nodegroups : undefined,
      });
    }
    return {
      status: 'ok',
      source: EKS_SOURCE,
      fetchedAt: calendar.fetchedAt,
      data: report,
    };
  }

  /** The cluster's manifests against the catalog's versions; null when Git cannot be read. */
  async #gitDrift(
    manifests: FleetManifests,
    target: EksClusterTarget,
    live: Parameters<typeof clusterGitDrift>[1],
  ): Promise<VersionsReport['gitDrift']> {
    try {
      const read = await manifests.read([target]);
      return clusterGitDrift(read.byRef.get(target.entityRef)!, live, read);
    } catch (error) {
      this.options.logger.warn(
        `The fleet repository could not be read for ${
          target.entityRef
        }: ${failureLogDetail(error)}`,
      );
      return null;
    }
  }

  /**
   * The control plane's, add-ons' and node groups' health as EKS reports it
   * (the catalog's copy may be a day old: EKS health changes no Config item).
   */
  async health(entity: Entity): Promise<ClusterInsight<ClusterHealthReport>> {
    const target = clusterTargetOf(entity);
    const { fetchedAt, data } = await this.fromSource(
      'health',
      EKS_SOURCE,
      target,
      () =>
        this.cached(`eks-health:${target.arn}`, async () => {
          const report = await readEksClusterHealth(
            await this.eksClient(target),
            target.clusterName,
          );
          if (!report) {
            throw new NotFoundError(
              `EKS has no cluster ${target.clusterName} in ${target.region}`,
            );
          }
          return report;
        }),
    );
    return { status: 'ok', source: EKS_SOURCE, fetchedAt, data };
  }

  async upgradeInsights(
    entity: Entity,
  ): Promise<ClusterInsight<EksUpgradeInsight[]>> {
    const target = clusterTargetOf(entity);
    const { fetchedAt, data } = await this.fromSource(
      'upgrade-insights',
      EKS_SOURCE,
      target,
      () =>
        this.cached(`eks-insights:${target.arn}`, async () =>
          readUpgradeInsights(await this.eksClient(target), target.clusterName),
        ),
    );
    return { status: 'ok', source: EKS_SOURCE, fetchedAt, data };
  }

  private async fromProvider<T>(
    kind: 'slo' | 'cost' | 'findings',
    provider: { id: string } | undefined,
    entity: Entity,
    load: (target: EksClusterTarget) => Promise<T>,
  ): Promise<ClusterInsight<T>> {
    const target = clusterTargetOf(entity);
    if (!provider) {
      return { status: 'not-configured', source: 'none' };
    }
    const { fetchedAt, data } = await this.fromSource(
      kind,
      provider.id,
      target,
      () =>
        this.cached(`${kind}:${provider.id}:${target.arn}`, () => load(target)),
    );
    return { status: 'ok', source: provider.id, fetchedAt, data };
  }

  slo(entity: Entity): Promise<ClusterInsight<SloReport>> {
    const { slo } = this.options;
    return this.fromProvider('slo', slo, entity, target =>
      slo!.getSlo(target, {
        objective: this.options.config.sloObjective,
        now: this.now(),
      }),
    );
  }

  cost(entity: Entity): Promise<ClusterInsight<CostReport>> {
    const { cost } = this.options;
    return this.fromProvider('cost', cost, entity, target =>
      cost!.getCost(target, {
        days: this.options.config.costDays,
        now: this.now(),
      }),
    );
  }

  findings(entity: Entity): Promise<ClusterInsight<FindingsReport>> {
    const { findings } = this.options;
    return this.fromProvider('findings', findings, entity, target =>
      findings!.getFindings(target),
    );
  }

  /** The AWS console and the links configured for the cluster's environment. */
  async links(entity: Entity): Promise<ClusterInsight<ClusterLinksReport>> {
    const target = clusterTargetOf(entity);
    const environment =
      specEksOf(entity).environment ??
      entity.metadata.labels?.['eks-fleet.io/environment'];
    const values = {
      clusterName: target.clusterName,
      region: target.region,
      accountId: target.accountId,
      environment: environment ?? '',
      namespace: entity.metadata.namespace ?? 'default',
      name: entity.metadata.name,
      arn: target.arn,
    };
    const shown = (link: ConfiguredClusterLink) =>
      !link.environments ||
      (environment !== undefined && link.environments.includes(environment));
    return {
      status: 'ok',
      source: 'config',
      fetchedAt: this.now().toISOString(),
      data: {
        environment,
        links: [
          {
            title: 'AWS console',
            url: eksConsoleUrl(target),
            type: 'aws-console',
            icon: 'cloud',
          },
          ...this.options.config.links.filter(shown).map(link => ({
            title: link.title,
            url: fillLinkTemplate(link.url, values),
            type: 'configured' as const,
            ...(link.icon ? { icon: link.icon } : {}),
          })),
        ],
      },
    };
  }
}
