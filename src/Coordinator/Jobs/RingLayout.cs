using Akka.Actor;

namespace QuantCluster.Coordinator.Jobs;

/// <summary>
/// A worker's place in the ring all-reduce: its process's place (Process of Processes) and its own among that process's
/// replicas (LocalIndex of LocalReplicas), which sum in the process before the ring. The ring's Replicas are numbered
/// process by process, the process's own from FirstReplica on.
/// </summary>
public sealed record RingPlace(int Process, int Processes, int LocalIndex, int LocalReplicas, int FirstReplica, int Replicas);

/// <summary>Groups the workers by node (one actor system, so one process): each process takes one place in the ring.</summary>
public static class RingLayout
{
    /// <param name="nodes">Each worker's node, in rank order. Processes are numbered by their first worker's rank, and a
    /// process's workers keep their rank order, so the layout, and so the summation order, is the same run after run.</param>
    public static IReadOnlyList<RingPlace> Of(IReadOnlyList<Address> nodes)
    {
        var processes = nodes.Distinct().ToList();
        var replicas = nodes.GroupBy(n => n).ToDictionary(g => g.Key, g => g.Count());
        var first = Enumerable.Range(0, processes.Count).Select(p => processes.Take(p).Sum(earlier => replicas[earlier])).ToArray();
        var taken = new Dictionary<Address, int>();
        return [.. nodes.Select(node =>
        {
            int local = taken.GetValueOrDefault(node);
            taken[node] = local + 1;
            int process = processes.IndexOf(node);
            return new RingPlace(process, processes.Count, local, replicas[node], first[process], nodes.Count);
        })];
    }
}
