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

/**
 * A local stand-in for the AWS APIs EKS Fleet calls, on their real wire
 * protocols. Start it from code with `startEmulator`, or from the command
 * line with `yarn workspace @internal/aws-emulator start`.
 *
 * @packageDocumentation
 */

import { createCloudWatchService } from './cloudwatchservice';
import { createConfigService } from './configservice';
import { createCostExplorerService } from './costexplorerservice';
import { createEc2Service } from './ec2service';
import { createEksService } from './eksservice';
import { Fleet } from './fleet/types';
import { createSecurityHubService } from './securityhubservice';
import { EmulatorServer, RequestLogEntry } from './server/EmulatorServer';
import { ServiceDefinition } from './server/types';
import { createSqsService } from './sqsservice';
import { createStsService } from './stsservice';
import { createSsmService } from './ssmservice';
import { FleetState } from './state/FleetState';
import { FaultChange } from './state/faults';

export type { Fleet } from './fleet/types';
export * from './fleet/types';
export {
  loadFleetFile,
  parseFleetFile,
  FleetFileError,
} from './fleet/fleetFile';
export { generateFleet, MAX_GENERATED_CLUSTERS } from './fleet/generateFleet';
export type { GenerateFleetOptions } from './fleet/generateFleet';
export { FleetState } from './state/FleetState';
export type {
  EksMutationCall,
  EksUpdateLogEntry,
  FleetStateOptions,
} from './state/FleetState';
export { parseFaultChange, NO_FAULTS } from './state/faults';
export type { FaultSettings, FaultChange } from './state/faults';
export type { RequestLogEntry } from './server/EmulatorServer';
export {
  CONFIG_ITEM_CHANGE_DETAIL_TYPE,
  configItemChangeEvent,
} from './sqsservice/configChangeEvent';
export { DEFAULT_CONFIG_CHANGES_QUEUE } from './sqsservice';
export { LATEST_BOTTLEROCKET_VERSION } from './ssmservice';
export {
  checkBearerToken,
  KUBERNETES_PATH_PREFIX,
} from './kubernetes/KubernetesStandIn';

/** The port AWS emulators conventionally listen on. */
export const DEFAULT_EMULATOR_PORT = 4566;

export interface StartEmulatorOptions {
  fleet: Fleet;
  /** Default 4566; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** How long an EKS update stays InProgress (default 30 s). */
  updateDelayMs?: number;
  /** The emulator's clock (default: the wall clock). */
  clock?: () => Date;
  /** Faults in force from the start. */
  faults?: FaultChange;
  onRequest?: (entry: RequestLogEntry) => void;
}

export interface RunningEmulator {
  /** Base URL, the value for AWS_ENDPOINT_URL. */
  url: string;
  state: FleetState;
  stop(): Promise<void>;
}

/** Every service the emulator serves, over one fleet state. */
export function createServices(state: FleetState): ServiceDefinition[] {
  return [
    createConfigService(state),
    createEksService(state),
    createStsService(state),
    createCloudWatchService(state),
    createCostExplorerService(state),
    createSecurityHubService(state),
    createEc2Service(state),
    createSqsService(state),
    createSsmService(state),
  ];
}

/** Starts the emulator over a fleet; resolves once it listens. */
export async function startEmulator(
  options: StartEmulatorOptions,
): Promise<RunningEmulator> {
  const state = new FleetState(options.fleet, {
    clock: options.clock,
    updateDelayMs: options.updateDelayMs,
    faults: options.faults,
  });
  const server = new EmulatorServer({
    state,
    services: createServices(state),
    onRequest: options.onRequest,
  });
  const url = await server.listen(
    options.port ?? DEFAULT_EMULATOR_PORT,
    options.host ?? '127.0.0.1',
  );
  return { url, state, stop: () => server.close() };
}

export {
  TEST_FLEET_YAML,
  testFleet,
  credentialsFor,
} from './testing/testFleet';
export { startOpenCostStandIn } from './opencost/OpenCostStandIn';
export type {
  OpenCostFaults,
  OpenCostStandInOptions,
  RunningOpenCostStandIn,
} from './opencost/OpenCostStandIn';
export { catalogWorkloads } from './opencost/catalogWorkloads';
export type { StandInWorkload } from './opencost/clusterAllocation';
export { writeSloOpenMetrics } from './prometheus/sloOpenMetrics';
export type { SloSeries } from './prometheus/sloOpenMetrics';
export {
  backfillSloHistory,
  prometheusInstalled,
  startPrometheus,
  PROMETHEUS_BINARY,
} from './prometheus/localPrometheus';
export type { RunningPrometheus } from './prometheus/localPrometheus';
export { demoSloSeries } from './prometheus/demoSloSeries';
export { startGitOpsStandIn } from './gitops/GitOpsStandIn';
export type { GitOpsStandIn } from './gitops/GitOpsStandIn';
export { GitOpsReconciler } from './gitops/GitOpsReconciler';
export type {
  ApplicationStatus,
  GitOpsReconcilerOptions,
} from './gitops/GitOpsReconciler';
export {
  clusterManifests,
  commitFiles,
  seedFleetRepository,
} from './gitops/seedFleetRepository';
export { readDesiredClusters, applicationName } from './gitops/fleetManifests';
export type { DesiredCluster } from './gitops/fleetManifests';
export { startFakeGitHost } from './github/FakeGitHost';
export type {
  FakeGitHost,
  FakeGitHostCounts,
  FakeGitHostOptions,
  FakeGitHostRequest,
  FakeGitHostUser,
  PullRequest,
} from './github/FakeGitHost';
