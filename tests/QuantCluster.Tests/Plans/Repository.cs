namespace QuantCluster.Tests.Plans;

/// <summary>The repository's own files (examples, docs, container files), found from the test binaries' folder.</summary>
internal static class Repository
{
    // Tests run from bin/...; the repository root is the folder that holds Cluster.sln.
    public static string Root()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Cluster.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("Cluster.sln not found above " + AppContext.BaseDirectory);
    }
}
