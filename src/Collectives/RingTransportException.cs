namespace QuantCluster.Collectives;

/// <summary>A ring connection failed: a peer disconnected, sent a corrupt or unexpected frame, or did not answer.</summary>
public class RingTransportException : Exception
{
    /// <summary>Creates the exception with a message that names the peer.</summary>
    public RingTransportException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message that names the peer and the error that caused it.</summary>
    public RingTransportException(string message, Exception inner) : base(message, inner)
    {
    }

    /// <summary>Creates an exception without a message; prefer the constructors that name the peer.</summary>
    public RingTransportException()
    {
    }
}
