using MessagePack;

namespace QuantCluster.Messages.Models;

/// <summary>IDX files every node reads itself, so samples never travel in messages: only their indices do.</summary>
[MessagePackObject]
public sealed record DataSource(
    [property: Key(0)] string Images,
    [property: Key(1)] string Labels);
