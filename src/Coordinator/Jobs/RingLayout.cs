using Akka.Actor;

namespace QuantCluster.Coordinator.Jobs;

/// <summary>
/// A worker's place in the ring all-reduce: its process's place (Process of Processes) and its own among that process's
/// replicas (LocalIndex of LocalReplicas), which sum in the process before the ring.
/// </summary>
public sealed record RingPlace(int Process, int Processes, int LocalIndex, int LocalReplicas);

/// <summary>Groups the workers by node (one actor system, so one process): each process takes one place in the ring.</summary>
public static class RingLayout
{
    /// <param name="nodes">Each worker's node, in rank order. Processes are numbered by their first worker's rank, and a
    /// process's workers keep their rank order, so the layout, and so the summation order, is the same run after run.</param>
    public static IReadOnlyList<RingPlace> Of(IReadOnlyList<Address> nodes)
    {
        var processes = nodes.Distinct().ToList();
        var replicas = nodes.GroupBy(n => n).ToDictionary(g => g.Key, g => g.Count());
        var taken = new Dictionary<Address, int>();
        return [.. nodes.Select(node =>
        {
            int local = taken.GetValueOrDefault(node);
            taken[node] = local + 1;
            return new RingPlace(processes.IndexOf(node), processes.Count, local, replicas[node]);
        })];
    }
}
