using Akka.Actor;
using Akka.Configuration;
using QuantCluster.Coordinator.Jobs;
using QuantCluster.Messages.Serialization;
using QuantCluster.Messages.Training;

namespace QuantCluster.Tests.Actors;

/// <summary>
/// Akka's serialize-messages skips the reply that completes an Ask; the coordinator's calls check it themselves, so an
/// embedded run fails on a reply the wire would drop instead of passing where a real cluster would time out.
/// </summary>
public sealed class AskReplyTests() : Akka.TestKit.Xunit2.TestKit(ConfigurationFactory.ParseString("akka.actor.serialize-messages = on").WithFallback(MessageSerialization.Hocon))
{
    [Fact]
    public async Task A_reply_over_the_frame_fails_the_call_with_its_name_and_size()
    {
        var worker = Sys.ActorOf(Props.Create(() => new Replier(100_000)));

        var error = await Assert.ThrowsAsync<JobFailedException>(() =>
            worker.Call<LocalGradients>(Sys, new FetchModel("job"), TimeSpan.FromSeconds(5), "fetching", CancellationToken.None));

        Assert.Contains("fetching: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("answered with a message that cannot cross the wire: LocalGradients is 400,0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reply_within_the_frame_arrives_as_a_decoded_copy()
    {
        var worker = Sys.ActorOf(Props.Create(() => new Replier(GradientChunks.Floats)));

        var reply = await worker.Call<LocalGradients>(Sys, new FetchModel("job"), TimeSpan.FromSeconds(5), "fetching", CancellationToken.None);

        Assert.Equal(GradientChunks.Floats, reply.Values.Length);
    }

    private sealed class Replier : ReceiveActor
    {
        public Replier(int floats) => Receive<FetchModel>(m => Sender.Tell(new LocalGradients(m.JobId, 0, 0, 0, new float[floats], 0, floats)));
    }
}
