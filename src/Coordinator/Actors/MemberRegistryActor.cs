using Akka.Actor;
using QuantCluster.Messages.Membership;
using QuantCluster.Node;

namespace QuantCluster.Coordinator.Actors;

/// <summary>
/// The coordinator's list of worker and calibration actors on other nodes. Members announce themselves until
/// acknowledged; a member whose actor stops (its node left or died) drops off the list.
/// </summary>
public sealed class MemberRegistryActor : ReceiveActor
{
    private readonly Dictionary<IActorRef, RegisterMember> _members = [];

    public MemberRegistryActor()
    {
        Receive<RegisterMember>(m =>
        {
            if (m.Role is not (ClusterRoles.Worker or ClusterRoles.Calibration)) return;
            if (_members.TryAdd(Sender, m)) Context.Watch(Sender);
            Sender.Tell(new MemberRegistered(m.Role, m.Device));
        });
        Receive<Terminated>(t => _members.Remove(t.ActorRef));
        Receive<ListMembers>(_ => Sender.Tell(Snapshot()));
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new MemberRegistryActor());

    // Ranks follow (node, device) order, so the same cluster layout gives the same ranks on every run.
    private MemberList Snapshot()
    {
        IReadOnlyList<(IActorRef Actor, RegisterMember Member)> Of(string role) =>
            [.. _members.Where(p => p.Value.Role == role).OrderBy(p => p.Value.Node, StringComparer.Ordinal)
                .ThenBy(p => p.Value.Device, StringComparer.Ordinal).Select(p => (p.Key, p.Value))];
        return new MemberList(Of(ClusterRoles.Worker), Of(ClusterRoles.Calibration));
    }
}

/// <summary>Asks the registry for its current members (a local message).</summary>
public sealed record ListMembers : INoSerializationVerificationNeeded;

/// <summary>The registered members by role, in rank order (a local message).</summary>
public sealed record MemberList(
    IReadOnlyList<(IActorRef Actor, RegisterMember Member)> Workers,
    IReadOnlyList<(IActorRef Actor, RegisterMember Member)> Calibrators) : INoSerializationVerificationNeeded;
