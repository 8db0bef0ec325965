using QuantCluster.Messages;

namespace QuantCluster.Tests.Messages;

/// <summary>A failure's reason is cut where the failure is reported, so the report fits a frame whatever the exception said.</summary>
public sealed class JobFailedTests
{
    [Fact]
    public void A_million_character_reason_is_cut_to_the_bound_and_says_how_much_was_cut()
    {
        var reason = "CUDA error: " + new string('r', 1_000_000 - 12);

        var bounded = JobFailed.BoundedReason(reason);

        Assert.InRange(bounded.Length, JobFailed.MaximumReasonLength - 100, JobFailed.MaximumReasonLength);
        int kept = bounded.IndexOf('…', StringComparison.Ordinal);
        Assert.StartsWith(reason[..kept], bounded, StringComparison.Ordinal);
        Assert.Equal($"… ({1_000_000 - kept:N0} more characters; full text in the node's log)", bounded[kept..]);
    }

    [Fact]
    public void A_reason_within_the_bound_is_kept_whole()
    {
        var reason = new string('r', JobFailed.MaximumReasonLength);

        Assert.Same(reason, JobFailed.BoundedReason(reason));
    }

    [Fact]
    public void A_cut_does_not_split_a_surrogate_pair()
    {
        var bounded = JobFailed.BoundedReason(string.Concat(Enumerable.Repeat("😀", JobFailed.MaximumReasonLength)));

        int kept = bounded.IndexOf('…', StringComparison.Ordinal);
        Assert.Equal(0, kept % 2);
        Assert.True(char.IsLowSurrogate(bounded[kept - 1]));
    }
}
