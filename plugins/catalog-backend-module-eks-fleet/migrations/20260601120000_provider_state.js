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
 * What the EKS Fleet providers remember between runs, shared by every
 * backend replica and kept across restarts: per provider, the newest AWS
 * Config capture time it applied (where a delta refresh starts) and the
 * lease that keeps its full and delta refreshes from overlapping; per
 * cluster, what was last read of it (Config item, add-ons, EKS details).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('eks_fleet_provider_state', table => {
    table.comment('One row per EKS Fleet entity provider');
    table
      .string('provider_id', 255)
      .primary()
      .notNullable()
      .comment('catalog.providers.eksFleet.<id>');
    table
      .string('watermark', 64)
      .nullable()
      .comment(
        'The newest configurationItemCaptureTime applied to the catalog (ISO 8601)',
      );
    table
      .string('last_full_read_at', 64)
      .nullable()
      .comment('When the last complete full read was applied (ISO 8601)');
    table
      .string('lease_holder', 64)
      .nullable()
      .comment('The run that holds the provider, if any');
    table
      .bigInteger('lease_expires_at')
      .nullable()
      .comment('When that lease lapses, in epoch milliseconds');
    table
      .timestamp('updated_at', { useTz: false, precision: 0 })
      .notNullable()
      .defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('eks_fleet_cluster_records', table => {
    table.comment('What an EKS Fleet provider last read of each cluster');
    table.string('provider_id', 255).notNullable();
    table
      .string('cluster_key', 512)
      .notNullable()
      .comment('<account id>/<region>/<cluster name>');
    table.string('cluster_name', 255).notNullable();
    table.string('arn', 512).notNullable();
    table.string('entity_name', 255).notNullable();
    table
      .text('record')
      .notNullable()
      .comment('JSON: the Config item, its add-ons and the EKS details');
    table
      .timestamp('updated_at', { useTz: false, precision: 0 })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.primary(['provider_id', 'cluster_key']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('eks_fleet_cluster_records');
  await knex.schema.dropTable('eks_fleet_provider_state');
};
