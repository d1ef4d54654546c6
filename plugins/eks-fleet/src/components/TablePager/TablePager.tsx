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

/**
 * The pager under a table of pages of a fixed size. A page past the rows
 * (they shrank under a filter) shows as the last one.
 */
export function TablePager(props: {
  count: number;
  page: number;
  pageSize: number;
  onPageChange: (page: number) => void;
}) {
  const { count, pageSize } = props;
  const lastPage = Math.max(0, Math.ceil(count / pageSize) - 1);
  return (
    <TablePagination
      component="div"
      count={count}
      page={Math.min(props.page, lastPage)}
      rowsPerPage={pageSize}
      rowsPerPageOptions={[pageSize]}
      onPageChange={(_e, next) => props.onPageChange(next)}
    />
  );
}
