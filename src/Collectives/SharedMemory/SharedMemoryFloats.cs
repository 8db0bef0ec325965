namespace QuantCluster.Collectives.SharedMemory;

/// <summary>The rule that keeps every position in a pipe on a float boundary: frames of whole floats only.</summary>
internal static class SharedMemoryFloats
{
    public static void RequireWhole(int bytes)
    {
        if (bytes % sizeof(float) != 0)
        {
            throw new ArgumentException($"A shared-memory frame carries whole floats; {bytes} bytes is not a multiple of {sizeof(float)}.", nameof(bytes));
        }
    }
}
