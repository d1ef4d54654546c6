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

import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { ReactNode } from 'react';
import {
  AutomaticFields,
  newWave,
  SELECTOR_FIELDS,
  SelectorFields,
  WaveFields,
  WavePolicyErrors,
  WavePolicyFields,
} from './wavePolicyFields';

const SELECTOR_LABELS: Record<
  keyof SelectorFields,
  { label: string; help: string }
> = {
  environments: { label: 'Environments', help: 'e.g. dev, staging' },
  regions: { label: 'Regions', help: 'e.g. eu-west-1' },
  accounts: { label: 'Accounts', help: '12-digit AWS account ids' },
  owners: { label: 'Owners', help: 'e.g. payments-team' },
  systems: { label: 'Systems', help: 'catalog systems' },
  clusters: { label: 'Clusters', help: 'entity or cluster names' },
  tags: { label: 'Tags', help: 'key=value, key=* for any value' },
};

/** A group of inputs with a visible legend (a fieldset). */
function Group(props: { legend: string; children: ReactNode }) {
  return (
    <Box
      component="fieldset"
      sx={{
        border: 1,
        borderColor: 'divider',
        borderRadius: 1,
        m: 0,
        p: 1.5,
        minWidth: 0,
      }}
    >
      <Typography component="legend" variant="subtitle2" sx={{ px: 0.5 }}>
        {props.legend}
      </Typography>
      <Stack
        direction="row"
        spacing={0}
        gap={1}
        flexWrap="wrap"
        alignItems="flex-start"
      >
        {props.children}
      </Stack>
    </Box>
  );
}

/** A text input whose error, once shown, replaces its hint. */
function Field(props: {
  label: string;
  value: string;
  help?: string;
  error?: string;
  showError: boolean;
  numeric?: boolean;
  wide?: boolean;
  onChange: (value: string) => void;
}) {
  const shown = props.error && (props.showError || props.value.trim() !== '');
  return (
    <TextField
      size="small"
      label={props.label}
      value={props.value}
      error={Boolean(shown)}
      helperText={shown ? props.error : props.help}
      onChange={e => props.onChange(e.target.value)}
      inputProps={props.numeric ? { inputMode: 'decimal' } : undefined}
      sx={{ width: props.wide ? 320 : 200 }}
    />
  );
}

/**
 * The wave policy of a strategy as a form: the automatic waves' numbers
 * and lists (empty keeps the default), or the waves by hand in order,
 * each with its name, bake time, approval and the clusters it takes.
 * Each field says what is wrong as it is typed (an empty required one
 * once `showErrors`).
 */
