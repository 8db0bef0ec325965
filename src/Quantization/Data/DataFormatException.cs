namespace QuantCluster.Quantization.Data;

/// <summary>A data file that cannot be used as it is; the message names the file and what is wrong with it.</summary>
public sealed class DataFormatException : Exception
{
    public DataFormatException()
    {
    }

    public DataFormatException(string message)
        : base(message)
    {
    }

    public DataFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
