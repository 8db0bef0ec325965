using System.Diagnostics;

namespace QuantCluster.Messages;

/// <summary>
/// The one ActivitySource every node traces with. Trace context does not cross Akka messages by itself, so each request
/// carries the sender's W3C traceparent and the receiver starts its span as that span's child.
/// </summary>
public static class Tracing
{
    public const string SourceName = "QuantCluster";

    public static readonly ActivitySource Source = new(SourceName);

    public static string CurrentParent() => Activity.Current?.Id ?? "";

    public static Activity? StartChild(string name, string traceParent) =>
        ActivityContext.TryParse(traceParent, null, out var parent)
            ? Source.StartActivity(name, ActivityKind.Consumer, parent)
            : Source.StartActivity(name, ActivityKind.Consumer);
}
