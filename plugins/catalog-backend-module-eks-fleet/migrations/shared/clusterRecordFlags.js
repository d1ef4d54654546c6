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

/*
 * Code the migrations share. It stands in a folder of its own because knex
 * runs every .js file of the migrations folder itself as a migration, and
 * passes over folders. What a migration creates is kept as it was: only
 * the way it is written is shared.
 */

/**
 * Adds a flag to the cluster records: a boolean column, false by default.
 *
 * @param {import('knex').Knex} knex
 * @param {string} column
 * @param {string} comment
 */
exports.addClusterRecordFlag = async function addClusterRecordFlag(
  knex,
  column,
  comment,
) {
  await knex.schema.alterTable('eks_fleet_cluster_records', table => {
    table.boolean(column).notNullable().defaultTo(false).comment(comment);
  });
};

/**
 * Drops a flag of the cluster records.
 *
 * @param {import('knex').Knex} knex
 * @param {string} column
 */
exports.dropClusterRecordFlag = async function dropClusterRecordFlag(
  knex,
  column,
) {
  await knex.schema.alterTable('eks_fleet_cluster_records', table => {
    table.dropColumn(column);
  });
};
