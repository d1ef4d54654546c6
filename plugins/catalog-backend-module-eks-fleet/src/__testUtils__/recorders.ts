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

import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  EntityProviderConnection,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import { JsonObject } from '@backstage/types';

export interface LogLine {
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
  meta: JsonObject;
}

/** A logger that keeps what it was told, with each child's metadata. */
export function recordingLogger(
  lines: LogLine[] = [],
  meta: JsonObject = {},
): LoggerService & { lines: LogLine[] } {
  const log =
    (level: LogLine['level']) => (message: string, extra?: unknown) => {
      lines.push({
        level,
        message,
        meta: { ...meta, ...((extra as JsonObject | undefined) ?? {}) },
      });
    };
  return {
    lines,
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: log('debug'),
    child: (more: JsonObject) => recordingLogger(lines, { ...meta, ...more }),
  };
}

/**
 * A connection that applies mutations as the catalog's provider database
 * does (a full one replaces the provider's entities, a delta one adds and
 * removes), so a test sees what the catalog would hold.
 */
export function recordingConnection(): EntityProviderConnection & {
  mutations: EntityProviderMutation[];
  /** The provider's entities now, by entity ref. */
  entities: Map<string, Entity>;
  /** The cluster entities now, by title. */
  clusters(): Map<string, Entity>;
} {
  const mutations: EntityProviderMutation[] = [];
  const entities = new Map<string, Entity>();
  return {
    mutations,
    entities,
    async applyMutation(mutation) {
      // What the catalog stores is a copy, not the provider's object.
      const copy = structuredClone(mutation);
      mutations.push(copy);
      if (copy.type === 'full') {
        entities.clear();
        for (const { entity } of copy.entities) {
          entities.set(stringifyEntityRef(entity), entity);
        }
        return;
      }
      for (const removed of copy.removed) {
        entities.delete(
          'entityRef' in removed
            ? removed.entityRef
            : stringifyEntityRef(removed.entity),
        );
      }
      for (const { entity } of copy.added) {
        entities.set(stringifyEntityRef(entity), entity);
      }
    },
    async refresh() {},
    clusters() {
      return new Map(
        [...entities.values()]
          .filter(e => e.spec?.type === 'kubernetes-cluster')
          .map(e => [e.metadata.title!, e]),
      );
    },
  };
}
