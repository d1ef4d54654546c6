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

import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { FLEET_COLUMN_IDS } from '../components/FleetTable/fleetColumns';
import { FleetTableView } from '../components/FleetTable/filterFleetRows';

/**
 * The fleet page's state, all of it in the URL's query so that a link
 * shares the view: `q` (free text), `f.<column>` (a column's filter),
 * `sort` and `dir`, `page`, and for the blast-radius view `view`,
 * `cluster` and `depth`.
 */
export interface FleetView extends FleetTableView {
  page: number;
  tab: 'clusters' | 'blast-radius';
  cluster?: string;
  depth?: number;
}

export interface FleetViewChange {
  /** Drops the free text and every column filter. */
  clearFilters?: boolean;
  query?: string;
  filter?: { column: string; value: string };
  sort?: { column: string; direction: 'asc' | 'desc' } | null;
  page?: number;
  tab?: FleetView['tab'];
  cluster?: string | null;
  depth?: number;
}

const FILTER_PREFIX = 'f.';

export function readFleetView(params: URLSearchParams): FleetView {
  const filters: Record<string, string> = {};
  for (const [key, value] of params) {
    const column = key.slice(FILTER_PREFIX.length);
    if (
      key.startsWith(FILTER_PREFIX) &&
      (FLEET_COLUMN_IDS as string[]).includes(column)
    ) {
      filters[column] = value;
    }
  }
  const sortColumn = params.get('sort');
  const page = Number(params.get('page') ?? 0);
  const depth = Number(params.get('depth'));
  return {
    query: params.get('q') ?? '',
    filters,
    sort:
      sortColumn && (FLEET_COLUMN_IDS as string[]).includes(sortColumn)
        ? {
            column: sortColumn,
            direction: params.get('dir') === 'desc' ? 'desc' : 'asc',
          }
        : undefined,
    page: Number.isInteger(page) && page > 0 ? page : 0,
    tab: params.get('view') === 'blast-radius' ? 'blast-radius' : 'clusters',
    cluster: params.get('cluster') ?? undefined,
    depth: Number.isInteger(depth) && depth >= 1 ? depth : undefined,
  };
}

export function applyFleetViewChange(
  current: URLSearchParams,
  change: FleetViewChange,
): URLSearchParams {
  const next = new URLSearchParams(current);
  const set = (key: string, value: string | undefined) =>
    value ? next.set(key, value) : next.delete(key);
  let resetPage = false;
  if (change.clearFilters) {
    for (const key of [...next.keys()]) {
      if (key === 'q' || key.startsWith(FILTER_PREFIX)) {
        next.delete(key);
      }
    }
    resetPage = true;
  }
  if (change.query !== undefined) {
    set('q', change.query);
    resetPage = true;
  }
  if (change.filter) {
    set(`${FILTER_PREFIX}${change.filter.column}`, change.filter.value);
    resetPage = true;
  }
  if (change.sort !== undefined) {
    set('sort', change.sort?.column);
    set('dir', change.sort?.direction === 'desc' ? 'desc' : undefined);
    resetPage = true;
  }
  if (change.page !== undefined) {
    set('page', change.page > 0 ? String(change.page) : undefined);
  } else if (resetPage) {
    next.delete('page');
  }
  if (change.tab !== undefined) {
    set('view', change.tab === 'blast-radius' ? 'blast-radius' : undefined);
  }
  if (change.cluster !== undefined) {
    set('cluster', change.cluster ?? undefined);
  }
  if (change.depth !== undefined) {
    set('depth', String(change.depth));
  }
  return next;
}

export function useFleetView(): [FleetView, (change: FleetViewChange) => void] {
  const [params, setParams] = useSearchParams();
  const view = useMemo(() => readFleetView(params), [params]);
  const update = useCallback(
    (change: FleetViewChange) =>
      setParams(current => applyFleetViewChange(current, change), {
        replace: true,
      }),
    [setParams],
  );
  return [view, update];
}
