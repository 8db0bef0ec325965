using QuantCluster.Quantization.Data;
using QuantCluster.Quantization.Models;

namespace QuantCluster.Coordinator.Plans;

/// <summary>
/// Reads the plan's data section: each split's files in any of their forms (an .npz, an image folder, a pair of IDX or
/// .npy files, or the older train_images/train_labels keys), the layout and normalization, how many samples calibrate and
/// how many are held out for validation. The files' contents are read later, against the model (<see cref="PlanDataSets"/>).
/// </summary>
internal static class DataSection
{
    public static readonly IReadOnlyList<string> Keys =
    [
        "train", "test", "train_images", "train_labels", "test_images", "test_labels", "layout", "normalize",
        "calibration_samples", "validation_samples", "batch_size", "augment_shift",
    ];

    private static readonly IReadOnlyList<string> PairKeys = ["images", "labels"];

    private static readonly IReadOnlyList<string> NormalizeKeys = ["mean", "std"];

    private static readonly Choices<ArrayLayout> Layouts = new(("nchw", ArrayLayout.Nchw), ("nhwc", ArrayLayout.Nhwc));

    private const string SplitForms =
        "allowed: a path to an .npz file (arrays images and labels), a path to a folder with one subfolder of PNG/JPEG images per class, or {images: PATH, labels: PATH} with both IDX (gzipped or not) or both .npy";

    // Values before files: a typo in the plan is reported even on a machine that lacks the data.
    public static DataPlan Read(PlanSection data, ModelSignature model, string workingDirectory)
    {
        var calibrationSamples = data.Int("calibration_samples", 1000, 1, 1_000_000);
        var validationSamples = data.Int("validation_samples", 0, 0, 1_000_000);
        var batchSize = data.Int("batch_size", 500, 1, 65536);
        var augmentShift = data.Int("augment_shift", 1, 0, 4);
        var layout = data.Choice("layout", ArrayLayout.Nchw, Layouts);
        var normalization = ReadNormalization(data, model);
        return new DataPlan(
            Split(data, "train", "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", workingDirectory),
            Split(data, "test", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", workingDirectory),
            calibrationSamples,
            batchSize,
            augmentShift)
        {
            ValidationSamples = validationSamples,
            ValidationLocation = data.LocationOf("validation_samples"),
            Layout = layout,
            Normalization = normalization,
        };
    }

    private static Normalization ReadNormalization(PlanSection data, ModelSignature model)
    {
        if (!data.Has("normalize")) return Normalization.None;
        var normalize = data.Section("normalize", NormalizeKeys);
        int channels = model.Channels;
        string allowed = $"allowed: a list of {channels} number{(channels == 1 ? "" : "s")}, one per channel of the model's {model.ShapeText} input";
        var mean = normalize.NumberList("mean", allowed) ?? throw normalize.MissingKey("mean", allowed);
        var std = normalize.NumberList("std", allowed + ", each above 0") ?? throw normalize.MissingKey("std", allowed + ", each above 0");
        if (mean.Length != channels)
            throw normalize.Error("mean", $"{mean.Length} values for a model with {channels} input channel{(channels == 1 ? "" : "s")}", allowed);
        if (std.Length != channels)
            throw normalize.Error("std", $"{std.Length} values for a model with {channels} input channel{(channels == 1 ? "" : "s")}", allowed + ", each above 0");
        int bad = Array.FindIndex(std, s => s <= 0);
        if (bad >= 0)
            throw normalize.Error("std", $"std[{bad}] is {std[bad].ToString(System.Globalization.CultureInfo.InvariantCulture)}, and a std of 0 or below divides by nothing sensible", allowed + ", each above 0");
        return new Normalization(mean, std);
    }

    private static DataFiles Split(PlanSection data, string split, string defaultImages, string defaultLabels, string workingDirectory)
    {
        string imagesKey = $"{split}_images", labelsKey = $"{split}_labels";
        if (data.Has(split))
        {
            foreach (var old in new[] { imagesKey, labelsKey }.Where(data.Has))
                throw data.Error(old, $"{split} is given twice: as data.{split} and as data.{old}", $"allowed: one of data.{split} or data.{imagesKey}/{labelsKey}; data.{split} is the newer form");
            return data.IsMapping(split) ? Pair(data.Section(split, PairKeys), data, split, workingDirectory) : Single(data, split, workingDirectory);
        }

        // The older keys: each file is given or defaults to the shipped MNIST subset.
        string images = PlanFiles.GivenOrDefault(data, imagesKey, $"data/mnist/{defaultImages}", workingDirectory, "data file");
        string labels = PlanFiles.GivenOrDefault(data, labelsKey, $"data/mnist/{defaultLabels}", workingDirectory, "data file");
        var format = PairFormat(data, labelsKey, images, labels);
        string key = data.Has(imagesKey) || !data.Has(labelsKey) ? imagesKey : labelsKey;
        return new DataFiles(format, images, labels, data.KeyPath(key), data.LocationOf(key));
    }

    private static DataFiles Pair(PlanSection pair, PlanSection data, string split, string workingDirectory)
    {
        string allowed = "allowed: a path to an existing IDX or .npy file";
        string images = PlanFiles.Given(pair, "images", workingDirectory, "IDX or .npy file") ?? throw pair.MissingKey("images", allowed);
        string labels = PlanFiles.Given(pair, "labels", workingDirectory, "IDX or .npy file") ?? throw pair.MissingKey("labels", allowed);
        return new DataFiles(PairFormat(pair, "labels", images, labels), images, labels, data.KeyPath(split), data.LocationOf(split));
    }

    private static DataFiles Single(PlanSection data, string split, string workingDirectory)
    {
        var text = data.OptionalString(split, SplitForms)!;
        var full = Path.GetFullPath(text, workingDirectory);
        if (Directory.Exists(full)) return new DataFiles(DataFormat.ImageFolder, full, null, data.KeyPath(split), data.LocationOf(split));
        if (!File.Exists(full)) throw data.Error(split, $"'{text}' does not exist (looked for {full})", SplitForms);
        if (!full.EndsWith(".npz", StringComparison.OrdinalIgnoreCase))
            throw data.Error(split, $"'{text}' is a file but not an .npz archive", SplitForms);
        return new DataFiles(DataFormat.Npz, full, null, data.KeyPath(split), data.LocationOf(split));
    }

    // A .npy name says NumPy; anything else is read as IDX, as the shipped files are. Mixed pairs are refused so that one
    // format describes both files on the wire.
    private static DataFormat PairFormat(PlanSection section, string labelsKey, string images, string labels)
    {
        bool npyImages = IsNpy(images), npyLabels = IsNpy(labels);
        if (npyImages != npyLabels)
            throw section.Error(labelsKey, $"{Path.GetFileName(labels)} is {(npyLabels ? ".npy" : "IDX")} but {Path.GetFileName(images)} is {(npyImages ? ".npy" : "IDX")}", "allowed: images and labels both IDX (gzipped or not) or both .npy");
        return npyImages ? DataFormat.NpyFiles : DataFormat.IdxFiles;
    }

    private static bool IsNpy(string path) => path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase);
}
