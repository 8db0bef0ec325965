namespace QuantCluster.Node;

/// <summary>How one process joins the cluster: where it listens, the name others reach it by, its seed nodes and roles, and the TLS certificate remoting runs with (null: plain TCP).</summary>
public sealed record NodeSettings(
    NodeAddress Listen,
    string? PublicHostname,
    IReadOnlyList<NodeAddress> Seeds,
    IReadOnlyList<string> Roles,
    ClusterTls? Tls = null)
{
    /// <summary>The actor system's name: nodes join only systems of the same name.</summary>
    public const string SystemName = "quantcluster";

    /// <summary>Akka.Remote names the protocol after the transport: akka.ssl.tcp when TLS is on.</summary>
    public IReadOnlyList<string> SeedUris => [.. Seeds.Select(s => $"{(Tls is null ? "akka.tcp" : "akka.ssl.tcp")}://{SystemName}@{s.Host}:{s.Port}")];
}
