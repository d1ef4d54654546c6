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

import { SxProps, Theme } from '@mui/material/styles';

/** The fleet table's rows, styled once for the whole table rather than per cell. */
export const fleetTableStyles: SxProps<Theme> = theme => ({
  '& .fleet-team': { marginLeft: theme.spacing(1), whiteSpace: 'nowrap' },
  '& tbody td': {
    padding: '6px 16px',
    borderBottom: `1px solid ${theme.palette.divider}`,
    fontSize: theme.typography.body2.fontSize,
    whiteSpace: 'nowrap',
  },
  '& tbody tr:hover': { backgroundColor: theme.palette.action.hover },
  '& .fleet-right': { textAlign: 'right' },
  '& .fleet-muted': { color: theme.palette.text.secondary },
  '& .fleet-link': {
    color: theme.palette.primary.main,
    textDecoration: 'none',
    '&:hover': { textDecoration: 'underline' },
  },
  '& .fleet-radius': {
    marginLeft: theme.spacing(1),
    padding: '0 4px',
    border: 'none',
    background: 'none',
    cursor: 'pointer',
    color: theme.palette.primary.main,
    fontSize: '0.7rem',
    textTransform: 'uppercase',
  },
  '& .fleet-support': {
    display: 'inline-block',
    padding: '0 8px',
    borderRadius: 12,
    border: '1px solid',
    fontSize: '0.75rem',
    lineHeight: '20px',
  },
  '& .fleet-support-ok': { color: theme.palette.success.main },
  // Amber text is too faint on paper: amber border, body text.
  '& .fleet-support-warning': {
    color: theme.palette.text.primary,
    borderColor: theme.palette.warning.main,
    borderWidth: 2,
  },
  '& .fleet-support-error': { color: theme.palette.error.main },
  '& .fleet-support-neutral': { color: theme.palette.text.secondary },
});
