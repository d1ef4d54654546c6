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
import { JsonValue } from '@backstage/types';
import {
  FleetClusterInsights,
  FleetSourceState,
  FleetSummary,
  getSupportStatus,
  SupportStatus,
  tryParseKubernetesVersion,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import {
  AwsClientFactory,
  countUpgradeInsights,
  EksClusterTarget,
  EksFleetCost,
  EksFleetFindingCounts,
  EksFleetSource,
  EksUpgradeInsightCounts,
  EksVersionInfo,
  KeyedConcurrencyLimiter,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
import {
  ControlPlanePrice,
  DEFAULT_CONTROL_PLANE_PRICE,
  extendedExtraMonthlyUsd,
} from '../service/insightsConfig';
import { AddonOffer, EksReleaseCatalog } from '../service/EksReleaseCatalog';
import { compareAddonVersions } from './compareAddonVersions';
import { describeFailure, failureLogDetail } from '../rollouts/stepFailures';

/** What the summary needs of a cluster entity. */
export interface FleetClusterRecord {
  entityRef: string;
  /** Absent for a cluster entity without the EKS Fleet fields. */
  target?: EksClusterTarget;
  version?: string;
  /** EKS's upgrade policy: EXTENDED (the default) or STANDARD. */
  supportType?: string;
  addons: Array<{ name: string; version?: string }>;
}

/** A scope's answers, and when each cluster it could not answer for failed. */
interface ScopeAnswer<T> {
  answers: Record<string, T>;
  failed: Record<string, number>;
}

interface SourceOutcome<T> {
  values: Map<string, T>;
  state: FleetSourceState;
}

const minorOf = (version?: string) =>
  version ? tryParseKubernetesVersion(version)?.minor : undefined;
const majorMinor = (version?: string) => {
  const parsed = version ? tryParseKubernetesVersion(version) : undefined;
  return parsed ? parsed.major * 1000 + parsed.minor : undefined;
};

/**
 * Computes the fleet page's aggregate. Every AWS read is shared by many
 * clusters where AWS allows it (the version calendar once per region and
 * add-on defaults once per region and version, from the EksReleaseCatalog
 * the cluster page and rollouts read too; cost once per account, findings
 * once per account and region) and cached for the TTL; upgrade insights,
 * which EKS only lists per cluster, are read per cluster on the server, a
 * bounded number at a time, and cached too. Concurrent requests share
 * in-flight reads. Its own keys start with `fleet:`.
 */
export class FleetSummaryService {
  private readonly limiter: KeyedConcurrencyLimiter;
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly options: {
      clients: Pick<AwsClientFactory, 'eks'>;
      /** The version calendar and add-on offers, shared with the cluster page and rollouts. */
      releases: EksReleaseCatalog;
      cache: CacheService;
      cacheTtlMs: number;
      logger: LoggerService;
      cost?: EksFleetSource<EksFleetCost>;
      findings?: EksFleetSource<EksFleetFindingCounts>;
      costDays: number;
      /** AWS calls at once, overall; a quarter of it (at least 1) per account and region. */
      concurrency: number;
      /** Default AWS's list prices. */
      controlPlanePrice?: ControlPlanePrice;
      /**
       * How long a cluster (or a whole scope) whose read failed is not read
       * again; default a minute. One broken cluster must not make every
       * request read its whole account and region again.
       */
      failureTtlMs?: number;
      clock?: () => Date;
    },
  ) {
    this.limiter = new KeyedConcurrencyLimiter(
      Math.max(1, Math.floor(options.concurrency / 4)),
      options.concurrency,
    );
  }

  private now() {
    return (this.options.clock ?? (() => new Date()))();
  }

  /** The cached value, or one load shared by every caller asking meanwhile. */
  private async cached<T>(
    key: string,
    load: () => Promise<T>,
    isComplete: (value: T) => boolean = () => true,
  ): Promise<T> {
    const hit = (await this.options.cache.get(key)) as T | undefined;
    if (hit !== undefined && isComplete(hit)) {
      return hit;
    }
    let pending = this.inFlight.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = load().then(async value => {
        await this.options.cache.set(key, value as unknown as JsonValue, {
          ttl: this.options.cacheTtlMs,
        });
        return value;
      });
      const settled = pending.finally(() => this.inFlight.delete(key));
      settled.catch(() => {});
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  private eks(target: EksClusterTarget) {
    return this.options.clients.eks({
      accountId: target.accountId,
      region: target.region,
    });
  }

  /**
   * Answers for every cluster from a source that reads per scope; a scope
   * that fails leaves its clusters null and is counted, the rest stand.
   */
  private async fromSource<T>(
    kind: string,
    source: EksFleetSource<T> | undefined,
    targets: EksClusterTarget[],
    options: { limitsItself?: boolean } = {},
  ): Promise<SourceOutcome<T>> {
    const values = new Map<string, T>();
    if (!source) {
      return {
        values,
        state: {
          state: 'off',
          failedClusters: 0,
          message: `No ${kind} source is configured`,
        },
      };
    }
    const scopes = new Map<string, EksClusterTarget[]>();
    for (const target of targets) {
      const scope = source.scopeOf(target);
      const members = scopes.get(scope);
      if (members) {
        members.push(target);
      } else {
        scopes.set(scope, [target]);
      }
    }
    let failedClusters = 0;
    let message: string | undefined;
    const failureTtlMs = this.options.failureTtlMs ?? 60_000;
    await Promise.all(
      [...scopes].map(async ([scope, members]) => {
        const key = `fleet:${kind}:${source.id}:${scope}`;
        const failedKey = `${key}:failed`;
        try {
          // A scope that failed whole is not asked again for a while.
          const recent = (await this.options.cache.get(failedKey)) as
            | { message: string }
            | undefined;
          if (recent) {
            failedClusters += members.length;
            message ??= recent.message;
            return;
          }
          const read = async (): Promise<ScopeAnswer<T>> => {
            const answers = await source.read(members, { now: this.now() });
            const at = this.now().getTime();
            // Those it left out failed: remembered, so they are not the
            // reason to read the whole scope again on the next request.
            const failed: Record<string, number> = {};
            for (const m of members) {
              if (!(m.arn in answers)) failed[m.arn] = at;
            }
            return { answers, failed };
          };
          const answer = await this.cached<ScopeAnswer<T>>(
            key,
            // A source that limits its own calls is not limited twice.
            options.limitsItself
              ? read
              : () =>
                  this.limiter.run(
                    `${members[0].accountId}/${members[0].region}`,
                    read,
                  ),
            // A cluster new to the scope since the last read, or one whose
            // failure is older than the failure TTL: read again.
            cachedAnswer => {
              const now = this.now().getTime();
              return members.every(
                m =>
                  m.arn in cachedAnswer.answers ||
                  (cachedAnswer.failed?.[m.arn] !== undefined &&
                    now - cachedAnswer.failed[m.arn] < failureTtlMs),
              );
            },
          );
          for (const member of members) {
            if (member.arn in answer.answers) {
              values.set(member.arn, answer.answers[member.arn]);
            } else {
              failedClusters += 1;
            }
          }
        } catch (error) {
          failedClusters += members.length;
          const said = describeFailure(error);
          message ??= said;
          await this.options.cache
            .set(failedKey, { message: said }, { ttl: failureTtlMs })
            .catch(() => {});
          this.options.logger.warn(
            `The fleet's ${kind} from ${
              source.id
            } failed for ${scope}: ${failureLogDetail(error)}`,
          );
        }
      }),
    );
    return {
      values,
      state: {
        state: stateOf(failedClusters, targets.length),
        failedClusters,
        ...(message ? { message } : {}),
      },
    };
  }

  /**
   * EKS lists upgrade insights per cluster only: one ListInsights each, the
   * clusters of an account and region read together and cached as one.
   */
  private readonly insightCounts: EksFleetSource<EksUpgradeInsightCounts> = {
    id: 'eks',
    scopeOf: target => `${target.accountId}/${target.region}`,
    read: async members => {
      const client = await this.eks(members[0]);
      const answers: Record<string, EksUpgradeInsightCounts> = {};
      let failure: unknown;
      await Promise.all(
        members.map(target =>
          this.limiter
            .run(`${target.accountId}/${target.region}`, () =>
              countUpgradeInsights(client, target.clusterName),
            )
            .then(
              counts => {
                answers[target.arn] = counts;
              },
              error => {
                failure ??= error;
              },
            ),
        ),
      );
      // A cluster that failed is left out (and asked again next time);
      // when none answered, the whole account and region failed.
      if (failure && Object.keys(answers).length === 0) {
        throw failure;
      }
      return answers;
    },
  };

  /** The summary of the given clusters (those the caller may see). */
  async summarize(clusters: FleetClusterRecord[]): Promise<FleetSummary> {
    const now = this.now();
    const targets = clusters
      .map(c => c.target)
      .filter((t): t is EksClusterTarget => Boolean(t));

    // The version calendar, once per region (any account of it answers).
    const regions = new Map<string, EksClusterTarget>();
    for (const target of targets) {
      if (!regions.has(target.region)) {
        regions.set(target.region, target);
      }
    }
    const calendars = new Map<string, EksVersionInfo[]>();
    const failedRegions = new Map<string, string>();
    await Promise.all(
      [...regions.values()].map(async target => {
        try {
          calendars.set(
            target.region,
            (
              await this.limiter.run(
                `${target.accountId}/${target.region}`,
                () => this.options.releases.versions(target),
              )
            ).data,
          );
        } catch (error) {
          failedRegions.set(target.region, describeFailure(error));
          this.options.logger.warn(
            `EKS versions of ${target.region} failed: ${failureLogDetail(
              error,
            )}`,
          );
        }
      }),
    );

    // Add-on defaults, once per region and Kubernetes version in use.
    const offers = new Map<string, AddonOffer>();
    const failedOffers = new Set<string>();
    const offerKeys = new Map<string, EksClusterTarget & { version: string }>();
    for (const cluster of clusters) {
      if (cluster.target && cluster.version && cluster.addons.length > 0) {
        offerKeys.set(`${cluster.target.region}:${cluster.version}`, {
          ...cluster.target,
          version: cluster.version,
        });
      }
    }
    let offerMessage: string | undefined;
    await Promise.all(
      [...offerKeys].map(async ([key, target]) => {
        try {
          offers.set(
            key,
            (
              await this.limiter.run(
                `${target.accountId}/${target.region}`,
                () =>
                  this.options.releases.addonVersions(target, target.version),
              )
            ).data,
          );
        } catch (error) {
          failedOffers.add(key);
          offerMessage ??= describeFailure(error);
        }
      }),
    );

    const [insights, findings, cost] = await Promise.all([
      this.fromSource('insights', this.insightCounts, targets, {
        limitsItself: true,
      }),
      this.fromSource('findings', this.options.findings, targets),
      this.fromSource('cost', this.options.cost, targets),
    ]);

    let supportFailed = 0;
    let addonsFailed = 0;
    const statuses = new Map<string, SupportStatus>();
    const rows: FleetClusterInsights[] = clusters.map(cluster => {
      const target = cluster.target;
      const calendar = target ? calendars.get(target.region) : undefined;
      if (target && !calendar) {
        supportFailed += 1;
      }
      const own = calendar?.find(v => v.version === cluster.version);
      let status: SupportStatus | undefined;
      if (own?.endOfStandardSupportDate) {
        try {
          status = getSupportStatus(
            {
              endOfStandardSupport: own.endOfStandardSupportDate,
              endOfExtendedSupport: own.endOfExtendedSupportDate,
            },
            now,
          );
          statuses.set(cluster.entityRef, status);
        } catch {
          // A calendar entry EKS got wrong: no support figures for it.
          status = undefined;
        }
      }
      const offerKey = target && `${target.region}:${cluster.version}`;
      const offer = offerKey ? offers.get(offerKey) : undefined;
      let addonsBehindDefault: FleetClusterInsights['addonsBehindDefault'] =
        null;
      if (cluster.addons.length === 0) {
        addonsBehindDefault = [];
      } else if (offer) {
        addonsBehindDefault = cluster.addons.flatMap(addon => {
          const defaultVersion = offer[addon.name]?.defaultVersion;
          if (!defaultVersion || !addon.version) {
            return [];
          }
          const order = compareAddonVersions(addon.version, defaultVersion);
          return order !== null && order < 0
            ? [{ name: addon.name, version: addon.version, defaultVersion }]
            : [];
        });
      } else if (offerKey && failedOffers.has(offerKey)) {
        addonsFailed += 1;
      }
      const insight = target ? insights.values.get(target.arn) : undefined;
      const finding = target ? findings.values.get(target.arn) : undefined;
      const spend = target ? cost.values.get(target.arn) : undefined;
      return {
        entityRef: cluster.entityRef,
        ...(cluster.version ? { kubernetesVersion: cluster.version } : {}),
        ...(status
          ? {
              support: {
                state: status.state,
                daysLeft: status.daysLeft,
                endOfStandardSupport: status.endOfStandardSupport
                  .toISOString()
                  .slice(0, 10),
                endOfExtendedSupport: status.endOfExtendedSupport
                  .toISOString()
                  .slice(0, 10),
              },
            }
          : {}),
        addonsBehindDefault,
        failingInsights: insight ? insight.error : null,
        warningInsights: insight ? insight.warning : null,
        findings: finding ? finding.total : null,
        severeFindings: finding ? finding.severe : null,
        cost: spend ? Math.round(spend.amount * 100) / 100 : null,
        extendedSupportMonthlyUsd:
          status?.state === 'extended' && cluster.supportType !== 'STANDARD'
            ? extendedExtraMonthlyUsd(
                this.options.controlPlanePrice ?? DEFAULT_CONTROL_PLANE_PRICE,
              )
            : 0,
      };
    });

    // At a glance.
    const byVersion = new Map<string, number>();
    for (const cluster of clusters) {
      const version = cluster.version ?? 'unknown';
      byVersion.set(version, (byVersion.get(version) ?? 0) + 1);
    }
    const anyCalendar = [...calendars.values()].flat();
    const versions = [...byVersion]
      .sort(
        ([a], [b]) =>
          (majorMinor(a) ?? Number.MAX_SAFE_INTEGER) -
            (majorMinor(b) ?? Number.MAX_SAFE_INTEGER) || a.localeCompare(b),
      )
      .map(([version, count]) => {
        const info = anyCalendar.find(v => v.version === version);
        const status = clusters
          .filter(c => c.version === version)
          .map(c => statuses.get(c.entityRef))
          .find(Boolean);
        return {
          version,
          clusters: count,
          ...(status ? { supportState: status.state } : {}),
          ...(info?.endOfStandardSupportDate
            ? { endOfStandardSupport: info.endOfStandardSupportDate }
            : {}),
        };
      });

    const standardWithin = (days: number) =>
      [...statuses.values()].filter(
        s => s.state === 'standard' && s.daysLeft <= days,
      ).length;
    const billedExtended = (cluster: FleetClusterRecord, inDays: number) => {
      const status = statuses.get(cluster.entityRef);
      if (!status || cluster.supportType === 'STANDARD') {
        return false;
      }
      const standardLeft =
        status.state === 'standard' ? status.daysLeft - inDays : -1;
      return standardLeft <= 0 && status.daysUntilUnsupported - inDays > 0;
    };
    const clustersNow = clusters.filter(c => billedExtended(c, 0)).length;
    const clustersIn90Days = clusters.filter(c => billedExtended(c, 90)).length;

    const minors = clusters
      .map(c => ({ version: c.version, key: majorMinor(c.version) }))
      .filter((v): v is { version: string; key: number } => v.key !== undefined)
      .sort((a, b) => a.key - b.key);
    const newestAvailable = anyCalendar
      .filter(v => v.status === 'STANDARD_SUPPORT' && majorMinor(v.version))
      .sort((a, b) => majorMinor(b.version)! - majorMinor(a.version)!)[0];
    const oldest = minors[0]?.version;
    const newest = minors[minors.length - 1]?.version;

    const currency =
      [...cost.values.values()].find(c => c.currency)?.currency ?? 'USD';
    return {
      generatedAt: now.toISOString(),
      clusterCount: clusters.length,
      versions,
      endOfStandardSupport: {
        within30Days: standardWithin(30),
        within60Days: standardWithin(60),
        within90Days: standardWithin(90),
        inExtendedSupport: [...statuses.values()].filter(
          s => s.state === 'extended',
        ).length,
        unsupported: [...statuses.values()].filter(
          s => s.state === 'unsupported',
        ).length,
      },
      extendedSupportCost: {
        clustersNow,
        monthlyUsdNow:
          clustersNow *
          extendedExtraMonthlyUsd(
            this.options.controlPlanePrice ?? DEFAULT_CONTROL_PLANE_PRICE,
          ),
        clustersIn90Days,
        monthlyUsdIn90Days:
          clustersIn90Days *
          extendedExtraMonthlyUsd(
            this.options.controlPlanePrice ?? DEFAULT_CONTROL_PLANE_PRICE,
          ),
        perClusterMonthlyUsd: extendedExtraMonthlyUsd(
          this.options.controlPlanePrice ?? DEFAULT_CONTROL_PLANE_PRICE,
        ),
      },
      versionSkew: {
        ...(oldest ? { oldest } : {}),
        ...(newest ? { newest } : {}),
        minors:
          oldest && newest
            ? (minorOf(newest) ?? 0) - (minorOf(oldest) ?? 0)
            : 0,
        ...(newestAvailable
          ? { newestAvailable: newestAvailable.version }
          : {}),
        clustersBehindNewestAvailable: newestAvailable
          ? minors.filter(v => v.key < majorMinor(newestAvailable.version)!)
              .length
          : 0,
      },
      costDays: this.options.costDays,
      currency,
      clusters: rows,
      sources: {
        support: {
          state: stateOf(supportFailed, targets.length),
          failedClusters: supportFailed,
          ...(failedRegions.size
            ? {
                message: [...failedRegions]
                  .map(([region, m]) => `${region}: ${m}`)
                  .join('; '),
              }
            : {}),
        },
        addons: {
          state: stateOf(addonsFailed, targets.length),
          failedClusters: addonsFailed,
          ...(offerMessage ? { message: offerMessage } : {}),
        },
        insights: insights.state,
        findings: findings.state,
        cost: cost.state,
      },
    };
  }
}

function stateOf(failed: number, total: number): FleetSourceState['state'] {
  if (failed === 0) {
    return 'ok';
  }
  return failed >= total ? 'failed' : 'partial';
}
