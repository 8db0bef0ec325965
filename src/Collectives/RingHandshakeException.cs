namespace QuantCluster.Collectives;

/// <summary>A neighbour belongs to another job, has another rank than the ring expects, or counts another world size.</summary>
public sealed class RingHandshakeException : RingTransportException
{
    /// <summary>Creates the exception with a message that says what did not match.</summary>
    public RingHandshakeException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public RingHandshakeException(string message, Exception inner) : base(message, inner)
    {
    }

    /// <summary>Creates an exception without a message; prefer the constructors that say what did not match.</summary>
    public RingHandshakeException()
    {
    }
}
