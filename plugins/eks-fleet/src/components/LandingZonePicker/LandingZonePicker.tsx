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
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import FormControl from '@mui/material/FormControl';
import FormHelperText from '@mui/material/FormHelperText';
import FormLabel from '@mui/material/FormLabel';
import InputAdornment from '@mui/material/InputAdornment';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useEffect, useMemo } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { eksFleetScaffolderApiRef } from '../../api/scaffolder';
import {
  accountLabel,
  LandingZoneValue,
  landingZoneProblem,
  offeredAccounts,
} from './landingZones';

function propertyTitle(
  schema: FieldExtensionComponentProps<LandingZoneValue>['schema'],
  key: keyof LandingZoneValue,
  fallback: string,
): string {
  const property = schema.properties?.[key];
  return typeof property === 'object' && typeof property.title === 'string'
    ? property.title
    : fallback;
}

const loadingAdornment = (label: string) => ({
  endAdornment: (
    <InputAdornment position="end" sx={{ mr: 3 }}>
      <CircularProgress size={20} aria-label={label} />
    </InputAdornment>
  ),
});

/**
 * Where a new cluster goes: an AWS account, then a region that account
 * has a landing zone in, both from the landing zones the platform offers
 * (eksFleet.scaffolder.landingZones, asked from the scaffolder module of
 * EKS Fleet). Returns `{ accountId, region }`. An account change keeps the
 * region when the new account has it, else clears it (or takes the
 * account's only one); a value the landing zones lack is shown as an
 * error, and the field's validation refuses it.
 */
export const LandingZonePicker = (
  props: FieldExtensionComponentProps<LandingZoneValue>,
) => {
  const {
    onChange,
    formData,
    required,
    rawErrors,
    schema,
    idSchema,
    errorSchema,
    disabled,
  } = props;
  // The form's own checks of accountId and region land on those keys.
  const errors = [
    ...(rawErrors ?? []),
    ...(errorSchema?.accountId?.__errors ?? []),
    ...(errorSchema?.region?.__errors ?? []),
  ];
  const api = useApi(eksFleetScaffolderApiRef);
  const offer = useAsyncRetry(() => api.getLandingZones(), [api]);
  const accounts = useMemo(
    () => (offer.value ? offeredAccounts(offer.value) : []),
    [offer.value],
  );
  const accountId = formData?.accountId;
  const region = formData?.region;
  const account = accounts.find(a => a.accountId === accountId);
  const regions = account?.regions ?? [];

  // With one account, or an account with one region, there is no choice.
  useEffect(() => {
    if (accounts.length === 1 && !accountId) {
      const [only] = accounts;
      onChange({
        accountId: only.accountId,
        region: only.regions.length === 1 ? only.regions[0] : undefined,
      });
    }
  }, [accounts, accountId, onChange]);

  const pickAccount = (next: string) => {
    const nextRegions = accounts.find(a => a.accountId === next)?.regions ?? [];
    let nextRegion: string | undefined;
    if (region && nextRegions.includes(region)) {
      nextRegion = region;
    } else if (nextRegions.length === 1) {
      nextRegion = nextRegions[0];
    }
    onChange({ accountId: next, region: nextRegion });
  };

  const problem = offer.value
    ? landingZoneProblem(offer.value, formData)
    : undefined;
  let helperText: string | undefined = schema.description;
  let error = errors.length > 0 || Boolean(problem);
  if (offer.error) {
    helperText = `Could not load the landing zones: ${offer.error.message}`;
    error = true;
  } else if (offer.value && accounts.length === 0) {
    helperText =
      'No landing zone is configured: the platform offers no account for new clusters (eksFleet.scaffolder.landingZones)';
    error = true;
  } else if (problem) {
    helperText = problem;
  } else if (errors.length > 0) {
    helperText = errors.join('; ');
  } else if (account && !region) {
    helperText = `Account ${accountLabel(
      account,
    )} has landing zones in ${regions.join(', ')}`;
  }

  const unavailable = disabled || offer.loading || accounts.length === 0;
  const id = idSchema?.$id ?? 'landingZone';
  return (
    <FormControl
      component="fieldset"
      fullWidth
      margin="normal"
      required={required}
      error={error}
    >
      <FormLabel component="legend">{schema.title ?? 'Landing zone'}</FormLabel>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ mt: 1 }}>
        <TextField
          id={`${id}_accountId`}
          select
          fullWidth
          margin="dense"
          label={propertyTitle(schema, 'accountId', 'AWS account')}
          required={required}
          disabled={unavailable}
          value={account ? account.accountId : ''}
          onChange={event => pickAccount(event.target.value)}
          error={error && (!account || Boolean(offer.error))}
          inputProps={{ 'data-testid': 'landing-zone-account' }}
          InputProps={
            offer.loading ? loadingAdornment('Loading accounts') : undefined
          }
        >
          {accounts.map(a => (
            <MenuItem key={a.accountId} value={a.accountId}>
              {accountLabel(a)}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          id={`${id}_region`}
          select
          fullWidth
          margin="dense"
          label={propertyTitle(schema, 'region', 'AWS region')}
          required={required}
          disabled={unavailable || !account}
          value={region && regions.includes(region) ? region : ''}
          onChange={event =>
            onChange({ accountId, region: event.target.value })
          }
          error={error && Boolean(account) && !regions.includes(region ?? '')}
          inputProps={{ 'data-testid': 'landing-zone-region' }}
        >
          {regions.map(r => (
            <MenuItem key={r} value={r}>
              {r}
            </MenuItem>
          ))}
        </TextField>
      </Stack>
      {helperText && <FormHelperText>{helperText}</FormHelperText>}
      {offer.error && (
        <Button
          size="small"
          onClick={offer.retry}
          sx={{ alignSelf: 'flex-start' }}
        >
          Retry
        </Button>
      )}
    </FormControl>
  );
};
