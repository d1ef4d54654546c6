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

import { renderInTestApp } from '@backstage/frontend-test-utils';
import { createFieldValidation } from '@backstage/plugin-scaffolder-react/alpha';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { ApiHolder, ApiRef } from '@backstage/core-plugin-api';
import { LandingZoneOffer } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import {
  EksFleetScaffolderApi,
  eksFleetScaffolderApiRef,
} from '../../api/scaffolder';
import { LandingZonePicker } from './LandingZonePicker';
import { landingZoneValidation } from './landingZoneValidation';
import { LandingZoneValue } from './landingZones';

const offer: LandingZoneOffer = {
  landingZones: [
    { accountId: '481620937501', accountName: 'platform', region: 'us-east-1' },
    { accountId: '481620937501', accountName: 'platform', region: 'eu-west-1' },
    { accountId: '735260918427', accountName: 'payments', region: 'eu-west-1' },
    { accountId: '904512738860', region: 'ap-southeast-2' },
  ],
};

function fakeApi(
  answer: () => Promise<LandingZoneOffer> = async () => offer,
): EksFleetScaffolderApi & { calls: number } {
  const api = {
    calls: 0,
    async getKubernetesVersions(): Promise<never> {
      throw new Error('not asked here');
    },
    async getLandingZones() {
      api.calls += 1;
      return answer();
    },
  };
  return api;
}

/** The field in a form of its own, as the scaffolder's stepper gives it. */
function Form(props: {
  initial?: LandingZoneValue;
  onValue: (value: LandingZoneValue | undefined) => void;
  rawErrors?: string[];
}) {
  const [value, setValue] = useState(props.initial);
  const fieldProps = {
    formData: value,
    onChange: (v: LandingZoneValue | undefined) => {
      setValue(v);
      props.onValue(v);
    },
    schema: {
      title: 'Landing zone',
      type: 'object',
      description: 'An AWS account, then a region',
      properties: {
        accountId: { title: 'AWS account', type: 'string' },
        region: { title: 'AWS region', type: 'string' },
      },
    },
    uiSchema: {},
    idSchema: { $id: 'root_landingZone' },
    formContext: { formData: { landingZone: value } },
    required: true,
    rawErrors: props.rawErrors ?? [],
  } as unknown as FieldExtensionComponentProps<LandingZoneValue>;
  return <LandingZonePicker {...fieldProps} />;
}

async function renderForm(options: {
  api?: EksFleetScaffolderApi;
  initial?: LandingZoneValue;
  rawErrors?: string[];
}) {
  const api = options.api ?? fakeApi();
  const values: Array<LandingZoneValue | undefined> = [];
  await renderInTestApp(
    <Form
      initial={options.initial}
      rawErrors={options.rawErrors}
      onValue={v => values.push(v)}
    />,
    { apis: [[eksFleetScaffolderApiRef, api]] },
  );
  return { values };
}

async function openOptions(name: RegExp): Promise<string[]> {
  const select = screen.getByRole('combobox', { name });
  await waitFor(() => expect(select).not.toHaveAttribute('aria-disabled'));
  fireEvent.mouseDown(select);
  const listbox = await screen.findByRole('listbox');
  return within(listbox)
    .getAllByRole('option')
    .map(o => o.textContent ?? '');
}

async function choose(name: RegExp, option: string) {
  await openOptions(name);
  fireEvent.click(screen.getByRole('option', { name: option }));
  await waitFor(() =>
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument(),
  );
}

function validate(value: LandingZoneValue | undefined, api?: unknown) {
  const validation = createFieldValidation();
  const apiHolder: ApiHolder = {
    get: <T,>(ref: ApiRef<T>) =>
      ref.id === eksFleetScaffolderApiRef.id ? (api as T) : undefined,
  };
  return Promise.resolve(
    landingZoneValidation(value as LandingZoneValue, validation, {
      apiHolder,
      formData: {},
      schema: {},
    }),
  ).then(() => validation.__errors);
}

