namespace QuantCluster.Node;

/// <summary>How one process joins the cluster: where it listens, the name others reach it by, its seed nodes and roles.</summary>
public sealed record NodeSettings(
    NodeAddress Listen,
    string? PublicHostname,
    IReadOnlyList<NodeAddress> Seeds,
    IReadOnlyList<string> Roles)
{
    /// <summary>The actor system's name: nodes join only systems of the same name.</summary>
    public const string SystemName = "quantcluster";

    public IReadOnlyList<string> SeedUris => [.. Seeds.Select(s => $"akka.tcp://{SystemName}@{s.Host}:{s.Port}")];
}
