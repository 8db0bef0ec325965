namespace QuantCluster.Messages;

/// <summary>A node could not do what it was asked; Reason says what and where, for the user.</summary>
public sealed record JobFailed(string JobId, string Node, string Reason);
