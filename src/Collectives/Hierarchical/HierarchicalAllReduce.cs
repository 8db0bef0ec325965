namespace QuantCluster.Collectives.Hierarchical;

/// <summary>All-reduce for several replicas of one process (its devices): sum in the process, one ring among processes, copy back.</summary>
/// <remarks>
/// Each local replica gets its own <see cref="IAllReduce"/> from <see cref="Replicas"/>. When all of them have called
/// <see cref="IAllReduce.SumAsync"/>, the buffers are added in replica order 0, 1, ... into replica 0's buffer, that
/// buffer goes through the process ring, and the result is copied into every other replica's buffer. The local order is
/// fixed, so the result does not depend on which replica arrives first. Processes may host different numbers of
/// replicas. A replica's <see cref="IAllReduce.Rank"/> numbers the ring's replicas process by process in ring order,
/// the order they are summed in; it is not the worker's rank in the job when a process's workers are not consecutive
/// there. Every round needs every local replica, so a replica that cancels, passes another length or leaves (disposes
/// its <see cref="IAllReduce"/>) fails the group: its siblings' calls throw at once instead of waiting for it.
/// </remarks>
public sealed class HierarchicalAllReduce : IAsyncDisposable
{
    private readonly IAllReduce _processes;
    private readonly int _firstReplica;
    private readonly int _replicas;
    private readonly Lock _gate = new();
    private Round _round;
    private Exception? _failure;

    /// <summary>Groups <paramref name="localReplicas"/> replicas over <paramref name="processes"/>, which this instance then owns.</summary>
    /// <param name="firstReplica">The rank of this process's first replica: how many replicas the processes before it in the ring hold.</param>
    /// <param name="replicas">How many replicas all the ring's processes hold together, the replicas' world size.</param>
    public HierarchicalAllReduce(IAllReduce processes, int localReplicas, int firstReplica, int replicas)
    {
        ArgumentNullException.ThrowIfNull(processes);
        if (LayoutProblem(processes.Rank, processes.WorldSize, localReplicas, firstReplica, replicas) is { } problem)
        {
            throw new ArgumentException(problem);
        }

        _processes = processes;
        _firstReplica = firstReplica;
        _replicas = replicas;
        _round = new Round(localReplicas);
        Replicas = Enumerable.Range(0, localReplicas).Select(i => (IAllReduce)new LocalReplica(this, i)).ToArray();
    }

    /// <summary>
    /// Why process <paramref name="process"/> of <paramref name="processes"/> cannot hold replicas
    /// <paramref name="firstReplica"/> to <paramref name="firstReplica"/> + <paramref name="localReplicas"/> - 1 of
    /// <paramref name="replicas"/> (every process holds at least one), or null when it can.
    /// </summary>
    public static string? LayoutProblem(int process, int processes, int localReplicas, int firstReplica, int replicas)
    {
        if (localReplicas < 1)
        {
            return $"{localReplicas} local replicas";
        }

        int after = processes - process - 1;
        if (firstReplica < process || replicas - firstReplica - localReplicas < after)
        {
            return $"process {process} of {processes} cannot hold replicas {firstReplica} to {firstReplica + localReplicas - 1} of {replicas}: " +
                $"every process holds at least one, so at least {process} must come before them and {after} after them";
        }

        return null;
    }

    /// <summary>One all-reduce per local replica (device), in device order.</summary>
    public IReadOnlyList<IAllReduce> Replicas { get; }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _processes.DisposeAsync();

    private int ReplicaCount => Replicas.Count;

    private async ValueTask SumAsync(int replica, Memory<float> values, CancellationToken cancel)
    {
        Round round;
        bool last;
        lock (_gate)
        {
            if (_failure is not null)
            {
                throw new InvalidOperationException($"The local replica group failed earlier: {_failure.Message}", _failure);
            }

            round = _round;
            if (round.Joined[replica])
            {
                throw new InvalidOperationException($"Local replica {replica} called SumAsync again before the others joined the round.");
            }

            round.Joined[replica] = true;
            round.Buffers[replica] = values;
            round.Tokens[replica] = cancel;
            last = ++round.Arrived == ReplicaCount;
            if (last)
            {
                _round = new Round(ReplicaCount);
            }
        }

        if (last)
        {
            await RunAsync(round);
        }

        try
        {
            await round.Done.Task.WaitAsync(cancel);
        }
        catch (OperationCanceledException) when (!round.Done.Task.IsCompleted)
        {
            // A replica that leaves before the round ran would leave the others waiting forever: fail the group instead.
            Fail(round, new OperationCanceledException($"Local replica {replica} cancelled its all-reduce before the round ran.", null, cancel));
            throw;
        }
    }

    private async Task RunAsync(Round round)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(round.Tokens);
        try
        {
            var sum = round.Buffers[0];
            for (var i = 1; i < ReplicaCount; i++)
            {
                if (round.Buffers[i].Length != sum.Length)
                {
                    throw new ArgumentException(
                        $"Local replica {i} passed {round.Buffers[i].Length} floats, replica 0 passed {sum.Length}.");
                }

                FloatSum.AddInPlace(sum.Span, round.Buffers[i].Span);
            }

            await _processes.SumAsync(sum, stop.Token);
            for (var i = 1; i < ReplicaCount; i++)
            {
                sum.CopyTo(round.Buffers[i]);
            }

            round.Done.TrySetResult();
        }
        catch (Exception e)
        {
            Fail(round, e);
        }
    }

    // A replica that leaves (its trainer failed, or its phase is over) can never join another round. Failing the round
    // it left open is what lets siblings already waiting in it throw now rather than wait for it forever; after the last
    // round of a phase nobody waits, and the failure only refuses calls that would have hung.
    private void Leave(int replica)
    {
        Round round;
        Exception failure;
        lock (_gate)
        {
            failure = _failure ??= new InvalidOperationException($"Local replica {replica} left the group.");
            round = _round;
        }

        round.Done.TrySetException(failure);
    }

    private void Fail(Round round, Exception failure)
    {
        lock (_gate)
        {
            _failure ??= failure;
        }

        round.Done.TrySetException(failure);
    }

    private sealed class Round(int replicas)
    {
        public Memory<float>[] Buffers { get; } = new Memory<float>[replicas];

        public bool[] Joined { get; } = new bool[replicas];

        public CancellationToken[] Tokens { get; } = new CancellationToken[replicas];

        public int Arrived { get; set; }

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class LocalReplica(HierarchicalAllReduce group, int index) : IAllReduce
    {
        public int Rank => group._firstReplica + index;

        public int WorldSize => group._replicas;

        public ValueTask SumAsync(Memory<float> values, CancellationToken cancel) => group.SumAsync(index, values, cancel);

        // The group owns the process ring, which the process's session closes; a replica only leaves the group.
        public ValueTask DisposeAsync()
        {
            group.Leave(index);
            return ValueTask.CompletedTask;
        }
    }
}
