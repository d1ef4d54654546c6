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

import { useApi } from '@backstage/frontend-plugin-api';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { rolloutsApiRef } from '../../api/rollouts';
import { ChangeableListCard, useListChanges } from '../ChangeableListCard';
import { formatWhen } from './formatWhen';

/**
 * The fleet's change freezes (no cluster starts during one): those in
 * config and those created here; a person with the freeze permission
 * creates one or ends one created here.
 */
export function ChangeFreezes() {
  const api = useApi(rolloutsApiRef);
  const freezes = useAsyncRetry(() => api.listFreezes(), [api]);
  const [form, setForm] = useState({
    name: '',
    start: '',
    end: '',
    reason: '',
  });
  const { error, act } = useListChanges({ reload: freezes.retry });
  const now = Date.now();
  const items = (freezes.value?.items ?? []).filter(
    f => Date.parse(f.end) > now,
  );
  const ready = form.name.trim() !== '' && form.start !== '' && form.end !== '';
  return (
    <ChangeableListCard
      title="Change freezes"
      testId="change-freezes"
      listError={freezes.error}
      changeError={error}
    >
      {items.length === 0 ? (
        <Typography variant="body2">
          No change freeze now or to come: clusters start in their waves (and
          their maintenance windows).
        </Typography>
      ) : (
        <Table size="small" aria-label="Change freezes">
          <TableHead>
            <TableRow>
              <TableCell>Freeze</TableCell>
              <TableCell>From</TableCell>
              <TableCell>Until</TableCell>
              <TableCell>Why</TableCell>
              <TableCell>Set by</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {items.map(f => (
              <TableRow key={f.id ?? `config:${f.name}`}>
                <TableCell>{f.name}</TableCell>
                <TableCell>{formatWhen(f.start)}</TableCell>
                <TableCell>{formatWhen(f.end)}</TableCell>
                <TableCell>{f.reason ?? ''}</TableCell>
                <TableCell>{f.createdBy ?? 'config'}</TableCell>
                <TableCell>
                  {f.id && freezes.value?.canChange && (
                    <Button
                      size="small"
                      aria-label={`End now: ${f.name}`}
                      onClick={() => act(api.deleteFreeze(f.id!))}
                    >
                      End now
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {freezes.value?.canChange && (
        <Stack
          component="form"
          direction="row"
          spacing={1}
          alignItems="center"
          flexWrap="wrap"
          aria-label="New change freeze"
          onSubmit={e => {
            e.preventDefault();
            if (!ready) return;
            act(
              api
                .createFreeze({
                  name: form.name.trim(),
                  start: new Date(form.start).toISOString(),
                  end: new Date(form.end).toISOString(),
                  ...(form.reason.trim() ? { reason: form.reason.trim() } : {}),
                })
                .then(() =>
                  setForm({ name: '', start: '', end: '', reason: '' }),
                ),
            );
          }}
        >
          <TextField
            size="small"
            label="Freeze name"
            value={form.name}
            onChange={e => setForm({ ...form, name: e.target.value })}
          />
          <TextField
            size="small"
            type="datetime-local"
            label="From"
            InputLabelProps={{ shrink: true }}
            value={form.start}
            onChange={e => setForm({ ...form, start: e.target.value })}
          />
          <TextField
            size="small"
            type="datetime-local"
            label="Until"
            InputLabelProps={{ shrink: true }}
            value={form.end}
            onChange={e => setForm({ ...form, end: e.target.value })}
          />
          <TextField
            size="small"
            label="Why"
            value={form.reason}
            onChange={e => setForm({ ...form, reason: e.target.value })}
          />
          <Button type="submit" variant="outlined" disabled={!ready}>
            Add freeze
          </Button>
        </Stack>
      )}
    </ChangeableListCard>
  );
}
