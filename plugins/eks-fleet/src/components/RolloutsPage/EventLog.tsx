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

import { Table } from '@backstage/core-components';
import { RolloutEventView } from '@eks-fleet/backstage-plugin-eks-fleet-common';

/** A rollout's events, newest first. */
export function EventLog(props: { events: RolloutEventView[] }) {
  return (
    <Table
      title="Event log"
      options={{ paging: true, pageSize: 20, search: true, draggable: false }}
      data={[...props.events].reverse()}
      columns={[
        { title: 'When', render: e => new Date(e.at).toLocaleString() },
        { title: 'Who', field: 'actor' },
        { title: 'What', field: 'kind' },
        { title: 'Message', field: 'message' },
      ]}
    />
  );
}
