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
 * Rollout strategies created on the rollouts page (those in config stay in
 * config): a named wave policy, as JSON.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('eks_fleet_rollout_strategies', table => {
    table.comment('Rollout strategies created on the rollouts page');
    table.string('name', 63).primary().comment('A slug, e.g. canary-first');
    table.string('title', 200).notNullable();
    table.string('description', 2000).nullable();
    table.text('wave_policy').notNullable().comment('The WavePolicy, as JSON');
    table.string('created_by', 255).notNullable();
    table.bigInteger('created_at').notNullable().comment('Epoch milliseconds');
    table.string('updated_by', 255).notNullable();
    table.bigInteger('updated_at').notNullable().comment('Epoch milliseconds');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('eks_fleet_rollout_strategies');
};
