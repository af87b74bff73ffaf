import Foundation

/// The command line that trained a model, as a model card records it: as a user would type it
/// from the repository root, not as the training machine ran it.
///
/// The program is named `emocl` wherever its binary lived. An absolute path argument (alone or
/// after `--flag=`) inside the working directory or beside it is written relative to the
/// working directory (`/work/shared/datasets/fer2013/train` run from `/work/main` becomes
/// `../shared/datasets/fer2013/train`, the data root as the README spells it); one under the
/// home directory becomes `~/…`; any other path is kept.
public enum TrainingCommand {
  /// `arguments` (the program first, as in `CommandLine.arguments`) as one portable line.
  public static func portable(
    _ arguments: [String], workingDirectory: String = FileManager.default.currentDirectoryPath,
    home: String = NSHomeDirectory()
  ) -> String {
    guard !arguments.isEmpty else { return "emocl" }
    let rest = arguments.dropFirst().map { argument -> String in
      if let equals = argument.firstIndex(of: "="), argument.hasPrefix("--") {
        let value = String(argument[argument.index(after: equals)...])
        return argument[...equals] + path(value, workingDirectory: workingDirectory, home: home)
      }
      return path(argument, workingDirectory: workingDirectory, home: home)
    }
    return (["emocl"] + rest).joined(separator: " ")
  }

  /// One path as a user would type it (see the type's rules); anything else unchanged.
  public static func path(
    _ argument: String, workingDirectory: String = FileManager.default.currentDirectoryPath,
    home: String = NSHomeDirectory()
  ) -> String {
    guard argument.hasPrefix("/") else { return argument }
    let target = components(argument)
    let base = components(workingDirectory)
    var shared = 0
    while shared < min(target.count, base.count), target[shared] == base[shared] { shared += 1 }
    let up = base.count - shared
    // Inside the working directory, or in a sibling of it (e.g. ../shared).
    if shared > 0, up <= 1, shared < target.count || up == 0 {
      let relative = Array(repeating: "..", count: up) + target[shared...]
      return relative.isEmpty ? "." : relative.joined(separator: "/")
    }
    let homeParts = components(home)
    if !homeParts.isEmpty, target.count > homeParts.count,
      Array(target[..<homeParts.count]) == homeParts
    {
      return (["~"] + target[homeParts.count...]).joined(separator: "/")
    }
    return argument
  }

  /// The components of a standardised absolute path, without the root.
  private static func components(_ path: String) -> [String] {
    URL(fileURLWithPath: path).standardizedFileURL.path.split(separator: "/").map(String.init)
  }
}
