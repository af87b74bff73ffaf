import Foundation

/// Resolves a `--model` argument to a model file.
///
/// An argument containing `/` or ending in `.safetensors` is a path (relative to the current
/// directory). Any other argument is a model name, looked up as `NAME.safetensors` in, in order:
/// 1. the explicit models directory (`--models DIR`),
/// 2. the directory in the environment variable `EMOCL_MODELS`,
/// 3. the repository's `Models/` directory, found by walking up from the executable to a
///    directory holding both `Package.swift` and `Models/`,
/// 4. the same walk starting from the current directory.
public struct ModelLocator: Sendable {
  /// The environment variable naming a models directory.
  public static let environmentVariable = "EMOCL_MODELS"
  /// The file extension of model files.
  public static let fileExtension = "safetensors"

  /// Directory given with `--models`, searched first.
  public var modelsDirectory: URL?
  /// Environment consulted for `EMOCL_MODELS`.
  public var environment: [String: String]
  /// The running executable, whose ancestors may hold the repository.
  public var executableURL: URL?
  /// Base for relative paths and the second repository walk.
  public var currentDirectory: URL

  /// A locator for the running process; pass values to override (tests, `--models`).
  public init(
    modelsDirectory: URL? = nil,
    environment: [String: String] = ProcessInfo.processInfo.environment,
    executableURL: URL? = ModelLocator.runningExecutable,
    currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
  ) {
    self.modelsDirectory = modelsDirectory
    self.environment = environment
    self.executableURL = executableURL
    self.currentDirectory = currentDirectory
  }

  /// The running executable with symbolic links resolved (`/proc/self/exe` on Linux).
  public static var runningExecutable: URL? {
    if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
      return URL(fileURLWithPath: target)
    }
    return Bundle.main.executableURL?.resolvingSymlinksInPath()
  }

  /// The directories searched for model names, in order, without duplicates. Directories that
  /// do not exist are left out, except an explicit `modelsDirectory` or `EMOCL_MODELS`.
  public var searchDirectories: [URL] {
    var dirs: [URL] = []
    if let modelsDirectory { dirs.append(modelsDirectory) }
    if let env = environment[Self.environmentVariable], !env.isEmpty {
      dirs.append(URL(fileURLWithPath: env, relativeTo: currentDirectory))
    }
    if let exe = executableURL, let repo = Self.repositoryModelsDirectory(from: exe) {
      dirs.append(repo)
    }
    if let repo = Self.repositoryModelsDirectory(from: currentDirectory) { dirs.append(repo) }
    var seen = Set<String>()
    return dirs.map { $0.standardizedFileURL }.filter { seen.insert($0.path).inserted }
  }

  /// The model file for `nameOrPath` (see the type's description).
  public func locate(_ nameOrPath: String) throws(ModelLocatorError) -> URL {
    guard !nameOrPath.isEmpty else { throw .emptyName }
    if nameOrPath.contains("/") || nameOrPath.hasSuffix(".\(Self.fileExtension)") {
      let url = URL(fileURLWithPath: nameOrPath, relativeTo: currentDirectory).standardizedFileURL
      guard Self.isFile(url) else { throw .fileNotFound(url.path) }
      return url
    }
    let dirs = searchDirectories
    for dir in dirs {
      let url = dir.appendingPathComponent("\(nameOrPath).\(Self.fileExtension)")
      if Self.isFile(url) { return url }
    }
    throw .modelNotFound(name: nameOrPath, searched: dirs.map(\.path))
  }

  /// Names of the models found in `searchDirectories` (a name in an earlier directory hides the
  /// same name later), sorted.
  public func availableModels() -> [String] {
    var names = Set<String>()
    for dir in searchDirectories {
      let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
      for file in files where file.hasSuffix(".\(Self.fileExtension)") {
        let name = String(file.dropLast(Self.fileExtension.count + 1))
        if !name.isEmpty, Self.isFile(dir.appendingPathComponent(file)) { names.insert(name) }
      }
    }
    return names.sorted()
  }

  /// `Models/` of the nearest ancestor of `start` (or `start` itself) that holds both
  /// `Package.swift` and a `Models` directory.
  public static func repositoryModelsDirectory(from start: URL) -> URL? {
    var dir = start.standardizedFileURL
    if isFile(dir) { dir.deleteLastPathComponent() }
    while true {
      let models = dir.appendingPathComponent("Models")
      if isFile(dir.appendingPathComponent("Package.swift")), isDirectory(models) { return models }
      let parent = dir.deletingLastPathComponent().standardizedFileURL
      if parent.path == dir.path { return nil }
      dir = parent
    }
  }

  private static func isFile(_ url: URL) -> Bool {
    var isDir: ObjCBool = false
    return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) && !isDir.boolValue
  }

  private static func isDirectory(_ url: URL) -> Bool {
    var isDir: ObjCBool = false
    return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) && isDir.boolValue
  }
}
