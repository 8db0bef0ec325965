using Akka.Actor;
using QuantCluster.GpuWorker;
using QuantCluster.Messages;
using QuantCluster.Messages.Training;
using QuantCluster.Quantization.Data;

namespace QuantCluster.Tests.Actors;

/// <summary>A worker reports a failure whose exception quotes a huge input with the reason cut, so the report can travel.</summary>
public sealed class WorkerFailureTests : Akka.TestKit.Xunit2.TestKit
{
    [Fact]
    public void A_failure_quoting_a_huge_ring_name_is_reported_with_the_reason_cut_to_the_bound()
    {
        var worker = Sys.ActorOf(TrainingWorkerActor.Props("worker under test", new WorkerProcess(ActorRefs.Nobody, "127.0.0.1", new ProcessRings(), TorchThreads: 1, new DataSetCache())));

        // A worker with no replica yet refuses to open a ring, naming it.
        worker.Tell(new OpenRing("job", 0, 1, new string('r', 200_000), 0, 0, 0, 1));

        var failure = ExpectMsg<JobFailed>();
        Assert.InRange(failure.Reason.Length, 1, JobFailed.MaximumReasonLength);
        Assert.StartsWith("ring rrr", failure.Reason, StringComparison.Ordinal);
        Assert.Contains("more characters; full text in the node's log)", failure.Reason, StringComparison.Ordinal);
    }
}
