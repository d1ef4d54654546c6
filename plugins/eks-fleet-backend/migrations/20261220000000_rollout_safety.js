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

// @ts-check

/**
 * What keeps wave upgrades safe under faults and races:
 *
 * - per cluster step, the transient failures in a row and the last of them
 *   (retried with backoff, never failing the cluster), whether an operation
 *   is in flight (polled to its end even when the rollout is paused or
 *   aborted), and until when a call that starts an operation may still be
 *   on its way to AWS (a pause or an abort waits for it);
 * - one row per cluster that an active rollout holds, so that no two
 *   rollouts ever upgrade the same cluster.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('eks_fleet_rollout_clusters', table => {
    table
      .integer('retries')
      .notNullable()
      .defaultTo(0)
      .comment('Transient failures in a row of the current step');
    table
      .text('last_error')
      .nullable()
      .comment('The last transient failure, as shown to people');
    table
      .boolean('in_flight')
      .notNullable()
      .defaultTo(false)
      .comment('An operation is under way or may have been started');
    table
      .bigInteger('starting_until')
      .nullable()
      .comment('A call that starts an operation may be in flight until then');
  });
  await knex.schema.createTable('eks_fleet_rollout_cluster_locks', table => {
    table.comment('The clusters active rollouts hold, one rollout each');
    table.string('cluster_arn', 255).primary();
    table.string('rollout_id', 36).notNullable();
    table.string('entity_ref', 255).notNullable();
    table.bigInteger('locked_at').notNullable();
    table.index(['rollout_id'], 'eks_fleet_rollout_cluster_locks_rollout_idx');
    table
      .foreign('rollout_id')
      .references('id')
      .inTable('eks_fleet_rollouts')
      .onDelete('CASCADE');
  });
  // Rollouts active before this migration hold their clusters too; of two
  // that already share a cluster, the older keeps it.
  const active = await knex('eks_fleet_rollout_clusters as c')
    .join('eks_fleet_rollouts as r', 'r.id', 'c.rollout_id')
    .whereIn('r.status', ['running', 'paused', 'halted'])
    .select(
      'c.rollout_id',
      'c.entity_ref',
      'c.account_id',
      'c.region',
      'c.cluster_name',
      'r.created_at',
    )
    .orderBy('r.created_at');
  const seen = new Set();
  const rows = [];
  for (const c of active) {
    const arn = `arn:aws:eks:${c.region}:${c.account_id}:cluster/${c.cluster_name}`;
    if (!seen.has(arn)) {
      seen.add(arn);
      rows.push({
        cluster_arn: arn,
        rollout_id: c.rollout_id,
        entity_ref: c.entity_ref,
        locked_at: Number(c.created_at),
      });
    }
  }
  for (let i = 0; i < rows.length; i += 200) {
    await knex('eks_fleet_rollout_cluster_locks').insert(
      rows.slice(i, i + 200),
    );
  }
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('eks_fleet_rollout_cluster_locks');
  await knex.schema.alterTable('eks_fleet_rollout_clusters', table => {
    table.dropColumn('retries');
    table.dropColumn('last_error');
    table.dropColumn('in_flight');
    table.dropColumn('starting_until');
  });
};
