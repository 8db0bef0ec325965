using Akka.Actor;
using Akka.Serialization;

namespace QuantCluster.Node;

/// <summary>
/// Akka's serialize-messages round-trips what is told to an actor, but not the reply that completes an Ask (it goes to a
/// temporary ref, not an actor's mailbox). Where verification is on (the embedded cluster, tests), askers pass the reply
/// through the wire serializer themselves, so a reply that could not cross the wire fails there too, by name.
/// </summary>
public static class AskReplies
{
    /// <summary>The reply as the receiving node would decode it; the reply itself when verification is off.</summary>
    /// <exception cref="System.Runtime.Serialization.SerializationException">The reply cannot be serialized, e.g. it exceeds the frame.</exception>
    public static object Verified(ActorSystem system, object reply)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(reply);
        if (!system.Settings.SerializeAllMessages || reply is INoSerializationVerificationNeeded) return reply;
        var serializer = system.Serialization.FindSerializerFor(reply);
        return system.Serialization.Deserialize(serializer.ToBinary(reply), serializer.Identifier, Serialization.ManifestFor(serializer, reply));
    }
}
