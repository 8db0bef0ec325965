namespace QuantCluster.Coordinator.Jobs;

/// <summary>A phase could not finish; the message names the node and the problem for the user.</summary>
public sealed class JobFailedException(string message, Exception? inner = null) : Exception(message, inner);
