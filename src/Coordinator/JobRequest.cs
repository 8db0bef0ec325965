using QuantCluster.Node;

namespace QuantCluster.Coordinator;

/// <summary>
/// What the command line (or the QUANTCLUSTER_* environment) asked for. Without Listen the job runs on the embedded
/// cluster; with it the coordinator becomes the seed of a real cluster and waits for Workers and Calibrators to join.
/// </summary>
public sealed record JobRequest(
    string PlanPath,
    string? Output = null,
    string? Listen = null,
    string? PublicHostname = null,
    int? Workers = null,
    int? Calibrators = null,
    TimeSpan? JoinTimeout = null)
{
    /// <summary>Trace and metric export and the console log's format; by default nothing is exported and the console is text.</summary>
    public ObservabilityOptions Observability { get; init; } = ObservabilityOptions.Default;

    /// <summary>The cluster secret members must prove and the TLS certificate remoting runs with; by default the cluster is open (fine on loopback).</summary>
    public SecurityOptions Security { get; init; } = SecurityOptions.Open;
}
