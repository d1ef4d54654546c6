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

const {
  addClusterRecordFlag,
  dropClusterRecordFlag,
} = require('./shared/clusterRecordFlags');

/**
 * Deletions the deletion guard held back (a read that would have removed
 * an unusual share of a provider's clusters), until a later complete read
 * agrees or someone confirms them; and the clusters published from AWS
 * Config alone because EKS could not be read yet, so that the next delta
 * read asks EKS again.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('eks_fleet_held_deletions', table => {
    table.comment('Cluster removals the deletion guard held back');
    table.string('provider_id', 255).notNullable();
    table
      .string('cluster_key', 512)
      .notNullable()
      .comment('<account id>/<region>/<cluster name>');
    table.string('entity_name', 255).notNullable();
    table
      .string('held_at', 64)
      .notNullable()
      .comment('When a read first held it back (ISO 8601)');
    table
      .text('reason')
      .notNullable()
      .comment('Why the read held it back, for the log and the fleet page');
    table.primary(['provider_id', 'cluster_key']);
  });
  await addClusterRecordFlag(
    knex,
    'details_pending',
    'Published from AWS Config alone: EKS could not be read yet',
  );
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await dropClusterRecordFlag(knex, 'details_pending');
  await knex.schema.dropTable('eks_fleet_held_deletions');
};
