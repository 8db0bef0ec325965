using MessagePack;

namespace QuantCluster.Messages;

/// <summary>A node could not do what it was asked; Reason says what and where, for the user.</summary>
[MessagePackObject]
public sealed record JobFailed(
    [property: Key(0)] string JobId,
    [property: Key(1)] string Node,
    [property: Key(2)] string Reason)
{
    /// <summary>
    /// The longest reason a node sends: far more than a person reads, and at three UTF-8 bytes a character at most
    /// still far inside Akka's frame, so the report of a failure cannot itself be refused for its size.
    /// </summary>
    public const int MaximumReasonLength = 8_000;

    /// <summary>
    /// Cuts a reason longer than <see cref="MaximumReasonLength"/> to that length, keeping its start and saying how many
    /// characters were cut. For a reason whose full text the caller has logged, which the note points the user to.
    /// </summary>
    public static string BoundedReason(string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        if (reason.Length <= MaximumReasonLength) return reason;
        // Room for the note, whose longest count (int.MaxValue with separators) is 13 characters.
        int kept = MaximumReasonLength - 80;
        if (char.IsHighSurrogate(reason[kept - 1])) kept--;
        return $"{reason[..kept]}… ({reason.Length - kept:N0} more characters; full text in the node's log)";
    }
}
