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
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Chip from '@mui/material/Chip';
import FormControl from '@mui/material/FormControl';
import FormHelperText from '@mui/material/FormHelperText';
import Grid from '@mui/material/Grid';
import InputLabel from '@mui/material/InputLabel';
import LinearProgress from '@mui/material/LinearProgress';
import ListItemText from '@mui/material/ListItemText';
import MenuItem from '@mui/material/MenuItem';
import Select from '@mui/material/Select';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useMemo, useState } from 'react';
import { useFleetClusters } from '../../hooks/useFleetClusters';
import { useFleetSummary } from '../../hooks/useFleetSummary';
import { ownerName } from '../FleetTable/fleetColumns';
import {
  ClusterPickerFilter,
  EMPTY_PICKER_FILTER,
  filterPickerClusters,
  PickerCluster,
  pickerFilterOptions,
  supportStateOf,
} from './clusterPickerRows';
import { RolloutPlanPreview } from './RolloutPlanPreview';
import { waveUpgradeRequestOf } from './waveUpgradeRequestOf';
import { EmptyTableRow, pageOf, TablePager } from '../TablePager';

/** The field's ui:options. */
export interface ClusterPickerUiOptions {
  /** Show the rollout plan of the form's choices beside the list (default true). */
  showPlan?: boolean;
}

const PAGE = 25;

