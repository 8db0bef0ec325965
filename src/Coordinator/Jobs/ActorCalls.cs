using System.Runtime.Serialization;
using Akka.Actor;
using QuantCluster.Messages;
using QuantCluster.Node;

namespace QuantCluster.Coordinator.Jobs;

/// <summary>Asks that turn a <see cref="JobFailed"/> answer or a silent node into a <see cref="JobFailedException"/>.</summary>
public static class ActorCalls
{
    /// <param name="system">The caller's actor system: where it verifies messages (the embedded cluster), the answer is checked as if it crossed the wire.</param>
    public static async Task<T> Call<T>(this IActorRef target, ActorSystem system, object message, TimeSpan timeout, string what, CancellationToken cancel)
    {
        object answer;
        try
        {
            answer = AskReplies.Verified(system, await AnswerOrLossAsync(target, message, timeout, what, cancel));
        }
        catch (AskTimeoutException e)
        {
            throw new JobFailedException($"{what}: {target.Path} did not answer within {timeout.TotalSeconds:0} s", e);
        }
        catch (SerializationException e)
        {
            throw new JobFailedException($"{what}: {target.Path} answered with a message that cannot cross the wire: {e.Message}", e);
        }
        return answer switch
        {
            T expected => expected,
            JobFailed failure => throw new JobFailedException($"{what}: {failure.Node}: {failure.Reason}"),
            _ => throw new JobFailedException($"{what}: {target.Path} answered {answer.GetType().Name}, expected {typeof(T).Name}"),
        };
    }

    // The target is watched while the ask runs: a member whose node dies is reported when the cluster removes it
    // (seconds, see docs/operations.md), not when the ask's timeout, sized for the longest healthy answer, runs out.
    private static async Task<object> AnswerOrLossAsync(IActorRef target, object message, TimeSpan timeout, string what, CancellationToken cancel)
    {
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var answer = target.Ask<object>(message, timeout, cancel);
        var terminated = target.WatchAsync(watching.Token);
        if (await Task.WhenAny(answer, terminated) == terminated && await terminated && !answer.IsCompleted)
            throw new MemberLostException($"{what}: {target.Path} is gone (its node left the cluster or died)", target);
        await watching.CancelAsync();
        return await answer;
    }
}
