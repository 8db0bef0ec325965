using MessagePack;

namespace QuantCluster.Messages.Membership;

/// <summary>
/// A worker or calibration actor on another node announcing itself to the coordinator's registry; the registry learns the
/// actor from the message's sender. Role is "worker" or "calibration"; Device is the worker's device ("cpu:0", "cuda:1").
/// Proof is the member's HMAC of (Role, Node, Device) under the cluster secret ("" in a cluster without one); Node must
/// be the sender's own address, so a proof copied off the wire cannot register another node.
/// </summary>
[MessagePackObject]
public sealed record RegisterMember(
    [property: Key(0)] string Role,
    [property: Key(1)] string Node,
    [property: Key(2)] string Device,
    [property: Key(3)] string Proof);

/// <summary>The registry's answer to a <see cref="RegisterMember"/>; the member's actor hands it to its registrar.</summary>
public interface IRegistrationReply;

/// <summary>The registry's acknowledgement: the member stops re-sending its registration.</summary>
[MessagePackObject]
public sealed record MemberRegistered(
    [property: Key(0)] string Role,
    [property: Key(1)] string Device) : IRegistrationReply;

/// <summary>The registry will not take this member (no or wrong cluster secret, another node's address); Reason says which. The member exits non-zero.</summary>
[MessagePackObject]
public sealed record MemberRefused(
    [property: Key(0)] string Role,
    [property: Key(1)] string Device,
    [property: Key(2)] string Reason) : IRegistrationReply;
