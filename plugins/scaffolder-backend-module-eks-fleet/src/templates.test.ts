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

import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { createClusterRenderAction } from './actions/clusterRender';
import { createFleetRepositoryCommitAction } from './actions/fleetRepositoryCommit';
import { createNamespaceRenderAction } from './actions/namespaceRender';
import { ClusterRequestService } from './service/ClusterRequestService';
import { NamespaceRequestService } from './service/NamespaceRequestService';

/*
 * The demo's templates (examples/templates) against the actions they call:
 * every input a step gives is one the action takes, every parameter a step
 * reads is one the form asks, and every step output read is one the action
 * writes. The templates run for real in test/e2e/scaffolder-*.test.ts.
 */

const templatesDir = path.resolve(__dirname, '../../../examples/templates');

const actions = [
  createClusterRenderAction({ requests: {} as ClusterRequestService }),
  createNamespaceRenderAction({ requests: {} as NamespaceRequestService }),
  createFleetRepositoryCommitAction({}),
];

function parametersOf(template: any): Set<string> {
  return new Set(
    [template.spec.parameters]
      .flat()
      .flatMap((step: any) => Object.keys(step.properties ?? {})),
  );
}

describe.each(['request-cluster', 'request-namespace'])(
  'the %s template',
  name => {
    const template = yaml.parse(
      fs.readFileSync(path.join(templatesDir, name, 'template.yaml'), 'utf8'),
    );
    const text = fs.readFileSync(
      path.join(templatesDir, name, 'template.yaml'),
      'utf8',
    );

    it('gives each EKS Fleet step only inputs its action takes, and every input it needs', () => {
      const ours = new Set(actions.map(a => a.id));
      expect(
        template.spec.steps
          .map((step: any) => step.action)
          .filter((id: string) => !ours.has(id)),
      ).toEqual(expect.arrayContaining(['publish:github:pull-request']));
      for (const step of template.spec.steps) {
        const action = actions.find(a => a.id === step.action);
        if (!action) {
          continue;
        }
        const schema = action.schema!.input as {
          properties: Record<string, unknown>;
          required?: string[];
        };
        for (const key of Object.keys(step.input)) {
          expect(Object.keys(schema.properties)).toContain(key);
        }
        for (const key of schema.required ?? []) {
          expect(Object.keys(step.input)).toContain(key);
        }
      }
    });

    it('reads only parameters its form asks and outputs its steps write', () => {
      const asked = parametersOf(template);
      for (const [, parameter] of text.matchAll(/parameters\.(\w+)/g)) {
        expect(asked).toContain(parameter);
      }
      const outputs = new Map(
        actions.map(a => [
          a.id,
          Object.keys(
            (a.schema!.output as { properties: Record<string, unknown> })
              .properties,
          ),
        ]),
      );
      const stepActions = new Map<string, string>(
        template.spec.steps.map((s: any) => [s.id, s.action]),
      );
      for (const [, stepId, output] of text.matchAll(
        /steps\['([\w-]+)'\]\.output\.(\w+)/g,
      )) {
        const action = stepActions.get(stepId);
        expect(action).toBeDefined();
        // Stock actions' outputs (publish:github:pull-request) are theirs.
        expect(outputs.get(action!) ?? [output]).toContain(output);
      }
    });
  },
);