function MultiFilter(props: {
  label: string;
  options: string[];
  value: string[];
  format?: (value: string) => string;
  onChange: (value: string[]) => void;
}) {
  const id = `cluster-picker-${props.label
    .toLocaleLowerCase('en-US')
    .replace(/\W+/g, '-')}`;
  const format = props.format ?? ((v: string) => v);
  return (
    <FormControl size="small" sx={{ minWidth: 150 }}>
      <InputLabel id={`${id}-label`}>{props.label}</InputLabel>
      <Select
        labelId={`${id}-label`}
        id={id}
        multiple
        value={props.value}
        label={props.label}
        onChange={e => {
          const next = e.target.value;
          props.onChange(typeof next === 'string' ? next.split(',') : next);
        }}
        renderValue={selected => selected.map(format).join(', ')}
      >
        {props.options.map(option => (
          <MenuItem key={option} value={option}>
            <Checkbox
              size="small"
              checked={props.value.includes(option)}
              inputProps={{ 'aria-hidden': true, tabIndex: -1 }}
            />
            <ListItemText primary={format(option)} />
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
}

function supportText(cluster: PickerCluster) {
  const support = cluster.support;
  if (!support) {
    return '';
  }
  return support.state === 'unsupported'
    ? 'unsupported'
    : `${support.state}, ${support.daysLeft} days left`;
}

/**
 * The wave upgrade's clusters, chosen from the fleet: searched, narrowed by
 * version, environment, owner and support state, ticked one by one or all
 * shown at once; the value is their entity refs. Beside the list, the
 * waves the form's choices make, planned as they change.
 */
export const ClusterPicker = (
  props: FieldExtensionComponentProps<string[], ClusterPickerUiOptions>,
) => {
  const { onChange, required, rawErrors, schema, uiSchema, formContext } =
    props;
  const selected = useMemo(
    () => (Array.isArray(props.formData) ? props.formData : []),
    [props.formData],
  );
  const catalog = useFleetClusters();
  const summary = useFleetSummary(catalog.complete);
  const [filter, setFilter] =
    useState<ClusterPickerFilter>(EMPTY_PICKER_FILTER);
  const [page, setPage] = useState(0);
  const clusters: PickerCluster[] = useMemo(() => {
    const support = new Map(
      (summary.value?.clusters ?? []).map(c => [c.entityRef, c.support]),
    );
    return catalog.clusters.map(c => ({
      ...c,
      support: support.get(c.entityRef),
    }));
  }, [catalog.clusters, summary.value]);
  const options = useMemo(() => pickerFilterOptions(clusters), [clusters]);
  const shown = useMemo(
    () => filterPickerClusters(clusters, filter),
    [clusters, filter],
  );
  const selectedSet = useMemo(() => new Set(selected), [selected]);
  const byRef = useMemo(
    () => new Map(clusters.map(c => [c.entityRef, c])),
    [clusters],
  );
  // Names given by hand or by an older link: matched to the fleet's refs.
  const unknown = selected.filter(ref => !byRef.has(ref));
  const paging = pageOf(shown, page, PAGE);
  const allShownSelected =
    shown.length > 0 && shown.every(c => selectedSet.has(c.entityRef));

  const setSelected = (next: Set<string>) => onChange([...next].sort());
  const toggle = (ref: string) => {
    const next = new Set(selectedSet);
    if (next.has(ref)) {
      next.delete(ref);
    } else {
      next.add(ref);
    }
    setSelected(next);
  };
  const update = (change: Partial<ClusterPickerFilter>) => {
    setFilter(previous => ({ ...previous, ...change }));
    setPage(0);
  };
  const showPlan = uiSchema?.['ui:options']?.showPlan ?? true;
  const formData = (formContext?.formData ?? {}) as Record<string, unknown>;
  const request = waveUpgradeRequestOf(formData, selected);
  const title = schema.title ?? 'Clusters';

  const chooser = (
    <Stack
      spacing={1.5}
      component="fieldset"
      sx={{ border: 0, m: 0, p: 0, minWidth: 0 }}
    >
      <Typography component="legend" variant="subtitle1">
        {title}
        {required ? ' *' : ''}
      </Typography>
      {schema.description && (
        <Typography variant="body2" color="text.secondary">
          {schema.description}
        </Typography>
      )}
      <Stack direction="row" spacing={1} flexWrap="wrap" useFlexGap>
        <TextField
          size="small"
          label="Search clusters"
          value={filter.query}
          onChange={e => update({ query: e.target.value })}
          sx={{ minWidth: 220 }}
        />
        <MultiFilter
          label="Version"
          options={options.versions}
          value={filter.versions}
          onChange={versions => update({ versions })}
        />
        <MultiFilter
          label="Environment"
          options={options.environments}
          value={filter.environments}
          onChange={environments => update({ environments })}
        />
        <MultiFilter
          label="Owner"
          options={options.owners}
          value={filter.owners}
          format={ownerName}
          onChange={owners => update({ owners })}
        />
        <MultiFilter
          label="Support"
          options={options.supportStates}
          value={filter.supportStates}
          onChange={supportStates => update({ supportStates })}
        />
      </Stack>
      <Stack
        direction="row"
        spacing={1}
        alignItems="center"
        flexWrap="wrap"
        useFlexGap
      >
        <Chip
          color={selected.length > 0 ? 'primary' : 'default'}
          label={`${selected.length} selected`}
          data-testid="cluster-picker-count"
        />
        <Typography variant="body2" color="text.secondary">
          {shown.length} of {clusters.length} shown
          {catalog.complete ? '' : ' (loading…)'}
        </Typography>
        <Button
          size="small"
          disabled={shown.length === 0 || allShownSelected}
          onClick={() =>
            setSelected(new Set([...selected, ...shown.map(c => c.entityRef)]))
          }
        >
          Select all {shown.length} shown
        </Button>
        <Button
          size="small"
          disabled={!shown.some(c => selectedSet.has(c.entityRef))}
          onClick={() => {
            const next = new Set(selectedSet);
            shown.forEach(c => next.delete(c.entityRef));
            setSelected(next);
          }}
        >
          Clear shown
        </Button>
      </Stack>
      {!catalog.complete && catalog.clusters.length === 0 && (
        <LinearProgress aria-label="loading clusters" />
      )}
      {unknown.length > 0 && catalog.complete && (
        <FormHelperText error>
          Not in the catalog: {unknown.join(', ')}
        </FormHelperText>
      )}
      <Box sx={{ overflowX: 'auto' }}>
        <Table
          size="small"
          aria-label="Clusters to choose from"
          sx={{ '& th': { whiteSpace: 'nowrap' } }}
        >
          <TableHead>
            <TableRow>
              <TableCell padding="checkbox">
                <Checkbox
                  size="small"
                  checked={allShownSelected}
                  indeterminate={
                    !allShownSelected &&
                    shown.some(c => selectedSet.has(c.entityRef))
                  }
                  onChange={() => {
                    const next = new Set(selectedSet);
                    shown.forEach(c =>
                      allShownSelected
                        ? next.delete(c.entityRef)
                        : next.add(c.entityRef),
                    );
                    setSelected(next);
                  }}
                  inputProps={{ 'aria-label': 'Select every cluster shown' }}
                />
              </TableCell>
              <TableCell>Cluster</TableCell>
              <TableCell>Version</TableCell>
              <TableCell>Environment</TableCell>
              <TableCell>Owner</TableCell>
              <TableCell>Support</TableCell>
              <TableCell>Region</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {paging.rows.map(cluster => (
              <TableRow
                key={cluster.entityRef}
                hover
                selected={selectedSet.has(cluster.entityRef)}
                data-testid="cluster-picker-row"
              >
                <TableCell padding="checkbox">
                  <Checkbox
                    size="small"
                    checked={selectedSet.has(cluster.entityRef)}
                    onChange={() => toggle(cluster.entityRef)}
                    inputProps={{ 'aria-label': `Select ${cluster.title}` }}
                  />
                </TableCell>
                <TableCell>{cluster.title}</TableCell>
                <TableCell>{cluster.kubernetesVersion ?? ''}</TableCell>
                <TableCell>{cluster.environment ?? ''}</TableCell>
                <TableCell>{ownerName(cluster.owner)}</TableCell>
                <TableCell data-support={supportStateOf(cluster)}>
                  {supportText(cluster)}
                </TableCell>
                <TableCell>{cluster.region ?? ''}</TableCell>
              </TableRow>
            ))}
            {paging.rows.length === 0 && catalog.complete && (
              <EmptyTableRow colSpan={7}>
                <Typography variant="body2" color="text.secondary">
                  No cluster matches.
                </Typography>
              </EmptyTableRow>
            )}
          </TableBody>
        </Table>
      </Box>
      <TablePager paging={paging} onPageChange={setPage} />
      {rawErrors && rawErrors.length > 0 && (
        <FormHelperText error>{rawErrors.join('; ')}</FormHelperText>
      )}
    </Stack>
  );
  if (!showPlan) {
    return chooser;
  }
  return (
    <Grid container spacing={2} alignItems="flex-start">
      <Grid item xs={12} lg={8} sx={{ minWidth: 0 }}>
        {chooser}
      </Grid>
      <Grid item xs={12} lg={4}>
        <RolloutPlanPreview request={request} />
      </Grid>
    </Grid>
  );
};

/** At least one cluster, each an entity ref or a name. */
export const clusterPickerValidation: CustomFieldValidator<string[]> = (
  value,
  validation,
) => {
  if (!Array.isArray(value) || value.length === 0) {
    validation.addError('Choose at least one cluster');
    return;
  }
  const bad = value.filter(
    v => typeof v !== 'string' || !/^[A-Za-z0-9:/_.-]{1,255}$/.test(v),
  );
  if (bad.length > 0) {
    validation.addError(`Not a cluster reference: ${bad.join(', ')}`);
  }
};
