using Akka.Actor;
using Akka.TestKit.Xunit2;
using QuantCluster.Coordinator.Actors;
using QuantCluster.Messages;
using QuantCluster.Messages.Serialization;
using QuantCluster.Messages.Training;

namespace QuantCluster.Tests.Actors;

/// <summary>The averager against scripted workers: sums in rank order, and refuses what a misbehaving node sends.</summary>
public sealed class GradientAveragerActorTests() : TestKit(MessageSerialization.Hocon.WithFallback(Akka.Configuration.ConfigurationFactory.ParseString("akka.actor.serialize-messages = on")))
{
    private const string Job = "job";

    [Fact]
    public void Sums_the_shares_and_sends_the_same_sum_to_every_worker()
    {
        var (averager, workers) = Start(2);
        Share(averager, workers, rank: 0, step: 0, [1f, 2f]);
        Share(averager, workers, rank: 1, step: 0, [0.5f, -2f]);

        foreach (var worker in workers)
            Assert.Equal(new[] { 1.5f, 0f }, worker.ExpectMsg<AveragedGradients>().Values);
    }

    [Fact]
    public void Adds_the_shares_in_rank_order_whatever_order_they_arrive_in()
    {
        // Float addition does not associate: (1e8 + 1) - 1e8 is 0, (1e8 - 1e8) + 1 is 1. Thirty-seven values cover the vector lanes and the tail.
        var (averager, workers) = Start(3);
        Share(averager, workers, rank: 2, step: 0, Enumerable.Repeat(-1e8f, 37).ToArray());
        Share(averager, workers, rank: 0, step: 0, Enumerable.Repeat(1e8f, 37).ToArray());
        Share(averager, workers, rank: 1, step: 0, Enumerable.Repeat(1f, 37).ToArray());

        foreach (var worker in workers)
            Assert.Equal(new float[37], worker.ExpectMsg<AveragedGradients>().Values);
    }

    [Fact]
    public void Shares_larger_than_a_frame_travel_in_slices_and_come_back_summed_in_slices()
    {
        var (averager, workers) = Start(2);
        var values = Enumerable.Range(0, 40_000).Select(i => (float)i).ToArray();
        for (int rank = 0; rank < 2; rank++)
        {
            foreach (var (offset, slice) in GradientChunks.Split(values))
                averager.Tell(new LocalGradients(Job, 0, 0, rank, slice, offset, values.Length), workers[rank]);
        }

        foreach (var worker in workers)
        {
            var sum = new ChunkAssembly(values.Length);
            for (int i = 0; i < 3; i++)
            {
                var part = worker.ExpectMsg<AveragedGradients>();
                Assert.InRange(part.Values.Length, 1, GradientChunks.Floats);
                Assert.Null(sum.Add(part.Offset, part.Total, part.Values));
            }
            Assert.Equal(values.Select(v => 2 * v), sum.Values);
        }
    }

    [Fact]
    public void Fails_the_job_when_a_slice_arrives_twice()
    {
        var (averager, workers) = Start(2);
        var slice = new float[GradientChunks.Floats];
        averager.Tell(new LocalGradients(Job, 0, 0, 0, slice, 0, 2 * GradientChunks.Floats), workers[0]);
        averager.Tell(new LocalGradients(Job, 0, 0, 0, slice, 0, 2 * GradientChunks.Floats), workers[0]);

        Assert.Contains("arrived twice", ExpectMsg<JobFailed>().Reason);
    }

    [Fact]
    public void Reports_the_epoch_when_every_replica_has_the_same_hash()
    {
        var (averager, workers) = Start(2);
        for (int rank = 0; rank < 2; rank++) averager.Tell(new EpochCompleted(Job, rank, 0, 1.0, 10, 16, "abc", 0.1, 1000), workers[rank]);

        var outcome = ExpectMsg<EpochOutcome>();
        Assert.Equal(32, outcome.Samples);
        Assert.Equal(20.0 / 32, outcome.Accuracy);
    }

