/**
 * Errors the store raises at start-up. Each carries a stable `code` so callers (main, tests)
 * can tell "fix your database url" from "someone edited an applied migration".
 */

export type MigrationErrorCode =
  /** An applied migration's migration.sql no longer matches the recorded checksum. */
  | 'CHECKSUM_MISMATCH'
  /** A migration's SQL failed; its transaction was rolled back. */
  | 'MIGRATION_FAILED'
  /** The history holds a migration that failed outside this runner and was never resolved. */
  | 'UNRESOLVED_FAILED_MIGRATION'
  /** Another process held the migration lock for longer than the lock timeout. */
  | 'LOCK_TIMEOUT'
  /** The migrations folder is missing or malformed. */
  | 'INVALID_MIGRATIONS_FOLDER';

export class MigrationError extends Error {
  override readonly name = 'MigrationError';

  constructor(
    readonly code: MigrationErrorCode,
    message: string,
    /** The migration (folder name) concerned, when there is one. */
    readonly migration?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export type DatabaseErrorCode =
  | 'INVALID_DATABASE_URL'
  | 'DATABASE_UNREACHABLE'
  | 'DATABASE_AUTH_FAILED'
  | 'DATABASE_NOT_FOUND'
  | 'DATA_DIR_IN_USE'
  | 'DATABASE_ERROR';

export class DatabaseError extends Error {
  override readonly name = 'DatabaseError';

  constructor(
    readonly code: DatabaseErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
