using Akka.Actor;

namespace QuantCluster.Coordinator.Jobs;

/// <summary>A member stopped (its node left or died) before it answered; Member is who, so a phase can hand its work to another.</summary>
public sealed class MemberLostException(string message, IActorRef member) : Exception(message)
{
    public IActorRef Member { get; } = member;
}
