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
  FormFieldBlueprint,
} from '@backstage/plugin-scaffolder-react/alpha';

/*
 * The scaffolder template fields of the new frontend system's plugin, each
 * loading its component on first render.
 */

/**
 * scaffolder-form-field:eks-fleet/kubernetes-version-picker: the template
 * field `ui:field: EksKubernetesVersionPicker`.
 *
 * @alpha
 */
export const eksKubernetesVersionPickerField = FormFieldBlueprint.make({
  name: 'kubernetes-version-picker',
  params: {
    field: () =>
      import('../components/KubernetesVersionPicker').then(m =>
        createFormField({
          name: 'EksKubernetesVersionPicker',
          component: m.KubernetesVersionPicker,
        }),
      ),
  },
});

/**
 * scaffolder-form-field:eks-fleet/cluster-picker: the wave upgrade's clusters, with the plan beside them.
 *
 * @alpha
 */
export const eksClusterPickerField = FormFieldBlueprint.make({
  name: 'cluster-picker',
  params: {
    field: () =>
      import('../components/ClusterPicker').then(m =>
        createFormField({
          name: 'EksClusterPicker',
          component: m.ClusterPicker,
          validation: m.clusterPickerValidation,
        }),
      ),
  },
});

/**
 * scaffolder-form-field:eks-fleet/rollout-strategy-picker: the template
 * field `ui:field: EksRolloutStrategyPicker`, a saved rollout strategy
 * from those the backend lists.
 *
 * @alpha
 */
export const eksRolloutStrategyPickerField = FormFieldBlueprint.make({
  name: 'rollout-strategy-picker',
  params: {
    field: () =>
      import('../components/RolloutStrategies').then(m =>
        createFormField({
          name: 'EksRolloutStrategyPicker',
          component: m.StrategyPickerField,
        }),
      ),
  },
});

/**
 * scaffolder-form-field:eks-fleet/landing-zone-picker: the template field
 * `ui:field: EksLandingZonePicker`, an AWS account and one of its regions
 * from the platform's landing zones.
 *
 * @alpha
 */
export const eksLandingZonePickerField = FormFieldBlueprint.make({
  name: 'landing-zone-picker',
  params: {
    field: () =>
      import('../components/LandingZonePicker').then(m =>
        createFormField({
          name: 'EksLandingZonePicker',
          component: m.LandingZonePicker,
          validation: m.landingZoneValidation,
        }),
      ),
  },
});
