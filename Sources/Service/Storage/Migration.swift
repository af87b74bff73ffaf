/// One step of the database schema: applied once, in version order, and recorded in
/// `schema_migrations` so that every server knows which steps a database has had.
struct Migration: Sendable {
  /// 1, 2, 3, …: the order of application; never reused or renumbered once released.
  let version: Int
  /// What the step does, for people (`schema_migrations.name`).
  let name: String
  /// The statements for a dialect, run in one transaction with the version's record.
  let statements: @Sendable (SQLDialect) -> [String]
}
