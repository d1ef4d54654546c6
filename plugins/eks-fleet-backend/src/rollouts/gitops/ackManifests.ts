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

const ACK_GROUP = 'eks.services.k8s.aws/';

/** The versions a wave asks of one cluster's ACK manifests. */
export interface WantedVersions {
  /** The Cluster's spec.version. */
  version: string;
  /** Every Nodegroup's spec.version to `version` too. */
  nodegroups: boolean;
  /** Each Addon's spec.addonVersion, by add-on name. */
  addons: Map<string, string>;
}

const isAck = (doc: YAML.Document.Parsed, kind: string) => {
  const apiVersion = doc.get('apiVersion');
  return (
    typeof apiVersion === 'string' &&
    apiVersion.startsWith(ACK_GROUP) &&
    doc.get('kind') === kind
  );
};

const scalar = (value: unknown): string | undefined =>
  value === undefined || value === null ? undefined : String(value);

/**
 * Sets the versions a wave asks in one file of a cluster's control-plane
 * folder, keeping the rest of the file (comments, order, quoting) as it
 * is. Returns the new content, or undefined when the file already asks
 * for them; `clusters` counts the ACK Cluster manifests it holds.
 *
 * @throws Error naming the file when its YAML does not parse.
 */
export function setManifestVersions(
  path: string,
  content: string,
  wanted: WantedVersions,
): { content?: string; clusters: number } {
  const docs = YAML.parseAllDocuments(content);
  let changed = false;
  let clusters = 0;
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
      set(doc, ['spec', 'version'], wanted.version);
    } else if (isAck(doc, 'Nodegroup') && wanted.nodegroups) {
      set(doc, ['spec', 'version'], wanted.version);
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
  };
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

/** The versions a cluster's ACK manifests ask, from one file of its folder. */
export interface AskedVersions {
  /** spec.version of each ACK Cluster in the file. */
  clusters: Array<string | undefined>;
  /** spec.addonVersion by add-on name; undefined when EKS picks it. */
  addons: Map<string, string | undefined>;
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
  const asked: AskedVersions = { clusters: [], addons: new Map() };
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
    }
  }
  return asked;
}
