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

import { LoggerService } from '@backstage/backend-plugin-api';
import {
  BlockerSourceState,
  BlockerSources,
  ClusterUpgradeBlocker,
  deriveClusterBlockers,
  formatMinorVersion,
  getSupportStatus,
  nextMinorVersion,
  ScheduledWave,
  tryParseKubernetesVersion,
  UpgradeBlockerPolicy,
  WorkloadCluster,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import {
  AwsClientFactory,
  EksClusterFinding,
  EksClusterTarget,
  EksFleetSource,
  EksReleaseCatalog,
  EksUpgradeInsight,
  EksVersionInfo,
  FetchedCache,
  KeyedConcurrencyLimiter,
  readUpgradeInsights,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { describeFailure, failureLogDetail } from '../rollouts/stepFailures';

/** What the blockers read of a cluster entity. */
export interface BlockerClusterRecord {
  /** Lower-cased, as the join compares refs. */
  entityRef: string;
  title?: string;
  ownerRef?: string;
  /** Absent for an entity the suite's provider did not emit: never read. */
  target?: EksClusterTarget;
  version?: string;
  addons: Array<{ name: string; version?: string }>;
  /** The refs of what depends on it (workloads, namespace entities). */
  dependents: string[];
}

/** Blockers and the figures around them, for a set of clusters. */
export interface ClusterBlockersReport {
  blockers: ClusterUpgradeBlocker[];
  clusters: Map<string, Omit<WorkloadCluster, 'blockers'>>;
  /** End of standard and extended support (ISO dates) by cluster ref. */
  endOfSupport: Map<string, { standard: string; extended: string }>;
  nextWaves: Map<string, ScheduledWave>;
  sources: BlockerSources;
}

type SourceName = keyof BlockerSources;

/** What a refresh of the cached sources read, and how many clusters failed. */
export interface BlockersRefresh {
  clusters: number;
  failed: { insights: number; findings: number };
}

type Failed = (
  source: SourceName,
  error: unknown,
  target: EksClusterTarget,
) => void;

/** EKS's name of the check for removed APIs, "Deprecated APIs removed in Kubernetes v1.32". */
const DEPRECATED_APIS = /deprecated api/i;

/**
 * Reads the sources of every cluster's upgrade blockers: upgrade insights
 * with their deprecation details (EKS, per cluster), the findings
 * provider's findings (once per account and region for Security Hub, the
 * clusters of one asked together; per cluster for a provider that has no
 * bulk read), and the add-on versions EKS offers for the next minor (once
 * per region and version); the version calendar for the support dates; the
 * active rollouts for the next waves. Insights and findings are cached per
 * cluster for the insights TTL, and `refresh` reads them again before it
 * ends; each source fails on its own, and the report says which clusters
 * it could not answer for.
 */
export class BlockersService {
  readonly #fetched: FetchedCache;
  readonly #limiter: KeyedConcurrencyLimiter;

  constructor(
    private readonly options: {
      clients: Pick<AwsClientFactory, 'eks'>;
      releases: EksReleaseCatalog;
      /** The findings, by the scope the source reads them in. */
      findings?: EksFleetSource<EksClusterFinding[]>;
      fetched: FetchedCache;
      logger: LoggerService;
      policies: readonly UpgradeBlockerPolicy[];
      /** The active rollouts' next waves, by lower-cased cluster ref. */
      scheduledWaves: () => Promise<Map<string, ScheduledWave>>;
      /** AWS calls at once, overall; a quarter of it per account and region. */
      concurrency: number;
      clock?: () => Date;
    },
  ) {
    this.#fetched = options.fetched;
    this.#limiter = new KeyedConcurrencyLimiter(
      Math.max(1, Math.floor(options.concurrency / 4)),
      options.concurrency,
    );
  }

  private now() {
    return (this.options.clock ?? (() => new Date()))();
  }

  async forClusters(
    clusters: readonly BlockerClusterRecord[],
  ): Promise<ClusterBlockersReport> {
    const failures = new Map<SourceName, { count: number; message?: string }>();
    const fail = (source: SourceName, error: unknown, what: string) => {
      const entry = failures.get(source) ?? { count: 0 };
      entry.count += 1;
      entry.message ??= describeFailure(error);
      failures.set(source, entry);
      this.options.logger.warn(
        `Upgrade blockers: the ${source} of ${what} failed: ${failureLogDetail(
          error,
        )}`,
      );
    };
    const targets = clusters.filter(c => c.target);

    const failCluster: Failed = (source, error, target) =>
      fail(source, error, target.entityRef);
    const targetList = targets.map(c => c.target!);
    const insightsOf = this.readInsights(targetList, failCluster);
    const findingsOf = this.readFindings(targetList, failCluster);

    const wavesLoad = this.options.scheduledWaves().catch(error => {
      fail('rollouts', error, 'the active rollouts');
      return new Map<string, ScheduledWave>();
    });

    // The calendar, once per region.
    const calendars = new Map<string, Promise<EksVersionInfo[] | undefined>>();
    for (const { target } of targets) {
      if (target && !calendars.has(target.region)) {
        calendars.set(
          target.region,
          this.limited(target, () =>
            this.options.releases.versions(target),
          ).then(
            f => f.data,
            error => {
              fail('support', error, target.region);
              return undefined;
            },
          ),
        );
      }
    }

    const blockers: ClusterUpgradeBlocker[] = [];
    const rows = new Map<string, Omit<WorkloadCluster, 'blockers'>>();
    const endOfSupport = new Map<
      string,
      { standard: string; extended: string }
    >();
    const now = this.now();
    await Promise.all(
      clusters.map(async cluster => {
        const { target } = cluster;
        const current = tryParseKubernetesVersion(cluster.version);
        const next = current && formatMinorVersion(nextMinorVersion(current));
        const row: Omit<WorkloadCluster, 'blockers'> = {
          entityRef: cluster.entityRef,
          ...(cluster.title ? { title: cluster.title } : {}),
          ...(cluster.version ? { kubernetesVersion: cluster.version } : {}),
        };
        rows.set(cluster.entityRef, row);
        if (!target) {
          return;
        }
        const calendar = await calendars.get(target.region);
        const own = calendar?.find(
          v => current && v.version === formatMinorVersion(current),
        );
        if (own?.endOfStandardSupportDate) {
          try {
            const status = getSupportStatus(
              {
                endOfStandardSupport: own.endOfStandardSupportDate,
                endOfExtendedSupport: own.endOfExtendedSupportDate,
              },
              now,
            );
            row.support = {
              state: status.state,
              endOfStandardSupport: status.endOfStandardSupport
                .toISOString()
                .slice(0, 10),
              endOfExtendedSupport: status.endOfExtendedSupport
                .toISOString()
                .slice(0, 10),
              daysLeft: status.daysLeft,
            };
            endOfSupport.set(cluster.entityRef, {
              standard: row.support.endOfStandardSupport,
              extended: row.support.endOfExtendedSupport,
            });
          } catch {
            // A calendar entry EKS got wrong: no support figures for it.
          }
        }
        const offered = next && calendar?.some(v => v.version === next);
        const [insights, findings, addons] = await Promise.all([
          insightsOf.get(target.arn)!.then(i => i ?? []),
          findingsOf.then(f => f.get(target.arn) ?? []),
          offered && cluster.addons.length > 0
            ? this.limited(target, () =>
                this.options.releases.addonVersions(target, next),
              ).then(
                ({ data: offer }) =>
                  cluster.addons.map(addon => ({
                    name: addon.name,
                    installedVersion: addon.version,
                    nextDefaultVersion: offer[addon.name]?.defaultVersion,
                    compatibleWithNext: Boolean(
                      addon.version &&
                        offer[addon.name]?.versions.includes(addon.version),
                    ),
                  })),
                error => {
                  fail('addons', error, cluster.entityRef);
                  return [];
                },
              )
            : Promise.resolve([]),
        ]);
        blockers.push(
          ...deriveClusterBlockers({
            clusterRef: cluster.entityRef,
            targetVersion: next,
            insights,
            findings,
            addons,
            policies: this.options.policies,
          }),
        );
      }),
    );
    const nextWaves = await wavesLoad;
    for (const [ref, wave] of nextWaves) {
      const row = rows.get(ref);
      if (row) row.nextWave = wave;
    }
    const state = (source: SourceName, off = false): BlockerSourceState => {
      const failed = failures.get(source);
      if (off) return { state: 'off', failedClusters: 0 };
      if (!failed) return { state: 'ok', failedClusters: 0 };
      const whole =
        source === 'rollouts' ||
        failed.count >=
          (source === 'support' ? calendars.size : targets.length);
      return {
        state: whole ? 'failed' : 'partial',
        // A region's calendar or the rollouts failing whole fails every
        // cluster; otherwise the count is of clusters (regions for support).
        failedClusters:
          whole && (source === 'rollouts' || source === 'support')
            ? targets.length
            : failed.count,
        ...(failed.message ? { message: failed.message } : {}),
      };
    };
    return {
      blockers,
      clusters: rows,
      endOfSupport,
      nextWaves,
      sources: {
        insights: state('insights'),
        findings: state('findings', !this.options.findings),
        addons: state('addons'),
        support: state('support'),
        rollouts: state('rollouts'),
      },
    };
  }

  /**
   * Reads the cached sources (insights and findings) of the clusters again,
   * whether kept or not, replacing each kept answer once the new one is in:
   * a read that fails keeps the old answer until its TTL ends. Runs through
   * the same limits as the cards' reads.
   */
  async refresh(
    clusters: readonly BlockerClusterRecord[],
  ): Promise<BlockersRefresh> {
    const targets = clusters.flatMap(c => (c.target ? [c.target] : []));
    const failed = { insights: 0, findings: 0 };
    const fail: Failed = (source, error, target) => {
      if (source === 'insights' || source === 'findings') failed[source] += 1;
      this.options.logger.debug(
        `Upgrade blockers: refreshing the ${source} of ${
          target.entityRef
        } failed: ${failureLogDetail(error)}`,
      );
    };
    await Promise.all([
      ...this.readInsights(targets, fail, { refresh: true }).values(),
      this.readFindings(targets, fail, { refresh: true }),
    ]);
    return { clusters: targets.length, failed };
  }

  private limited<T>(target: EksClusterTarget, load: () => Promise<T>) {
    return this.#limiter.run(`${target.accountId}/${target.region}`, load);
  }

  /** Each cluster's upgrade insights, one read per cluster (EKS lists no more). */
  private readInsights(
    targets: readonly EksClusterTarget[],
    fail: Failed,
    options: { refresh?: boolean } = {},
  ): Map<string, Promise<EksUpgradeInsight[] | undefined>> {
    return new Map(
      targets.map(target => [
        target.arn,
        this.#fetched
          .get(
            `blockers:insights:${target.arn}`,
            () =>
              this.limited(target, async () =>
                readUpgradeInsights(
                  await this.options.clients.eks({
                    accountId: target.accountId,
                    region: target.region,
                  }),
                  target.clusterName,
                  {
                    // Only removed APIs carry blockers: the rest are
                    // neither listed in detail nor described.
                    statuses: ['ERROR', 'WARNING', 'UNKNOWN'],
                    describe: insight => DEPRECATED_APIS.test(insight.name),
                  },
                ),
              ),
            options,
          )
          .then(
            f => f.data,
            error => {
              fail('insights', error, target);
              return undefined;
            },
          ),
      ]),
    );
  }

  /**
   * Each cluster's findings, cached per cluster; those not kept are read
   * together per the source's scope (an account and region for Security
   * Hub), so one read answers every cluster of a scope a card asks about.
   */
  private async readFindings(
    targets: readonly EksClusterTarget[],
    fail: Failed,
    options: { refresh?: boolean } = {},
  ): Promise<Map<string, EksClusterFinding[]>> {
    const source = this.options.findings;
    const out = new Map<string, EksClusterFinding[]>();
    if (!source) {
      return out;
    }
    const scopes = new Map<string, Map<string, EksClusterTarget>>();
    for (const target of targets) {
      const key = `blockers:findings:${source.id}:${target.arn}`;
      const scope = source.scopeOf(target);
      scopes.set(scope, (scopes.get(scope) ?? new Map()).set(key, target));
    }
    await Promise.all(
      [...scopes.values()].map(async members => {
        const answers = await this.#fetched.getMany<EksClusterFinding[]>(
          [...members.keys()],
          async missing => {
            const asked = missing.map(key => members.get(key)!);
            const read = await this.limited(asked[0], () =>
              source.read(asked, { now: this.now() }),
            );
            return Object.fromEntries(
              missing.flatMap(key => {
                const arn = members.get(key)!.arn;
                return arn in read ? [[key, read[arn]]] : [];
              }),
            );
          },
          options,
        );
        for (const [key, target] of members) {
          const answer = answers.get(key)!;
          if ('fetched' in answer) {
            out.set(target.arn, answer.fetched.data);
          } else {
            fail('findings', answer.error, target);
          }
        }
      }),
    );
    return out;
  }
}
