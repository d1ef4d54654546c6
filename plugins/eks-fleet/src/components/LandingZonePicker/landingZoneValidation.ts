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

import { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { eksFleetScaffolderApiRef } from '../../api/scaffolder';
import { LandingZoneValue, landingZoneProblem } from './landingZones';

/**
 * The field's check when the step is submitted: an account and a region
 * the landing zones offer, asked again from the server so a value from the
 * URL or a stale form is refused too. The action checks the same again.
 */
export const landingZoneValidation: CustomFieldValidator<
  LandingZoneValue
> = async (value, validation, context) => {
  // The form may hold anything here (a URL's query, a stale draft).
  if (!value?.accountId) {
    validation.addError('Pick the AWS account of the new cluster');
    return;
  }
  if (!value.region) {
    validation.addError(`Pick a region of account ${value.accountId}`);
    return;
  }
  const api = context.apiHolder.get(eksFleetScaffolderApiRef);
  if (!api) {
    validation.addError(
      'Cannot check the landing zone: the EKS Fleet scaffolder API is not installed in this app',
    );
    return;
  }
  let problem: string | undefined;
  try {
    problem = landingZoneProblem(await api.getLandingZones(), value);
  } catch (error) {
    problem = `Could not check the landing zone: ${(error as Error).message}`;
  }
  if (problem) {
    validation.addError(problem);
  }
};
