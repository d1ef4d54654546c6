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

import {
  AwsClientFactory,
  Ec2NodeClass,
  EksClusterTarget,
  EksKubernetesClient,
  EksReleaseCatalog,
  EksUpgradeInsight,
  readEksAddonStates,
  readEksClusterState,
  readEksNodegroupStates,
  readLatestBottlerocketVersion,
  readLatestEksAmiRelease,
  readUpgradeInsights,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { untilAborted } from './untilAborted';

export interface InspectedCluster {
  status: string;
  version: string;
}

export interface InspectedPart {
  name: string;
  version?: string;
  status: string;
  /** A managed node group's AMI release. */
  releaseVersion?: string;
  /** A managed node group's AMI type. */
  amiType?: string;
}

/** How long the latest AMI release EKS recommends is kept once read. */
const AMI_RELEASE_TTL_MS = 10 * 60_000;

export type AddonVersionCatalog = Map<
  string,
  { versions: string[]; defaultVersion?: string }
>;

/**
 * What the checks read of a cluster. The EKS implementation is the only one
 * in production; tests of the state machine give their own.
 */
export interface ClusterInspector {
  cluster(target: EksClusterTarget, options?: Call): Promise<InspectedCluster>;
  addons(target: EksClusterTarget, options?: Call): Promise<InspectedPart[]>;
  nodegroups(
    target: EksClusterTarget,
    options?: Call,
  ): Promise<InspectedPart[]>;
  upgradeInsights(
    target: EksClusterTarget,
    options?: Call,
  ): Promise<EksUpgradeInsight[]>;
  /** The add-on versions EKS offers for a Kubernetes minor in the cluster's region. */
  addonVersions(
    target: EksClusterTarget,
    kubernetesVersion: string,
    options?: Call,
  ): Promise<AddonVersionCatalog>;
  /**
   * The latest AMI release EKS recommends for managed node groups of a
   * Kubernetes minor and AMI type in the cluster's region; undefined when
   * EKS publishes none for that AMI type. Left out, no node refresh.
   */
  latestAmiRelease?(
    target: EksClusterTarget,
    kubernetesVersion: string,
    amiType: string,
    options?: Call,
  ): Promise<string | undefined>;
  /**
   * The latest Bottlerocket image version (e.g. 1.20.3-5d9ac849) for x86_64
   * nodes of a Kubernetes minor in the cluster's region; undefined when
   * none is published. Left out, Bottlerocket EC2NodeClasses stay.
   */
  latestBottlerocketVersion?(
    target: EksClusterTarget,
    kubernetesVersion: string,
    options?: Call,
  ): Promise<string | undefined>;
  /**
   * The cluster's Karpenter EC2NodeClasses, from its Kubernetes API; empty
   * without Karpenter. Left out (the Kubernetes API is not enabled), a
   * node refresh through the EKS API leaves them alone.
   */
  nodeClasses?(
    target: EksClusterTarget,
    options?: Call,
  ): Promise<Ec2NodeClass[]>;
}

/** What every read takes: the signal that ends it early. */
export interface Call {
  abortSignal?: AbortSignal;
}

/** Reads clusters through EKS, in each cluster's own account and region. */
export class EksClusterInspector implements ClusterInspector {
  constructor(
    private readonly eks: (
      cluster: EksClusterTarget,
    ) => ReturnType<AwsClientFactory['eks']>,
    /** Add-on versions per region and minor, one read for every cluster there. */
    private readonly releases: Pick<EksReleaseCatalog, 'addonVersions'>,
    /** SSM in a cluster's account and region, for the latest AMI releases. */
    private readonly ssm?: (
      cluster: EksClusterTarget,
    ) => ReturnType<AwsClientFactory['ssm']>,
    /** Each cluster's Kubernetes API, for Karpenter's EC2NodeClasses. */
    kubernetes?: EksKubernetesClient,
  ) {
    if (kubernetes) {
      this.nodeClasses = (target, options = {}) =>
        kubernetes.listEc2NodeClasses(target, options);
    }
  }

  readonly nodeClasses?: (
    target: EksClusterTarget,
    options?: Call,
  ) => Promise<Ec2NodeClass[]>;

  readonly #amiReleases = new Map<
    string,
    { at: number; release: Promise<string | undefined> }
  >();

  async latestAmiRelease(
    target: EksClusterTarget,
    kubernetesVersion: string,
    amiType: string,
    options: Call = {},
  ): Promise<string | undefined> {
    return this.#amiRelease(target, kubernetesVersion, amiType, options, ssm =>
      readLatestEksAmiRelease(ssm, kubernetesVersion, amiType),
    );
  }

  async latestBottlerocketVersion(
    target: EksClusterTarget,
    kubernetesVersion: string,
    options: Call = {},
  ): Promise<string | undefined> {
    return this.#amiRelease(
      target,
      kubernetesVersion,
      'BOTTLEROCKET_x86_64',
      options,
      ssm => readLatestBottlerocketVersion(ssm, kubernetesVersion),
    );
  }

  #amiRelease(
    target: EksClusterTarget,
    kubernetesVersion: string,
    amiType: string,
    options: Call,
    read: (
      ssm: Awaited<ReturnType<AwsClientFactory['ssm']>>,
    ) => Promise<string | undefined>,
  ): Promise<string | undefined> {
    if (!this.ssm) {
      return Promise.resolve(undefined);
    }
    // One read per region, minor and AMI type for every cluster there.
    const key = `${target.region}/${kubernetesVersion}/${amiType}`;
    const now = Date.now();
    let cached = this.#amiReleases.get(key);
    if (!cached || now - cached.at > AMI_RELEASE_TTL_MS) {
      const ssm = this.ssm;
      cached = {
        at: now,
        release: (async () => read(await ssm(target)))(),
      };
      cached.release.catch(() => this.#amiReleases.delete(key));
      this.#amiReleases.set(key, cached);
    }
    return options.abortSignal
      ? untilAborted(cached.release, options.abortSignal)
      : cached.release;
  }

  /** The node library's EKS reads, each in the cluster's own account and region. */
  readonly cluster = this.#eksRead(readEksClusterState);
  readonly addons = this.#eksRead(readEksAddonStates);
  readonly nodegroups = this.#eksRead(readEksNodegroupStates);
  readonly upgradeInsights = this.#eksRead(readUpgradeInsights);

  async addonVersions(
    target: EksClusterTarget,
    kubernetesVersion: string,
    options: Call = {},
  ): Promise<AddonVersionCatalog> {
    // Shared by every caller through the release catalog, so no one
    // caller's signal ends it (the request timeouts bound it); each caller
    // stops waiting on its own.
    const offer = this.releases
      .addonVersions(target, kubernetesVersion)
      .then(({ data }) => new Map(Object.entries(data)));
    return options.abortSignal
      ? untilAborted(offer, options.abortSignal)
      : offer;
  }

  #eksRead<T>(
    read: (
      client: Awaited<ReturnType<AwsClientFactory['eks']>>,
      clusterName: string,
      options: Call,
    ) => Promise<T>,
  ) {
    return async (target: EksClusterTarget, options: Call = {}): Promise<T> =>
      read(await this.eks(target), target.clusterName, options);
  }
}
