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
import { KubernetesVersionOffer } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import CircularProgress from '@mui/material/CircularProgress';
import InputAdornment from '@mui/material/InputAdornment';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { useEffect } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { eksFleetScaffolderApiRef } from '../../api/scaffolder';

/** The field's ui:options. */
export interface KubernetesVersionPickerUiOptions {
  /**
   * The form field holding the AWS region, a dotted path into an object
   * field such as "landingZone.region" (EksLandingZonePicker's). Default
   * "region".
   */
  regionField?: string;
}

/** The string at a dotted path of the form's data, if there is one. */
function formString(formData: unknown, path: string): string | undefined {
  const value = path
    .split('.')
    .reduce<unknown>(
      (at, key) =>
        at && typeof at === 'object'
          ? (at as Record<string, unknown>)[key]
          : undefined,
      formData,
    );
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function optionLabel(version: KubernetesVersionOffer['versions'][number]) {
  const parts = [
    version.defaultVersion ? 'EKS default' : undefined,
    version.endOfStandardSupportDate
      ? `standard support until ${version.endOfStandardSupportDate}`
      : undefined,
  ].filter(Boolean);
  return `Kubernetes ${version.version}${
    parts.length ? ` (${parts.join(', ')})` : ''
  }`;
}

/**
 * The Kubernetes version of a new cluster, picked from the versions EKS has
 * in standard support in the region the form has chosen (asked from EKS
 * through the scaffolder module of EKS Fleet). A region change that drops
 * the chosen version picks EKS's default again.
 */
export const KubernetesVersionPicker = (
  props: FieldExtensionComponentProps<string, KubernetesVersionPickerUiOptions>,
) => {
  const {
    onChange,
    formData,
    required,
    rawErrors,
    schema,
    uiSchema,
    idSchema,
    formContext,
    disabled,
  } = props;
  const api = useApi(eksFleetScaffolderApiRef);
  const regionField = uiSchema?.['ui:options']?.regionField ?? 'region';
  const region = formString(formContext?.formData, regionField);

  const offer = useAsync(
    async () => (region ? api.getKubernetesVersions(region) : undefined),
    [api, region],
  );
  const versions = offer.value?.versions ?? [];

  useEffect(() => {
    if (!offer.value) {
      return;
    }
    const offered = offer.value.versions;
    if (!formData || !offered.some(v => v.version === formData)) {
      const fallback = offered.find(v => v.defaultVersion) ?? offered[0];
      if (fallback?.version !== formData) {
        onChange(fallback?.version);
      }
    }
  }, [offer.value, formData, onChange]);

  let helperText: string | undefined = schema.description;
  let error = Boolean(rawErrors?.length);
  if (!region) {
    helperText = `Pick the AWS region first: the versions depend on it`;
  } else if (offer.error) {
    helperText = `Could not ask EKS for the versions of ${region}: ${offer.error.message}`;
    error = true;
  } else if (offer.value && versions.length === 0) {
    helperText = `EKS has no Kubernetes version in standard support in ${region}`;
    error = true;
  } else if (offer.value) {
    helperText = `The versions EKS has in standard support in ${region}`;
  }

  return (
    <TextField
      id={idSchema?.$id}
      select
      fullWidth
      margin="normal"
      label={schema.title ?? 'Kubernetes version'}
      required={required}
      disabled={disabled || !region || offer.loading || versions.length === 0}
      value={versions.some(v => v.version === formData) ? formData : ''}
      onChange={event => onChange(event.target.value)}
      error={error}
      helperText={helperText}
      // The hint says why the field waits: readable while it is disabled.
      FormHelperTextProps={{
        sx: { '&.Mui-disabled': { color: 'text.secondary' } },
      }}
      inputProps={{ 'data-testid': 'kubernetes-version-picker' }}
      InputProps={
        offer.loading
          ? {
              endAdornment: (
                <InputAdornment position="end" sx={{ mr: 3 }}>
                  <CircularProgress size={20} aria-label="Loading versions" />
                </InputAdornment>
              ),
            }
          : undefined
      }
    >
      {versions.map(version => (
        <MenuItem key={version.version} value={version.version}>
          {optionLabel(version)}
        </MenuItem>
      ))}
    </TextField>
  );
};
