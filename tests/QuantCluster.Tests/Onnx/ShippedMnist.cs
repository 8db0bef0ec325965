using QuantCluster.Messages.Models;
using QuantCluster.Quantization.Data;
using QuantCluster.Tests.Data;

namespace QuantCluster.Tests.Onnx;

/// <summary>The digits shipped in data/mnist, found from the test binaries' folder.</summary>
internal static class ShippedMnist
{
    public static LabeledImages Load(string split)
    {
        string folder = Folder();
        return TestImages.Load(DataFormat.IdxFiles, Path.Combine(folder, $"{split}-images-idx3-ubyte.gz"), Path.Combine(folder, $"{split}-labels-idx1-ubyte.gz"), [1, 28, 28]);
    }

    /// <summary>The shipped training split as the messages name it to calibration and worker actors.</summary>
    public static DataSource TrainSource() =>
        new(DataSourceFormat.IdxFiles, Path.Combine(Folder(), "train-images-idx3-ubyte.gz"), Path.Combine(Folder(), "train-labels-idx1-ubyte.gz"),
            DataSourceLayout.Nchw, [], []);

    private static string Folder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "data", "mnist");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException($"no data/mnist above {AppContext.BaseDirectory}");
    }
}
