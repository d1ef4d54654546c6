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
  FLEET_COLUMNS,
  FleetColumn,
  FleetRow,
  fleetColumn,
} from './fleetColumns';

/** What the table shows: a free-text query, a filter per column, an order. */
export interface FleetTableView {
  query: string;
  filters: Partial<Record<string, string>>;
  sort?: { column: string; direction: 'asc' | 'desc' };
}

const COMPARISON = /^(<=|>=|<|>|=)?\s*(-?\d+(?:\.\d+)?)$/;

type Test = (row: FleetRow) => boolean;

/**
 * A column filter: on a numeric column, "<30", ">=1", "=0" or a bare
 * number compare numbers; otherwise (and on text columns) every word must
 * appear in the column's text, case-insensitive. A word starting with "!"
 * must not appear.
 */
function columnTest(column: FleetColumn, filter: string): Test | undefined {
  const value = filter.trim();
  if (!value) {
    return undefined;
  }
  if (column.matches) {
    const matches = column.matches;
    const rest = columnTest({ ...column, matches: undefined }, value)!;
    return row => matches(row, value) ?? rest(row);
  }
  const comparison = column.number ? COMPARISON.exec(value) : null;
  if (comparison && column.number) {
    const [, operator = '=', operand] = comparison;
    const n = Number(operand);
    const read = column.number;
    return row => {
      const x = read(row);
      if (x === null) {
        return false;
      }
      switch (operator) {
        case '<':
          return x < n;
        case '<=':
          return x <= n;
        case '>':
          return x > n;
        case '>=':
          return x >= n;
        default:
          return x === n;
      }
    };
  }
  return wordsTest(value, row => column.text(row));
}

function wordsTest(value: string, textOf: (row: FleetRow) => string): Test {
  const words = value.toLocaleLowerCase('en-US').split(/\s+/).filter(Boolean);
  const wanted = words.filter(w => !w.startsWith('!'));
  const unwanted = words
    .filter(w => w.startsWith('!') && w.length > 1)
    .map(w => w.slice(1));
  return row => {
    const text = textOf(row).toLocaleLowerCase('en-US');
    return (
      wanted.every(w => text.includes(w)) &&
      !unwanted.some(w => text.includes(w))
    );
  };
}

/** Each row's text in every column, lower-cased, once per row object. */
const searchTexts = new WeakMap<FleetRow, string>();
const allText = (row: FleetRow) => {
  let text = searchTexts.get(row);
  if (text === undefined) {
    text = FLEET_COLUMNS.map(c => c.text(row))
      .join(' ')
      .toLocaleLowerCase('en-US');
    searchTexts.set(row, text);
  }
  return text;
};

/** The rows the view keeps, in its order. */
export function filterFleetRows(
  rows: FleetRow[],
  view: FleetTableView,
): FleetRow[] {
  const tests: Test[] = [];
  for (const [id, filter] of Object.entries(view.filters)) {
    const column = fleetColumn(id);
    const test = column && filter ? columnTest(column, filter) : undefined;
    if (test) {
      tests.push(test);
    }
  }
  if (view.query.trim()) {
    tests.push(wordsTest(view.query, allText));
  }
  const kept = tests.length
    ? rows.filter(row => tests.every(test => test(row)))
    : [...rows];
  const column = view.sort && fleetColumn(view.sort.column);
  if (!column) {
    return kept;
  }
  const key = (row: FleetRow) =>
    column.sortKey?.(row) ?? column.number?.(row) ?? column.text(row) ?? null;
  const keyed = kept.map(row => ({ row, key: key(row) }));
  const sign = view.sort!.direction === 'desc' ? -1 : 1;
  keyed.sort((a, b) => {
    // Unknown values go last, whichever the direction.
    const aMissing = a.key === null || a.key === '';
    const bMissing = b.key === null || b.key === '';
    if (aMissing || bMissing) {
      return Number(aMissing) - Number(bMissing);
    }
    const order =
      typeof a.key === 'number' && typeof b.key === 'number'
        ? a.key - b.key
        : String(a.key).localeCompare(String(b.key), 'en-US', {
            numeric: true,
          });
    return sign * order || a.row.title.localeCompare(b.row.title);
  });
  return keyed.map(k => k.row);
}
