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
 * The rollout engine's tables: rollouts, their waves, each cluster's step,
 * and the event log. Times are epoch milliseconds (bigint), so that claims
 * and leases compare the same way on SQLite and PostgreSQL.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('eks_fleet_rollouts', table => {
    table.comment('A wave upgrade of clusters to one Kubernetes minor');
    table.string('id', 36).primary();
    table.string('title', 255).notNullable();
    table.string('target_version', 16).notNullable();
    table
      .string('status', 32)
      .notNullable()
      .comment('running, paused, halted, completed or aborted');
    table
      .text('spec')
      .notNullable()
      .comment('JSON: options, policies, selector');
    table.text('excluded').notNullable().comment('JSON: clusters left out');
    table.integer('current_wave').notNullable().defaultTo(0);
    table.text('halt_reason').nullable();
    table.string('created_by', 255).notNullable();
    table.bigInteger('created_at').notNullable();
    table.bigInteger('updated_at').notNullable();
    table.bigInteger('finished_at').nullable();
    table.string('lease_owner', 64).nullable();
    table.bigInteger('lease_until').nullable();
    table.integer('revision').notNullable().defaultTo(0);
    table.index(['status'], 'eks_fleet_rollouts_status_idx');
  });

  await knex.schema.createTable('eks_fleet_rollout_waves', table => {
    table.comment('A wave of a rollout');
    table.string('rollout_id', 36).notNullable();
    table.integer('wave_index').notNullable();
    table.string('name', 255).notNullable();
    table.integer('bake_seconds').notNullable();
    table.boolean('requires_approval').notNullable().defaultTo(false);
    table
      .string('status', 32)
      .notNullable()
      .comment(
        'pending, awaiting-approval, running, soaking, completed, halted, aborted',
      );
    table.string('approved_by', 255).nullable();
    table.bigInteger('approved_at').nullable();
    table.bigInteger('started_at').nullable();
    table.bigInteger('soak_started_at').nullable();
    table.bigInteger('soak_until').nullable();
    table.bigInteger('gates_checked_at').nullable();
    table.bigInteger('completed_at').nullable();
    table.primary(['rollout_id', 'wave_index']);
    table
      .foreign('rollout_id')
      .references('id')
      .inTable('eks_fleet_rollouts')
      .onDelete('CASCADE');
  });

  await knex.schema.createTable('eks_fleet_rollout_clusters', table => {
    table.comment('A cluster of a rollout and the step it is at');
    table.string('rollout_id', 36).notNullable();
    table.string('entity_ref', 255).notNullable();
    table.integer('wave_index').notNullable();
    table.string('cell_key', 255).notNullable();
    table.string('cluster_name', 255).notNullable();
    table.string('account_id', 16).notNullable();
    table.string('region', 32).notNullable();
    table.string('from_version', 16).notNullable();
    table
      .string('step', 32)
      .notNullable()
      .comment(
        'pending, precheck, control-plane, addons, nodegroups, postcheck, done, failed, skipped',
      );
    table.string('failed_step', 32).nullable();
    table.text('error').nullable();
    table
      .text('operations')
      .notNullable()
      .comment('JSON: operations of the current step');
    table
      .text('checks')
      .notNullable()
      .comment('JSON: pre- and post-check results');
    table.integer('attempt').notNullable().defaultTo(1);
    table.bigInteger('next_run_at').notNullable();
    table.string('lease_owner', 64).nullable();
    table.bigInteger('lease_until').nullable();
    table.integer('revision').notNullable().defaultTo(0);
    table.bigInteger('started_at').nullable();
    table.bigInteger('finished_at').nullable();
    table.bigInteger('updated_at').notNullable();
    table.primary(['rollout_id', 'entity_ref']);
    table.index(['step', 'next_run_at'], 'eks_fleet_rollout_clusters_due_idx');
    table.index(['entity_ref'], 'eks_fleet_rollout_clusters_entity_idx');
    table
      .foreign('rollout_id')
      .references('id')
      .inTable('eks_fleet_rollouts')
      .onDelete('CASCADE');
  });

  await knex.schema.createTable('eks_fleet_rollout_events', table => {
    table.comment('What happened to a rollout, who did it and when');
    table.bigIncrements('id').primary();
    table.string('rollout_id', 36).notNullable();
    table.bigInteger('at').notNullable();
    table.string('actor', 255).notNullable();
    table.string('kind', 64).notNullable();
    table.integer('wave_index').nullable();
    table.string('entity_ref', 255).nullable();
    table.text('message').notNullable();
    table.text('details').nullable();
    table.index(['rollout_id', 'id'], 'eks_fleet_rollout_events_rollout_idx');
    table
      .foreign('rollout_id')
      .references('id')
      .inTable('eks_fleet_rollouts')
      .onDelete('CASCADE');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('eks_fleet_rollout_events');
  await knex.schema.dropTable('eks_fleet_rollout_clusters');
  await knex.schema.dropTable('eks_fleet_rollout_waves');
  await knex.schema.dropTable('eks_fleet_rollouts');
};
