namespace QuantCluster.Quantization.Graph;

/// <summary>A model graph that cannot run: a value used before it is defined, or shapes that do not fit the operation.</summary>
public sealed class InvalidGraphException : Exception
{
    public InvalidGraphException()
    {
    }

    public InvalidGraphException(string message) : base(message)
    {
    }

    public InvalidGraphException(string message, Exception inner) : base(message, inner)
    {
    }
}
