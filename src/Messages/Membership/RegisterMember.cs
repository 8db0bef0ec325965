using MessagePack;

namespace QuantCluster.Messages.Membership;

/// <summary>
/// A worker or calibration actor on another node announcing itself to the coordinator's registry; the registry learns the
/// actor from the message's sender. Role is "worker" or "calibration"; Device is the worker's device ("cpu:0", "cuda:1").
/// </summary>
[MessagePackObject]
public sealed record RegisterMember(
    [property: Key(0)] string Role,
    [property: Key(1)] string Node,
    [property: Key(2)] string Device);

/// <summary>The registry's acknowledgement: the member stops re-sending its registration.</summary>
[MessagePackObject]
public sealed record MemberRegistered(
    [property: Key(0)] string Role,
    [property: Key(1)] string Device);
