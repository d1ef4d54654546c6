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
  createFormField,
  FormField,
  FormFieldBlueprint,
  FormFieldExtensionData,
} from '@backstage/plugin-scaffolder-react/alpha';

/*
 * The scaffolder template fields of the new frontend system's plugin, each
 * loading its component on first render.
 */

/** A template field extension of the plugin, its field loaded on first render. */
function formField<TName extends string>(
  name: TName,
  field: () => Promise<FormField>,
) {
  return FormFieldBlueprint.make({ name, params: { field } });
}

/** The field `ui:field: <name>` of a template: a component, its validation. */
function fieldOf(
  name: string,
  component: FormFieldExtensionData['component'],
  validation?: FormFieldExtensionData['validation'],
): FormField {
  return createFormField(
    validation ? { name, component, validation } : { name, component },
  );
}

/**
 * scaffolder-form-field:eks-fleet/kubernetes-version-picker: the template
 * field `ui:field: EksKubernetesVersionPicker`.
 *
 * @alpha
 */
export const eksKubernetesVersionPickerField = formField(
  'kubernetes-version-picker',
  () =>
    import('../components/KubernetesVersionPicker').then(m =>
      fieldOf('EksKubernetesVersionPicker', m.KubernetesVersionPicker),
    ),
);

/**
 * scaffolder-form-field:eks-fleet/cluster-picker: the wave upgrade's clusters, with the plan beside them.
 *
 * @alpha
 */
export const eksClusterPickerField = formField('cluster-picker', () =>
  import('../components/ClusterPicker').then(m =>
    fieldOf('EksClusterPicker', m.ClusterPicker, m.clusterPickerValidation),
  ),
);

/**
 * scaffolder-form-field:eks-fleet/rollout-strategy-picker: the template
 * field `ui:field: EksRolloutStrategyPicker`, a saved rollout strategy
 * from those the backend lists.
 *
 * @alpha
 */
export const eksRolloutStrategyPickerField = formField(
  'rollout-strategy-picker',
  () =>
    import('../components/RolloutStrategies').then(m =>
      fieldOf('EksRolloutStrategyPicker', m.StrategyPickerField),
    ),
);

/**
 * scaffolder-form-field:eks-fleet/landing-zone-picker: the template field
 * `ui:field: EksLandingZonePicker`, an AWS account and one of its regions
 * from the platform's landing zones.
 *
 * @alpha
 */
export const eksLandingZonePickerField = formField('landing-zone-picker', () =>
  import('../components/LandingZonePicker').then(m =>
    fieldOf(
      'EksLandingZonePicker',
      m.LandingZonePicker,
      m.landingZoneValidation,
    ),
  ),
);
