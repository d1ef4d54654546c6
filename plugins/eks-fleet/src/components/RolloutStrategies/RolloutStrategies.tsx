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

import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  RolloutStrategy,
  rolloutStrategyManagePermission,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { rolloutsApiRef } from '../../api/rollouts';
import { ChangeableListCard, useListChanges } from '../ChangeableListCard';
import { describeWavePolicy } from './describeWavePolicy';

type Form = {
  /** The strategy changed; unset for a new one. */
  editing?: string;
  name: string;
  title: string;
  description: string;
  wavePolicy: string;
};

const EMPTY: Form = {
  name: '',
  title: '',
  description: '',
  wavePolicy: JSON.stringify({ type: 'automatic' }, null, 2),
};

const SOURCE: Record<RolloutStrategy['source'], string> = {
  'built-in': 'built in',
  config: 'config',
  database: 'database',
};

/**
 * The saved rollout strategies: the built-in automatic waves, those in
 * config (read-only) and those saved here. A person with
 * eks-fleet.rollout.strategy.manage creates, changes and deletes those
 * saved here; the backend checks again.
 */
export function RolloutStrategies() {
  const api = useApi(rolloutsApiRef);
  const strategies = useAsyncRetry(() => api.listStrategies(), [api]);
  const { allowed: canManage } = usePermission({
    permission: rolloutStrategyManagePermission,
  });
  const [form, setForm] = useState<Form>();
  const { error, setError, act } = useListChanges({
    reload: strategies.retry,
    onDone: () => setForm(undefined),
  });
  const save = () => {
    if (!form) return;
    let wavePolicy;
    try {
      wavePolicy = JSON.parse(form.wavePolicy);
    } catch (e) {
      setError(
        new Error(`The wave policy is not JSON: ${(e as Error).message}`),
      );
      return;
    }
    const input = {
      name: form.editing ?? form.name.trim(),
      title: form.title.trim(),
      ...(form.description.trim()
        ? { description: form.description.trim() }
        : {}),
      wavePolicy,
    };
    act(form.editing ? api.updateStrategy(input) : api.createStrategy(input));
  };
  return (
    <ChangeableListCard
      title="Rollout strategies"
      testId="rollout-strategies"
      listError={strategies.error}
      changeError={error}
    >
      {strategies.loading && !strategies.value && <Progress />}
      {strategies.value && (
        <Table size="small" aria-label="Rollout strategies">
          <TableHead>
            <TableRow>
              <TableCell>Strategy</TableCell>
              <TableCell>Name</TableCell>
              <TableCell>Waves</TableCell>
              <TableCell>Source</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {strategies.value.items.map(s => (
              <TableRow key={s.name}>
                <TableCell>
                  {s.title}
                  {s.description ? ` — ${s.description}` : ''}
                </TableCell>
                <TableCell>{s.name}</TableCell>
                <TableCell>{describeWavePolicy(s.wavePolicy)}</TableCell>
                <TableCell>
                  {SOURCE[s.source]}
                  {s.updatedBy ? ` (${s.updatedBy})` : ''}
                </TableCell>
                <TableCell>
                  {s.source === 'database' && canManage && (
                    <>
                      <Button
                        size="small"
                        aria-label={`Edit: ${s.name}`}
                        onClick={() =>
                          setForm({
                            editing: s.name,
                            name: s.name,
                            title: s.title,
                            description: s.description ?? '',
                            wavePolicy: JSON.stringify(s.wavePolicy, null, 2),
                          })
                        }
                      >
                        Edit
                      </Button>
                      <Button
                        size="small"
                        aria-label={`Delete: ${s.name}`}
                        onClick={() => act(api.deleteStrategy(s.name))}
                      >
                        Delete
                      </Button>
                    </>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {canManage && !form && (
        <div>
          <Button variant="outlined" onClick={() => setForm(EMPTY)}>
            New strategy
          </Button>
        </div>
      )}
      {canManage && form && (
        <Stack
          component="form"
          spacing={1}
          aria-label={form.editing ? `Edit ${form.editing}` : 'New strategy'}
          onSubmit={e => {
            e.preventDefault();
            save();
          }}
        >
          <Stack direction="row" spacing={1}>
            <TextField
              size="small"
              label="Name"
              helperText="lower-case letters, digits and dashes"
              value={form.name}
              disabled={Boolean(form.editing)}
              onChange={e => setForm({ ...form, name: e.target.value })}
            />
            <TextField
              size="small"
              label="Title"
              value={form.title}
              onChange={e => setForm({ ...form, title: e.target.value })}
            />
            <TextField
              size="small"
              label="Description"
              fullWidth
              value={form.description}
              onChange={e => setForm({ ...form, description: e.target.value })}
            />
          </Stack>
          <TextField
            size="small"
            label="Wave policy (JSON)"
            helperText='{"type": "automatic", "firstWaveSize": 1, "growthFactor": 2, ...} or {"type": "explicit", "waves": [{"name", "selector", "bakeSeconds", "requiresApproval"}]}'
            multiline
            minRows={3}
            value={form.wavePolicy}
            onChange={e => setForm({ ...form, wavePolicy: e.target.value })}
            inputProps={{ style: { fontFamily: 'monospace' } }}
          />
          <Stack direction="row" spacing={1}>
            <Button
              type="submit"
              variant="contained"
              disabled={
                form.title.trim() === '' ||
                (!form.editing && form.name.trim() === '')
              }
            >
              {form.editing ? 'Save strategy' : 'Add strategy'}
            </Button>
            <Button
              onClick={() => {
                setForm(undefined);
                setError(undefined);
              }}
            >
              Cancel
            </Button>
          </Stack>
        </Stack>
      )}
    </ChangeableListCard>
  );
}