export function WavePolicyForm(props: {
  value: WavePolicyFields;
  errors: WavePolicyErrors;
  showErrors: boolean;
  onChange: (value: WavePolicyFields) => void;
}) {
  const { value, errors, showErrors, onChange } = props;
  const automatic = (change: Partial<AutomaticFields>) =>
    onChange({ ...value, automatic: { ...value.automatic, ...change } });
  const setWaves = (waves: WaveFields[]) => onChange({ ...value, waves });
  const wave = (i: number, change: Partial<WaveFields>) =>
    setWaves(value.waves.map((w, j) => (j === i ? { ...w, ...change } : w)));
  const move = (i: number, by: number) => {
    const waves = [...value.waves];
    [waves[i], waves[i + by]] = [waves[i + by], waves[i]];
    setWaves(waves);
  };
  const a = value.automatic;
  const auto = (
    key: keyof Omit<AutomaticFields, 'approvalBeforeProduction'>,
    label: string,
    help: string,
    numeric = true,
  ) => (
    <Field
      label={label}
      help={help}
      value={a[key]}
      error={errors[key]}
      showError={showErrors}
      numeric={numeric}
      wide={!numeric}
      onChange={v => automatic({ [key]: v })}
    />
  );
  return (
    <Stack spacing={1}>
      <Box>
        <FormLabel id="wave-policy-type">Waves</FormLabel>
        <RadioGroup
          row
          aria-labelledby="wave-policy-type"
          value={value.type}
          onChange={e => {
            const type = e.target.value as WavePolicyFields['type'];
            onChange({
              ...value,
              type,
              waves:
                type === 'explicit' && value.waves.length === 0
                  ? [newWave([])]
                  : value.waves,
            });
          }}
        >
          <FormControlLabel
            value="automatic"
            control={<Radio size="small" />}
            label="Automatic: growing waves of cells"
          />
          <FormControlLabel
            value="explicit"
            control={<Radio size="small" />}
            label="By hand: waves in order"
          />
        </RadioGroup>
      </Box>
      {value.type === 'automatic' && (
        <>
          <Group legend="Wave sizes">
            {auto('firstWaveSize', 'First wave (cells)', 'default 1')}
            {auto('growthFactor', 'Growth factor', 'default 2, from 1 to 100')}
            {auto('maxWaveSize', 'Largest wave (cells)', 'default unlimited')}
          </Group>
          <Group legend="Bake times">
            {auto('initialBakeMinutes', 'First bake (minutes)', 'default 60')}
            {auto(
              'bakeShrinkFactor',
              'Bake shrink factor',
              'default 0.5, above 0, at most 1',
            )}
            {auto('minBakeMinutes', 'Shortest bake (minutes)', 'default 15')}
          </Group>
          <Group legend="Production and approvals">
            {auto(
              'productionAfterWaves',
              'Production after (waves)',
              'default 2',
            )}
            {auto(
              'productionEnvironments',
              'Production environments',
              'default prod, production, prd',
              false,
            )}
            {auto(
              'environmentOrder',
              'Environment order',
              'default sandbox, dev, …, preprod',
              false,
            )}
            {auto(
              'approvalBefore',
              'Approval before (waves)',
              'e.g. wave-2, wave-3',
              false,
            )}
            <FormControlLabel
              control={
                <Checkbox
                  size="small"
                  checked={a.approvalBeforeProduction !== false}
                  onChange={e =>
                    automatic({ approvalBeforeProduction: e.target.checked })
                  }
                />
              }
              label="Approval before the first production wave"
            />
          </Group>
        </>
      )}
      {value.type === 'explicit' && (
        <>
          {value.waves.map((w, i) => {
            const at = `waves.${i}`;
            const position = `wave ${i + 1}`;
            return (
              <Group
                key={w.key}
                legend={`Wave ${i + 1}${w.name.trim() ? `: ${w.name}` : ''}`}
              >
                <Field
                  label="Wave name"
                  value={w.name}
                  error={errors[`${at}.name`]}
                  showError={showErrors}
                  onChange={name => wave(i, { name })}
                />
                <Field
                  label="Bake (minutes)"
                  help="the soak after the wave"
                  value={w.bakeMinutes}
                  error={errors[`${at}.bakeMinutes`]}
                  showError={showErrors}
                  numeric
                  onChange={bakeMinutes => wave(i, { bakeMinutes })}
                />
                <FormControlLabel
                  control={
                    <Checkbox
                      size="small"
                      checked={w.requiresApproval === true}
                      onChange={e =>
                        wave(i, { requiresApproval: e.target.checked })
                      }
                    />
                  }
                  label="Requires approval"
                />
                <Box sx={{ flexBasis: '100%' }}>
                  <Typography variant="caption" color="text.secondary">
                    Clusters not taken by an earlier wave that match every field
                    given (any of a field's comma-separated values); none given
                    takes all the rest.
                  </Typography>
                </Box>
                {SELECTOR_FIELDS.map(f => (
                  <Field
                    key={f}
                    label={SELECTOR_LABELS[f].label}
                    help={SELECTOR_LABELS[f].help}
                    value={w.selector[f]}
                    error={errors[`${at}.selector.${f}`]}
                    showError={showErrors}
                    onChange={v =>
                      wave(i, { selector: { ...w.selector, [f]: v } })
                    }
                  />
                ))}
                <Stack direction="row" sx={{ flexBasis: '100%' }}>
                  <Button
                    size="small"
                    aria-label={`Move up: ${position}`}
                    disabled={i === 0}
                    onClick={() => move(i, -1)}
                  >
                    Move up
                  </Button>
                  <Button
                    size="small"
                    aria-label={`Move down: ${position}`}
                    disabled={i === value.waves.length - 1}
                    onClick={() => move(i, 1)}
                  >
                    Move down
                  </Button>
                  <Button
                    size="small"
                    aria-label={`Remove: ${position}`}
                    onClick={() =>
                      setWaves(value.waves.filter((_, j) => j !== i))
                    }
                  >
                    Remove
                  </Button>
                </Stack>
              </Group>
            );
          })}
          {errors.waves && (
            <Typography variant="body2" color="error">
              {errors.waves}
            </Typography>
          )}
          <Box>
            <Button
              variant="outlined"
              size="small"
              onClick={() => setWaves([...value.waves, newWave(value.waves)])}
            >
              Add wave
            </Button>
          </Box>
        </>
      )}
    </Stack>
  );
}
