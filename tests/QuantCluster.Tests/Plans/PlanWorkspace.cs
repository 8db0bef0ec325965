using QuantCluster.Coordinator.Plans;

namespace QuantCluster.Tests.Plans;

/// <summary>A throw-away working directory holding stand-in MNIST files, so plan tests never depend on the real data.</summary>
internal sealed class PlanWorkspace : IDisposable
{
    public static readonly IReadOnlyList<string> DefaultDataFiles =
    [
        "data/mnist/train-images-idx3-ubyte.gz",
        "data/mnist/train-labels-idx1-ubyte.gz",
        "data/mnist/t10k-images-idx3-ubyte.gz",
        "data/mnist/t10k-labels-idx1-ubyte.gz",
    ];

    private PlanWorkspace(string root) => Root = root;

    public string Root { get; }

    /// <summary>A workspace with the four default data files present.</summary>
    public static PlanWorkspace WithData()
    {
        var workspace = Empty();
        foreach (var file in DefaultDataFiles)
        {
            workspace.Touch(file);
        }

        return workspace;
    }

    public static PlanWorkspace Empty()
    {
        var root = Path.Combine(Path.GetTempPath(), "quantcluster-plan-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        return new PlanWorkspace(root);
    }

    public string Touch(string relativePath)
    {
        var full = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, []);
        return full;
    }

    public Plan Parse(string yaml, string? outputOverride = null) =>
        PlanLoader.Parse(yaml, "plan.yaml", outputOverride, Root);

    public PlanException Reject(string yaml) =>
        Assert.Throws<PlanException>(() => Parse(yaml));

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
