namespace QuantCluster.Node;

/// <summary>The cluster roles a node can play; the embedded cluster plays all three.</summary>
public static class ClusterRoles
{
    public const string Coordinator = "coordinator";
    public const string Worker = "worker";
    public const string Calibration = "calibration";

    /// <summary>Where the coordinator's registry lives on its node.</summary>
    public const string RegistryPath = "/user/registry";
}
