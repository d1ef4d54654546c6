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

import TablePagination from '@mui/material/TablePagination';

/** One page of a table's rows, and what its pager shows of them all. */
export interface TablePage<T> {
  /** The rows of the page: none for a page past the rows. */
  rows: T[];
  count: number;
  page: number;
  pageSize: number;
}

/** The page'th page of rows, pages of pageSize rows each. */
export function pageOf<T>(
  rows: readonly T[],
  page: number,
  pageSize: number,
): TablePage<T> {
  return {
    rows: rows.slice(page * pageSize, (page + 1) * pageSize),
    count: rows.length,
    page,
    pageSize,
  };
}

/**
 * The pager under a table of pages of a fixed size. A page past the rows
 * (they shrank under a filter) shows as the last one.
 */
export function TablePager(props: {
  paging: TablePage<unknown>;
  onPageChange: (page: number) => void;
}) {
  const { count, pageSize } = props.paging;
  const lastPage = Math.max(0, Math.ceil(count / pageSize) - 1);
  return (
    <TablePagination
      component="div"
      count={count}
      page={Math.min(props.paging.page, lastPage)}
      rowsPerPage={pageSize}
      rowsPerPageOptions={[pageSize]}
      onPageChange={(_e, next) => props.onPageChange(next)}
    />
  );
}
