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

/**
 * Which entity names the providers gave each cluster, so a workload may
 * name its cluster by the cluster's own name. Shared between the providers
 * (which fill it after every read) and the workload processor.
 */
export class ClusterNameIndex {
  private readonly byProvider = new Map<
    string,
    Array<{ clusterName: string; arn: string; entityName: string }>
  >();
  private byClusterName = new Map<string, Set<string>>();
  private byArn = new Map<string, string>();
  private entityNames = new Set<string>();

  update(
    providerId: string,
    clusters: Array<{ clusterName: string; arn: string; entityName: string }>,
  ) {
    this.byProvider.set(providerId, clusters);
    const index = new Map<string, Set<string>>();
    const byArn = new Map<string, string>();
    const entityNames = new Set<string>();
    for (const list of this.byProvider.values()) {
      for (const c of list) {
        byArn.set(c.arn, c.entityName);
        entityNames.add(c.entityName);
        const names = index.get(c.clusterName) ?? new Set<string>();
        names.add(c.entityName);
        index.set(c.clusterName, names);
      }
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
