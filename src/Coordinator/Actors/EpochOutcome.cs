using Akka.Actor;
using QuantCluster.Messages.Training;

namespace QuantCluster.Coordinator.Actors;

/// <summary>What the averager tells the job when every replica has finished an epoch (a local message, never on the wire).</summary>
public sealed record EpochOutcome(int Epoch, IReadOnlyList<EpochCompleted> Replicas, double Seconds) : INoSerializationVerificationNeeded
{
    public double Loss => Replicas.Sum(r => r.LossSum) / Math.Max(1, Samples);

    public int Samples => Replicas.Sum(r => r.Samples);

    public double Accuracy => (double)Replicas.Sum(r => r.Correct) / Math.Max(1, Samples);
}
