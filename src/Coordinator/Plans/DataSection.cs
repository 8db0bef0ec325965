namespace QuantCluster.Coordinator.Plans;

/// <summary>Reads the plan's data section: the MNIST files and how many samples calibrate.</summary>
internal static class DataSection
{
    public static readonly IReadOnlyList<string> Keys =
        ["train_images", "train_labels", "test_images", "test_labels", "calibration_samples", "batch_size"];

    public static DataPlan Read(PlanSection data, string workingDirectory) => new(
        TrainImages: PlanFiles.GivenOrDefault(data, "train_images", "data/mnist/train-images-idx3-ubyte.gz", workingDirectory, "data file"),
        TrainLabels: PlanFiles.GivenOrDefault(data, "train_labels", "data/mnist/train-labels-idx1-ubyte.gz", workingDirectory, "data file"),
        TestImages: PlanFiles.GivenOrDefault(data, "test_images", "data/mnist/t10k-images-idx3-ubyte.gz", workingDirectory, "data file"),
        TestLabels: PlanFiles.GivenOrDefault(data, "test_labels", "data/mnist/t10k-labels-idx1-ubyte.gz", workingDirectory, "data file"),
        CalibrationSamples: data.Int("calibration_samples", 1000, 1, 1_000_000),
        BatchSize: data.Int("batch_size", 500, 1, 65536));
}
