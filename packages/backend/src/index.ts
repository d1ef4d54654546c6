/*
 * Hi!
 *
 * Note that this is an EXAMPLE Backstage backend. Please check the README.
 *
 * Happy hacking!
 */

import { createBackend } from '@backstage/backend-defaults';
import { fleetRepositoryUrlReader } from '@eks-fleet/backstage-plugin-scaffolder-backend-module-eks-fleet';
import { demoPermissionPolicyModule } from './permissions/demoPermissionPolicy';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// scaffolder plugin
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
// EKS Fleet: request a cluster or a namespace through the fleet repository,
// whose local branches the catalog reads (the demo's fleet repository)
backend.add(
  import('@eks-fleet/backstage-plugin-scaffolder-backend-module-eks-fleet'),
);
backend.add(fleetRepositoryUrlReader);

// techdocs plugin
backend.add(import('@backstage/plugin-techdocs-backend'));

// auth plugin
backend.add(import('@backstage/plugin-auth-backend'));
// See https://backstage.io/docs/backend-system/building-backends/migrating#the-auth-plugin
// The demo's guest (app-config.yaml); production signs in with GitHub
// (app-config.production.yaml). Each provider is enabled only where
// auth.providers configures it.
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-auth-backend-module-github-provider'));

// events plugin: lets the catalog and signals subscribe to events across plugins
backend.add(import('@backstage/plugin-events-backend'));
// AWS SQS consumer: publishes queued messages (AWS Config change events for
// the EKS Fleet provider) on events topics; idle unless
// events.modules.awsSqs is configured (scripts/demo.sh does).
backend.add(import('@backstage/plugin-events-backend-module-aws-sqs'));

// catalog plugin
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);

// See https://backstage.io/docs/features/software-catalog/configuration#subscribing-to-catalog-errors
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// EKS Fleet: the clusters of the AWS organization, through AWS Config, and
// the insights of a cluster page under /api/eks-fleet
backend.add(
  import('@eks-fleet/backstage-plugin-catalog-backend-module-eks-fleet'),
);
backend.add(import('@eks-fleet/backstage-plugin-eks-fleet-backend'));

// permission plugin
backend.add(import('@backstage/plugin-permission-backend'));
// The demo's policy: everything allowed, except EKS Fleet's rollout
// permissions, which only members of group:default/platform-team get.
backend.add(demoPermissionPolicyModule);

// search plugin
backend.add(import('@backstage/plugin-search-backend'));

// search engine
// See https://backstage.io/docs/features/search/search-engines
backend.add(import('@backstage/plugin-search-backend-module-pg'));

// search collators
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@backstage/plugin-search-backend-module-techdocs'));

// kubernetes plugin
backend.add(import('@backstage/plugin-kubernetes-backend'));

// user settings plugin
backend.add(import('@backstage/plugin-user-settings-backend'));

// notifications and signals plugins
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// mcp actions plugin
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.start();
