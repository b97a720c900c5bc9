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
  static Result<int> Apply(SqlConnection& conn);
  static int LatestVersion();
};

}  // namespace sladesk
