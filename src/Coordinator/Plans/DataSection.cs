namespace QuantCluster.Coordinator.Plans;

/// <summary>Reads the plan's data section: the MNIST files and how many samples calibrate.</summary>
internal static class DataSection
{
    public static readonly IReadOnlyList<string> Keys =
        ["train_images", "train_labels", "test_images", "test_labels", "calibration_samples", "batch_size", "augment_shift"];

    // Values before files: a typo in the plan is reported even on a machine that lacks the data.
    public static DataPlan Read(PlanSection data, string workingDirectory)
    {
        var calibrationSamples = data.Int("calibration_samples", 1000, 1, 1_000_000);
        var batchSize = data.Int("batch_size", 500, 1, 65536);
        var augmentShift = data.Int("augment_shift", 1, 0, 4);
        return new DataPlan(
            TrainImages: File(data, "train_images", "data/mnist/train-images-idx3-ubyte.gz", workingDirectory),
            TrainLabels: File(data, "train_labels", "data/mnist/train-labels-idx1-ubyte.gz", workingDirectory),
            TestImages: File(data, "test_images", "data/mnist/t10k-images-idx3-ubyte.gz", workingDirectory),
            TestLabels: File(data, "test_labels", "data/mnist/t10k-labels-idx1-ubyte.gz", workingDirectory),
            calibrationSamples,
            batchSize,
            augmentShift);
    }

    private static string File(PlanSection data, string key, string defaultPath, string workingDirectory) =>
        PlanFiles.GivenOrDefault(data, key, defaultPath, workingDirectory, "data file");
}
