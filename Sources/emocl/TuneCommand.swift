import ArgumentParser

/// `emocl tune <model>`: choose hyper-parameters on a held-out part of the training data.
struct Tune: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tune",
    abstract: "Choose hyper-parameters on a stratified split of the training data.",
    subcommands: [TuneSVM.self]
  )
}
