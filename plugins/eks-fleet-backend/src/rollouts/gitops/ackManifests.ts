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

import YAML from 'yaml';
import {
  aliasOfTerms,
  NodeClassOutcome,
  nodeClassOutcome,
} from '../karpenterAmiAliases';

export {
  bottlerocketAmiAlias,
  karpenterAmiAlias,
} from '../karpenterAmiAliases';
export type { NodeClassOutcome } from '../karpenterAmiAliases';

const ACK_GROUP = 'eks.services.k8s.aws/';
const KARPENTER_GROUP = 'karpenter.k8s.aws/';

/** A managed node group's AMI release, as a node refresh asks it. */
export interface NodegroupRelease {
  /** The node group's Kubernetes minor (unchanged by a refresh). */
  version: string;
  /** EKS's AMI release, e.g. 1.34.2-20241011. */
  releaseVersion: string;
}

/** The versions a wave asks of one cluster's manifests. */
export interface WantedVersions {
  /** The Cluster's spec.version; absent: it stays (an add-on or node wave). */
  version?: string;
  /** Every Nodegroup's spec.version to `version` too. */
  nodegroups: boolean;
  /** Each Addon's spec.addonVersion, by add-on name. */
  addons: Map<string, string>;
  /** Nodegroups' spec.version and spec.releaseVersion, by node group name. */
  releases?: Map<string, NodegroupRelease>;
  /**
   * The Karpenter AMI alias each EC2NodeClass that selects an alias moves
   * to, by the alias's family (al2023, al2, bottlerocket): a class keeps
   * its family. A class of a family not here, or that selects its AMI by
   * id, tags or name, stays as it is.
   */
  amiAliases?: Map<string, string>;
}

const isKind = (doc: YAML.Document.Parsed, group: string, kind: string) => {
  const apiVersion = doc.get('apiVersion');
  return (
    typeof apiVersion === 'string' &&
    apiVersion.startsWith(group) &&
    doc.get('kind') === kind
  );
};
const isAck = (doc: YAML.Document.Parsed, kind: string) =>
  isKind(doc, ACK_GROUP, kind);
const isNodeClass = (doc: YAML.Document.Parsed) =>
  isKind(doc, KARPENTER_GROUP, 'EC2NodeClass');

/** The alias of an EC2NodeClass's amiSelectorTerms, when it selects by one. */
function aliasOf(doc: YAML.Document.Parsed): string | undefined {
  const terms = doc.getIn(['spec', 'amiSelectorTerms']);
  if (!YAML.isSeq(terms)) return undefined;
  return aliasOfTerms(
    terms.items.map(t =>
      YAML.isMap(t) && typeof t.get('alias') === 'string'
        ? { alias: String(t.get('alias')) }
        : {},
    ),
  );
}

const scalar = (value: unknown): string | undefined =>
  value === undefined || value === null ? undefined : String(value);

/**
 * Sets the versions a wave asks in one file of a cluster's control-plane
 * (or karpenter) folder, keeping the rest of the file (comments, order,
 * quoting) as it is. Returns the new content, or undefined when the file
 * already asks for them; `clusters` counts the ACK Cluster manifests it
 * holds.
 *
 * @throws Error naming the file when its YAML does not parse.
 */
export function setManifestVersions(
  path: string,
  content: string,
  wanted: WantedVersions,
): { content?: string; clusters: number; nodeClasses: NodeClassOutcome[] } {
  const docs = YAML.parseAllDocuments(content);
  let changed = false;
  let clusters = 0;
  const nodeClasses: NodeClassOutcome[] = [];
  const set = (doc: YAML.Document.Parsed, key: string[], value: string) => {
    if (scalar(doc.getIn(key)) !== value) {
      doc.setIn(key, value);
      changed = true;
    }
  };
  for (const doc of docs) {
    if (!(doc instanceof YAML.Document)) {
      continue;
    }
    if (doc.errors.length > 0) {
      throw new Error(`${path} does not parse: ${doc.errors[0].message}`);
    }
    if (isAck(doc, 'Cluster')) {
      clusters += 1;
      if (wanted.version) set(doc, ['spec', 'version'], wanted.version);
    } else if (isAck(doc, 'Nodegroup') && wanted.nodegroups) {
      if (wanted.version) {
        set(doc, ['spec', 'version'], wanted.version);
        // A release of the old minor would be refused with the new one:
        // EKS picks the new minor's latest.
        if (doc.hasIn(['spec', 'releaseVersion'])) {
          doc.deleteIn(['spec', 'releaseVersion']);
          changed = true;
        }
      }
    } else if (isAck(doc, 'Nodegroup')) {
      const release = wanted.releases?.get(String(doc.getIn(['spec', 'name'])));
      if (release) {
        set(doc, ['spec', 'version'], release.version);
        set(doc, ['spec', 'releaseVersion'], release.releaseVersion);
      }
    } else if (isNodeClass(doc) && wanted.amiAliases) {
      const outcome = nodeClassAlias(doc, wanted.amiAliases);
      nodeClasses.push(outcome);
      if (outcome.alias && aliasOf(doc) !== outcome.alias) {
        doc.setIn(
          ['spec', 'amiSelectorTerms'],
          doc.createNode([{ alias: outcome.alias }]),
        );
        changed = true;
      }
    } else if (isAck(doc, 'Addon')) {
      const addon = wanted.addons.get(String(doc.getIn(['spec', 'name'])));
      if (addon) {
        set(doc, ['spec', 'addonVersion'], addon);
      }
    }
  }
  return {
    content: changed ? docs.map(d => d.toString()).join('') : undefined,
    clusters,
    nodeClasses,
  };
}

