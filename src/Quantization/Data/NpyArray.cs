namespace QuantCluster.Quantization.Data;

/// <summary>The element types a data set's arrays may have.</summary>
public enum NpyType
{
    UInt8,
    Float32,
    Int32,
    Int64,
}

/// <summary>One NumPy array as read: its element type, its shape and its values in C order (byte[], float[], int[] or long[]).</summary>
public sealed record NpyArray(NpyType Type, int[] Shape, Array Values)
{
    public long Count => Values.LongLength;

    public string ShapeText => string.Join('x', Shape);
}
