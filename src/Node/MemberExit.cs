using Akka.Actor;
using Serilog;

namespace QuantCluster.Node;

/// <summary>
/// How a member process ends: 0 when its coordinator leaves after the job, 1 when something stops it that its supervisor
/// must see (refused by the coordinator). One per process, handed to the actors that may end it.
/// </summary>
public sealed class MemberExit(ActorSystem system)
{
    private int _code;

    public int Code => Volatile.Read(ref _code);

    /// <summary>Logs why, records exit code 1 and stops the actor system (the process then exits with the code).</summary>
    public void Fail(string reason)
    {
        Log.Error("This node stops: {Reason}", reason);
        Volatile.Write(ref _code, 1);
        CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.UnknownReason.Instance);
    }
}
