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

/** One cluster's names. */
export interface ClusterNames {
  providerId: string;
  clusterName: string;
  arn: string;
  entityName: string;
}

/**
 * Which entity names the providers gave each cluster, so a workload may
 * name its cluster by the cluster's own name or ARN. Loaded from the
 * providers' records in the database (so it holds on every replica and
 * after a restart), again when a provider on this replica applied a read
 * and at least every `maxAgeMs` for reads applied elsewhere.
 */
export class ClusterNameIndex {
  private byClusterName = new Map<string, Set<string>>();
  private byArn = new Map<string, string>();
  private entityNames = new Set<string>();
  private loadedAt = Number.NEGATIVE_INFINITY;
  private loading?: Promise<void>;

  constructor(
    private readonly options: {
      load: () => Promise<ClusterNames[]>;
      maxAgeMs?: number;
      now?: () => number;
    },
  ) {}

  /** Marks the index stale: the next lookup loads it again. */
  invalidate(): void {
    this.loadedAt = Number.NEGATIVE_INFINITY;
  }

  /** Loads the index when it is stale; concurrent callers share one load. */
  async ensureFresh(): Promise<void> {
    const now = (this.options.now ?? Date.now)();
    if (now - this.loadedAt < (this.options.maxAgeMs ?? 60_000)) {
      return;
    }
    if (!this.loading) {
      this.loading = this.options
        .load()
        .then(clusters => {
          this.replace(clusters);
          this.loadedAt = now;
        })
        .finally(() => {
          this.loading = undefined;
        });
    }
    await this.loading;
  }

  private replace(clusters: ClusterNames[]) {
    const index = new Map<string, Set<string>>();
    const byArn = new Map<string, string>();
    const entityNames = new Set<string>();
    for (const c of clusters) {
      byArn.set(c.arn, c.entityName);
      entityNames.add(c.entityName);
      const names = index.get(c.clusterName) ?? new Set<string>();
      names.add(c.entityName);
      index.set(c.clusterName, names);
    }
    this.byClusterName = index;
    this.byArn = byArn;
    this.entityNames = entityNames;
  }

  entityNameOfArn(arn: string): string | undefined {
    return this.byArn.get(arn);
  }

  isEntityName(name: string): boolean {
    return this.entityNames.has(name);
  }

  /**
   * The entity names of clusters with this name: one when the name is
   * unique in the fleet, several when it is not (the caller decides),
   * none when no cluster has it.
   */
  entityNamesOf(clusterName: string): string[] {
    return [...(this.byClusterName.get(clusterName) ?? [])];
  }
}
