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

import { SignInPage, SignInProviderConfig } from '@backstage/core-components';
import {
  configApiRef,
  createFrontendModule,
  githubAuthApiRef,
  useApi,
} from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import { ComponentProps } from 'react';

/** The sign-in providers the page can offer, by the id config names them. */
const PROVIDERS: Record<string, 'guest' | SignInProviderConfig> = {
  guest: 'guest',
  github: {
    id: 'github-auth-provider',
    title: 'GitHub',
    message: 'Sign in with your GitHub account',
    apiRef: githubAuthApiRef,
  },
};

type SignInPageProps = ComponentProps<typeof SignInPage>;

/**
 * The sign-in page with the providers `app.signIn.providers` names: the
 * demo offers the guest, production GitHub (app-config.production.yaml).
 */
function ConfiguredSignInPage(props: Omit<SignInPageProps, 'providers'>) {
  const config = useApi(configApiRef);
  const ids = config.getOptionalStringArray('app.signIn.providers') ?? [
    'guest',
  ];
  const unknown = ids.filter(id => !PROVIDERS[id]);
  if (unknown.length > 0) {
    throw new Error(
      `Invalid config at app.signIn.providers: no sign-in provider ${unknown.join(
        ', ',
      )}; known: ${Object.keys(PROVIDERS).join(', ')}`,
    );
  }
  return (
    <SignInPage
      {...(props as SignInPageProps)}
      providers={ids.map(id => PROVIDERS[id])}
    />
  );
}

/** Replaces the app's guest-only sign-in page with the configured one. */
export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [
    SignInPageBlueprint.make({
      params: {
        loader: async () => props => <ConfiguredSignInPage {...props} />,
      },
    }),
  ],
});
