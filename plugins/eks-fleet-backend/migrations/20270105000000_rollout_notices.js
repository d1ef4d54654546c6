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
 * The rollout notices already sent: one row per notice (a wave started,
 * halted, awaiting approval, a rollout finished, a team's heads-up before a
 * wave), inserted before the notice is sent, so two replicas never send
 * the same one.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('eks_fleet_rollout_notices', table => {
    table.comment('Rollout notifications sent, one per notice');
    table
      .string('notice_key', 400)
      .primary()
      .comment('e.g. "event:<id>" or "heads-up:<rollout>:<wave>:<team>"');
    table.string('rollout_id', 64).notNullable();
    table.string('kind', 64).notNullable();
    table.bigInteger('sent_at').notNullable().comment('Epoch milliseconds');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('eks_fleet_rollout_notices');
};
