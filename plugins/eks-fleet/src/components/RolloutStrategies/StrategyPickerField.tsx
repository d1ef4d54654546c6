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

import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { AUTOMATIC_STRATEGY_NAME } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { useEffect } from 'react';
import { StrategyPicker } from './StrategyPicker';

/**
 * The template field `ui:field: EksRolloutStrategyPicker`: a saved rollout
 * strategy, from those the eks-fleet backend lists; `automatic` unless
 * another is chosen.
 */
export const StrategyPickerField = (
  props: FieldExtensionComponentProps<string>,
) => {
  const { formData, onChange, schema, rawErrors, disabled, idSchema } = props;
  useEffect(() => {
    if (!formData) {
      onChange(AUTOMATIC_STRATEGY_NAME);
    }
  }, [formData, onChange]);
  return (
    <StrategyPicker
      id={idSchema?.$id}
      value={formData}
      onChange={onChange}
      label={schema.title ?? 'Strategy'}
      description={schema.description}
      error={Boolean(rawErrors?.length)}
      disabled={disabled}
    />
  );
};