/** The alias an EC2NodeClass moves to (see nodeClassOutcome). */
function nodeClassAlias(
  doc: YAML.Document.Parsed,
  aliases: Map<string, string>,
): NodeClassOutcome {
  const name = scalar(doc.getIn(['metadata', 'name'])) ?? 'unnamed';
  return nodeClassOutcome(name, aliasOf(doc), aliases);
}

/** The spec.version of the ACK Cluster in a file; undefined when it holds none. */
export function clusterVersionIn(content: string): string | undefined {
  for (const doc of YAML.parseAllDocuments(content)) {
    if (doc instanceof YAML.Document && doc.errors.length === 0) {
      if (isAck(doc, 'Cluster')) {
        return scalar(doc.getIn(['spec', 'version']));
      }
    }
  }
  return undefined;
}

/** The versions a cluster's manifests ask, from one file of its folder. */
export interface AskedVersions {
  /** spec.version of each ACK Cluster in the file. */
  clusters: Array<string | undefined>;
  /** spec.addonVersion by add-on name; undefined when EKS picks it. */
  addons: Map<string, string | undefined>;
  /** Each ACK Nodegroup's spec.version and spec.releaseVersion, by name. */
  nodegroups: Map<string, { version?: string; releaseVersion?: string }>;
  /** Each Karpenter EC2NodeClass's AMI alias, by name; undefined: no alias. */
  nodeClasses: Map<string, string | undefined>;
}

/**
 * A version as written: `version: 1.30` is the number 1.3 to YAML, and
 * its source text "1.30" to the person who wrote it.
 */
function versionAt(doc: YAML.Document.Parsed, key: string[]) {
  const node = doc.getIn(key, true);
  if (YAML.isScalar(node)) {
    const source = (node as YAML.Scalar.Parsed).source;
    if (typeof node.value === 'number' && typeof source === 'string') {
      return source;
    }
    return scalar(node.value);
  }
  return node === undefined ? undefined : String(node);
}

/**
 * The versions one file of a cluster's control-plane folder asks.
 *
 * @throws Error naming the file and what is wrong, when its YAML does not
 * parse or an ACK Addon names no add-on.
 */
export function askedVersionsIn(path: string, content: string): AskedVersions {
  const asked: AskedVersions = {
    clusters: [],
    addons: new Map(),
    nodegroups: new Map(),
    nodeClasses: new Map(),
  };
  for (const doc of YAML.parseAllDocuments(content)) {
    if (!(doc instanceof YAML.Document)) {
      continue;
    }
    if (doc.errors.length > 0) {
      throw new Error(`${path} does not parse: ${doc.errors[0].message}`);
    }
    if (isAck(doc, 'Cluster')) {
      asked.clusters.push(versionAt(doc, ['spec', 'version']));
    } else if (isAck(doc, 'Addon')) {
      const name = scalar(doc.getIn(['spec', 'name']));
      if (!name) {
        throw new Error(`${path} holds an ACK Addon without spec.name`);
      }
      asked.addons.set(name, versionAt(doc, ['spec', 'addonVersion']));
    } else if (isAck(doc, 'Nodegroup')) {
      // A node group without a name is the controller's to refuse.
      const name = scalar(doc.getIn(['spec', 'name'])) ?? '';
      asked.nodegroups.set(name, {
        version: versionAt(doc, ['spec', 'version']),
        releaseVersion: scalar(doc.getIn(['spec', 'releaseVersion'])),
      });
    } else if (isNodeClass(doc)) {
      asked.nodeClasses.set(
        scalar(doc.getIn(['metadata', 'name'])) ?? 'unnamed',
        aliasOf(doc),
      );
    }
  }
  return asked;
}