    [Fact]
    public void Fails_the_job_when_replicas_diverge()
    {
        var (averager, workers) = Start(2);
        averager.Tell(new EpochCompleted(Job, 0, 0, 1.0, 10, 16, "aaaa", 0.1, 1000), workers[0]);
        averager.Tell(new EpochCompleted(Job, 1, 0, 1.0, 10, 16, "bbbb", 0.1, 1000), workers[1]);

        var failure = ExpectMsg<JobFailed>();
        Assert.Contains("diverged", failure.Reason);
        Assert.Contains("worker 1=bbbb", failure.Reason);
    }

    [Fact]
    public void Fails_the_job_when_a_worker_sends_a_gradient_of_the_wrong_length()
    {
        var (averager, workers) = Start(2);
        Share(averager, workers, rank: 0, step: 0, [1f, 2f]);
        Share(averager, workers, rank: 1, step: 0, [1f]);

        var failure = ExpectMsg<JobFailed>();
        Assert.Contains("worker 1 sent 1 values, worker 0 sent 2", failure.Reason);
    }

    [Theory]
    [InlineData(5, 0, "rank 5 of 2")]
    [InlineData(0, 3, "step 3 while step 0 runs")]
    public void Fails_the_job_on_a_share_it_did_not_ask_for(int rank, int step, string expected)
    {
        var (averager, workers) = Start(2);
        averager.Tell(new LocalGradients(Job, 0, step, rank, [1f], 0, 1), workers[0]);

        Assert.Contains(expected, ExpectMsg<JobFailed>().Reason);
    }

    [Fact]
    public void Tells_every_worker_of_a_failure_so_none_waits_for_a_sum_that_will_not_come()
    {
        var (averager, workers) = Start(3);
        Share(averager, workers, rank: 0, step: 0, [1f]);
        averager.Tell(new JobFailed(Job, "worker 1", "loss is NaN"), workers[1]);

        Assert.Equal("loss is NaN", ExpectMsg<JobFailed>().Reason);
        foreach (var worker in workers) Assert.Equal("loss is NaN", worker.ExpectMsg<JobFailed>().Reason);

        // What the other workers still send belongs to the failed epoch and is dropped, not reported again.
        Share(averager, workers, rank: 2, step: 0, [1f]);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Stopping_mid_epoch_tells_every_worker_to_stop()
    {
        var (averager, workers) = Start(2);

        Sys.Stop(averager);

        foreach (var worker in workers) Assert.Contains("epoch 1 was stopped by the coordinator", worker.ExpectMsg<JobFailed>().Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_worker_that_dies_mid_epoch_fails_the_epoch_at_once_and_every_later_one()
    {
        var (averager, workers) = Start(2);
        Share(averager, workers, rank: 0, step: 0, [1f]);

        Sys.Stop(workers[1].Ref);

        Assert.Contains("is gone", ExpectMsg<JobFailed>().Reason);
        averager.Tell(new RunEpoch(Job, 1, true, false, ""), TestActor);
        Assert.Contains("is gone", ExpectMsg<JobFailed>().Reason);
    }

    private (IActorRef Averager, Akka.TestKit.TestProbe[] Workers) Start(int count)
    {
        var workers = Enumerable.Range(0, count).Select(_ => CreateTestProbe()).ToArray();
        var averager = Sys.ActorOf(GradientAveragerActor.Props([.. workers.Select(w => w.Ref)]));
        averager.Tell(new RunEpoch(Job, 0, true, false, ""), TestActor);
        foreach (var worker in workers) worker.ExpectMsg<RunEpoch>();
        return (averager, workers);
    }

    private static void Share(IActorRef averager, Akka.TestKit.TestProbe[] workers, int rank, int step, float[] values) =>
        averager.Tell(new LocalGradients(Job, 0, step, rank, values, 0, values.Length), workers[rank]);
}
