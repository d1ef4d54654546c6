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

import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

/** Where EKS publishes the recommended AMI release per AMI type, in SSM. */
const AMI_PARAMETER_PATHS: Record<string, string> = {
  AL2_x86_64: 'amazon-linux-2',
  AL2_x86_64_GPU: 'amazon-linux-2-gpu',
  AL2_ARM_64: 'amazon-linux-2-arm64',
  AL2023_x86_64_STANDARD: 'amazon-linux-2023/x86_64/standard',
  AL2023_ARM_64_STANDARD: 'amazon-linux-2023/arm64/standard',
  AL2023_x86_64_NVIDIA: 'amazon-linux-2023/x86_64/nvidia',
  AL2023_x86_64_NEURON: 'amazon-linux-2023/x86_64/neuron',
};

/**
 * The public SSM parameter holding the latest EKS-optimized AMI release of
 * a Kubernetes minor for a managed node group's AMI type; undefined for AMI
 * types EKS publishes elsewhere or not at all (Bottlerocket, Windows,
 * custom).
 *
 * @public
 */
export function eksAmiReleaseParameter(
  kubernetesVersion: string,
  amiType: string,
): string | undefined {
  const path = AMI_PARAMETER_PATHS[amiType];
  return path
    ? `/aws/service/eks/optimized-ami/${kubernetesVersion}/${path}/recommended/release_version`
    : undefined;
}

/**
 * The latest AMI release EKS recommends for managed node groups of a
 * Kubernetes minor and AMI type (e.g. "1.33.5-20261120"), from its public
 * SSM parameter; undefined when EKS publishes none for that AMI type.
 *
 * @public
 */
export async function readLatestEksAmiRelease(
  client: SSMClient,
  kubernetesVersion: string,
  amiType: string,
  options: { abortSignal?: AbortSignal } = {},
): Promise<string | undefined> {
  const name = eksAmiReleaseParameter(kubernetesVersion, amiType);
  if (!name) {
    return undefined;
  }
  const { Parameter } = await client.send(
    new GetParameterCommand({ Name: name }),
    { abortSignal: options.abortSignal },
  );
  return Parameter?.Value || undefined;
}

/**
 * The latest Bottlerocket image version for Kubernetes nodes of a minor on
 * x86_64 (e.g. "1.20.3-5d9ac849"), from the public SSM parameter
 * Bottlerocket publishes it in; undefined when it publishes none for that
 * minor.
 *
 * @public
 */
export async function readLatestBottlerocketVersion(
  client: SSMClient,
  kubernetesVersion: string,
  options: { abortSignal?: AbortSignal } = {},
): Promise<string | undefined> {
  try {
    const { Parameter } = await client.send(
      new GetParameterCommand({
        Name: `/aws/service/bottlerocket/aws-k8s-${kubernetesVersion}/x86_64/latest/image_version`,
      }),
      { abortSignal: options.abortSignal },
    );
    return Parameter?.Value || undefined;
  } catch (error) {
    // A minor Bottlerocket has no build for yet, or no longer.
    if ((error as Error).name === 'ParameterNotFound') {
      return undefined;
    }
    throw error;
  }
}
