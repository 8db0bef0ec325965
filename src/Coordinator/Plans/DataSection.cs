using QuantCluster.Quantization.Data;

namespace QuantCluster.Coordinator.Plans;

/// <summary>Reads the plan's data section: the MNIST files, how many samples calibrate and how many are held out for validation.</summary>
internal static class DataSection
{
    public static readonly IReadOnlyList<string> Keys =
        ["train_images", "train_labels", "test_images", "test_labels", "calibration_samples", "validation_samples", "batch_size", "augment_shift"];

    // Values before files: a typo in the plan is reported even on a machine that lacks the data.
    public static DataPlan Read(PlanSection data, string workingDirectory)
    {
        var calibrationSamples = data.Int("calibration_samples", 1000, 1, 1_000_000);
        var validationSamples = data.Int("validation_samples", 0, 0, 1_000_000);
        var batchSize = data.Int("batch_size", 500, 1, 65536);
        var augmentShift = data.Int("augment_shift", 1, 0, 4);
        var plan = new DataPlan(
            TrainImages: File(data, "train_images", "data/mnist/train-images-idx3-ubyte.gz", workingDirectory),
            TrainLabels: File(data, "train_labels", "data/mnist/train-labels-idx1-ubyte.gz", workingDirectory),
            TestImages: File(data, "test_images", "data/mnist/t10k-images-idx3-ubyte.gz", workingDirectory),
            TestLabels: File(data, "test_labels", "data/mnist/t10k-labels-idx1-ubyte.gz", workingDirectory),
            calibrationSamples,
            batchSize,
            augmentShift)
        { ValidationSamples = validationSamples };
        if (validationSamples > 0) CheckTrainingLeft(data, plan);
        return plan;
    }

    /// <summary>
    /// Held-out samples come out of training, so at least half the training samples must remain: beyond that FP32 training
    /// and QAT would lose more than the decisions gain. Reads the labels file, only when samples are held out.
    /// </summary>
    private static void CheckTrainingLeft(PlanSection data, DataPlan plan)
    {
        int count;
        try
        {
            count = IdxReader.ReadLabels(plan.TrainLabels).Dimensions[0];
        }
        catch (DataFormatException e)
        {
            throw data.Error("train_labels", e.Message, "allowed: an MNIST labels file (IDX, gzipped or raw)");
        }

        int most = count / 2;
        if (plan.ValidationSamples > most)
        {
            throw data.Error(
                "validation_samples",
                $"{plan.ValidationSamples} would leave {count - plan.ValidationSamples} of the {count} training samples to train on",
                $"allowed: integers from 0 to {most}, so at least half the training samples train");
        }
    }

    private static string File(PlanSection data, string key, string defaultPath, string workingDirectory) =>
        PlanFiles.GivenOrDefault(data, key, defaultPath, workingDirectory, "data file");
}
