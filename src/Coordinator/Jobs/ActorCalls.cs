using Akka.Actor;
using QuantCluster.Messages;

namespace QuantCluster.Coordinator.Jobs;

/// <summary>Asks that turn a <see cref="JobFailed"/> answer or a silent node into a <see cref="JobFailedException"/>.</summary>
public static class ActorCalls
{
    public static async Task<T> Call<T>(this IActorRef target, object message, TimeSpan timeout, string what, CancellationToken cancel)
    {
        object answer;
        try
        {
            answer = await target.Ask<object>(message, timeout, cancel);
        }
        catch (AskTimeoutException e)
        {
            throw new JobFailedException($"{what}: {target.Path} did not answer within {timeout.TotalSeconds:0} s", e);
        }
        return answer switch
        {
            T expected => expected,
            JobFailed failure => throw new JobFailedException($"{what}: {failure.Node}: {failure.Reason}"),
            _ => throw new JobFailedException($"{what}: {target.Path} answered {answer.GetType().Name}, expected {typeof(T).Name}"),
        };
    }
}
