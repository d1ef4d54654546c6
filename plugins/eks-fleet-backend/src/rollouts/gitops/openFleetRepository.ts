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

import { Config } from '@backstage/config';
import { AuthenticationError, InputError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import {
  FleetRepository,
  GithubRepository,
  LocalGitRepository,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { GitOpsSettings } from './gitOpsSettings';

/**
 * How the fleet repository is opened: on this machine, or on GitHub with
 * the credentials of Backstage's `integrations.github` entry for its host
 * (a token, or a GitHub App whose installation token is fetched and
 * renewed by the integration). Checked at start-up: a GitHub repository
 * without an integration for its host is a config error naming both keys.
 */
export function fleetRepositoryOpener(
  settings: GitOpsSettings,
  rootConfig?: Config,
): () => Promise<FleetRepository> {
  const { github } = settings;
  if (!github) {
    return () => LocalGitRepository.open(settings.repositoryPath!);
  }
  const integrations = rootConfig && ScmIntegrations.fromConfig(rootConfig);
  const integration = integrations?.github.byHost(github.host);
  if (!integrations || !integration) {
    throw new InputError(
      `Invalid config at eksFleet.rollouts.gitops.github.url: no integrations.github entry for ${github.host}; add one with its token (or GitHub App) and, for GitHub Enterprise, its apiBaseUrl`,
    );
  }
  const apiBaseUrl = integration.config.apiBaseUrl;
  if (!apiBaseUrl) {
    throw new InputError(
      `Invalid config at integrations.github (host ${github.host}): no apiBaseUrl, which the fleet repository at ${github.url} is written through`,
    );
  }
  const credentials =
    DefaultGithubCredentialsProvider.fromIntegrations(integrations);
  const repository = new GithubRepository({
    url: github.url,
    owner: github.owner,
    repo: github.repo,
    apiBaseUrl,
    token: async () => {
      const { token } = await credentials.getCredentials({ url: github.url });
      if (!token) {
        throw new AuthenticationError(
          `integrations.github for ${github.host} gives no token for ${github.url}: configure a token, or a GitHub App installed on ${github.owner}`,
        );
      }
      return token;
    },
  });
  return async () => repository;
}
