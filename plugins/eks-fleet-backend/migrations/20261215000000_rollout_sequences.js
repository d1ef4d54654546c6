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
 * Rollouts across several minors: each wave and each cluster's row belongs
 * to one step of the sequence (one minor), so a cluster has a row per
 * minor it goes through; the clusters selected at the start are kept, so
 * the engine plans each next step from them and the versions the steps
 * before left, without the catalog.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('eks_fleet_rollout_waves', table => {
    table
      .integer('sequence_step')
      .notNullable()
      .defaultTo(0)
      .comment('Which minor of the rollout the wave goes to, from 0');
    table.string('target_version', 16).nullable();
  });
  await knex.schema.alterTable('eks_fleet_rollout_clusters', table => {
    table.integer('sequence_step').notNullable().defaultTo(0);
    table.string('target_version', 16).nullable();
  });
  await knex.schema.alterTable('eks_fleet_rollout_clusters', table => {
    table.dropPrimary();
    table.primary(['rollout_id', 'sequence_step', 'entity_ref']);
  });
  await knex.schema.createTable('eks_fleet_rollout_candidates', table => {
    table.comment(
      'The clusters a rollout across several minors selected, as it started',
    );
    table.string('rollout_id', 36).notNullable();
    table.string('entity_ref', 255).notNullable();
    table.text('candidate').notNullable().comment('JSON: the RolloutCandidate');
    table.primary(['rollout_id', 'entity_ref']);
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
  await knex.schema.dropTable('eks_fleet_rollout_candidates');
  await knex('eks_fleet_rollout_clusters').where('sequence_step', '>', 0).del();
  await knex.schema.alterTable('eks_fleet_rollout_clusters', table => {
    table.dropPrimary();
    table.primary(['rollout_id', 'entity_ref']);
  });
  await knex.schema.alterTable('eks_fleet_rollout_clusters', table => {
    table.dropColumn('sequence_step');
    table.dropColumn('target_version');
  });
  await knex.schema.alterTable('eks_fleet_rollout_waves', table => {
    table.dropColumn('sequence_step');
    table.dropColumn('target_version');
  });
};
