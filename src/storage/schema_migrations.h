// SchemaMigrations: the versioned schema of both backends.
//
// Purpose: brings a database from any earlier version to the current one.
// Each migration is applied once, inside a transaction, and recorded in
// `schema_migrations`; on PostgreSQL an advisory lock keeps several
// starting servers from migrating at the same time. The DDL is written once
// with {ID} (auto id) and {BLOB} placeholders filled per dialect.
// Thread-safety: stateless; call with a connection no one else is using.
// Ownership: none.
#pragma once

#include "common/result.h"
#include "storage/sql_connection.h"

namespace sladesk {

class SchemaMigrations {
 public:
  // Applies every pending migration; returns the schema version reached.
  // Applies every migration after the current version, up to `up_to`
  // (default: all; tests stop early to build older schemas).
  static Result<int> Apply(SqlConnection& conn, int up_to = 1 << 30);
  static int LatestVersion();
};

}  // namespace sladesk
