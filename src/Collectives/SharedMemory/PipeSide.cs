namespace QuantCluster.Collectives.SharedMemory;

/// <summary>The two ends of a <see cref="SharedMemoryPipe"/>: the producer waits for room, the consumer for data.</summary>
internal enum PipeSide
{
    Producer,
    Consumer,
}
