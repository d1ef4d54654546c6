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

import { DEFAULT_KUBERNETES_PATCH_VERSIONS } from '../fleet/defaultKubernetesVersions';
import { FleetState } from '../state/FleetState';
import { AwsServiceError, ServiceDefinition } from '../server/types';

/** The AMI types whose release EKS publishes, by their parameter path. */
const AMI_PATHS = new Set([
  'amazon-linux-2',
  'amazon-linux-2-gpu',
  'amazon-linux-2-arm64',
  'amazon-linux-2023/x86_64/standard',
  'amazon-linux-2023/arm64/standard',
  'amazon-linux-2023/x86_64/nvidia',
  'amazon-linux-2023/x86_64/neuron',
]);

const RELEASE_PARAMETER =
  /^\/aws\/service\/eks\/optimized-ami\/(\d+\.\d+)\/(.+)\/recommended\/release_version$/;

/** Where Bottlerocket publishes its latest image version per minor (x86_64, arm64). */
const BOTTLEROCKET_PARAMETER =
  /^\/aws\/service\/bottlerocket\/aws-k8s-(\d+\.\d+)\/(x86_64|arm64)\/latest\/image_version$/;

/**
 * The latest Bottlerocket image version the emulator publishes for every
 * Kubernetes minor it knows, shaped as Bottlerocket's (version-commit).
 */
export const LATEST_BOTTLEROCKET_VERSION = '1.26.1-943d9a41';

/**
 * The latest EKS-optimized AMI release of a Kubernetes minor: the minor's
 * patch, built today (the emulator's clock). UpdateNodegroupVersion without
 * a releaseVersion moves a node group to it, as EKS does.
 */
export function latestAmiRelease(minor: string, now: Date): string {
  const patch = DEFAULT_KUBERNETES_PATCH_VERSIONS[minor] ?? 0;
  const day = now.toISOString().slice(0, 10).replace(/-/g, '');
  return `${minor}.${patch}-${day}`;
}

/** The value of a public AMI parameter the emulator publishes; undefined: none. */
function publicParameter(
  state: FleetState,
  name: string,
  now: Date,
): string | undefined {
  const release = RELEASE_PARAMETER.exec(name);
  if (
    release &&
    AMI_PATHS.has(release[2]) &&
    state.catalog.kubernetesVersion(release[1])
  ) {
    return latestAmiRelease(release[1], now);
  }
  const bottlerocket = BOTTLEROCKET_PARAMETER.exec(name);
  if (bottlerocket && state.catalog.kubernetesVersion(bottlerocket[1])) {
    return LATEST_BOTTLEROCKET_VERSION;
  }
  return undefined;
}

/**
 * AWS Systems Manager, only as far as the suite reads it: the public
 * parameters in which EKS publishes the recommended AMI release of each
 * Kubernetes minor, and Bottlerocket its latest image version
 * (GetParameter).
 */
export function createSsmService(state: FleetState): ServiceDefinition {
  return {
    signingName: 'ssm',
    protocol: 'awsJson1_1',
    targetPrefix: 'AmazonSSM',
    errorNamespace: 'com.amazonaws.ssm',
    throttling: {
      code: 'ThrottlingException',
      status: 400,
      message: 'Rate exceeded',
    },
    serverError: {
      code: 'InternalServerError',
      status: 500,
      message: 'An internal error occurred.',
    },
    operations: {
      GetParameter: input => {
        const name = typeof input.Name === 'string' ? input.Name : '';
        if (name === '') {
          throw new AwsServiceError(
            'ValidationException',
            "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
          );
        }
        const now = state.now();
        const value = publicParameter(state, name, now);
        if (value === undefined) {
          throw new AwsServiceError('ParameterNotFound', '', 400);
        }
        return {
          Parameter: {
            Name: name,
            Type: 'String',
            Value: value,
            Version: 1,
            LastModifiedDate: new Date(
              `${now.toISOString().slice(0, 10)}T00:00:00Z`,
            ),
            ARN: `arn:aws:ssm:us-east-1::parameter${name}`,
            DataType: 'text',
          },
        };
      },
    },
  };
}
