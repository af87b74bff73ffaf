import ArgumentParser
import Foundation
import Logging
import Service

/// `emocl keys create|list|revoke`: API keys for `/api`. Once any key exists, every `/api`
/// request needs `Authorization: Bearer KEY`. Keys are stored as SHA-256 hashes.
struct Keys: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Create, list and revoke API keys.",
    subcommands: [Create.self, List.self, Revoke.self])

  struct DatabaseOption: ParsableArguments {
    @Option(
      help:
        "sqlite:PATH or postgres://... (default: EMOCL_DATABASE, else sqlite:data/emocl.sqlite).")
    var database: String?

    func url() throws -> DatabaseURL {
      if let database { return try DatabaseURL.parse(database) }
      return try ServiceConfiguration.fromEnvironment(ProcessInfo.processInfo.environment).database
    }

    /// Opens the store; `create` false refuses an SQLite file that does not exist (listing or
    /// revoking in a mistyped path must not make a new, empty database and say it has no keys).
    func withStore<T: Sendable>(
      create: Bool = true, _ body: @Sendable (SQLStore) async throws -> T
    ) async throws -> T {
      let url = try url()
      if !create, case .sqlite(let path) = url, !FileManager.default.fileExists(atPath: path) {
        throw ValidationError("no database at \(path) (keys are created with `emocl keys create`)")
      }
      try Serve.createParentFolder(of: url)
      var logger = Logger(label: "emocl-keys")
      logger.logLevel = .error
      return try await SQLStore.withStore(url, logger: logger, body)
    }
  }

  struct Create: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Create a key and print it (shown once; only its hash is stored).")
    @Option(help: "A name to recognise the key by.") var name: String
    @OptionGroup var options: DatabaseOption

    func validate() throws {
      do { try APIKeys.checkName(name) } catch { throw ValidationError(error.description) }
    }

    func run() async throws {
      let name = self.name
      let (key, record) = try await options.withStore { store in
        try await APIKeys.create(name: name, in: store, now: EmoclService.systemNow())
      }
      print(key)
      FileHandle.standardError.write(Data("created key \(record.id) '\(record.name)'\n".utf8))
    }
  }

  struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "List keys (id, prefix, name, dates).")
    @OptionGroup var options: DatabaseOption

    func run() async throws {
      let keys = try await options.withStore(create: false) { try await $0.listKeys() }
      print("id\tprefix\tcreated\trevoked\tname")
      for key in keys {
        let revoked = key.revokedAt.map(RFC3339.format(micros:)) ?? "-"
        print(
          "\(key.id)\t\(key.prefix)…\t\(RFC3339.format(micros: key.createdAt))\t\(revoked)\t\(key.name)"
        )
      }
    }
  }

  struct Revoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Revoke a key by its id.")
    @Argument(help: "The key's id from `emocl keys list`.") var id: Int64
    @OptionGroup var options: DatabaseOption

    func run() async throws {
      let id = self.id
      guard
        try await options.withStore(
          create: false, { try await $0.revokeKey(id: id, at: EmoclService.systemNow()) })
      else {
        throw ValidationError("no unrevoked key with id \(id)")
      }
      print("revoked key \(id) (running servers refuse it within about a second)")
    }
  }
}
