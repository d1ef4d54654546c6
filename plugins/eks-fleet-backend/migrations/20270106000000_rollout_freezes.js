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
 * Fleet-wide change freezes created on the rollouts page (those in config
 * stay in config): no cluster starts between start_at and end_at.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('eks_fleet_rollout_freezes', table => {
    table.comment('Change freezes created on the rollouts page');
    table.string('id', 64).primary();
    table.string('name', 200).notNullable();
    table.bigInteger('start_at').notNullable().comment('Epoch milliseconds');
    table.bigInteger('end_at').notNullable().comment('Epoch milliseconds');
    table.string('reason', 1000).nullable();
    table.string('created_by', 255).notNullable();
    table.bigInteger('created_at').notNullable();
    table.index(['end_at'], 'eks_fleet_rollout_freezes_end_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('eks_fleet_rollout_freezes');
};
