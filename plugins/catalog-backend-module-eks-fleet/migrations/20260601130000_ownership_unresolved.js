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
 * Marks the clusters whose owner or system tag named nothing the catalog
 * knew, so that a delta read can resolve them again once the catalog has
 * the Groups and Systems (at start, it may not have them yet).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await addClusterRecordFlag(
    knex,
    'ownership_unresolved',
    'The owner or system tag named no known Group or System',
  );
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await dropClusterRecordFlag(knex, 'ownership_unresolved');
};
