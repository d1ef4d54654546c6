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
  ROLLOUT_STRATEGY_NAME_PATTERN,
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
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { rolloutsApiRef } from '../../api/rollouts';
import { ChangeableListCard, useListChanges } from '../ChangeableListCard';
import { describeWavePolicy } from './describeWavePolicy';
import { WavePolicyForm } from './WavePolicyForm';
import {
  defaultWavePolicyFields,
  formShowsWhole,
  wavePolicyFields,
  WavePolicyFields,
  wavePolicyOf,
} from './wavePolicyFields';

type Form = {
  /** The strategy changed; unset for a new one. */
  editing?: string;
  name: string;
  title: string;
  description: string;
  /** The wave policy in the form's fields. */
  fields: WavePolicyFields;
  /**
   * The wave policy as JSON text, set instead when the form cannot show
   * the strategy's policy whole (see formShowsWhole).
   */
  json?: string;
};

const emptyForm = (): Form => ({
  name: '',
  title: '',
  description: '',
  fields: defaultWavePolicyFields(),
});

const formOf = (s: RolloutStrategy): Form => {
  const whole = formShowsWhole(s.wavePolicy);
  return {
    editing: s.name,
    name: s.name,
    title: s.title,
    description: s.description ?? '',
    fields: whole ? wavePolicyFields(s.wavePolicy) : defaultWavePolicyFields(),
    ...(whole ? {} : { json: JSON.stringify(s.wavePolicy, null, 2) }),
  };
};

/** The backend's rules for the name, title and description. */
function strategyErrors(form: Form): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!form.editing && !ROLLOUT_STRATEGY_NAME_PATTERN.test(form.name.trim())) {
    errors.name =
      'Expected lower-case letters, digits and dashes (at most 63), e.g. "canary-first"';
  }
  if (form.title.trim().length > 200) {
    errors.title = 'Expected at most 200 characters';
  }
  if (form.description.trim().length > 2000) {
    errors.description = 'Expected at most 2000 characters';
  }
  return errors;
}

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
  /** Set by a refused save: every field's error is shown, empty ones too. */
  const [submitted, setSubmitted] = useState(false);
  const open = (next: Form | undefined) => {
    setForm(next);
    setSubmitted(false);
  };
  const { error, setError, act } = useListChanges({
    reload: strategies.retry,
    onDone: () => open(undefined),
  });
  const checked = form && wavePolicyOf(form.fields);
  const fieldErrors = {
    ...(form ? strategyErrors(form) : {}),
    ...(form?.json === undefined ? checked?.errors : {}),
  };
  const problems = Object.keys(fieldErrors).length;
  const save = () => {
    if (!form) return;
    let wavePolicy;
    if (form.json !== undefined) {
      try {
        wavePolicy = JSON.parse(form.json);
      } catch (e) {
        setError(
          new Error(`The wave policy is not JSON: ${(e as Error).message}`),
        );
        return;
      }
    } else {
      wavePolicy = checked?.policy;
    }
    if (problems > 0 || !wavePolicy) {
      setSubmitted(true);
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
  const shownError = (field: string, value: string) =>
    (submitted || value.trim() !== '') && fieldErrors[field];
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
                        onClick={() => open(formOf(s))}
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
          <Button variant="outlined" onClick={() => open(emptyForm())}>
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
              error={Boolean(shownError('name', form.name))}
              helperText={
                shownError('name', form.name) ||
                'lower-case letters, digits and dashes'
              }
              value={form.name}
              disabled={Boolean(form.editing)}
              onChange={e => setForm({ ...form, name: e.target.value })}
            />
            <TextField
              size="small"
              label="Title"
              error={Boolean(shownError('title', form.title))}
              helperText={shownError('title', form.title) || undefined}
              value={form.title}
              onChange={e => setForm({ ...form, title: e.target.value })}
            />
            <TextField
              size="small"
              label="Description"
              fullWidth
              error={Boolean(shownError('description', form.description))}
              helperText={
                shownError('description', form.description) || undefined
              }
              value={form.description}
              onChange={e => setForm({ ...form, description: e.target.value })}
            />
          </Stack>
          {form.json === undefined ? (
            <WavePolicyForm
              value={form.fields}
              errors={checked?.errors ?? {}}
              showErrors={submitted}
              onChange={fields => setForm({ ...form, fields })}
            />
          ) : (
            <>
              <Typography variant="body2">
                This wave policy has parts the form has no field for (an empty
                list, a value holding a comma, a tag key holding "="): edit it
                as JSON.
              </Typography>
              <TextField
                size="small"
                label="Wave policy (JSON)"
                helperText='{"type": "automatic", "firstWaveSize": 1, "growthFactor": 2, ...} or {"type": "explicit", "waves": [{"name", "selector", "bakeSeconds", "requiresApproval"}]}'
                multiline
                minRows={3}
                value={form.json}
                onChange={e => setForm({ ...form, json: e.target.value })}
                inputProps={{ style: { fontFamily: 'monospace' } }}
              />
            </>
          )}
          {submitted && problems > 0 && (
            <Typography variant="body2" color="error" role="alert">
              {problems === 1
                ? 'One field needs a change before saving: see the message under it.'
                : `${problems} fields need a change before saving: see the messages under them.`}
            </Typography>
          )}
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
                open(undefined);
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
