/// A failure of a `dataset` subcommand, printed as its message.
struct DatasetCommandError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
