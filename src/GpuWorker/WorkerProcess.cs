using Akka.Actor;

namespace QuantCluster.GpuWorker;

/// <summary>What the worker actors of one process share: its blob store, the ring place its replicas take together, and its torch threads.</summary>
/// <param name="RingHost">The address other processes reach this one's ring listener by.</param>
/// <param name="Rings">Shared by every worker actor of this process, so they take one place in the ring together.</param>
/// <param name="TorchThreads">The thread count the process fixed before libtorch loaded (TorchProcess.Prepare); it cannot change afterwards.</param>
public sealed record WorkerProcess(IActorRef Blobs, string RingHost, ProcessRings Rings, int TorchThreads);
