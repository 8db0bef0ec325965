namespace QuantCluster.Node;

/// <summary>Command-line values fall back to environment variables (QUANTCLUSTER_*), so containers can configure a node without arguments.</summary>
public static class OptionOrEnvironment
{
    public static string? Get(string? given, string variable) =>
        !string.IsNullOrWhiteSpace(given) ? given : Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value : null;
}
