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
  Condition,
  Literal,
  Query,
  QuerySyntaxError,
  SelectItem,
} from './query';

/** A configuration item as advanced queries see it. */
export type Item = Record<string, unknown>;

const splitPaths = new Map<string, string[]>();

/**
 * Every value a property path reaches in an item. Lists are looked through
 * (tags.key is each tag's key), as AWS does: a condition on a list holds
 * when any element satisfies it. tags.tag is "key=value".
 */
export function valuesAt(item: Item, path: string): unknown[] {
  if (path === 'tags.tag') {
    const tags = item.tags as Array<{ key: string; value: string }> | undefined;
    return (tags ?? []).map(t => `${t.key}=${t.value}`);
  }
  if (!path.includes('.')) {
    // Top-level properties (resourceType, accountId, ...): the common case.
    const value = item[path];
    if (value === undefined || value === null) {
      return [];
    }
    return Array.isArray(value)
      ? value.filter(v => v !== undefined && v !== null)
      : [value];
  }
  let segments = splitPaths.get(path);
  if (!segments) {
    segments = path.split('.');
    splitPaths.set(path, segments);
  }
  let current: unknown[] = [item];
  for (const segment of segments) {
    const next: unknown[] = [];
    for (const value of current) {
      if (value === null || value === undefined) {
        continue;
      }
      if (Array.isArray(value)) {
        for (const element of value) {
          const child = (element as Record<string, unknown>)?.[segment];
          pushFlat(next, child);
        }
      } else if (typeof value === 'object') {
        pushFlat(next, (value as Record<string, unknown>)[segment]);
      }
    }
    current = next;
  }
  return current;
}

function pushFlat(target: unknown[], value: unknown) {
  if (value === undefined || value === null) {
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value) {
      if (v !== undefined && v !== null) {
        target.push(v);
      }
    }
  } else {
    target.push(value);
  }
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Orders two scalars as AWS does: numbers as numbers, dates as dates, else text. */
function compareScalars(a: unknown, b: Literal): number | undefined {
  if (b === null || a === null || a === undefined) {
    return undefined;
  }
  if (typeof a === 'number' || typeof b === 'number') {
    const x = Number(a);
    const y = Number(b);
    return Number.isNaN(x) || Number.isNaN(y) ? undefined : x - y;
  }
  if (typeof a === 'boolean' || typeof b === 'boolean') {
    return String(a) === String(b) ? 0 : undefined;
  }
  const x = String(a);
  const y = String(b);
  if (ISO_DATE.test(x) && ISO_DATE.test(y)) {
    return Date.parse(x) - Date.parse(y);
  }
  if (x === y) {
    return 0;
  }
  return x < y ? -1 : 1;
}

function equals(a: unknown, b: Literal): boolean {
  if (typeof b === 'string' && typeof a === 'string') {
    return a === b;
  }
  return compareScalars(a, b) === 0;
}

const likeCache = new Map<string, RegExp>();

