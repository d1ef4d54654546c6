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
import { FleetSourceState } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import {
  AddonOffer,
  AwsClientFactory,
  countUpgradeInsights,
  EksClusterTarget,
  EksFleetCost,
  EksFleetFindingCounts,
  EksFleetSource,
  EksReleaseCatalog,
  EksUpgradeInsightCounts,
  EksVersionInfo,
  KeyedConcurrencyLimiter,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
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
  /** Managed node groups, as the provider read them from EKS. */
  nodegroups?: Array<{
    name: string;
    version?: string;
    releaseVersion?: string;
  }>;
}

/** A scope's answers, and when each cluster it could not answer for failed. */
interface ScopeAnswer<T> {
  answers: Record<string, T>;
  failed: Record<string, number>;
}

export interface SourceOutcome<T> {
  values: Map<string, T>;
  state: FleetSourceState;
}

/** Everything read from AWS for one summary, keyed for the aggregation. */
export interface FleetReadings {
  /** The version calendar per region. */
  calendars: Map<string, EksVersionInfo[]>;
  /** Regions whose calendar could not be read, with why. */
  failedRegions: Map<string, string>;
  /** Add-on offers per `region:version`. */
  offers: Map<string, AddonOffer>;
  failedOffers: Set<string>;
  offerMessage?: string;
  insights: SourceOutcome<EksUpgradeInsightCounts>;
  findings: SourceOutcome<EksFleetFindingCounts>;
  cost: SourceOutcome<EksFleetCost>;
}

export interface FleetReadsOptions {
  clients: Pick<AwsClientFactory, 'eks'>;
  /** The version calendar and add-on offers, shared with the cluster page and rollouts. */
  releases: EksReleaseCatalog;
  cache: CacheService;
  cacheTtlMs: number;
  logger: LoggerService;
  cost?: EksFleetSource<EksFleetCost>;
  findings?: EksFleetSource<EksFleetFindingCounts>;
  /** AWS calls at once, overall; a quarter of it (at least 1) per account and region. */
  concurrency: number;
  /**
   * How long a cluster (or a whole scope) whose read failed is not read
   * again; default a minute. One broken cluster must not make every
   * request read its whole account and region again.
   */
  failureTtlMs?: number;
  now: () => Date;
}

/**
 * The AWS reads behind the fleet summary. Every read is shared by many
 * clusters where AWS allows it (the version calendar once per region and
 * add-on defaults once per region and version, from the EksReleaseCatalog
 * the cluster page and rollouts read too; cost once per account, findings
 * once per account and region) and cached for the TTL; upgrade insights,
 * which EKS only lists per cluster, are read per cluster, a bounded number
 * at a time, and cached too. Concurrent requests share in-flight reads.
 * Its own keys start with `fleet:`.
 */
export class FleetReads {
  private readonly limiter: KeyedConcurrencyLimiter;
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(private readonly options: FleetReadsOptions) {
    this.limiter = new KeyedConcurrencyLimiter(
      Math.max(1, Math.floor(options.concurrency / 4)),
      options.concurrency,
    );
  }

  /** Reads what the summary of `clusters` needs; a failed read is recorded, not thrown. */
  async read(clusters: FleetClusterRecord[]): Promise<FleetReadings> {
    const targets = clusters
      .map(c => c.target)
      .filter((t): t is EksClusterTarget => Boolean(t));
    const calendars = await this.calendars(targets);
    const offers = await this.offers(clusters);
    const [insights, findings, cost] = await Promise.all([
      this.fromSource('insights', this.insightCounts, targets, {
        limitsItself: true,
      }),
      this.fromSource('findings', this.options.findings, targets),
      this.fromSource('cost', this.options.cost, targets),
    ]);
    return { ...calendars, ...offers, insights, findings, cost };
  }

  /** The version calendar, once per region (any account of it answers). */
  private async calendars(targets: EksClusterTarget[]) {
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
    return { calendars, failedRegions };
  }

  /** Add-on defaults, once per region and Kubernetes version in use. */
  private async offers(clusters: FleetClusterRecord[]) {
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
    return { offers, failedOffers, offerMessage };
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
            const answers = await source.read(members, {
              now: this.options.now(),
            });
            const at = this.options.now().getTime();
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
              const now = this.options.now().getTime();
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
        state: sourceState(failedClusters, targets.length),
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
      const client = await this.options.clients.eks({
        accountId: members[0].accountId,
        region: members[0].region,
      });
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
}

/** A source's state from how many of its clusters failed. */
export function sourceState(
  failed: number,
  total: number,
): FleetSourceState['state'] {
  if (failed === 0) {
    return 'ok';
  }
  return failed >= total ? 'failed' : 'partial';
}
