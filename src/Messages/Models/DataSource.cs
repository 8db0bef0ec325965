namespace QuantCluster.Messages.Models;

/// <summary>IDX files every node reads itself, so samples never travel in messages: only their indices do.</summary>
public sealed record DataSource(string Images, string Labels);