function likeToRegExp(pattern: string): RegExp {
  let regexp = likeCache.get(pattern);
  if (!regexp) {
    const source = pattern
      .split('')
      .map(c => {
        if (c === '%') {
          return '.*';
        }
        if (c === '_') {
          return '.';
        }
        return c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('');
    regexp = new RegExp(`^${source}$`, 'is');
    likeCache.set(pattern, regexp);
  }
  return regexp;
}

/** Whether an item satisfies a WHERE condition. */
export function matches(item: Item, condition: Condition): boolean {
  switch (condition.type) {
    case 'and':
      return matches(item, condition.left) && matches(item, condition.right);
    case 'or':
      return matches(item, condition.left) || matches(item, condition.right);
    case 'not':
      return !matches(item, condition.operand);
    case 'null': {
      const isNull = valuesAt(item, condition.field).length === 0;
      return condition.negated ? !isNull : isNull;
    }
    case 'compare': {
      const values = valuesAt(item, condition.field);
      if (condition.op === '=') {
        return values.some(v => equals(v, condition.value));
      }
      if (condition.op === '!=') {
        return (
          values.length > 0 && !values.some(v => equals(v, condition.value))
        );
      }
      return values.some(v => {
        const order = compareScalars(v, condition.value);
        if (order === undefined) {
          return false;
        }
        switch (condition.op) {
          case '<':
            return order < 0;
          case '<=':
            return order <= 0;
          case '>':
            return order > 0;
          default:
            return order >= 0;
        }
      });
    }
    case 'in': {
      const values = valuesAt(item, condition.field);
      const found = values.some(v => condition.values.some(w => equals(v, w)));
      return condition.negated ? values.length > 0 && !found : found;
    }
    case 'between': {
      const values = valuesAt(item, condition.field);
      const found = values.some(v => {
        const low = compareScalars(v, condition.low);
        const high = compareScalars(v, condition.high);
        return low !== undefined && high !== undefined && low >= 0 && high <= 0;
      });
      return condition.negated ? values.length > 0 && !found : found;
    }
    case 'like': {
      const regexp = likeToRegExp(condition.pattern);
      const values = valuesAt(item, condition.field);
      const found = values.some(v => typeof v === 'string' && regexp.test(v));
      return condition.negated ? values.length > 0 && !found : found;
    }
    default:
      return false;
  }
}

/** The part of a value a property path selects, keeping its nesting. */
function project(value: unknown, segments: string[]): unknown {
  if (segments.length === 0 || value === undefined || value === null) {
    return value;
  }
  if (Array.isArray(value)) {
    const projected = value.map(element => project(element, segments));
    if (projected.every(v => v === undefined)) {
      return undefined;
    }
    // An element without the property keeps its place (as an empty
    // object), so that several properties of one list, selected side by
    // side, merge element by element.
    return projected
      .map((v, i) =>
        v === undefined && value[i] !== null && typeof value[i] === 'object'
          ? {}
          : v,
      )
      .filter(v => v !== undefined);
  }
  if (typeof value !== 'object') {
    return undefined;
  }
  const [head, ...rest] = segments;
  const child = project((value as Record<string, unknown>)[head], rest);
  return child === undefined ? undefined : { [head]: child };
}

/** Deep-merges projections of several paths into one result document. */
function merge(target: any, source: any): any {
  if (target === undefined) {
    return source;
  }
  if (Array.isArray(target) && Array.isArray(source)) {
    return Array.from(
      { length: Math.max(target.length, source.length) },
      (_, i) => merge(target[i], source[i]),
    );
  }
  if (
    target &&
    source &&
    typeof target === 'object' &&
    typeof source === 'object'
  ) {
    const result = { ...target };
    for (const [key, value] of Object.entries(source)) {
      result[key] = merge(result[key], value);
    }
    return result;
  }
  return target;
}

/** The result document of one item for a non-aggregate SELECT. */
export function selectFields(
  item: Item,
  select: SelectItem[],
): Record<string, unknown> {
  let result: Record<string, unknown> = {};
  for (const part of select) {
    if (part.type === 'all') {
      result = merge(result, item);
    } else if (part.type === 'field') {
      if (part.field === 'tags.tag') {
        const tags = (item.tags as Array<{ key: string; value: string }>) ?? [];
        if (tags.length > 0) {
          result = merge(result, {
            tags: tags.map(t => ({ tag: `${t.key}=${t.value}` })),
          });
        }
        continue;
      }
      const projected = project(item, part.field.split('.'));
      if (projected !== undefined) {
        result = merge(result, projected);
      }
    }
  }
  return result;
}

/** The names AWS lists in QueryInfo.SelectFields. */
export function selectFieldNames(query: Query): string[] {
  return query.select.map(part => {
    if (part.type === 'all') {
      return '*';
    }
    return part.type === 'field' ? part.field : part.name;
  });
}

function setPath(
  target: Record<string, unknown>,
  path: string,
  value: unknown,
) {
  const segments = path.split('.');
  let node: Record<string, unknown> = target;
  segments.slice(0, -1).forEach(segment => {
    node[segment] ??= {};
    node = node[segment] as Record<string, unknown>;
  });
  node[segments[segments.length - 1]] = value;
}

/** Rows of an aggregate query (GROUP BY and COUNT, MIN, MAX, SUM, AVG). */
export function aggregate(
  items: Item[],
  query: Query,
): Array<Record<string, unknown>> {
  const groups = new Map<string, { key: unknown[]; items: Item[] }>();
  for (const item of items) {
    const key = query.groupBy.map(field => {
      const values = valuesAt(item, field);
      return values.length === 0 ? null : values[0];
    });
    const id = JSON.stringify(key);
    const group = groups.get(id) ?? { key, items: [] };
    group.items.push(item);
    groups.set(id, group);
  }
  if (groups.size === 0 && query.groupBy.length === 0) {
    groups.set('[]', { key: [], items: [] });
  }
  const rows: Array<Record<string, unknown>> = [];
  for (const group of groups.values()) {
    const row: Record<string, unknown> = {};
    query.groupBy.forEach((field, i) => {
      if (
        group.key[i] !== null &&
        query.select.some(s => s.type === 'field' && s.field === field)
      ) {
        setPath(row, field, group.key[i]);
      }
    });
    for (const part of query.select) {
      if (part.type !== 'aggregate') {
        continue;
      }
      if (part.fn === 'COUNT') {
        row[part.name] = part.field
          ? group.items.filter(i => valuesAt(i, part.field!).length > 0).length
          : group.items.length;
        continue;
      }
      const values = group.items.flatMap(i => valuesAt(i, part.field!));
      if (part.fn === 'MIN' || part.fn === 'MAX') {
        if (values.length > 0) {
          row[part.name] = values.reduce((a, b) => {
            const order = compareScalars(a, b as Literal) ?? 0;
            return (part.fn === 'MIN' ? order <= 0 : order >= 0) ? a : b;
          });
        }
        continue;
      }
      const numbers = values.map(Number);
      if (numbers.some(n => Number.isNaN(n))) {
        throw new QuerySyntaxError(
          `${part.fn} needs a numeric property; ${part.field} is not`,
        );
      }
      const sum = numbers.reduce((a, b) => a + b, 0);
      if (part.fn === 'SUM') {
        row[part.name] = sum;
      } else {
        row[part.name] = numbers.length > 0 ? sum / numbers.length : null;
      }
    }
    rows.push(row);
  }
  return rows;
}

/** Sorts result documents by ORDER BY properties. */
export function orderRows(
  rows: Array<Record<string, unknown>>,
  orderBy: Query['orderBy'],
): Array<Record<string, unknown>> {
  if (orderBy.length === 0) {
    return rows;
  }
  const keyOf = (row: Record<string, unknown>, field: string) =>
    field in row ? row[field] : valuesAt(row, field)[0];
  return [...rows].sort((a, b) => {
    for (const { field, descending } of orderBy) {
      const x = keyOf(a, field);
      const y = keyOf(b, field);
      if (x === y) {
        continue;
      }
      if (x === undefined || x === null) {
        return 1;
      }
      if (y === undefined || y === null) {
        return -1;
      }
      const order = compareScalars(x, y as Literal) ?? 0;
      if (order !== 0) {
        return descending ? -order : order;
      }
    }
    return 0;
  });
}
