using Akka.Actor;
using Akka.Event;
using QuantCluster.Messages.Membership;
using QuantCluster.Node;

namespace QuantCluster.Coordinator.Actors;

/// <summary>
/// The coordinator's list of worker and calibration actors on other nodes. Members announce themselves until
/// acknowledged; a member whose actor stops (its node left or died) drops off the list. With a cluster secret, only a
/// member that proves it holds the secret, for its own address, is taken; any other is refused and never learns a job.
/// </summary>
public sealed class MemberRegistryActor : ReceiveActor
{
    private readonly Dictionary<IActorRef, RegisterMember> _members = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public MemberRegistryActor(ClusterSecret? secret)
    {
        Receive<RegisterMember>(m =>
        {
            if (Refusal(m, Sender, secret) is { } reason)
            {
                _log.Warning("Refused {0} {1} from {2}: {3}", m.Role, m.Device, Sender.Path.Address, reason);
                Sender.Tell(new MemberRefused(m.Role, m.Device, reason));
                return;
            }
            if (_members.TryAdd(Sender, m)) Context.Watch(Sender);
            Sender.Tell(new MemberRegistered(m.Role, m.Device));
        });
        Receive<Terminated>(t => _members.Remove(t.ActorRef));
        Receive<ListMembers>(_ => Sender.Tell(Snapshot()));
    }

    public static Props Props(ClusterSecret? secret) => Akka.Actor.Props.Create(() => new MemberRegistryActor(secret));

    private static string? Refusal(RegisterMember m, IActorRef sender, ClusterSecret? secret)
    {
        if (m.Role is not (ClusterRoles.Worker or ClusterRoles.Calibration)) return $"'{m.Role}' is not a member role; allowed: {ClusterRoles.Worker}, {ClusterRoles.Calibration}";
        if (secret is null) return null;
        if (m.Node != sender.Path.Address.ToString()) return $"it announced node {m.Node} but sent from {sender.Path.Address}";
        if (m.Proof.Length == 0) return "it has no cluster secret, and this cluster requires one (--secret-file)";
        return secret.Verifies(m.Proof, m.Role, m.Node, m.Device) ? null : "its cluster secret is not this cluster's";
    }

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
