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
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { KubernetesVersionOffer } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import { useState } from 'react';
import {
  EksFleetScaffolderApi,
  eksFleetScaffolderApiRef,
} from '../../api/scaffolder';
import { KubernetesVersionPicker } from './KubernetesVersionPicker';

const offers: Record<string, KubernetesVersionOffer> = {
  'eu-west-1': {
    region: 'eu-west-1',
    versions: [
      {
        version: '1.36',
        endOfStandardSupportDate: '2027-08-02',
        defaultVersion: false,
      },
      {
        version: '1.35',
        endOfStandardSupportDate: '2027-03-27',
        defaultVersion: true,
      },
      {
        version: '1.34',
        endOfStandardSupportDate: '2026-12-02',
        defaultVersion: false,
      },
    ],
  },
  'ap-southeast-2': {
    region: 'ap-southeast-2',
    versions: [
      {
        version: '1.36',
        endOfStandardSupportDate: '2027-08-02',
        defaultVersion: true,
      },
    ],
  },
  'us-east-1': { region: 'us-east-1', versions: [] },
};

function fakeApi(): EksFleetScaffolderApi & { regions: string[] } {
  const regions: string[] = [];
  return {
    regions,
    async getKubernetesVersions(region) {
      regions.push(region);
      const offer = offers[region];
      if (!offer) {
        throw new Error('EKS is unreachable');
      }
      return offer;
    },
    async getLandingZones() {
      throw new Error('not asked here');
    },
  };
}

/** A form with a region and the picker, as the scaffolder's stepper gives them. */
function Form(props: {
  initialRegion?: string;
  onValue: (value: string | undefined) => void;
  setRegion: (set: (region: string) => void) => void;
  /** The region inside EksLandingZonePicker's value, not a field of its own. */
  inLandingZone?: boolean;
}) {
  const [region, setRegion] = useState(props.initialRegion);
  const [value, setValue] = useState<string | undefined>();
  props.setRegion(setRegion);
  const fieldProps = {
    formData: value,
    onChange: (v: string | undefined) => {
      setValue(v);
      props.onValue(v);
    },
    schema: { title: 'Kubernetes version', type: 'string' },
    uiSchema: {
      'ui:options': {
        regionField: props.inLandingZone ? 'landingZone.region' : 'awsRegion',
      },
    },
    idSchema: { $id: 'root_kubernetesVersion' },
    formContext: {
      formData: props.inLandingZone
        ? { landingZone: { accountId: '481620937501', region } }
        : { awsRegion: region },
    },
    required: true,
    rawErrors: [],
  } as unknown as FieldExtensionComponentProps<
    string,
    { regionField?: string }
  >;
  return <KubernetesVersionPicker {...fieldProps} />;
}

async function renderForm(initialRegion?: string, inLandingZone = false) {
  const api = fakeApi();
  const values: Array<string | undefined> = [];
  let changeRegion: (region: string) => void = () => {};
  await renderInTestApp(
    <Form
      initialRegion={initialRegion}
      inLandingZone={inLandingZone}
      onValue={v => values.push(v)}
      setRegion={set => {
        changeRegion = set;
      }}
    />,
    { apis: [[eksFleetScaffolderApiRef, api]] },
  );
  return {
    api,
    values,
    changeRegion: (r: string) => act(() => changeRegion(r)),
  };
}

describe('KubernetesVersionPicker', () => {
  it('offers the versions EKS has in standard support in the region, EKS default first chosen', async () => {
    const { api, values } = await renderForm('eu-west-1');

    await waitFor(() => expect(values).toEqual(['1.35']));
    expect(api.regions).toEqual(['eu-west-1']);
    expect(
      screen.getByText('The versions EKS has in standard support in eu-west-1'),
    ).toBeInTheDocument();

    fireEvent.mouseDown(screen.getByRole('combobox'));
    const options = within(await screen.findByRole('listbox')).getAllByRole(
      'option',
    );
    expect(options.map(o => o.textContent)).toEqual([
      'Kubernetes 1.36 (standard support until 2027-08-02)',
      'Kubernetes 1.35 (EKS default, standard support until 2027-03-27)',
      'Kubernetes 1.34 (standard support until 2026-12-02)',
    ]);
    fireEvent.click(options[0]);
    expect(values).toEqual(['1.35', '1.36']);
  });

  it('asks again when the region changes, and moves off a version the region lacks', async () => {
    const { api, values, changeRegion } = await renderForm('eu-west-1');
    await waitFor(() => expect(values).toEqual(['1.35']));

    changeRegion('ap-southeast-2');

    await waitFor(() => expect(values).toEqual(['1.35', '1.36']));
    expect(api.regions).toEqual(['eu-west-1', 'ap-southeast-2']);
  });

  it('follows the region of a landing zone field (a dotted regionField)', async () => {
    const { api, values, changeRegion } = await renderForm('eu-west-1', true);
    await waitFor(() => expect(values).toEqual(['1.35']));

    changeRegion('ap-southeast-2');

    await waitFor(() => expect(values).toEqual(['1.35', '1.36']));
    expect(api.regions).toEqual(['eu-west-1', 'ap-southeast-2']);
  });

  it('waits for a region', async () => {
    const { api } = await renderForm(undefined);
    expect(
      screen.getByText('Pick the AWS region first: the versions depend on it'),
    ).toBeInTheDocument();
    expect(api.regions).toEqual([]);
  });

  it('says when EKS offers nothing, and when it cannot be asked', async () => {
    const { changeRegion } = await renderForm('us-east-1');
    expect(
      await screen.findByText(
        'EKS has no Kubernetes version in standard support in us-east-1',
      ),
    ).toBeInTheDocument();

    changeRegion('mars-1');
    expect(
      await screen.findByText(
        /Could not ask EKS for the versions of mars-1: .*EKS is unreachable/,
      ),
    ).toBeInTheDocument();
  });
});
