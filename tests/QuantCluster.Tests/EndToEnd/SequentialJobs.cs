namespace QuantCluster.Tests.EndToEnd;

/// <summary>
/// Jobs share process-wide torch settings (thread count, Serilog's static logger), so they run one at a time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SequentialJobs
{
    public const string Name = "end-to-end jobs";
}
