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
 * A wave's change in the fleet repository, for clusters upgraded through
 * GitOps: its branch and commit, which clusters it sets, and its merge
 * (when, which commit, by whom), as JSON.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('eks_fleet_rollout_waves', table => {
    table
      .text('gitops')
      .nullable()
      .comment(
        "The wave's change in the fleet repository (branch, commit, clusters, merge), as JSON",
      );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('eks_fleet_rollout_waves', table => {
    table.dropColumn('gitops');
  });
};