describe('LandingZonePicker', () => {
  it('offers the accounts of the landing zones, then the regions of the chosen account', async () => {
    const { values } = await renderForm({});

    expect(await openOptions(/^AWS account/)).toEqual([
      'platform (481620937501)',
      'payments (735260918427)',
      '904512738860',
    ]);
    fireEvent.click(
      screen.getByRole('option', { name: 'platform (481620937501)' }),
    );
    expect(values).toEqual([{ accountId: '481620937501', region: undefined }]);
    expect(
      await screen.findByText(
        'Account platform (481620937501) has landing zones in us-east-1, eu-west-1',
      ),
    ).toBeInTheDocument();

    expect(await openOptions(/^AWS region/)).toEqual([
      'us-east-1',
      'eu-west-1',
    ]);
    fireEvent.click(screen.getByRole('option', { name: 'eu-west-1' }));
    expect(values.at(-1)).toEqual({
      accountId: '481620937501',
      region: 'eu-west-1',
    });
    expect(
      screen.getByText('An AWS account, then a region'),
    ).toBeInTheDocument();
  });

  it('keeps the region when the next account has it, and takes an account’s only region', async () => {
    const { values } = await renderForm({
      initial: { accountId: '481620937501', region: 'eu-west-1' },
    });

    await choose(/^AWS account/, 'payments (735260918427)');
    expect(values.at(-1)).toEqual({
      accountId: '735260918427',
      region: 'eu-west-1',
    });

    await choose(/^AWS account/, '904512738860');
    expect(values.at(-1)).toEqual({
      accountId: '904512738860',
      region: 'ap-southeast-2',
    });

    await choose(/^AWS account/, 'platform (481620937501)');
    expect(values.at(-1)).toEqual({
      accountId: '481620937501',
      region: undefined,
    });
  });

  it('shows a value the landing zones lack as an error', async () => {
    await renderForm({
      initial: { accountId: '735260918427', region: 'us-east-1' },
    });
    expect(
      await screen.findByText(
        'Account payments (735260918427) has no landing zone in us-east-1: pick one of eu-west-1',
      ),
    ).toBeInTheDocument();
    expect(screen.getByTestId('landing-zone-region')).toHaveAttribute(
      'aria-invalid',
      'true',
    );
    expect(screen.getByTestId('landing-zone-account')).toHaveAttribute(
      'aria-invalid',
      'false',
    );
  });

  it('shows an account the landing zones lack as an error', async () => {
    await renderForm({
      initial: { accountId: '111111111111', region: 'eu-west-1' },
    });
    expect(
      await screen.findByText(
        'Account 111111111111 is not one the platform builds new clusters in',
      ),
    ).toBeInTheDocument();
  });

  it('says when the landing zones cannot be loaded, and asks again on retry', async () => {
    let fail = true;
    const api = fakeApi(async () => {
      if (fail) {
        throw new Error('the scaffolder backend is unreachable');
      }
      return offer;
    });
    await renderForm({ api });

    expect(
      await screen.findByText(
        /^Could not load the landing zones: .*the scaffolder backend is unreachable/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('combobox', { name: /^AWS account/ }),
    ).toHaveAttribute('aria-disabled', 'true');

    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await openOptions(/^AWS account/)).toHaveLength(3);
    expect(api.calls).toBe(2);
  });

  it('shows a loading state until the landing zones arrive', async () => {
    let answer: (offer: LandingZoneOffer) => void = () => {};
    const api = fakeApi(
      () =>
        new Promise<LandingZoneOffer>(resolve => {
          answer = resolve;
        }),
    );
    await renderForm({ api });
    expect(screen.getByLabelText('Loading accounts')).toBeInTheDocument();

    answer(offer);
    await waitFor(() =>
      expect(
        screen.queryByLabelText('Loading accounts'),
      ).not.toBeInTheDocument(),
    );
  });

  it('says when no landing zone is configured', async () => {
    await renderForm({ api: fakeApi(async () => ({ landingZones: [] })) });
    expect(
      await screen.findByText(/^No landing zone is configured/),
    ).toBeInTheDocument();
  });

  it('shows the form’s errors', async () => {
    await renderForm({ rawErrors: ['must have required property'] });
    expect(
      await screen.findByText('must have required property'),
    ).toBeInTheDocument();
  });
});

describe('landingZoneValidation', () => {
  it('passes a landing zone the platform offers', async () => {
    expect(
      await validate(
        { accountId: '481620937501', region: 'us-east-1' },
        fakeApi(),
      ),
    ).toEqual([]);
  });

  it.each<[LandingZoneValue | undefined, string]>([
    [undefined, 'Pick the AWS account of the new cluster'],
    [{ accountId: '481620937501' }, 'Pick a region of account 481620937501'],
    [
      { accountId: '111111111111', region: 'us-east-1' },
      'Account 111111111111 is not one the platform builds new clusters in',
    ],
    [
      { accountId: '481620937501', region: 'ap-southeast-2' },
      'Account platform (481620937501) has no landing zone in ap-southeast-2: pick one of us-east-1, eu-west-1',
    ],
  ])('refuses %j', async (value, message) => {
    expect(await validate(value, fakeApi())).toEqual([message]);
  });

  it('refuses when the landing zones cannot be asked', async () => {
    const api = fakeApi(async () => {
      throw new Error('unreachable');
    });
    expect(
      await validate({ accountId: '481620937501', region: 'us-east-1' }, api),
    ).toEqual(['Could not check the landing zone: unreachable']);
    expect(
      await validate({ accountId: '481620937501', region: 'us-east-1' }),
    ).toEqual([
      'Cannot check the landing zone: the EKS Fleet scaffolder API is not installed in this app',
    ]);
  });
});
