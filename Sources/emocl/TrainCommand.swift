import ArgumentParser

/// `emocl train <model>`: fit a model on an image-folder dataset and write a model file.
struct Train: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Train a model on an image-folder dataset and write it as a .safetensors file.",
    subcommands: [TrainCNN.self, TrainLogReg.self, TrainSVM.self]
  )
}
