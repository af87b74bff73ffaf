import Datasets
import Foundation
import TestSupport
import Testing

/// A scratch tree: `repo/{Package.swift, Models/, .build/release/emocl}`, `explicit/`, `env/`.
private struct Tree {
  let dir: TemporaryDirectory
  var root: URL { dir.url }
  var repo: URL { root.appendingPathComponent("repo") }
  var executable: URL { repo.appendingPathComponent(".build/release/emocl") }

  init() throws {
    dir = try TemporaryDirectory()
    let fm = FileManager.default
    for sub in [
      "repo/Models", "repo/.build/release", "repo/Sources/deep", "explicit", "env", "elsewhere",
    ] {
      try fm.createDirectory(
        at: root.appendingPathComponent(sub), withIntermediateDirectories: true)
    }
    try Data("// swift-tools-version: 6.1\n".utf8).write(
      to: repo.appendingPathComponent("Package.swift"))
    try Data().write(to: executable)
  }

  func touch(_ relative: String) throws {
    try Data([1]).write(to: root.appendingPathComponent(relative))
  }

  func locator(
    explicit: Bool = false, env: Bool = false, cwd: String = "elsewhere", exe: Bool = true
  )
    -> ModelLocator
  {
    ModelLocator(
      modelsDirectory: explicit ? root.appendingPathComponent("explicit") : nil,
      environment: env ? ["EMOCL_MODELS": root.appendingPathComponent("env").path] : [:],
      executableURL: exe ? executable : nil,
      currentDirectory: root.appendingPathComponent(cwd))
  }
}

@Suite struct ModelLocatorTests {
  @Test func namesAreSearchedInOrder() throws {
    let t = try Tree()
    defer { t.dir.cleanup() }
    for d in ["explicit", "env", "repo/Models"] { try t.touch("\(d)/cnn.safetensors") }
    let all = t.locator(explicit: true, env: true)
    #expect(try all.locate("cnn").path.hasSuffix("/explicit/cnn.safetensors"))
    #expect(try t.locator(env: true).locate("cnn").path.hasSuffix("/env/cnn.safetensors"))
    #expect(try t.locator().locate("cnn").path.hasSuffix("/repo/Models/cnn.safetensors"))
    // A name missing from the explicit directory falls through to the next ones.
    try t.touch("repo/Models/logreg.safetensors")
    #expect(try all.locate("logreg").path.hasSuffix("/repo/Models/logreg.safetensors"))
    #expect(all.searchDirectories.map(\.lastPathComponent) == ["explicit", "env", "Models"])
    #expect(all.availableModels() == ["cnn", "logreg"])
  }

  @Test func repositoryIsFoundFromCurrentDirectoryWithoutExecutable() throws {
    let t = try Tree()
    defer { t.dir.cleanup() }
    try t.touch("repo/Models/svm.safetensors")
    #expect(
      try t.locator(cwd: "repo/Sources/deep", exe: false).locate("svm").path.hasSuffix(
        "/repo/Models/svm.safetensors"))
    #expect(
      ModelLocator.repositoryModelsDirectory(
        from: t.root.appendingPathComponent("repo/Sources/deep"))?
        .standardizedFileURL == t.repo.appendingPathComponent("Models").standardizedFileURL)
    #expect(
      ModelLocator.repositoryModelsDirectory(from: t.root.appendingPathComponent("elsewhere"))
        == nil)
    #expect(t.locator(exe: false).searchDirectories.isEmpty)
  }

  @Test func pathsAreResolvedAgainstCurrentDirectory() throws {
    let t = try Tree()
    defer { t.dir.cleanup() }
    try t.touch("elsewhere/mine.safetensors")
    let loc = t.locator()
    #expect(try loc.locate("mine.safetensors").path.hasSuffix("/elsewhere/mine.safetensors"))
    #expect(
      try loc.locate("../elsewhere/mine.safetensors").path.hasSuffix("/elsewhere/mine.safetensors"))
    let absolute = t.root.appendingPathComponent("elsewhere/mine.safetensors").path
    #expect(try loc.locate(absolute).path == absolute)
    #expect(throws: ModelLocatorError.self) { try loc.locate("./missing.safetensors") }
    #expect(throws: ModelLocatorError.emptyName) { try loc.locate("") }
  }

  @Test func missingNameListsSearchedDirectories() throws {
    let t = try Tree()
    defer { t.dir.cleanup() }
    let loc = t.locator(explicit: true, env: true)
    do {
      _ = try loc.locate("nothing")
      Issue.record("found a model that does not exist")
    } catch {
      guard case .modelNotFound(let name, let searched) = error else {
        Issue.record("wrong error \(error)")
        return
      }
      #expect(name == "nothing" && searched.count == 3)
      #expect("\(error)".contains("nothing.safetensors") && "\(error)".contains("--models"))
    }
  }
}
