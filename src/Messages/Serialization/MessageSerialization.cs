using System.Globalization;
using System.Text;
using Akka.Configuration;

namespace QuantCluster.Messages.Serialization;

/// <summary>The Akka configuration that routes every QuantCluster message through <see cref="QuantClusterSerializer"/>.</summary>
/// <remarks>
/// Without it Akka.Remote falls back to JSON (about 20 MB for 1M floats). Merge it into every node's config, e.g.
/// <c>myConfig.WithFallback(MessageSerialization.Hocon)</c>; bindings are written per type from the same table as the
/// manifests, so the two cannot drift.
/// </remarks>
public static class MessageSerialization
{
    /// <summary>The serializer name used in <c>akka.actor.serializers</c> and in every binding.</summary>
    public const string SerializerName = "quantcluster";

    /// <summary>Config holding <c>akka.actor.serializers.quantcluster</c>, its identifier and a binding for every message type.</summary>
    public static Config Hocon { get; } = ConfigurationFactory.ParseString(BuildHocon());

    private static string BuildHocon()
    {
        var hocon = new StringBuilder();
        hocon.AppendLine("akka.actor {");
        hocon.AppendLine(CultureInfo.InvariantCulture, $"  serializers.{SerializerName} = \"{QualifiedName(typeof(QuantClusterSerializer))}\"");
        hocon.AppendLine("  serialization-bindings {");
        foreach (var type in MessageManifests.ByType.Keys.OrderBy(type => type.FullName, StringComparer.Ordinal))
        {
            hocon.AppendLine(CultureInfo.InvariantCulture, $"    \"{QualifiedName(type)}\" = {SerializerName}");
        }

        hocon.AppendLine("  }");
        hocon.AppendLine("}");
        return hocon.ToString();
    }

    // Akka resolves "Namespace.Type, Assembly"; the version-qualified name would break bindings on every rebuild.
    private static string QualifiedName(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";
}
