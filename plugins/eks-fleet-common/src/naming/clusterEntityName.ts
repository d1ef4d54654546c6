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
 * What identifies an EKS cluster across a fleet.
 *
 * @public
 */
export interface ClusterIdentity {
  accountId: string;
  region: string;
  clusterName: string;
}

/**
 * The default entity name template: unique across accounts and regions,
 * and readable in a list, the cluster's own name first.
 *
 * @public
 */
export const DEFAULT_CLUSTER_ENTITY_NAME_TEMPLATE =
  '{clusterName}-{region}-{accountId}';

const MAX_NAME_LENGTH = 63;
const HASH_LENGTH = 8;
const PLACEHOLDER = /\{(\w+)\}/g;
const KNOWN_PLACEHOLDERS = new Set(['accountId', 'region', 'clusterName']);

/**
 * Checks a name template before any cluster is named with it, so a bad
 * template fails at start-up with a message that says what is wrong.
 *
 * @throws InputError for an unknown placeholder, or a template that would
 *   not tell clusters of different accounts, regions or names apart.
 * @public
 */
export function validateClusterEntityNameTemplate(template: string): void {
  const used = new Set<string>();
  for (const [, key] of template.matchAll(PLACEHOLDER)) {
    if (!KNOWN_PLACEHOLDERS.has(key)) {
      throw new InputError(
        `Invalid cluster entity name template ${JSON.stringify(
          template,
        )}: unknown placeholder {${key}}; use {accountId}, {region} and {clusterName}`,
      );
    }
    used.add(key);
  }
  const missing = [...KNOWN_PLACEHOLDERS].filter(k => !used.has(k));
  if (missing.length > 0) {
    throw new InputError(
      `Invalid cluster entity name template ${JSON.stringify(
        template,
      )}: it must contain ${missing
        .map(k => `{${k}}`)
        .join(
          ', ',
        )}, or clusters of the same name in other accounts or regions would collide`,
    );
  }
}

// FNV-1a, 64 bits: stable in Node and browsers alike, and plenty to keep
// the shortened names of a fleet apart.
function stableHash(text: string): string {
  let hash = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * prime) & 0xffffffffffffffffn;
  }
  return hash.toString(36).padStart(13, '0').slice(-HASH_LENGTH);
}

/**
 * The catalog entity name of a cluster: deterministic from its account,
 * region and name, valid for the catalog (at most 63 characters of
 * [a-zA-Z0-9-_.], starting and ending alphanumeric). A name that would be
 * longer is cut and ends in a stable hash of the whole, so it stays unique.
 *
 * @public
 */
export function clusterEntityName(
  cluster: ClusterIdentity,
  template: string = DEFAULT_CLUSTER_ENTITY_NAME_TEMPLATE,
): string {
  for (const key of KNOWN_PLACEHOLDERS) {
    const value = cluster[key as keyof ClusterIdentity];
    if (typeof value !== 'string' || value.trim() === '') {
      throw new InputError(
        `Cannot name a cluster without its ${key}: got ${JSON.stringify(
          value,
        )}`,
      );
    }
  }
  const full = template.replace(PLACEHOLDER, (_, key: string) =>
    KNOWN_PLACEHOLDERS.has(key) ? cluster[key as keyof ClusterIdentity] : '',
  );
  const sanitized = full
    .replace(/[^a-zA-Z0-9\-_.]+/g, '-')
    .replace(/^[^a-zA-Z0-9]+/, '')
    .replace(/[^a-zA-Z0-9]+$/, '');
  if (sanitized.length > 0 && sanitized.length <= MAX_NAME_LENGTH) {
    return sanitized;
  }
  // Too long (or nothing left): keep a readable prefix, add the hash of
  // the full identity so two clusters never share a shortened name.
  const hash = stableHash(
    `${cluster.accountId}/${cluster.region}/${cluster.clusterName}`,
  );
  const prefix = sanitized
    .slice(0, MAX_NAME_LENGTH - HASH_LENGTH - 1)
    .replace(/[^a-zA-Z0-9]+$/, '');
  return prefix ? `${prefix}-${hash}` : hash;
}

/**
 * The parts of an EKS cluster ARN
 * (arn:aws:eks:us-east-1:111122223333:cluster/payments-prod).
 *
 * @throws InputError when the text is not an EKS cluster ARN.
 * @public
 */
export function parseClusterArn(arn: string): ClusterIdentity & {
  partition: string;
} {
  const match =
    typeof arn === 'string'
      ? /^arn:(aws[a-z-]*):eks:([a-z0-9-]+):(\d{12}):cluster\/([0-9A-Za-z][A-Za-z0-9\-_]{0,99})$/.exec(
          arn.trim(),
        )
      : null;
  if (!match) {
    throw new InputError(
      `Invalid EKS cluster ARN ${JSON.stringify(
        arn,
      )}: expected arn:aws:eks:<region>:<12-digit account>:cluster/<name>`,
    );
  }
  return {
    partition: match[1],
    region: match[2],
    accountId: match[3],
    clusterName: match[4],
  };
}
