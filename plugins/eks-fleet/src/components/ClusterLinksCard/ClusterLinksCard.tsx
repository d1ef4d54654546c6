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

import { Link } from '@backstage/core-components';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import Typography from '@mui/material/Typography';
import { ClusterCardProps, InsightCard } from '../InsightCard';

/**
 * The cluster's AWS console page and the links configured for its
 * environment (eksFleet.insights.links: Grafana, Argo CD, ...). Its `title`
 * is `Cluster links` unless configured.
 *
 * @public
 */
export function ClusterLinksCard(props: ClusterCardProps) {
  return (
    <InsightCard
      kind="links"
      title={props.title ?? 'Cluster links'}
      variant={props.variant}
    >
      {report => (
        <>
          {report.environment && (
            <Typography variant="body2" color="text.secondary">
              Environment: {report.environment}
            </Typography>
          )}
          <List dense disablePadding>
            {report.links.map(link => (
              <ListItem key={`${link.title} ${link.url}`} disableGutters>
                <Link to={link.url} data-link-type={link.type}>
                  {link.title}
                </Link>
              </ListItem>
            ))}
          </List>
        </>
      )}
    </InsightCard>
  );
}
