using Akka.Actor;
using QuantCluster.Quantization.Data;

namespace QuantCluster.GpuWorker;

/// <summary>What the worker actors of one process share: its blob store, the ring place its replicas take together, its torch threads and its data sets.</summary>
/// <param name="RingHost">The address other processes reach this one's ring listener by.</param>
/// <param name="Rings">Shared by every worker actor of this process, so they take one place in the ring together.</param>
/// <param name="TorchThreads">The thread count the process fixed before libtorch loaded (TorchProcess.Prepare); it cannot change afterwards.</param>
/// <param name="Data">Shared so the training set is held once however many replicas read it.</param>
public sealed record WorkerProcess(IActorRef Blobs, string RingHost, ProcessRings Rings, int TorchThreads, DataSetCache Data);
