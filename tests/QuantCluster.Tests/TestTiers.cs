namespace QuantCluster.Tests;

/// <summary>
/// Trait values that split the suite into tiers a developer can run alone; CI runs every tier.
/// <c>dotnet test Cluster.sln --filter "Tier!=multi-process"</c> runs the fast tier.
/// </summary>
internal static class TestTiers
{
    public const string Name = "Tier";

    /// <summary>Tests that start coordinator, worker and calibration processes of their own (about 2 minutes of the suite).</summary>
    public const string MultiProcess = "multi-process";
}
