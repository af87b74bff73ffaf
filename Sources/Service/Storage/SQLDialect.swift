/// Which SQL a backend needs where SQLite and PostgreSQL differ (only DDL and locking).
enum SQLDialect: Sendable {
  case sqlite, postgres
}
