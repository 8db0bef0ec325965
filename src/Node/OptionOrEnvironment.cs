namespace QuantCluster.Node;

/// <summary>Command-line values fall back to environment variables (QUANTCLUSTER_*), so containers can configure a node without arguments.</summary>
public static class OptionOrEnvironment
{
    public static string? Get(string? given, string variable) =>
        !string.IsNullOrWhiteSpace(given) ? given : Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value : null;

    /// <summary>The given number, else the variable's when it holds one, else null.</summary>
    public static int? GetInt(int? given, string variable) =>
        given ?? (int.TryParse(Environment.GetEnvironmentVariable(variable), out int value) ? value : null);
}
