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

import { LoggerService } from '@backstage/backend-plugin-api';
import { UpgradeBlocker } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { Knex } from 'knex';
import { claimNotice } from '../notices/claimNotice';
import { failureLogDetail } from '../rollouts/stepFailures';

const NOTICES = 'eks_fleet_blocker_notices';
const DAY = 86_400_000;

/** The page an owner fixes a blocker from. */
function linkOf(blocker: UpgradeBlocker): string {
  const ref = blocker.assignment.workloadRef ?? blocker.assignment.ownerRef;
  const match = /^([^:]+):([^/]+)\/(.+)$/.exec(ref);
  return match ? `/catalog/${match[2]}/${match[1]}/${match[3]}` : '/catalog';
}

/**
 * Tells owners about their upgrade blockers: once when one appears, and
 * once when its deadline is `daysBeforeDeadline` days away or nearer. Each
 * notice is recorded in the database before it is sent (an insert that
 * only one replica can win), so several replicas running the task, or a
 * run repeated after a crash, never send the same notice twice.
 */
export class BlockerNotifier {
  constructor(
    private readonly options: {
      db: Knex;
      notifications: Pick<NotificationService, 'send'>;
      logger: LoggerService;
      daysBeforeDeadline: number;
      /** Every blocker of the fleet, assigned to its owner. */
      readBlockers: () => Promise<UpgradeBlocker[]>;
      clock?: () => Date;
    },
  ) {}

  /** Claims a notice; false when it was already claimed (sent). */
  private async claim(
    blocker: UpgradeBlocker,
    kind: string,
    now: number,
  ): Promise<boolean> {
    return claimNotice(this.options.db, NOTICES, {
      notice_key: `${blocker.id}|${blocker.assignment.ownerRef}|${kind}`,
      owner_ref: blocker.assignment.ownerRef,
      blocker_id: blocker.id,
      kind: kind.split(':')[0],
      sent_at: now,
    });
  }

  async run(): Promise<{ appeared: number; deadlines: number }> {
    const now = (this.options.clock ?? (() => new Date()))().getTime();
    const blockers = await this.options.readBlockers();
    let appeared = 0;
    let deadlines = 0;
    // One notice per blocker and owner, however many workloads it hits.
    const seen = new Set<string>();
    for (const blocker of blockers) {
      const owner = blocker.assignment.ownerRef;
      if (owner === 'unknown' || seen.has(`${blocker.id}|${owner}`)) {
        continue;
      }
      seen.add(`${blocker.id}|${owner}`);
      try {
        if (await this.claim(blocker, 'appeared', now)) {
          await this.send(
            blocker,
            'normal',
            `New upgrade blocker: ${blocker.title}`,
          );
          appeared += 1;
        }
        const deadline = blocker.deadline
          ? Date.parse(blocker.deadline.at)
          : NaN;
        if (
          Number.isFinite(deadline) &&
          deadline - now <= this.options.daysBeforeDeadline * DAY &&
          (await this.claim(blocker, `deadline:${blocker.deadline!.at}`, now))
        ) {
          const days = Math.max(0, Math.ceil((deadline - now) / DAY));
          await this.send(
            blocker,
            'high',
            `Upgrade blocker due in ${days} day${days === 1 ? '' : 's'}: ${
              blocker.title
            }`,
          );
          deadlines += 1;
        }
      } catch (error) {
        this.options.logger.warn(
          `Could not notify ${owner} of upgrade blocker ${
            blocker.id
          }: ${failureLogDetail(error)}`,
        );
      }
    }
    return { appeared, deadlines };
  }

  private async send(
    blocker: UpgradeBlocker,
    severity: 'normal' | 'high',
    title: string,
  ) {
    const deadline = blocker.deadline
      ? ` Deadline ${blocker.deadline.at.slice(0, 10)} (${
          {
            'wave-start': `${blocker.deadline.waveName ?? 'its wave'} starts`,
            'end-of-standard-support': 'standard support ends',
            'end-of-extended-support': 'extended support ends',
          }[blocker.deadline.kind]
        }).`
      : '';
    await this.options.notifications.send({
      recipients: { type: 'entity', entityRef: blocker.assignment.ownerRef },
      payload: {
        title,
        description: `${blocker.detail} On ${
          blocker.clusterTitle ?? blocker.clusterRef
        }. ${blocker.action}${deadline}`,
        link: linkOf(blocker),
        severity,
        topic: 'eks-fleet-upgrade-blockers',
        scope: `eks-fleet:blocker:${blocker.id}`,
      },
    });
  }
}
