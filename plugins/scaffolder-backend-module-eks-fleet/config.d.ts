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

export interface Config {
  eksFleet?: {
    /** The EKS Fleet scaffolder actions: cluster and namespace requests. */
    scaffolder?: {
      /**
       * The fleet repository: where requests land as a change. Set exactly
       * one of github and local.
       */
      fleetRepository?: {
        /**
         * A GitHub repository: each request becomes a pull request, opened
         * by the template's publish:github:pull-request step through the
         * GitHub integration.
         */
        github?: {
          /** The repository, as the scaffolder writes it: github.com?owner=acme&repo=fleet */
          repoUrl: string;
          /** The branch pull requests target. Default "main". */
          targetBranch?: string;
        };
        /**
         * A git repository on the backend's machine: each request becomes a
         * commit on a new branch of it (the offline demo).
         */
        local?: {
          /** Its path; relative paths are taken from the backend's working directory. */
          path: string;
          /**
           * Create the repository at start-up when it is missing, with one
           * commit on the target branch. Default false.
           */
          create?: boolean;
          /** The branch new branches start from. Default "main". */
          targetBranch?: string;
          /** Who commits. Default "EKS Fleet" <eks-fleet@localhost>. */
          author?: {
            name?: string;
            email?: string;
          };
        };
      };
      /**
       * Where new clusters may be built: per account and region, the IAM
       * roles and the network a cluster request renders into its
       * manifests. A request for an account and region not listed here is
       * refused.
       */
      landingZones?: Array<{
        /** 12-digit AWS account id. */
        accountId: string;
        /**
         * What people call the account, such as "payments": the form shows
         * it beside the id. The same in every landing zone of the account.
         */
        accountName?: string;
        /** AWS region, such as eu-west-1. */
        region: string;
        /** The IAM role EKS assumes for the control plane. */
        clusterRoleArn: string;
        /** The IAM role (name) Karpenter gives the nodes it launches. */
        nodeRoleName: string;
        /** The subnets of the control plane's network interfaces (at least two). */
        subnetIds: string[];
        /** Extra security groups of the control plane. */
        securityGroupIds?: string[];
        /** A public API server endpoint besides the private one. Default false. */
        endpointPublicAccess?: boolean;
      }>;
      clusters?: {
        /**
         * The EKS add-ons a cluster request may ask for. Default: vpc-cni,
         * coredns, kube-proxy, eks-pod-identity-agent, aws-ebs-csi-driver,
         * aws-efs-csi-driver, amazon-cloudwatch-observability,
         * metrics-server.
         */
        allowedAddons?: string[];
        /** The Kubernetes namespace of the ACK resources in the management cluster. Default "ack-system". */
        ackNamespace?: string;
        /**
         * The AWS tags a new cluster carries its owner, system and
         * environment in: the keys the EKS Fleet catalog provider reads
         * them from. Default team, system and environment.
         */
        tagKeys?: {
          owner?: string;
          system?: string;
          environment?: string;
        };
        /**
         * The managed node group every new cluster gets for Karpenter and
         * the cluster add-ons; the node pools of the request are
         * Karpenter's. Default two to three m6i.large nodes.
         */
        systemNodegroup?: {
          instanceTypes?: string[];
          minSize?: number;
          maxSize?: number;
          desiredSize?: number;
        };
      };
      namespaces?: {
        /** The ClusterRole the owner group gets in its namespace. Default "edit". */
        ownerClusterRole?: string;
        /** Names refused besides kube-system, kube-public, kube-node-lease and default. */
        reservedNames?: string[];
        /**
         * How far the quotas of a cluster's namespaces may add up beyond
         * what its node groups hold at their maximum size: 1 (default)
         * allows no overcommit, 1.5 allows 50 percent.
         */
        quotaOvercommit?: number;
        /**
         * The pods a Karpenter NodePool of the fleet repository runs per
         * CPU of its spec.limits.cpu, when its limits name no pods. Default
         * 7 (an m6i.2xlarge runs 58 pods on 8 vCPUs with the VPC CNI).
         */
        karpenterPodsPerCpu?: number;
      };
    };
  };
}
