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

import { InputError } from '@backstage/errors';

/**
 * A Kubernetes version as EKS reports it, down to the minor and, where known,
 * the patch.
 *
 * @public
 */
export interface KubernetesVersion {
  major: number;
  minor: number;
  /** Absent when only a minor was given, e.g. a control plane's "1.31". */
  patch?: number;
  /**
   * What followed the patch: an EKS build ("eks-1234abc") or an AMI
   * release date ("20241109"). Kept for display, ignored by comparisons.
   */
  build?: string;
}

// "1.31", "v1.31.2", "v1.31.2-eks-1234abc" (node kubelet), "1.31.2-20241109"
// (managed node group AMI release version).
const VERSION_PATTERN =
  /^v?(0|[1-9]\d{0,3})\.(0|[1-9]\d{0,3})(?:\.(0|[1-9]\d{0,3}))?(?:[-+]([0-9A-Za-z][0-9A-Za-z.-]{0,63}))?$/;

/**
 * Parses a Kubernetes version in any of the forms EKS uses.
 *
 * @throws InputError naming the bad value when it is not a version.
 * @public
 */
export function parseKubernetesVersion(input: string): KubernetesVersion {
  if (typeof input !== 'string') {
    throw new InputError(
      `Invalid Kubernetes version ${JSON.stringify(
        input,
      )}: expected a string such as "1.31" or "v1.31.2-eks-1234"`,
    );
  }
  const match = VERSION_PATTERN.exec(input.trim());
  if (!match) {
    throw new InputError(
      `Invalid Kubernetes version ${JSON.stringify(
        input,
      )}: expected a version such as "1.31", "v1.31.2" or "v1.31.2-eks-1234"`,
    );
  }
  const version: KubernetesVersion = {
    major: Number(match[1]),
    minor: Number(match[2]),
  };
  if (match[3] !== undefined) {
    version.patch = Number(match[3]);
  }
  if (match[4] !== undefined) {
    version.build = match[4];
  }
  return version;
}

/**
 * Like {@link parseKubernetesVersion}, but answers undefined instead of
 * throwing, for data that may legitimately hold something else.
 *
 * @public
 */
export function tryParseKubernetesVersion(
  input: string | undefined | null,
): KubernetesVersion | undefined {
  if (typeof input !== 'string') {
    return undefined;
  }
  try {
    return parseKubernetesVersion(input);
  } catch {
    return undefined;
  }
}

function toVersion(v: KubernetesVersion | string): KubernetesVersion {
  return typeof v === 'string' ? parseKubernetesVersion(v) : v;
}

/**
 * The minor version as EKS names a cluster version: "1.31".
 *
 * @public
 */
export function formatMinorVersion(v: KubernetesVersion | string): string {
  const version = toVersion(v);
  return `${version.major}.${version.minor}`;
}

/**
 * The version as given, normalised: "1.31", "1.31.2" or "1.31.2-eks-1234".
 *
 * @public
 */
export function formatKubernetesVersion(v: KubernetesVersion): string {
  let text = `${v.major}.${v.minor}`;
  if (v.patch !== undefined) {
    text += `.${v.patch}`;
  }
  if (v.build !== undefined) {
    text += `-${v.build}`;
  }
  return text;
}

/**
 * Orders two versions by major and minor only: -1, 0 or 1.
 *
 * @public
 */
export function compareMinorVersions(
  a: KubernetesVersion | string,
  b: KubernetesVersion | string,
): number {
  const x = toVersion(a);
  const y = toVersion(b);
  return Math.sign(x.major - y.major || x.minor - y.minor);
}

/**
 * Orders two versions by major, minor and patch: -1, 0 or 1. A version
 * without a patch sorts before every patch of its minor; builds are ignored.
 *
 * @public
 */
export function compareKubernetesVersions(
  a: KubernetesVersion | string,
  b: KubernetesVersion | string,
): number {
  const x = toVersion(a);
  const y = toVersion(b);
  const byMinor = compareMinorVersions(x, y);
  if (byMinor !== 0) {
    return byMinor;
  }
  return Math.sign((x.patch ?? -1) - (y.patch ?? -1));
}

/**
 * The next minor version, the only one EKS lets a cluster upgrade to.
 *
 * @public
 */
export function nextMinorVersion(
  v: KubernetesVersion | string,
): KubernetesVersion {
  const version = toVersion(v);
  return { major: version.major, minor: version.minor + 1 };
}

/**
 * How many minors the nodes are behind the control plane: 0 when they match,
 * positive when the nodes lag, negative when the nodes are ahead (which
 * Kubernetes never supports).
 *
 * @throws InputError when the major versions differ.
 * @public
 */
export function minorVersionSkew(
  controlPlane: KubernetesVersion | string,
  node: KubernetesVersion | string,
): number {
  const cp = toVersion(controlPlane);
  const n = toVersion(node);
  if (cp.major !== n.major) {
    throw new InputError(
      `Cannot compute the skew between control plane ${formatMinorVersion(
        cp,
      )} and nodes ${formatMinorVersion(n)}: major versions differ`,
    );
  }
  return cp.minor - n.minor;
}

/**
 * The largest number of minors a kubelet may lag its control plane: three
 * from Kubernetes 1.28 on, two before.
 *
 * @public
 */
export function maxSupportedNodeSkew(
  controlPlane: KubernetesVersion | string,
): number {
  const cp = toVersion(controlPlane);
  return cp.major > 1 || cp.minor >= 28 ? 3 : 2;
}

/**
 * Whether nodes at `node` are supported under a control plane at
 * `controlPlane`: never ahead of it, and no further behind than
 * {@link maxSupportedNodeSkew} allows.
 *
 * @public
 */
export function isNodeSkewSupported(
  controlPlane: KubernetesVersion | string,
  node: KubernetesVersion | string,
): boolean {
  const cp = toVersion(controlPlane);
  const n = toVersion(node);
  if (cp.major !== n.major) {
    return false;
  }
  const skew = minorVersionSkew(cp, n);
  return skew >= 0 && skew <= maxSupportedNodeSkew(cp);
}
